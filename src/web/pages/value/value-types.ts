// Shapes of the customer-value API (`/api/v1/value/*`) as the Value page consumes them.

export interface ValueSummary {
  computedAt: string;
  currency: string | null;
  customers: number;
  horizonWeeks: number;
  dataFrom: string;
  dataTo: string;
  recentWeeks: number;
  recentFrom: string;
  totals: {
    clv: number;
    meanClv: number;
    medianClv: number;
    topDecileShare: number;
    meanPAlive: number;
    expectedPurchases: number;
    silentChurn: number;
  };
  distribution: { from: number; to: number | null; customers: number }[];
  model: { name: string; params: Record<string, number>; logLikelihood: number };
  validation: {
    holdoutWeeks: number;
    calibrationWeeks: number;
    actualHoldout: number;
    recommended: string;
    models: { model: string; logLikelihood: number; predictedHoldout: number; meanAbsoluteError: number }[];
    tracking: { week: number; weekStart: string; actual: number; expected: number }[];
  } | null;
  segments: { name: string; customers: number; clv: number }[];
}

export interface Personas {
  k: number;
  personas: { name: string; description: string; customers: number; share: number; clv: number; meanClv: number; meanPAlive: number }[];
}

interface ValueCustomer {
  profileId: number;
  name: string | null;
  clv: number;
  pAlive: number;
  segment: string;
  persona: string | null;
}

export interface SilentChurn {
  recentWeeks: number;
  total: number;
  valueAtStake: number;
  items: (ValueCustomer & {
    pAliveBefore: number | null;
    valueAtStake: number;
    pastOrdersPerMonth: number;
    recentOrders: number;
    daysSinceLastOrder: number;
    latestNps: number | null;
    latestCsat: number | null;
    reason: string;
  })[];
}

export interface Exposure {
  key: string;
  customers: number;
  clv: number;
  atRisk: number;
  meanPAlive: number;
  meanPAliveChange: number | null;
}

export interface RevenueAtRisk {
  recentWeeks: number;
  totalClv: number;
  totalAtRisk: number;
  bySegment: Exposure[];
  byPersona: Exposure[];
  byServiceFailure: (Exposure & { label: string; others: Exposure; pAliveGap: number })[];
  /** Customers delayed at a journey friction item vs those on time there, most value at risk first. */
  byFrictionItem: FrictionExposure[];
}

export interface FrictionExposure extends Exposure {
  others: Exposure;
  pAliveGap: number;
  rank: number;
  journeyId: string | null;
  journey: string | null;
  from: string;
  to: string;
  kind: 'handoff' | 'step';
  owner: string | null;
  delayH: number;
  frictionScore: number;
}

export interface NextBestActions {
  total: number;
  rulesCustomised: boolean;
  byRule: { ruleId: string; action: string; enabled: boolean; customers: number; clv: number }[];
  items: (ValueCustomer & { ruleId: string; action: string; reason: string; rule: string })[];
}

export interface SavedSegment {
  id: string;
  name: string;
  description: string | null;
  /** The rule JSON (src/core/value/rules.ts). */
  rule: unknown;
  ruleText: string;
  customers: number | null;
  clv: number | null;
}

export interface SavedSegments {
  segments: SavedSegment[];
}
