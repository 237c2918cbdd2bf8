/**
 * The per-customer input of the purchase-count models, in columns: frequency x (repeat purchases), recency t_x
 * (time of the last purchase since the first) and age T (time since the first purchase), all in one time unit.
 * Columns (typed arrays) rather than objects because fits loop over them hundreds of times, for up to millions
 * of customers.
 */

export interface RfmData {
  /** Number of customers. */
  n: number;
  /** Repeat purchases in the calibration period (same-day purchases count once). */
  x: Float64Array;
  /** Time of the last calibration purchase, measured from the first purchase. */
  tx: Float64Array;
  /** Length of the calibration period for the customer, from the first purchase. */
  T: Float64Array;
  /** Optional multiplicity per row (aggregated data); 1 when absent. */
  weight?: Float64Array | undefined;
}

/** Builds {@link RfmData} from plain arrays. Throws on inconsistent rows: models would silently misfit them. */
export function rfmData(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>, weight?: ArrayLike<number>): RfmData {
  const n = x.length;
  if (tx.length !== n || T.length !== n || (weight && weight.length !== n)) throw new Error('x, t_x, T (and weights) must have the same length');
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const ti = tx[i]!;
    const Ti = T[i]!;
    if (!(xi >= 0 && Number.isInteger(xi))) throw new Error(`row ${i}: x must be a non-negative integer, got ${xi}`);
    if (!(ti >= 0 && Ti >= ti)) throw new Error(`row ${i}: need 0 ≤ t_x ≤ T, got t_x=${ti}, T=${Ti}`);
    if (xi === 0 && ti !== 0) throw new Error(`row ${i}: t_x must be 0 when x is 0, got ${ti}`);
  }
  return { n, x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: weight ? Float64Array.from(weight) : undefined };
}

/**
 * Distinct frequencies and each customer's index into them. Terms of the likelihood that depend on x alone
 * (log Γ(r+x), ψ(b+x), …) are computed once per distinct x: a few dozen values even for a million customers.
 */
export interface FrequencyGroups {
  values: Float64Array;
  index: Int32Array;
}

export function frequencyGroups(x: Float64Array): FrequencyGroups {
  const seen = new Map<number, number>();
  const index = new Int32Array(x.length);
  const values: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    let k = seen.get(v);
    if (k === undefined) {
      k = values.length;
      values.push(v);
      seen.set(v, k);
    }
    index[i] = k;
  }
  return { values: Float64Array.from(values), index };
}

export function totalWeight(data: { n: number; weight?: Float64Array | undefined }): number {
  if (!data.weight) return data.n;
  let s = 0;
  for (let i = 0; i < data.n; i++) s += data.weight[i]!;
  return s;
}

/** Mean purchase rate Σx / ΣT: the scale used for starting values (α ≈ r / rate). */
export function meanRate(data: RfmData): number {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.n; i++) {
    const w = data.weight ? data.weight[i]! : 1;
    sx += w * data.x[i]!;
    sT += w * data.T[i]!;
  }
  return sT > 0 && sx > 0 ? sx / sT : 1;
}

/** Result of a maximum-likelihood fit. */
export interface FitResult<P> {
  params: P;
  /** Total log-likelihood at `params` (weighted). */
  logLikelihood: number;
  /** Customers (total weight) in the fit. */
  n: number;
  iterations: number;
  /** Whether the optimiser met a stopping test (projected gradient or log-likelihood change). */
  converged: boolean;
  /** Parameters that ended on the fit's box: the maximum lies at (or beyond) that bound. */
  atBound: string[];
}

/** Distinct (x, tₓ, T) rows, weighted by how many customers share them, and each customer's row. */
export interface RfmGroups {
  unique: RfmData;
  index: Int32Array;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function mixFloat(h: number, v: number): number {
  bits[0] = v;
  h = Math.imul(h ^ words[0]!, 0x85ebca6b);
  h = Math.imul(h ^ words[1]!, 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/**
 * Merges customers with identical (x, tₓ, T) into one weighted row. With day-resolution dates most customers
 * share their row with others (everyone without a repeat purchase in a cohort has (0, 0, T)): CDNOW's 2,357
 * customers become about 1,000 rows, a million synthetic ones about a fifth of that, and every likelihood
 * evaluation and prediction gets that much cheaper. An open-addressing hash on the float bits keeps this O(n)
 * without building a string key per customer.
 */
export function groupRfm(data: RfmData): RfmGroups {
  const n = data.n;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const w = new Float64Array(n);
  const index = new Int32Array(n);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const xi = data.x[i]!;
    const ti = data.tx[i]!;
    const Ti = data.T[i]!;
    let slot = mixFloat(mixFloat(mixFloat(0x9e3779b9, xi), ti), Ti) & mask;
    for (;;) {
      const k = table[slot]!;
      if (k === -1) {
        table[slot] = rows;
        x[rows] = xi;
        tx[rows] = ti;
        T[rows] = Ti;
        index[i] = rows++;
        break;
      }
      if (x[k] === xi && tx[k] === ti && T[k] === Ti) {
        index[i] = k;
        break;
      }
      slot = (slot + 1) & mask;
    }
    w[index[i]!]! += data.weight ? data.weight[i]! : 1;
  }
  return { unique: { n: rows, x: x.slice(0, rows), tx: tx.slice(0, rows), T: T.slice(0, rows), weight: w.slice(0, rows) }, index };
}

/** {@link groupRfm}'s weighted rows only: same likelihood, fewer terms. */
export function compressRfm(data: RfmData): RfmData {
  return groupRfm(data).unique;
}
