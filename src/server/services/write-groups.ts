/**
 * Group commit for HTTP batches. Writes to one workspace are serialised anyway (one writer transaction at a time),
 * and a small batch costs mostly per transaction: statements, lookups and the commit. So requests that arrive
 * while a write is running wait, and are then written together, in one transaction, as one batch — as long as
 * they share no record id (a record repeated across requests must see the earlier one stored, so such a request
 * waits for the next group). Each request still gets its own answer: what happened to each of its records.
 * Requests written together share one import record.
 */
import type { IdentityConfig } from '../../core/identity/config.js';
import type { Entity, Located, RecordByEntity, RowRejection } from '../../core/records.js';
import type { Engine } from '../../store/engines/engine.js';
import { finishImport, recordImportIn, startImport } from '../../store/repositories/import-repository.js';
import { emptyOutcome, factTableOf, prepareBatch, writePrepared, writerIds, type BatchContext, type BatchOutcome } from '../../ingest/batch-writer.js';
import { ProfileIdReserve } from '../../ingest/profile-id-reserve.js';
import { storeBatch } from '../../ingest/store-batch.js';
import { allocateIds } from '../../store/repositories/identity-repository.js';
import { profileCacheFor } from './profile-caches.js';
import { IDENTITY_KEYS, storedIdFilterFor } from './stored-id-filters.js';

/** What happened to one request's valid records; lines are the request's own record indexes. */
export interface RequestOutcome {
  importId: number;
  stored: number;
  updated: number;
  skipped: number;
  rejected: RowRejection[];
  warnings: RowRejection[];
}

interface Job {
  valid: Located<RecordByEntity[Entity]>[];
  ids: Set<string>;
  received: number;
  invalidRows: number;
  done: (outcome: RequestOutcome) => void;
  fail: (error: unknown) => void;
}

/** Most records written in one group (a request holds up to 10,000). */
const MAX_GROUP_RECORDS = 20_000;

interface Queue {
  jobs: Job[];
  running: boolean;
}

const queues = new WeakMap<Engine, Map<string, Queue>>();

export function writeGroupedBatch(
  engine: Engine,
  workspaceId: string,
  entity: Entity,
  identityConfig: IdentityConfig,
  valid: Located<RecordByEntity[Entity]>[],
  received: number,
  invalidRows: number,
): Promise<RequestOutcome> {
  // The ids as the writer will see them (normalised customer keys for customers), to keep repeats apart.
  const ids = writerIds(entity, identityConfig, valid);
  return new Promise<RequestOutcome>((done, fail) => {
    let byKey = queues.get(engine);
    if (!byKey) queues.set(engine, (byKey = new Map<string, Queue>()));
    // Identity settings are part of the key: a settings change never joins a group written under the old ones.
    const key = `${workspaceId}\u0000${entity}\u0000${JSON.stringify(identityConfig)}`;
    let queue = byKey.get(key);
    if (!queue) byKey.set(key, (queue = { jobs: [], running: false }));
    queue.jobs.push({ valid, ids, received, invalidRows, done, fail });
    if (!queue.running) void drain(engine, queue, workspaceId, entity, identityConfig);
  });
}

/** Takes the next group off the queue: jobs in arrival order, skipping any that shares an id with the group. */
function takeGroup(queue: Queue): Job[] {
  const group: Job[] = [];
  const seen = new Set<string>();
  let records = 0;
  for (let i = 0; i < queue.jobs.length; ) {
    const job = queue.jobs[i]!;
    const clash = [...job.ids].some((id) => seen.has(id));
    if (group.length > 0 && (clash || records + job.valid.length > MAX_GROUP_RECORDS)) {
      i++;
      continue;
    }
    for (const id of job.ids) seen.add(id);
    records += job.valid.length;
    group.push(job);
    queue.jobs.splice(i, 1);
  }
  return group;
}

async function drain(engine: Engine, queue: Queue, workspaceId: string, entity: Entity, identityConfig: IdentityConfig): Promise<void> {
  queue.running = true;
  try {
    while (queue.jobs.length > 0) {
      const group = takeGroup(queue);
      try {
        const outcomes = await writeGroup(engine, workspaceId, entity, identityConfig, group);
        group.forEach((job, i) => job.done(outcomes[i]!));
      } catch (error) {
        for (const job of group) job.fail(error);
      }
    }
  } finally {
    queue.running = false;
  }
}

/** Profile ids drawn ahead, per store (the sequence serves every workspace). */
const profileIdReserves = new WeakMap<Engine, ProfileIdReserve>();

function profileIdReserveFor(engine: Engine): ProfileIdReserve {
  let reserve = profileIdReserves.get(engine);
  if (!reserve) profileIdReserves.set(engine, (reserve = new ProfileIdReserve((n) => allocateIds(engine, 'profile_id_seq', n))));
  return reserve;
}

/** Import ids drawn ahead, per store: one sequence round trip per 64 groups instead of one per group. */
const idsInHand = new WeakMap<Engine, number[]>();

