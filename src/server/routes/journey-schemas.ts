/** Zod schemas of the Journeys API: request validation and the OpenAPI document (responses are checked against them). */
import { z } from 'zod';
import { designedJourneySchema } from '../../core/journeys/designed.js';
import { plainNumber, workspaceQuery } from './schemas.js';

const n = z.number().nullable();
const seconds = n.describe('seconds; null when not measurable');

export const journeyIdParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/).describe('Journey id (lower-case slug)') });
export const ownerParams = z.object({ owner: z.string().min(1).max(100).describe('Owner name (person or team), case-insensitive') });

export const discoverQuery = workspaceQuery.extend({
  activity: z.enum(['type', 'touchpoint']).default('type').describe('Event column that names the activity'),
  gap_days: plainNumber(true).pipe(z.number().positive().max(3650)).default(30).describe("A customer's events more than this many days apart start a new case"),
  min_edge_count: plainNumber().pipe(z.number().int().min(1)).default(1).describe('Leave out directly-follows edges seen fewer times'),
  top_variants: plainNumber().pipe(z.number().int().min(1).max(200)).default(20),
});

export const funnelQuery = workspaceQuery.extend({
  window_days: plainNumber(true).pipe(z.number().positive().max(3650)).optional().describe("Conversion window from step 1; default: the journey's window_days"),
});

const activityCount = z.object({ activity: z.string(), count: z.number() });
const duration = z
  .object({ count: z.number(), meanS: seconds, medianS: seconds, p90S: seconds, minS: seconds, maxS: seconds })
  .nullable()
  .describe('null when nothing was measured');
const handoffReport = z
  .object({
    handoffs: z.number(),
    transitions: z.number(),
    pairs: z.array(z.object({ from: z.string(), to: z.string(), count: z.number(), medianDelayS: seconds, p90DelayS: seconds })),
  })
  .nullable();

export const discoverResponse = z.object({
  activity: z.enum(['type', 'touchpoint']),
  caseNotion: z.object({ by: z.literal('customer'), gapDays: z.number() }),
  cases: z.number(),
  events: z.number(),
  activities: z.number(),
  activityCounts: z.array(activityCount),
  variants: z.number(),
  topVariants: z.array(z.object({ count: z.number(), activities: z.array(z.string()) })),
  dfg: z.array(z.object({ from: z.string(), to: z.string(), count: z.number(), meanS: seconds, medianS: seconds, p90S: seconds })),
  dfgEdgesTotal: z.number().describe('edges before min_edge_count'),
  start: z.array(activityCount),
  end: z.array(activityCount),
  caseDurationS: duration,
  handoffs: z.object({ team: handoffReport, channel: handoffReport }),
  rework: z.object({
    casesWithRework: z.number(),
    activities: z.array(z.object({ activity: z.string(), casesWithRework: z.number(), repeats: z.number(), selfLoops: z.number() })),
    backAndForth: z.array(z.object({ a: z.string(), b: z.string(), count: z.number(), cases: z.number() })),
  }),
  cached: z.boolean(),
  computedMs: z.number().describe("Milliseconds this request took: the computation or the cache lookup, and any wait behind the store's other big computations"),
});

const owner = z.object({ kind: z.enum(['person', 'team']), name: z.string() });

/** What GET returns for a stored journey: the validated definition, defaults filled in. */
export const designedJourneyResponse = z.object({ id: z.string(), updatedAt: z.string(), journey: designedJourneySchema });
export const designedListResponse = z.object({ items: z.array(designedJourneyResponse) });
export const designedPutResponse = designedJourneyResponse.extend({ created: z.boolean() });
/** The PUT body is the definition itself (docs/journeys.md, "Designed journeys"). */
export const designedBody = designedJourneySchema;
export const deleteResponse = z.object({ deleted: z.string() });

