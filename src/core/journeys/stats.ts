/**
 * Order statistics on typed arrays, shared by discovery, handoffs and funnels.
 *
 * Medians and percentiles are taken by selection (quickselect), not by sorting: on the 20M-event log there are
 * ~19M waiting times spread over the DFG edges, and selecting two order statistics per edge is linear where a
 * sort is n log n. Definitions follow pandas/numpy, which PM4Py uses: the median of an even count is the mean of
 * the two middle values, and percentiles interpolate linearly between the closest ranks.
 */

/** Summary of a set of durations, all in the unit of the input (seconds in every public result). */
export interface DurationSummary {
  count: number;
  mean: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** Rearranges `a[lo..hi]` so that `a[k]` holds the value it would have if sorted (Hoare selection). */
function selectInPlace(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    // Median of three keeps already-sorted input (common: waits grouped by edge arrive in case order) linear.
    const mid = (lo + hi) >>> 1;
    let pivot = a[mid]!;
    const x = a[lo]!;
    const y = a[hi]!;
    if ((x <= pivot && pivot <= y) || (y <= pivot && pivot <= x)) {
      // pivot is the median already
    } else if ((pivot <= x && x <= y) || (y <= x && x <= pivot)) pivot = x;
    else pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Smallest value of `a[from..to]` (inclusive). */
function minOf(a: Float64Array, from: number, to: number): number {
  let m = Infinity;
  for (let i = from; i <= to; i++) if (a[i]! < m) m = a[i]!;
  return m;
}

/**
 * The `q`-quantile (0..1) of `values`, linear interpolation between closest ranks (numpy's default).
 * Reorders `values` in place.
 */
export function quantileInPlace(values: Float64Array, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const k = Math.floor(pos);
  selectInPlace(values, 0, n - 1, k);
  const low = values[k]!;
  const frac = pos - k;
  if (frac === 0 || k + 1 >= n) return low;
  // After selection everything right of k is >= values[k], so the next order statistic is their minimum.
  const high = minOf(values, k + 1, n - 1);
  return low + frac * (high - low);
}

/** Count, mean, median, p90, min and max of `values` (reordered in place). NaN fields when empty. */
export function summariseInPlace(values: Float64Array): DurationSummary {
  const n = values.length;
  if (n === 0) return { count: 0, mean: NaN, median: NaN, p90: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const median = quantileInPlace(values, 0.5);
  const p90 = quantileInPlace(values, 0.9);
  return { count: n, mean: sum / n, median, p90, min, max };
}

/** {@link summariseInPlace} on a copy, for callers that keep their array. */
export function summarise(values: ArrayLike<number>): DurationSummary {
  return summariseInPlace(Float64Array.from(values));
}
