/** Zod schemas of the customer-value API (requests and responses), kept apart from schemas.ts to stay readable. */
import { z } from 'zod';
import { nbaRuleSetSchema } from '../../core/value/next-best-action.js';
import { conditionSchema } from '../../core/value/rules.js';
import { segmentBodySchema } from '../services/value-rules-service.js';
import { plainNumber, workspaceQuery } from './schemas.js';

export const limitQuery = workspaceQuery.extend({ limit: plainNumber().pipe(z.number().int().min(1).max(1000)).default(50) });
export const segmentIdParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) });
export { segmentBodySchema as segmentBody, nbaRuleSetSchema as nbaRulesBody };

const isoTime = z.string().describe('ISO 8601, UTC');
const isoDate = z.string().describe('YYYY-MM-DD (UTC)');
const params = z.record(z.string(), z.number());

export const valueSummaryResponse = z.object({
  computedAt: isoTime,
  currency: z.string().nullable(),
  customers: z.number(),
  horizonWeeks: z.number(),
  annualDiscountRate: z.number(),
  dataFrom: isoDate,
  dataTo: isoDate,
  recentWeeks: z.number().describe('the recent window (also the validation holdout)'),
  recentFrom: isoDate,
  totals: z.object({
    clv: z.number(),
    meanClv: z.number(),
    medianClv: z.number(),
    topDecileShare: z.number().describe('share of total CLV held by the top 10 % of customers'),
    meanPAlive: z.number(),
    expectedPurchases: z.number(),
    silentChurn: z.number(),
  }),
  distribution: z.array(z.object({ from: z.number(), to: z.number().nullable().describe('null: open-ended last bin'), customers: z.number() })),
  model: z.object({
    name: z.string(),
    params,
    logLikelihood: z.number(),
    spend: z.object({ params, logLikelihood: z.number(), customers: z.number() }).nullable(),
  }),
  validation: z
    .object({
      customers: z.number(),
      holdoutWeeks: z.number(),
      calibrationWeeks: z.number(),
      actualHoldout: z.number(),
      recommended: z.string(),
      models: z.array(
        z.object({
          model: z.string(),
          logLikelihood: z.number(),
          predictedHoldout: z.number(),
          meanAbsoluteError: z.number(),
          buckets: z.array(z.object({ bucket: z.string(), customers: z.number(), actual: z.number(), predicted: z.number() })),
        }),
      ),
      tracking: z.array(z.object({ week: z.number(), weekStart: isoDate, actual: z.number(), expected: z.number() })).describe('cumulative repeat purchases per week'),
    })
    .nullable(),
  segments: z.array(z.object({ name: z.string(), customers: z.number(), clv: z.number() })).describe('RFM segments'),
});

const savedSegment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rule: conditionSchema,
  ruleText: z.string(),
  customers: z.number().nullable().describe('live count; null until value has been computed'),
  clv: z.number().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const segmentResponse = savedSegment;
export const segmentsResponse = z.object({ computedAt: isoTime.nullable(), segments: z.array(savedSegment) });
export const segmentDeletedResponse = z.object({ id: z.string(), deleted: z.literal(true) });

export const personasResponse = z.object({
  computedAt: isoTime,
  k: z.number(),
  silhouette: z.array(z.object({ k: z.number(), silhouette: z.number() })),
  personas: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      customers: z.number(),
      share: z.number(),
      clv: z.number(),
      meanClv: z.number(),
      meanPAlive: z.number(),
      distinctions: z.array(z.object({ feature: z.string(), z: z.number(), clusterMean: z.number(), overallMean: z.number() })),
    }),
  ),
});

const customer = {
  profileId: z.number(),
  name: z.string().nullable(),
  clv: z.number(),
  pAlive: z.number(),
  segment: z.string(),
  persona: z.string().nullable(),
};

export const silentChurnResponse = z.object({
  computedAt: isoTime,
  recentWeeks: z.number(),
  total: z.number(),
  valueAtStake: z.number(),
  items: z.array(
    z.object({
      ...customer,
      pAliveBefore: z.number().nullable(),
      valueAtStake: z.number().describe('a year at their own past pace and order value, minus the CLV still expected'),
      pastOrdersPerMonth: z.number(),
      recentOrders: z.number(),
      expectedRecent: z.number(),
      daysSinceLastOrder: z.number(),
      latestNps: z.number().nullable(),
      latestCsat: z.number().nullable(),
      reason: z.string(),
    }),
  ),
});

const exposure = z.object({
  key: z.string(),
  customers: z.number(),
  clv: z.number(),
  atRisk: z.number().describe('Σ CLV × (1 − P(alive))'),
  meanPAlive: z.number(),
  meanPAliveChange: z.number().nullable().describe('mean P(alive) now minus at the start of the recent window'),
});

export const revenueAtRiskResponse = z.object({
  computedAt: isoTime,
  recentWeeks: z.number(),
  totalClv: z.number(),
  totalAtRisk: z.number(),
  bySegment: z.array(exposure),
  byPersona: z.array(exposure),
  byServiceFailure: z.array(exposure.extend({ label: z.string(), others: exposure, pAliveGap: z.number() })),
  byFrictionItem: z
    .array(
      exposure.extend({
        others: exposure.describe('customers always on time at this item'),
        pAliveGap: z.number().describe('mean P(alive) of the delayed minus the on-time customers'),
        rank: z.number().describe('rank in GET /journeys/friction'),
        journeyId: z.string().nullable(),
        journey: z.string().nullable(),
        from: z.string(),
        to: z.string(),
        kind: z.enum(['handoff', 'step']),
        owner: z.string().nullable(),
        delayH: z.number(),
        frictionScore: z.number(),
      }),
    )
    .describe('customers delayed (beyond target) at a journey friction item; the 10 with most value at risk'),
  silentChurn: exposure.nullable(),
});

export const nextBestActionsResponse = z.object({
  computedAt: isoTime,
  rulesCustomised: z.boolean(),
  total: z.number(),
  byRule: z.array(z.object({ ruleId: z.string(), action: z.string(), enabled: z.boolean(), customers: z.number(), clv: z.number() })),
  items: z.array(z.object({ ...customer, ruleId: z.string(), action: z.string(), reason: z.string(), rule: z.string() })),
});

export const nbaRulesResponse = z.object({
  rules: z.array(z.object({ id: z.string(), action: z.string(), when: conditionSchema, reason: z.string(), enabled: z.boolean() })),
  customised: z.boolean(),
  updatedAt: isoTime.nullable(),
  explained: z.array(z.object({ id: z.string(), when: z.string() })),
});
