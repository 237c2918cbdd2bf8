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

export const profileIdParams = z.object({ profileId: z.coerce.number().int().positive() });

export const overviewQuery = workspaceQuery.extend({
  from: z.string().optional().describe('ISO date, inclusive; default: 12 months before `to`'),
  to: z.string().optional().describe('ISO date, exclusive; default: the day after the latest event'),
  bucket: z.enum(['day', 'week', 'month']).default('week'),
});

export const customersQuery = workspaceQuery.extend({
  q: z.string().max(256).optional().describe('Any identifier (email, phone, customer id, anonymous id) or name'),
  limit: z.coerce.number().int().min(1).max(200).default(25),
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
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1024).optional(),
});

export const unmergeBody = z.object({ mergeId: z.number().int().positive() });

export const MAX_BATCH_RECORDS = 10_000;
export const entityParams = z.object({ entity: z.enum(ENTITIES) });
export const batchBody = z.object({
  records: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(MAX_BATCH_RECORDS)
    .describe('Records with the same snake_case fields as the JSONL import (see docs/ingestion.md)'),
  default_source: z.string().max(64).optional().describe('Source system of customer_id when a record names none'),
});
