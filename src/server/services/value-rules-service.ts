/**
 * The editable parts of customer value: saved rule-based segments (with live counts against the latest run and
 * current signals) and the workspace's next-best-action rule set (the default until one is saved).
 */
import { z } from 'zod';
import { DEFAULT_NBA_RULES, nbaRuleSetSchema, type NbaRuleSet } from '../../core/value/next-best-action.js';
import { conditionSchema, describeCondition, matches, type Condition } from '../../core/value/rules.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Engine, Queryable } from '../../store/engines/engine.js';
import { deleteSegment, getSegment, insertSegment, listSegments, readRuleSet, updateSegment, writeRuleSet, type SegmentRow } from '../../store/repositories/value-config-repository.js';
import { HeavyWorkBusyError } from './heavy-work.js';
import { loadValue } from './value-features.js';

const NBA_KIND = 'next-best-action';

export const segmentBodySchema = z
  .object({
    name: z.string().min(1).max(120),
    description: z.string().max(500).optional(),
    rule: conditionSchema,
  })
  .strict();
export type SegmentBody = z.infer<typeof segmentBodySchema>;

export interface SavedSegment {
  id: string;
  name: string;
  description: string | null;
  rule: Condition;
  ruleText: string;
  customers: number | null;
  clv: number | null;
  createdAt: string;
  updatedAt: string;
}

function toSegment(r: SegmentRow, count: { customers: number; clv: number } | null): SavedSegment {
  const rule = conditionSchema.parse(JSON.parse(r.rule));
  return {
    id: r.segment_id,
    name: r.name,
    description: r.description,
    rule,
    ruleText: describeCondition(rule),
    customers: count?.customers ?? null,
    clv: count?.clv ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Saved segments with live counts (null counts until value has been computed). */
export async function getSegments(db: Queryable, workspaceId: string): Promise<Result<{ computedAt: string | null; segments: SavedSegment[] }, AppError>> {
  const [rows, loaded] = await Promise.all([listSegments(db, workspaceId), loadValue(db, workspaceId)]);
  const features = loaded.ok ? loaded.value.features : null;
  const segments = rows.map((r) => {
    if (!features) return toSegment(r, null);
    const rule = conditionSchema.parse(JSON.parse(r.rule));
    const members = features.filter((f) => matches(rule, f));
    return toSegment(r, { customers: members.length, clv: members.reduce((s, f) => s + f.clv, 0) });
  });
  return ok({ computedAt: loaded.ok ? loaded.value.run.computedAt : null, segments });
}

// Accents are dropped rather than the letters that carry them ('Zoë ñ' → 'zoe-n').
const slug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'segment';

export async function createSegment(db: Queryable, workspaceId: string, body: SegmentBody): Promise<Result<SavedSegment, AppError>> {
  const base = slug(body.name);
  let id = base;
  for (let n = 2; await getSegment(db, workspaceId, id); n++) id = `${base}-${n}`;
  await insertSegment(db, workspaceId, { id, name: body.name, description: body.description ?? null, rule: JSON.stringify(body.rule), at: new Date().toISOString() });
  return withCount(db, workspaceId, id);
}

export async function replaceSegment(db: Queryable, workspaceId: string, id: string, body: SegmentBody): Promise<Result<SavedSegment, AppError>> {
  const found = await updateSegment(db, workspaceId, { id, name: body.name, description: body.description ?? null, rule: JSON.stringify(body.rule), at: new Date().toISOString() });
  if (!found) return err({ type: 'not_found', detail: `segment '${id}' does not exist` });
  return withCount(db, workspaceId, id);
}

export async function removeSegment(db: Queryable, workspaceId: string, id: string): Promise<Result<{ id: string; deleted: true }, AppError>> {
  if (!(await deleteSegment(db, workspaceId, id))) return err({ type: 'not_found', detail: `segment '${id}' does not exist` });
  return ok({ id, deleted: true });
}

async function withCount(db: Queryable, workspaceId: string, id: string): Promise<Result<SavedSegment, AppError>> {
  let all: Awaited<ReturnType<typeof getSegments>>;
  try {
    all = await getSegments(db, workspaceId);
  } catch (error) {
    // The segment is saved already: with the store too busy to count it, it is answered without its live count
    // rather than with a 503 that a client would take for a failed write (and a retried POST would save it twice).
    if (!(error instanceof HeavyWorkBusyError)) throw error;
    const row = await getSegment(db, workspaceId, id);
    return row ? ok(toSegment(row, null)) : err({ type: 'not_found', detail: `segment '${id}' does not exist` });
  }
  if (!all.ok) return all;
  const segment = all.value.segments.find((s) => s.id === id);
  return segment ? ok(segment) : err({ type: 'not_found', detail: `segment '${id}' does not exist` });
}

/** The workspace's rule set, or the default. A stored set that no longer validates falls back to the default. */
export async function readNbaRules(db: Queryable, workspaceId: string): Promise<{ ruleSet: NbaRuleSet; customised: boolean; updatedAt: string | null }> {
  const stored = await readRuleSet(db, workspaceId, NBA_KIND);
  if (stored) {
    const parsed = nbaRuleSetSchema.safeParse(JSON.parse(stored.rules));
    if (parsed.success) return { ruleSet: parsed.data, customised: true, updatedAt: stored.updatedAt };
  }
  return { ruleSet: DEFAULT_NBA_RULES, customised: false, updatedAt: null };
}

export async function getNbaRules(db: Queryable, workspaceId: string) {
  const r = await readNbaRules(db, workspaceId);
  return ok({ ...r.ruleSet, customised: r.customised, updatedAt: r.updatedAt, explained: r.ruleSet.rules.map((x) => ({ id: x.id, when: describeCondition(x.when) })) });
}

export async function saveNbaRules(engine: Engine, workspaceId: string, ruleSet: NbaRuleSet) {
  await writeRuleSet(engine, workspaceId, NBA_KIND, JSON.stringify(ruleSet), new Date().toISOString());
  return getNbaRules(engine, workspaceId);
}
