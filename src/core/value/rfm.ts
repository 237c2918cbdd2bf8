/**
 * RFM scores: recency, frequency and monetary value each scored 1–5 by quintile of the customer base (5 = most
 * recent / most frequent / highest spend), and the usual named segments on the R and F scores.
 *
 * Ties share a score (the mid-rank of the tied block decides it), so when most customers bought once they all
 * get the same F score instead of being split arbitrarily across quintiles.
 */

/** Quintile score 1–5 of every value; `higherIsBetter` false for recency in days. */
export function quintileScores(values: ArrayLike<number>, higherIsBetter = true): Uint8Array {
  const n = values.length;
  const sign = higherIsBetter ? 1 : -1;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sign * (values[a]! - values[b]!));
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    const midRank = (i + j + 1) / 2; // 0.5 … n − 0.5
    const score = Math.min(5, Math.max(1, Math.ceil((5 * midRank) / n)));
    for (let k = i; k <= j; k++) out[order[k]!] = score;
    i = j + 1;
  }
  return out;
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
}

/** Scores from days since the last purchase, number of purchases and total spend. */
export function rfmScores(recencyDays: ArrayLike<number>, orders: ArrayLike<number>, spend: ArrayLike<number>): RfmScores {
  return { r: quintileScores(recencyDays, false), f: quintileScores(orders), m: quintileScores(spend) };
}

export const RFM_SEGMENTS = ['Champions', 'Loyal', 'New', 'Promising', 'Needs attention', "Can't lose them", 'At risk', 'About to sleep', 'Hibernating'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** The segment an (R, F) pair falls in: a common simplification of the RFM segment grid. */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (r >= 4 && f >= 4) return 'Champions';
  if (r >= 3 && f >= 3) return 'Loyal';
  if (r === 5 && f <= 1) return 'New';
  if (r >= 4) return 'Promising';
  if (r === 3) return 'Needs attention';
  if (f >= 4) return "Can't lose them";
  if (f === 3) return 'At risk';
  if (r === 2) return 'About to sleep';
  return 'Hibernating';
}
