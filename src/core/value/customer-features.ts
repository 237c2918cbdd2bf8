/**
 * Joins a value run's per-customer results with what customers said and how they were served into
 * {@link CustomerFeatures}, then runs the silent-churn radar on each. Pure: the caller reads the store.
 */
import { percentileRanks, type CustomerFeatures } from './features.js';
import { assessSilentChurn, type RadarFinding, type RadarOptions } from './silent-churn.js';

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
  /** Radar finding per customer, same order as `features`. */
  radar: RadarFinding[];
}

export function buildFeatures(values: readonly ValueRecord[], signals: ReadonlyMap<number, SignalRecord>, opts: FeatureOptions): FeatureSet {
  const percentiles = percentileRanks(values.map((v) => v.clv ?? 0));
  const recent = (s: { at: number } | null) => s !== null && s.at >= opts.recentFrom;
  const features = values.map((v, i): CustomerFeatures => {
    const s = signals.get(v.profileId) ?? emptySignals();
    const recentTickets = s.tickets.filter((t) => t.openedAt >= opts.recentFrom);
    const missed = recentTickets.filter((t) => missedReplyTarget(t, opts.asOf, opts.replyTargetsHours)).length;
    const detractor = s.detractors > 0;
    // "Looks fine" needs a recent positive signal: a customer who never answers surveys is not known to be happy.
    const satisfied = (recent(s.latestNps) && s.latestNps!.score >= 7) || (recent(s.latestCsat) && s.latestCsat!.score >= 4);
    return {
      profileId: v.profileId,
      clv: v.clv ?? 0,
      clvPercentile: percentiles[i]!,
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
      openTickets: s.tickets.filter((t) => t.closedAt === null).length,
      recentTickets: recentTickets.length,
      missedReplyTargets: missed,
      serviceFailure: missed > 0 || detractor,
      silentChurn: false,
    };
  });
  const radar = features.map((f) => {
    const finding = assessSilentChurn(f, opts.radar);
    f.silentChurn = finding.flagged;
    return finding;
  });
  return { features, radar };
}
