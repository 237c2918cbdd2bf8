/**
 * Customer lifetime value over a finite horizon, and per-customer scoring.
 *
 * CLV = E[M] · Σ_{k=1..K} (E[Y(t_k)] − E[Y(t_{k−1})]) / (1 + d)^(t_k / P),   t_k = k·H/K,
 *
 * where E[Y(t)] is the model's expected number of purchases in the next t time units given the customer's
 * history, E[M] the Gamma-Gamma expected average spend, H the horizon, d the *annual* discount rate, P the time
 * units per year and K the number of discounting steps: purchases expected in each step are discounted from the
 * step's end (a slightly conservative convention, as in lifetimes' `customer_lifetime_value`). K = 12 over a year
 * is monthly discounting; finer steps change CLV by well under 1 % at usual rates and cost a ₂F₁ each.
 */
import type { CountModel } from './count-models.js';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma.js';
import { groupRfm, type RfmData } from './rfm-data.js';

export interface ClvOptions {
  /** Horizon in model time units (e.g. 52 weeks). */
  horizon: number;
  /** Annual discount rate, e.g. 0.1 for 10 %. @default 0.1 */
  annualDiscountRate?: number | undefined;
  /** Model time units per year. @default 365.25 / 7 (weeks) */
  unitsPerYear?: number | undefined;
  /** Discounting steps over the horizon. @default 12 */
  steps?: number | undefined;
}

/** Σ_k (E[Y(t_k)] − E[Y(t_{k−1})]) / (1+d)^(t_k/P) and the undiscounted E[Y(H)], for one customer. */
export function discountedPurchases(expectedBy: (t: number) => number, opts: ClvOptions): { discounted: number; expected: number } {
  const steps = opts.steps ?? 12;
  const rate = opts.annualDiscountRate ?? 0.1;
  const perYear = opts.unitsPerYear ?? 365.25 / 7;
  const logDiscount = Math.log1p(rate);
  let previous = 0;
  let discounted = 0;
  for (let k = 1; k <= steps; k++) {
    const t = (k * opts.horizon) / steps;
    const cumulative = expectedBy(t);
    discounted += (cumulative - previous) * Math.exp((-logDiscount * t) / perYear);
    previous = cumulative;
  }
  return { discounted, expected: previous };
}

export interface CustomerScores {
  pAlive: Float64Array;
  /** Expected purchases over the horizon. */
  expectedPurchases: Float64Array;
  /** Expected average spend per purchase (NaN without a spend model). */
  expectedSpend: Float64Array;
  /** Discounted CLV over the horizon (NaN without a spend model). */
  clv: Float64Array;
}

/**
 * Scores every customer: P(alive), expected purchases over the horizon, expected spend and CLV. Purchase
 * predictions depend on (x, tₓ, T) only, so they are computed once per distinct row and shared.
 */
export function scoreCustomers(model: CountModel, data: RfmData, mx: Float64Array | null, spend: GammaGammaParams | null, opts: ClvOptions): CustomerScores {
  const n = data.n;
  const { unique, index } = groupRfm(data);
  const alive = new Float64Array(unique.n);
  const expectedBy = new Float64Array(unique.n);
  const discountedBy = new Float64Array(unique.n);
  for (let k = 0; k < unique.n; k++) {
    const x = unique.x[k]!;
    const tx = unique.tx[k]!;
    const T = unique.T[k]!;
    alive[k] = model.probabilityAlive(x, tx, T);
    const { discounted, expected } = discountedPurchases((t) => model.conditionalExpected(t, x, tx, T), opts);
    expectedBy[k] = expected;
    discountedBy[k] = discounted;
  }
  const out: CustomerScores = { pAlive: new Float64Array(n), expectedPurchases: new Float64Array(n), expectedSpend: new Float64Array(n), clv: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const k = index[i]!;
    out.pAlive[i] = alive[k]!;
    out.expectedPurchases[i] = expectedBy[k]!;
    const m = spend && mx ? gammaGammaExpectedSpend(spend, data.x[i]!, mx[i]!) : NaN;
    out.expectedSpend[i] = m;
    out.clv[i] = m * discountedBy[k]!;
  }
  return out;
}