async function nextImportId(engine: Engine): Promise<number> {
  let ids = idsInHand.get(engine);
  if (!ids || ids.length === 0) {
    // Ids drawn and never used leave gaps in the sequence, as any rolled-back import does.
    ids = await allocateIds(engine, 'import_id_seq', 64);
    idsInHand.set(engine, ids);
  }
  return ids.shift()!;
}

/** Writes a group in one transaction; if the database refuses it, each request is written on its own. */
async function writeGroup(engine: Engine, workspaceId: string, entity: Entity, identityConfig: IdentityConfig, group: Job[]): Promise<RequestOutcome[]> {
  const cache = profileCacheFor(engine, workspaceId);
  const storedIds = await storedIdFilterFor(engine, workspaceId, factTableOf(entity));
  const storedKeys = await storedIdFilterFor(engine, workspaceId, IDENTITY_KEYS);
  // One batch: job k's record i is on line base[k] + i.
  const bases: number[] = [];
  const combined: Located<RecordByEntity[Entity]>[] = [];
  for (const job of group) {
    bases.push(combined.length);
    for (const r of job.valid) combined.push({ line: combined.length, record: r.record });
  }
  // A repeat is always within one request (a group's requests share no id): named by that request's own index.
  const nameLine = (line: number) => `index ${requestIndexOf(group, bases, line)}`;
  const ctx: BatchContext = { workspaceId, entity, importId: 0, identityConfig, cache, storedIds, storedKeys, reportLines: true, nameLine };
  const ready = prepareBatch(ctx, combined);
  const received = group.reduce((n, j) => n + j.received, 0);
  const invalidRows = group.reduce((n, j) => n + j.invalidRows, 0);
  try {
    ctx.importId = await nextImportId(engine);
    // Enough for every record to start a profile: known customers use none, so this rarely draws.
    ctx.profileIds = profileIdReserveFor(engine);
    await ctx.profileIds.ensure(combined.length);
    const startedAt = new Date();
    const { importId, outcome } = await engine.transaction(async (tx) => {
      const outcome = await writePrepared(tx, ctx, ready);
      await recordImportIn(tx, workspaceId, ctx.importId, entity, 'http', startedAt, countsOf(outcome, received, invalidRows));
      return { importId: ctx.importId, outcome };
    });
    return split(group, bases, importId, outcome);
  } catch {
    // The rolled-back transaction may have put profiles in the cache that do not exist.
    cache?.clear();
    const outcomes: RequestOutcome[] = [];
    for (const job of group) {
      const importId = await startImport(engine, workspaceId, entity, 'http');
      const outcome = await storeBatch(engine, { ...ctx, importId, reportLines: false, nameLine: (line: number) => `index ${line}` }, job.valid);
      await finishImport(engine, workspaceId, importId, countsOf(outcome, job.received, job.invalidRows), 'done');
      outcomes.push({ importId, stored: outcome.stored, updated: outcome.updated, skipped: outcome.skipped, rejected: outcome.rejected, warnings: outcome.warnings });
    }
    return outcomes;
  }
}

/** Which job of a group holds the group's line `line` (job k's records start at `bases[k]`). */
function jobAt(bases: readonly number[], line: number): number {
  let k = bases.length - 1;
  while (bases[k]! > line) k--;
  return k;
}

/** The group's line `line` as its own request's record index. */
function requestIndexOf(group: readonly Job[], bases: readonly number[], line: number): number {
  const k = jobAt(bases, line);
  return group[k]!.valid[line - bases[k]!]!.line;
}

function countsOf(outcome: BatchOutcome, received: number, invalidRows: number) {
  return {
    read: received,
    stored: outcome.stored + outcome.updated,
    skipped: outcome.skipped,
    rejected: invalidRows + new Set(outcome.rejected.map((r) => r.line)).size,
  };
}

/** Hands each request its share of the group's outcome, in its own record indexes. */
function split(group: Job[], bases: number[], importId: number, outcome: BatchOutcome): RequestOutcome[] {
  const jobOf = (line: number) => jobAt(bases, line);
  const parts = group.map(() => ({ out: emptyOutcome(), skipped: 0, updated: 0 }));
  const local = (k: number, line: number) => group[k]!.valid[line - bases[k]!]!.line;
  for (const r of outcome.rejected) {
    const k = jobOf(r.line);
    parts[k]!.out.rejected.push({ ...r, line: local(k, r.line) });
  }
  for (const w of outcome.warnings) {
    const k = jobOf(w.line);
    parts[k]!.out.warnings.push({ ...w, line: local(k, w.line) });
  }
  for (const line of outcome.skippedLines ?? []) parts[jobOf(line)]!.skipped++;
  for (const line of outcome.updatedLines ?? []) parts[jobOf(line)]!.updated++;
  return group.map((job, k) => {
    const p = parts[k]!;
    const rejectedRecords = new Set(p.out.rejected.map((r) => r.line)).size;
    return {
      importId,
      stored: job.valid.length - rejectedRecords - p.skipped - p.updated,
      updated: p.updated,
      skipped: p.skipped,
      rejected: p.out.rejected,
      warnings: p.out.warnings,
    };
  });
}