export const funnelResponse = z.object({
  journeyId: z.string(),
  name: z.string(),
  windowDays: z.number(),
  cases: z.number(),
  steps: z.array(
    z.object({
      step: z.string(),
      owner,
      successMeasure: z.string(),
      targetToNextS: n,
      reached: z.number(),
      reachedInOrder: z.number(),
      conversion: n,
      timeFromPrevious: duration,
      droppedAfter: z.number(),
      pathsAfterDrop: z.array(activityCount),
    }),
  ),
});

export const conformanceResponse = z.object({
  journeyId: z.string(),
  model: z.string().describe('process tree in PM4Py notation'),
  derivedModel: z.boolean().describe('true when the model is the steps in sequence (the journey has none of its own)'),
  cases: z.number(),
  logFitness: z.number(),
  averageTraceFitness: z.number(),
  fitCasesPct: z.number(),
  fitCases: z.number(),
  tokens: z.object({ missing: z.number(), consumed: z.number(), remaining: z.number(), produced: z.number() }),
  deviations: z.array(z.object({ activity: z.string(), skipped: z.number(), inserted: z.number(), outOfOrder: z.number() })),
});

const gap = z.object({ slow: n, onTime: n, gap: n });
const valueGroup = z
  .object({ customers: z.number(), meanClv: z.number(), meanPAlive: z.number(), meanPAliveChange: n.describe('mean P(alive) now minus at the start of the recent window') })
  .nullable()
  .describe('null when fewer than 10 customers');
const frictionValue = z
  .object({
    customers: z.number().describe('distinct customers with a stored CLV who passed this step or handoff'),
    clv: z.number().describe('their CLV, summed'),
    meanClv: z.number(),
    slow: valueGroup.describe('customers delayed here at least once'),
    onTime: valueGroup.describe('customers always on time here'),
    clvGap: n.describe('(on-time − delayed mean CLV) / on-time mean CLV, clamped to 0–1; part of the downstream effect'),
    pAliveGap: n.describe('mean P(alive), on-time minus delayed'),
    pAliveChangeGap: n.describe('mean change of P(alive) over the recent window, on-time minus delayed'),
  })
  .nullable()
  .describe('null until customer value has been computed (kept value compute)');
export const frictionItemSchema = z.object({
  rank: z.number(),
  journeyId: z.string().nullable(),
  journey: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  kind: z.enum(['handoff', 'step']),
  owner: owner.nullable(),
  nextOwner: owner.nullable(),
  fromTeam: z.string().nullable(),
  toTeam: z.string().nullable(),
  volume: z.number(),
  medianWaitS: seconds,
  p90WaitS: seconds,
  targetS: seconds,
  delayH: z.number().describe('mean hours per traversal beyond the target (the whole wait without one)'),
  slowShare: z.number(),
  conversion: gap.describe('share reaching the journey goal: slow vs on-time cases'),
  feedback: gap.describe('mean feedback score (0–1) within 30 days after: slow vs on-time cases'),
  value: frictionValue,
  score: z.number().describe('delayH × volume × (1 + conversion gap + feedback gap + CLV gap)'),
});
export const frictionQuery = workspaceQuery.extend({ limit: plainNumber().pipe(z.number().int().min(1).max(500)).default(50) });
export const frictionResponse = z.object({ basis: z.enum(['designed', 'discovered']), items: z.array(frictionItemSchema), cached: z.boolean() });

export const scorecardResponse = z.object({
  owner: z.string(),
  journeys: z.array(z.object({ journeyId: z.string(), name: z.string() })),
  steps: z.array(
    z.object({
      journeyId: z.string(),
      journey: z.string(),
      step: z.string(),
      nextStep: z.string().nullable(),
      owner,
      successMeasure: z.string(),
      targetToNextS: n,
      reached: z.number(),
      timeToNext: duration,
      onTargetShare: n,
      waitBefore: duration.describe('time from the previous step into this one (in-order transitions)'),
      trend: z.array(
        z.object({ month: z.string().describe('YYYY-MM (UTC)'), transitions: z.number(), medianToNextS: seconds, onTargetShare: n, medianWaitBeforeS: seconds }),
      ),
    }),
  ),
  friction: z.array(frictionItemSchema),
});
