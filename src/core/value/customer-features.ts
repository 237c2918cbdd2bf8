/**
 * Joins a value run's per-customer results with what customers said and how they were served into
 * {@link CustomerFeatures}, then runs the silent-churn radar on each. Pure: the caller reads the store.
 */
import { percentileRanks, type CustomerFeatures } from './features.js';
import { silentChurnAssessor, type RadarFinding, type RadarOptions } from './silent-churn.js';

/** First-reply targets per ticket channel, in hours (the demo company's promises); others get `default`. */
export const DEFAULT_REPLY_TARGET_HOURS: Readonly<Record<string, number>> = { chat: 1, email: 24, phone: 4, store: 24, default: 24 };

/** A customer's stored value-run results: the model fields of {@link CustomerFeatures}, CLV unknown as null. */
export type ValueRecord = Pick<
  CustomerFeatures,
  'profileId' | 'pAlive' | 'pAliveBefore' | 'expectedPurchases' | 'orders' | 'recencyDays' | 'tenureDays' | 'meanSpend'
  | 'totalSpend' | 'pastRate' | 'recentOrders' | 'rfmR' | 'rfmF' | 'rfmM' | 'persona'
> & { clv: number | null; segment: string };

export interface TicketSignal {
  channel: string | null;
  openedAt: number;
  firstReplyAt: number | null;
  closedAt: number | null;
}

export interface SignalRecord {
  detractors: number;
  lowScores: number;
  complaints: number;
  latestNps: { score: number; at: number } | null;
  latestCsat: { score: number; at: number } | null;
  latestCes: { score: number; at: number } | null;
  tickets: TicketSignal[];
}

export const emptySignals = (): SignalRecord => ({ detractors: 0, lowScores: 0, complaints: 0, latestNps: null, latestCsat: null, latestCes: null, tickets: [] });

/** Whether a ticket's first agent reply came later than the target (or has not come and the target has passed). */
export function missedReplyTarget(t: TicketSignal, asOf: number, targetsHours: Readonly<Record<string, number>> = DEFAULT_REPLY_TARGET_HOURS): boolean {
  const hours = targetsHours[t.channel ?? 'default'] ?? targetsHours.default ?? 24;
  const due = t.openedAt + hours * 3_600_000;
  return t.firstReplyAt !== null ? t.firstReplyAt > due : asOf > due;
}

export interface FeatureOptions {
  /** Start of the recent window (epoch ms). */
  recentFrom: number;
  /** The moment figures are "as of" (epoch ms): the end of the data. */
  asOf: number;
  radar: RadarOptions;
  replyTargetsHours?: Readonly<Record<string, number>> | undefined;
}

export interface FeatureSet {
  features: CustomerFeatures[];
  /** The radar's finding for each flagged customer, same order as `features` (undefined for the others: most). */
  radar: (RadarFinding | undefined)[];
}

/** What {@link featureOf} needs of a customer's signals: the scores, and the tickets counted. */
export type SignalSummary = Omit<SignalRecord, 'tickets'> & {
  /** Tickets opened in the recent window. */
  recentTickets: number;
  /** Of those, how many missed their first-reply target. */
  missedReplyTargets: number;
  /** Tickets not closed, whenever opened. */
  openTickets: number;
};

/** A customer's signals summed up as {@link featureOf} needs them (the store can sum them up in SQL instead). */
export function summariseSignals(s: SignalRecord, opts: FeatureOptions): SignalSummary {
  const recentTickets = s.tickets.filter((t) => t.openedAt >= opts.recentFrom);
  return {
    detractors: s.detractors,
    lowScores: s.lowScores,
    complaints: s.complaints,
    latestNps: s.latestNps,
    latestCsat: s.latestCsat,
    latestCes: s.latestCes,
    recentTickets: recentTickets.length,
    missedReplyTargets: recentTickets.filter((t) => missedReplyTarget(t, opts.asOf, opts.replyTargetsHours)).length,
    openTickets: s.tickets.filter((t) => t.closedAt === null).length,
  };
}

/**
 * One customer's features from their value-run record and signals; `clvPercentile` is filled in by
 * {@link finishFeatures}, which needs every customer's CLV. Copies what it needs: `v` and `s` may be reused.
 */
export function featureOf(v: ValueRecord, s: SignalSummary, opts: FeatureOptions): CustomerFeatures {
  const recent = (x: { at: number } | null) => x !== null && x.at >= opts.recentFrom;
  const detractor = s.detractors > 0;
  // "Looks fine" needs a recent positive signal: a customer who never answers surveys is not known to be happy.
  const satisfied = (recent(s.latestNps) && s.latestNps!.score >= 7) || (recent(s.latestCsat) && s.latestCsat!.score >= 4);
  const missed = s.missedReplyTargets;
  return {
    profileId: v.profileId,
    clv: v.clv ?? 0,
    // A non-integer placeholder: the percentile stored later is one, and a field first given an integer would make
    // V8 migrate every object when the first fraction arrives (about a second for a million customers).
    clvPercentile: Number.NaN,
    pAlive: v.pAlive,
    pAliveBefore: v.pAliveBefore,
    expectedPurchases: v.expectedPurchases,
    orders: v.orders,
    recencyDays: v.recencyDays,
    tenureDays: v.tenureDays,
    meanSpend: v.meanSpend,
    totalSpend: v.totalSpend,
    pastRate: v.pastRate,
    pastOrders: v.orders - v.recentOrders,
    recentOrders: v.recentOrders,
    rfmR: v.rfmR,
    rfmF: v.rfmF,
    rfmM: v.rfmM,
    rfmSegment: v.segment,
    persona: v.persona,
    latestNps: s.latestNps?.score ?? null,
    latestCsat: s.latestCsat?.score ?? null,
    latestCes: s.latestCes?.score ?? null,
    satisfied,
    detractor,
    complained: s.complaints > 0 || s.lowScores > 0,
    openTickets: s.openTickets,
    recentTickets: s.recentTickets,
    missedReplyTargets: missed,
    serviceFailure: missed > 0 || detractor,
    silentChurn: false,
  };
}

/** Fills in every customer's CLV percentile, then runs the silent-churn radar on each. */
export function finishFeatures(features: CustomerFeatures[], opts: FeatureOptions): FeatureSet {
  const percentiles = percentileRanks(Float64Array.from(features, (f) => f.clv));
  features.forEach((f, i) => (f.clvPercentile = percentiles[i]!));
  const assess = silentChurnAssessor(opts.radar);
  const radar = features.map((f) => {
    const finding = assess(f);
    f.silentChurn = finding.flagged;
    return finding.flagged ? finding : undefined;
  });
  return { features, radar };
}

export function buildFeatures(values: readonly ValueRecord[], signals: ReadonlyMap<number, SignalRecord>, opts: FeatureOptions): FeatureSet {
  return finishFeatures(
    values.map((v) => featureOf(v, summariseSignals(signals.get(v.profileId) ?? emptySignals(), opts), opts)),
    opts,
  );
}
