/**
 * Survey score arithmetic shared by every page: NPS from promoter/detractor counts, averages for CSAT and CES.
 * NPS = % promoters (9–10) − % detractors (0–6), on −100…100, one decimal.
 */
export function netPromoterScore(promoters: number, detractors: number, responses: number): number | null {
  if (responses <= 0) return null;
  return Math.round(((promoters - detractors) / responses) * 1000) / 10;
}

/** Mean to two decimals; null when there is nothing to average. */
export function average(sum: number | null, n: number): number | null {
  if (n <= 0 || sum === null) return null;
  return Math.round((sum / n) * 100) / 100;
}
