/** Zod schemas of the API surface: they validate requests and generate the OpenAPI document. */
import { z } from 'zod';
import { ENTITIES } from '../../core/records.js';
import { TIMELINE_KINDS } from '../../store/repositories/timeline-repository.js';

export const workspaceQuery = z.object({
  workspace: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/).optional().describe('Workspace id; defaults to the server default'),
});

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ index: z.number().int().optional(), field: z.string().optional(), reason: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

/**
 * A number in a path or query string, written plainly in digits (with a fraction when `decimal`): '0x10', '1e2' and
 * an empty value are refused rather than read as numbers.
 */
export function plainNumber(decimal = false) {
  return z
    .string()
    .regex(decimal ? /^\d{1,12}(\.\d{1,6})?$/ : /^\d{1,15}$/, decimal ? 'expected a number written in digits' : 'expected a whole number written in digits')
    .transform(Number);
}

export const profileIdParams = z.object({ profileId: plainNumber().pipe(z.number().int().positive()) });

export const overviewQuery = workspaceQuery.extend({
  from: z.string().optional().describe('ISO date, inclusive; default: 12 months before `to`'),
  to: z.string().optional().describe('ISO date, exclusive; default: the day after the latest event'),
  bucket: z.enum(['day', 'week', 'month']).default('week'),
});

export const customersQuery = workspaceQuery.extend({
  q: z
    .string()
    .max(256)
    .optional()
    .describe(
      'Any identifier (email, phone, customer id, anonymous id: exact, or its start from 3 characters) or name: each word of q (the first 6) starts a word of the name, in any order; 2 characters at least, or one Chinese, Japanese or Korean character (which, as any word, matches the start of a word: 明 does not find 李明)',
    ),
  limit: plainNumber().pipe(z.number().int().min(1).max(200)).default(25),
  cursor: z.string().max(512).optional(),
});

export const timelineQuery = workspaceQuery.extend({
  kinds: z
    .string()
    .default(TIMELINE_KINDS.join(','))
    .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.enum(TIMELINE_KINDS)).min(1))
    .describe('Comma-separated: event,order,ticket,feedback'),
  channel: z.string().max(100).optional(),
  limit: plainNumber().pipe(z.number().int().min(1).max(500)).default(50),
  cursor: z.string().max(1024).optional(),
});

export const unmergeBody = z.object({ mergeId: z.number().int().positive() });

export const MAX_BATCH_RECORDS = 10_000;
export const entityParams = z.object({ entity: z.enum(ENTITIES) });
export const batchBody = z.object({
  // Each record is checked by the import validation (a JSON object with known fields, per-record errors), so the
  // request schema only bounds the array: checking every record here too costs more than parsing the body.
  records: z
    .array(z.unknown())
    .min(1)
    .max(MAX_BATCH_RECORDS)
    .describe(
      'Records: JSON objects with the same snake_case fields as the JSONL import (see docs/ingestion.md); a record that is not an object is rejected on its own',
    ),
  default_source: z.string().max(64).optional().describe('Source system of customer_id when a record names none'),
});

// ---- Responses (documented in OpenAPI; serialisation is checked against them) ----
const nullableNumber = z.number().nullable();
const isoTime = z.string().describe('ISO 8601, UTC');

export const problemResponses = { 400: problemSchema, 404: problemSchema, 409: problemSchema } as const;

/**
 * The problems of a route whose answer may need one of the store's large computations, which run one at a time:
 * also 503 (with `Retry-After`) when it waited out `KEPT_HEAVY_WAIT_S` behind the others (heavy-work.ts).
 */
export const computedProblemResponses = {
  ...problemResponses,
  503: problemSchema.describe('Busy: the computation waited out its turn behind others; retry after `Retry-After` seconds'),
} as const;

const REVENUE_DOC = 'revenue in `currency`, the currency of most orders; orders in other currencies are in otherCurrencies, never added in';
const otherCurrencies = z.array(z.object({ currency: z.string(), orders: z.number(), revenue: z.number() }));

