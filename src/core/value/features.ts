/**
 * The flat per-customer record that segments, the silent-churn radar, revenue at risk and next-best-action rules
 * read: model results (CLV, P(alive)), purchase behaviour (RFM, rates) and service signals (scores, tickets).
 * One record shape, so a rule written for a segment works unchanged in a next-best-action rule.
 */

export interface CustomerFeatures {
  profileId: number;
  /** Discounted CLV over the horizon (0 when the spend model could not be fitted). */
  clv: number;
  /** Share of customers with a lower CLV, 0–100. */
  clvPercentile: number;
  pAlive: number;
  /** P(alive) at the start of the recent window (null when the customer was not yet born then). */
  pAliveBefore: number | null;
  expectedPurchases: number;
  /** Purchase days in total. */
  orders: number;
  recencyDays: number;
  tenureDays: number;
  meanSpend: number;
  totalSpend: number;
  /** Purchase days per week from the first purchase to the start of the recent window. */
  pastRate: number;
  /** Purchase days before the recent window. */
  pastOrders: number;
  /** Purchase days in the recent window. */
  recentOrders: number;
  rfmR: number;
  rfmF: number;
  rfmM: number;
  rfmSegment: string;
  persona: string | null;
  latestNps: number | null;
  latestCsat: number | null;
  latestCes: number | null;
  /** A satisfaction signal in the recent window: NPS ≥ 7 or CSAT ≥ 4 as the latest response. */
  satisfied: boolean;
  /** NPS ≤ 6 in the recent window. */
  detractor: boolean;
  /** A complaint or low score (CSAT/stars ≤ 2, CES ≤ 3) in the recent window. */
  complained: boolean;
  openTickets: number;
  recentTickets: number;
  /** Tickets in the recent window whose first agent reply missed the channel's target. */
  missedReplyTargets: number;
  /** Missed a reply target or gave a detractor score in the recent window. */
  serviceFailure: boolean;
  silentChurn: boolean;
}

export type FeatureType = 'number' | 'boolean' | 'string';

/** Every field rules may use, with its type and a label for explanations. */
export const FEATURE_FIELDS = {
  clv: { type: 'number', label: 'CLV' },
  clvPercentile: { type: 'number', label: 'CLV percentile' },
  pAlive: { type: 'number', label: 'P(alive)' },
  pAliveBefore: { type: 'number', label: 'earlier P(alive)' },
  expectedPurchases: { type: 'number', label: 'expected purchases' },
  orders: { type: 'number', label: 'orders' },
  recencyDays: { type: 'number', label: 'days since last order' },
  tenureDays: { type: 'number', label: 'days since first order' },
  meanSpend: { type: 'number', label: 'mean order value' },
  totalSpend: { type: 'number', label: 'total spend' },
  pastRate: { type: 'number', label: 'past orders per week' },
  pastOrders: { type: 'number', label: 'past orders' },
  recentOrders: { type: 'number', label: 'recent orders' },
  rfmR: { type: 'number', label: 'R score' },
  rfmF: { type: 'number', label: 'F score' },
  rfmM: { type: 'number', label: 'M score' },
  rfmSegment: { type: 'string', label: 'RFM segment' },
  persona: { type: 'string', label: 'persona' },
  latestNps: { type: 'number', label: 'latest NPS' },
  latestCsat: { type: 'number', label: 'latest CSAT' },
  latestCes: { type: 'number', label: 'latest CES' },
  satisfied: { type: 'boolean', label: 'satisfied' },
  detractor: { type: 'boolean', label: 'detractor' },
  complained: { type: 'boolean', label: 'complained' },
  openTickets: { type: 'number', label: 'open tickets' },
  recentTickets: { type: 'number', label: 'recent tickets' },
  missedReplyTargets: { type: 'number', label: 'missed reply targets' },
  serviceFailure: { type: 'boolean', label: 'recent service failure' },
  silentChurn: { type: 'boolean', label: 'silent churn' },
} as const satisfies Record<Exclude<keyof CustomerFeatures, 'profileId'>, { type: FeatureType; label: string }>;

export type FeatureField = keyof typeof FEATURE_FIELDS;
export const FEATURE_FIELD_NAMES = Object.keys(FEATURE_FIELDS) as FeatureField[];

/** Percentile rank (0–100, share strictly below) of every value; NaN counts as the lowest. */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(values[a]!) - key(values[b]!));
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && key(values[order[j + 1]!]!) === key(values[order[i]!]!)) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = n > 0 ? (100 * i) / n : 0;
    i = j + 1;
  }
  return out;
}

const key = (v: number) => (Number.isNaN(v) ? -Infinity : v);
