/**
 * Silent-churn radar: customers whose satisfaction signals look fine while their buying fades — the ones a
 * score dashboard says nothing about.
 *
 * A customer is flagged when all of these hold:
 * - **satisfied**: their latest NPS is ≥ 7 or latest CSAT ≥ 4, given within the recent window; no detractor
 *   score, complaint or low score in the window; no open ticket;
 * - **an established habit**: at least `minPastOrders` purchase days before the recent window, over at least
 *   `minPastWeeks`, so "their own past" means something;
 * - **fading**, judged against their own past rather than the base:
 *   - their recent purchase count is at most `maxRateRatio` of what their past rate predicts for the window, and
 *     that shortfall is unlikely to be chance (Poisson lower tail ≤ `maxTailProbability`), or
 *   - they have been silent for longer than their past rate makes plausible: P(no purchase in that time) =
 *     exp(−rate · time) ≤ `maxTailProbability` (catches a fade that accelerates late in the window), or
 *   - the model's P(alive) fell by at least `minAliveDrop` since the start of the window, to below `maxAlive`.
 *
 * The list is ranked by value at stake: what a year at their own past pace and order value is worth, minus the
 * CLV the model still expects — the revenue the relationship loses if the fade continues.
 */
import type { CustomerFeatures } from './features.js';

export interface RadarOptions {
  /** Length of the recent window in weeks. */
  recentWeeks: number;
  minPastOrders?: number;
  minPastWeeks?: number;
  maxRateRatio?: number;
  maxTailProbability?: number;
  minAliveDrop?: number;
  maxAlive?: number;
}

export const RADAR_DEFAULTS = { minPastOrders: 4, minPastWeeks: 8, maxRateRatio: 0.5, maxTailProbability: 0.15, minAliveDrop: 0.3, maxAlive: 0.5 } as const;

/** P(K ≤ k) for K ~ Poisson(μ). */
export function poissonLowerTail(k: number, mu: number): number {
  if (mu <= 0) return 1;
  let term = Math.exp(-mu);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= mu / i;
    sum += term;
  }
  return Math.min(1, sum);
}

export interface RadarFinding {
  flagged: boolean;
  /** Purchases the past rate predicts for the recent window. */
  expectedRecent: number;
  tailProbability: number;
  rateDrop: boolean;
  silenceDrop: boolean;
  aliveDrop: boolean;
  /** Value of a year at the past pace minus the model's CLV, ≥ 0. */
  valueAtStake: number;
  reason: string;
}

const WEEKS_PER_YEAR = 365.25 / 7;

/** Judges one customer; `satisfied`, `complained`, `detractor` and `openTickets` must already be filled in. */
export function assessSilentChurn(f: CustomerFeatures, opts: RadarOptions): RadarFinding {
  return assessWith(f, { ...RADAR_DEFAULTS, ...opts });
}

/** {@link assessSilentChurn} for many customers: the options are filled in once. */
export function silentChurnAssessor(opts: RadarOptions): (f: CustomerFeatures) => RadarFinding {
  const o = { ...RADAR_DEFAULTS, ...opts };
  return (f) => assessWith(f, o);
}

function assessWith(f: CustomerFeatures, o: Required<RadarOptions>): RadarFinding {
  const pastWeeks = Math.max(0, f.tenureDays / 7 - o.recentWeeks);
  const expectedRecent = f.pastRate * o.recentWeeks;
  const tailProbability = poissonLowerTail(f.recentOrders, expectedRecent);
  const habit = f.pastOrders >= o.minPastOrders && pastWeeks >= o.minPastWeeks;
  const rateDrop = habit && f.recentOrders <= o.maxRateRatio * expectedRecent && tailProbability <= o.maxTailProbability;
  const silenceTail = Math.exp(-f.pastRate * (f.recencyDays / 7));
  const silenceDrop = habit && f.recencyDays / 7 < o.recentWeeks && silenceTail <= o.maxTailProbability;
  const aliveDrop = habit && f.pAliveBefore !== null && f.pAliveBefore - f.pAlive >= o.minAliveDrop && f.pAlive < o.maxAlive;
  const calm = f.satisfied && !f.complained && !f.detractor && f.openTickets === 0;
  const flagged = calm && (rateDrop || silenceDrop || aliveDrop);
  const valueAtStake = Math.max(0, f.pastRate * WEEKS_PER_YEAR * f.meanSpend - f.clv);
  // Most customers are not flagged: the sentence is only written for those who are (a million on a large base).
  if (!flagged) return { flagged, expectedRecent, tailProbability, rateDrop, silenceDrop, aliveDrop, valueAtStake, reason: '' };
  const parts: string[] = [];
  if (rateDrop) parts.push(`${f.recentOrders} orders in the last ${o.recentWeeks} weeks where their past pace gives ${expectedRecent.toFixed(1)}`);
  if (silenceDrop) parts.push(`no order for ${f.recencyDays} days where they used to buy every ${Math.round(7 / f.pastRate)}`);
  if (aliveDrop) parts.push(`P(alive) fell from ${pct(f.pAliveBefore!)} to ${pct(f.pAlive)}`);
  const scores = [f.latestNps !== null ? `NPS ${f.latestNps}` : null, f.latestCsat !== null ? `CSAT ${f.latestCsat}` : null].filter(Boolean).join(', ');
  const reason = `${capitalise(parts.join('; '))}, while scores look fine (${scores || 'no complaints'})`;
  return { flagged, expectedRecent, tailProbability, rateDrop, silenceDrop, aliveDrop, valueAtStake, reason };
}

const pct = (p: number) => `${Math.round(p * 100)} %`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