export const overviewResponse = z.object({
  range: z.object({ from: isoTime, to: isoTime.describe('exclusive') }),
  bucket: z.enum(['day', 'week', 'month']),
  totals: z.object({
    customers: z.number().describe('customer records of the workspace, whatever the range'),
    profiles: z.number().describe('live profiles of the workspace, whatever the range'),
    events: z.number(),
    orders: z.number(),
    revenue: z.number().describe(REVENUE_DOC),
    currency: z.string().nullable(),
    otherCurrencies: otherCurrencies,
    tickets: z.number(),
    feedback: z.number(),
  }),
  volumes: z
    .array(z.object({ bucket: isoTime.describe('start of the day, week (Monday) or month: the first and last buckets may reach outside the range'), channel: z.string(), count: z.number() }))
    .describe('events (interactions at touchpoints) in the range, by channel'),
  scores: z.object({
    nps: z.object({ score: nullableNumber, responses: z.number(), promoters: z.number(), passives: z.number(), detractors: z.number() }),
    csat: z.object({ average: nullableNumber, responses: z.number() }),
    ces: z.object({ average: nullableNumber, responses: z.number() }),
  }),
  scoreTrend: z.array(
    z.object({
      bucket: isoTime,
      nps: nullableNumber.describe('null when the bucket has fewer than 10 NPS answers (too few for a score)'),
      csat: nullableNumber,
      ces: nullableNumber,
      responses: z.number().describe('feedback records with any score'),
      npsResponses: z.number(),
      csatResponses: z.number(),
      cesResponses: z.number(),
    }),
  ),
});

export const customerListResponse = z.object({
  items: z.array(
    z.object({
      profileId: z.number(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      lastSeenAt: isoTime.nullable().describe('latest event, order, ticket activity or feedback'),
      orders: z.number(),
      revenue: z.number().describe(REVENUE_DOC),
      currency: z.string().nullable(),
      otherCurrencies: otherCurrencies,
    }),
  ),
  nextCursor: z.string().nullable(),
});

const scoreAt = z.object({ score: z.number(), at: isoTime }).nullable();
export const customerResponse = z.object({
  profileId: z.number(),
  mergedFrom: z.number().optional().describe('the requested id, when it was merged into this profile'),
  name: z.string().nullable(),
  createdAt: isoTime,
  figures: z.object({
    events: z.number(),
    firstSeenAt: isoTime.nullable(),
    lastSeenAt: isoTime.nullable(),
    orders: z.number(),
    revenue: z.number().describe(REVENUE_DOC),
    currency: z.string().nullable(),
    otherCurrencies: otherCurrencies,
    tickets: z.number(),
    openTickets: z.number(),
    feedback: z.number(),
    latestNps: scoreAt,
    latestCsat: scoreAt,
  }),
  value: z
    .object({
      clv: nullableNumber.describe('discounted CLV over the horizon (null without a spend model)'),
      pAlive: z.number(),
      expectedPurchases: z.number().describe('over the next 52 weeks'),
      expectedSpend: nullableNumber,
      segment: z.string().describe('RFM segment'),
      persona: z.string().nullable(),
      model: z.string(),
      computedAt: isoTime,
    })
    .nullable()
    .describe('customer value from the latest `kept value compute`; null before it ran or without orders'),
  identities: z.array(
    z.object({
      type: z.string(),
      value: z.string(),
      key: z.string(),
      linkedBy: z.string().describe('why this identifier belongs to the profile'),
      sourceRef: z.string().describe('the record that introduced it'),
      firstSeenAt: isoTime,
      originProfileId: z.number(),
    }),
  ),
  records: z.array(
    z.object({
      source: z.string(),
      customerId: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      updatedAt: isoTime,
    }),
  ),
  merges: z.array(
    z.object({ mergeId: z.number(), fromProfileId: z.number(), intoProfileId: z.number(), viaKey: z.string(), reason: z.string(), mergedAt: isoTime }),
  ),
  undoneMerges: z
    .array(
      z.object({
        mergeId: z.number(),
        fromProfileId: z.number(),
        intoProfileId: z.number(),
        viaKey: z.string(),
        reason: z.string(),
        mergedAt: isoTime,
        unmergedAt: isoTime,
      }),
    )
    .describe('merges of this profile that were undone: the two sides are kept apart, never re-merged automatically'),
});

export const timelineResponse = z.object({
  items: z.array(
    z.object({
      kind: z.enum(TIMELINE_KINDS),
      id: z.string(),
      at: isoTime,
      channel: z.string().nullable(),
      touchpoint: z.string().nullable(),
      team: z.string().nullable(),
      title: z.string(),
      detail: z.string().nullable(),
      value: nullableNumber,
      currency: z.string().nullable().describe("the currency of an order's value; null for other kinds"),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const unmergeResponse = z.object({ profileId: z.number(), restoredProfileId: z.number(), movedIdentities: z.number() });

const indexedError = z.object({ index: z.number(), field: z.string().optional(), reason: z.string() });
export const batchResponse = z.object({
  importId: z.number(),
  received: z.number(),
  stored: z.number(),
  updated: z.number().describe('customers/orders replacing a stored version (a repeated request replaces them with the same one)'),
  skipped: z.number().describe('events, ticket entries, feedback already stored: the request was a repeat'),
  rejected: z.number(),
  errors: z.array(indexedError),
  warnings: z.array(indexedError),
});
