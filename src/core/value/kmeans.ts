/**
 * Behavioural clustering: k-means (Lloyd's algorithm) on standardised features, seeded by k-means++ from a fixed
 * PRNG so the same data always gives the same clusters, with k chosen by the silhouette coefficient. For large
 * bases the silhouette is computed on a deterministic sample (it is O(n²) otherwise).
 *
 * Data is one Float64Array in row-major order (n rows × d features).
 */

/** mulberry32: small, fast, good enough to seed k-means++ and draw samples; never Math.random (determinism). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Standardised {
  data: Float64Array;
  n: number;
  d: number;
  means: Float64Array;
  sds: Float64Array;
}

/** z-scores of each column (a constant column becomes 0 rather than NaN). */
export function standardise(columns: readonly ArrayLike<number>[]): Standardised {
  const d = columns.length;
  const n = d > 0 ? columns[0]!.length : 0;
  const data = new Float64Array(n * d);
  const means = new Float64Array(d);
  const sds = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const col = columns[j]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += col[i]!;
    const mean = n ? sum / n : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (col[i]! - mean) ** 2;
    const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    means[j] = mean;
    sds[j] = sd;
    for (let i = 0; i < n; i++) data[i * d + j] = sd > 0 ? (col[i]! - mean) / sd : 0;
  }
  return { data, n, d, means, sds };
}

function dist2(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let f = 0; f < d; f++) {
    const x = a[i * d + f]! - b[j * d + f]!;
    s += x * x;
  }
  return s;
}

export interface KMeansResult {
  k: number;
  centroids: Float64Array;
  assignment: Int32Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

/** k-means++ seeding: each next centre drawn with probability proportional to squared distance. */
function seedCentroids(data: Float64Array, n: number, d: number, k: number, random: () => number): Float64Array {
  const centroids = new Float64Array(k * d);
  const first = Math.floor(random() * n);
  centroids.set(data.subarray(first * d, first * d + d), 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, dist2(data, i, centroids, c - 1, d));
      total += nearest[i]!;
    }
    let target = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target <= 0) {
        pick = i;
        break;
      }
    }
    centroids.set(data.subarray(pick * d, pick * d + d), c * d);
  }
  return centroids;
}

function lloyd(data: Float64Array, n: number, d: number, k: number, centroids: Float64Array, maxIterations: number): KMeansResult {
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let inertia = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = dist2(data, i, centroids, c, d);
        if (dd < bestD) {
          bestD = dd;
          best = c;
        }
      }
      inertia += bestD;
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      counts[c]! += 1;
      for (let f = 0; f < d; f++) sums[c * d + f]! += data[i * d + f]!;
    }
    // An emptied cluster keeps its centre: it may win points back, and re-seeding would break determinism.
    for (let c = 0; c < k; c++) if (counts[c]! > 0) for (let f = 0; f < d; f++) centroids[c * d + f] = sums[c * d + f]! / counts[c]!;
  }
  return { k, centroids, assignment, inertia, iterations };
}

/** Best of `restarts` seeded runs (lowest inertia). */
export function kMeans(data: Float64Array, n: number, d: number, k: number, opts: { seed?: number; restarts?: number; maxIterations?: number } = {}): KMeansResult {
  if (k < 1 || k > n) throw new Error(`k-means: need 1 ≤ k ≤ n, got k=${k}, n=${n}`);
  const random = mulberry32(opts.seed ?? 42);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (opts.restarts ?? 3); r++) {
    const result = lloyd(data, n, d, k, seedCentroids(data, n, d, k, random), opts.maxIterations ?? 100);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** Deterministic sample of `m` distinct indices out of n (partial Fisher–Yates), or all when m ≥ n. */
export function sampleIndices(n: number, m: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (m >= n) return all;
  const random = mulberry32(seed);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, m);
}

/**
 * Mean silhouette (b − a) / max(a, b) over the points in `sample` (all points when omitted), distances to the
 * sampled points only, as scikit-learn's `silhouette_score(sample_size=…)`. Singleton clusters score 0.
 */
export function silhouette(data: Float64Array, d: number, assignment: Int32Array, k: number, sample: Int32Array): number {
  const m = sample.length;
  const sums = new Float64Array(k);
  const sizes = new Float64Array(k);
  for (let s = 0; s < m; s++) sizes[assignment[sample[s]!]!]! += 1;
  let total = 0;
  for (let s = 0; s < m; s++) {
    const i = sample[s]!;
    const own = assignment[i]!;
    sums.fill(0);
    for (let t = 0; t < m; t++) if (t !== s) sums[assignment[sample[t]!]!]! += Math.sqrt(dist2(data, i, data, sample[t]!, d));
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return m ? total / m : 0;
}

export interface KChoice {
  result: KMeansResult;
  /** Silhouette per k tried. */
  scores: { k: number; silhouette: number }[];
}

/** Runs k-means for k = kMin … kMax and keeps the k with the highest (sampled) silhouette. */
export function chooseK(data: Float64Array, n: number, d: number, opts: { kMin?: number; kMax?: number; seed?: number; sampleSize?: number } = {}): KChoice {
  const kMin = Math.max(2, opts.kMin ?? 2);
  const kMax = Math.min(opts.kMax ?? 8, n - 1);
  if (kMax < kMin) throw new Error(`k-means: ${n} customers are too few to cluster`);
  const seed = opts.seed ?? 42;
  const sample = sampleIndices(n, opts.sampleSize ?? 2000, seed + 1);
  let best: { result: KMeansResult; silhouette: number } | null = null;
  const scores: { k: number; silhouette: number }[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const result = kMeans(data, n, d, k, { seed: seed + k });
    const s = silhouette(data, d, result.assignment, k, sample);
    scores.push({ k, silhouette: s });
    if (!best || s > best.silhouette) best = { result, silhouette: s };
  }
  return { result: best!.result, scores };
}
