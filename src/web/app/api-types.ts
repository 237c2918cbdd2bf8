// Shapes of the Kept HTTP API (`/api/v1`) as the dashboard consumes them.

export interface Workspace {
  id: string;
  name: string;
}

export type Bucket = 'day' | 'week' | 'month';

export interface CurrencyRevenue {
  currency: string;
  orders: number;
  revenue: number;
}

export interface Overview {
  range: { from: string; to: string };
  bucket: Bucket;
  totals: {
    customers: number;
    profiles: number;
    events: number;
    orders: number;
    /** In `currency`; orders in other currencies are in otherCurrencies, never added in. */
    revenue: number;
    currency: string;
    otherCurrencies: CurrencyRevenue[];
    tickets: number;
    feedback: number;
  };
  volumes: { bucket: string; channel: string; count: number }[];
  scores: {
    nps: { score: number | null; responses: number; promoters: number; passives: number; detractors: number };
    csat: { average: number | null; responses: number };
    ces: { average: number | null; responses: number };
  };
  /** `nps` is null in buckets with fewer than 10 NPS answers (too few for a score). */
  scoreTrend: {
    bucket: string;
    nps: number | null;
    csat: number | null;
    ces: number | null;
    responses: number;
    npsResponses?: number;
    csatResponses?: number;
    cesResponses?: number;
  }[];
}

export interface CustomerListItem {
  profileId: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  lastSeenAt: string | null;
  orders: number;
  revenue: number;
  currency: string | null;
  otherCurrencies?: CurrencyRevenue[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type IdentityType = 'customer_id' | 'email' | 'phone' | 'anonymous_id';

export interface ScoreAt {
  score: number;
  at: string;
}

export interface CustomerProfile {
  profileId: number;
  name: string | null;
  figures: {
    firstSeenAt: string | null;
    lastSeenAt: string | null;
    events: number;
    orders: number;
    revenue: number;
    currency: string;
    otherCurrencies: CurrencyRevenue[];
    tickets: number;
    openTickets: number;
    feedback: number;
    latestNps: ScoreAt | null;
    latestCsat: ScoreAt | null;
  };
  value: {
    clv: number | null;
    pAlive: number;
    expectedPurchases: number;
    expectedSpend: number | null;
    segment: string;
    persona: string | null;
    model: string;
    computedAt: string;
  } | null;
  identities: {
    type: IdentityType;
    value: string;
    key: string;
    linkedBy: string;
    sourceRef: string;
    firstSeenAt: string | null;
    /** The profile it was first linked to: another one when it came with a merge. */
    originProfileId: number;
  }[];
  records: { source: string; customerId: string; name: string | null; email: string | null; phone: string | null }[];
  merges: { mergeId: number; fromProfileId: number; viaKey: string; reason: string; mergedAt: string }[];
  /** Merges of this profile that were undone: the two sides stay apart. */
  undoneMerges: { mergeId: number; fromProfileId: number; intoProfileId: number; viaKey: string; reason: string; mergedAt: string; unmergedAt: string }[];
}

export type TimelineKind = 'event' | 'order' | 'ticket' | 'feedback';

export const TIMELINE_KINDS: readonly TimelineKind[] = ['event', 'order', 'ticket', 'feedback'];

export interface TimelineItem {
  kind: TimelineKind;
  id: string;
  at: string;
  channel: string | null;
  touchpoint: string | null;
  team: string | null;
  title: string;
  detail: string | null;
  value: number | null;
  /** The currency of an order's value; null for other kinds. */
  currency: string | null;
}

export interface UnmergeResult {
  profileId: number;
  restoredProfileId: number;
}
