/**
 * Writes one batch of validated records in one transaction: identifiers resolved to profiles, duplicates and
 * already-stored rows sorted out, rows bulk-loaded, merges applied, derived tickets rebuilt. Either the whole
 * batch is stored or none of it (the pipeline isolates a failing row by splitting the batch).
 */
import { duplicateReason } from './duplicate-reason.js';
import type { IdentityConfig } from '../core/identity/config.js';
import { fieldOfKey, type IdentityKey } from '../core/identity/normalise.js';
import { normaliseCached } from './normalise-cached.js';
import type { Entity, EventRecord, Located, RecordByEntity, RowRejection, TicketEventRecord } from '../core/records.js';
import type { Engine, Queryable, RowSource } from '../store/engines/engine.js';
import {
  customersTable,
  eventsTable,
  feedbackTable,
  ordersTable,
  ticketEventsTable,
  type FactTable,
  type RowContext,
} from '../store/repositories/fact-tables.js';
import { addToEventRollup, EventDayCounts } from '../store/repositories/event-rollup.js';
import { rebuildTickets } from '../store/repositories/ticket-repository.js';
import { applyPendingMerges, resolveIdentities, type IdentityInput, type ProfileCache } from './identity-step.js';
import type { ProfileIdReserve } from './profile-id-reserve.js';
import type { StoredIds } from './stored-id-filter.js';
import { NEW, REPEATED, STORED_BY_THIS_IMPORT, storedState } from './stored-state.js';

export interface BatchContext {
  workspaceId: string;
  entity: Entity;
  importId: number;
  identityConfig: IdentityConfig;
  /** Per-import key → profile cache; pass only where this process is the single writer. */
  cache?: ProfileCache | undefined;
  /** Also list the lines skipped and updated (for writers that combine several requests in one batch). */
  reportLines?: boolean | undefined;
  /**
   * The ids this workspace's table holds, to look up only the ids it may hold; every id written is added to it.
   * Pass only where this process is the single writer (see server/services/stored-id-filters.ts).
   */
  storedIds?: StoredIds | undefined;
  /** The same for the workspace's identity keys: only keys it may hold are looked up; new ones are added. */
  storedKeys?: StoredIds | undefined;
  /** Profile ids drawn ahead of the transaction (used when it holds enough; else drawn inside). */
  profileIds?: ProfileIdReserve | undefined;
  /** How messages name the record on `line` (default 'line N'; the HTTP API names a request's own index). */
  nameLine?: ((line: number) => string) | undefined;
}

export interface BatchOutcome {
  stored: number;
  /** Mutable records (customers, orders) that replaced a version stored by an earlier import. */
  updated: number;
  /** Immutable records already stored by an earlier import (re-runs are idempotent). */
  skipped: number;
  rejected: RowRejection[];
  /** Stored, but something in the row was ignored (an invalid extra identifier, a limit reached). */
  warnings: RowRejection[];
  blocked: number;
  newProfiles: number;
  merges: number;
  /** With `reportLines`: lines of the records counted in `skipped` and in `updated`. */
  skippedLines?: number[];
  updatedLines?: number[];
}

const TABLES: { [E in Entity]: FactTable<RecordByEntity[E]> } = {
  customers: customersTable,
  events: eventsTable,
  orders: ordersTable,
  tickets: ticketEventsTable,
  feedback: feedbackTable,
};

/** The table `entity` is stored in: its name and id column. */
export function factTableOf(entity: Entity): FactTable<unknown> {
  return TABLES[entity] as FactTable<unknown>;
}

/**
 * The ids the writer will use for `batch`, or more: for customers the normalised customer key; for other entities
 * the record's own id (including records that preparation will reject, which only makes the set larger).
 */
export function writerIds(entity: Entity, identityConfig: IdentityConfig, batch: readonly Located<RecordByEntity[Entity]>[]): Set<string> {
  if (entity === 'customers') {
    return new Set(prepareBatch({ workspaceId: '', entity, importId: 0, identityConfig }, batch).prepared.map((p) => p.id));
  }
  const spec = factTableOf(entity);
  const ids = new Set<string>();
  for (const { record } of batch) ids.add(spec.idOf(record));
  return ids;
}

const FIELD_NAMES: Record<string, string> = { customerId: 'customer_id', anonymousId: 'anonymous_id', email: 'email', phone: 'phone' };
const inputField = (field: string): string =>
  FIELD_NAMES[field] ?? (field.startsWith('extraEmails') ? 'emails' : field.startsWith('extraPhones') ? 'phones' : field);

/** Why a blocked identifier of a stored row was not used (the bulk path says the same). */
export const blockedReason = (key: string): string => `blocked identifier ${key} ignored (a shared or test value is never linked)`;

/** A record that passed `prepare`; it is its own identity-step input (`ref` and `at` only made when asked for). */
class Prepared<R> implements IdentityInput {
  constructor(
    readonly entity: Entity,
    /** Position in the batch. */
    readonly index: number,
    readonly line: number,
    readonly record: R,
    readonly id: string,
    readonly keys: IdentityKey[],
  ) {}
  private refText: string | undefined;
  /** Made once: the identity step uses it as a map key. */
  get ref(): string {
    return (this.refText ??= `${this.entity}:${this.id}`);
  }
  get at(): number | undefined {
    return recordTime(this.record as object);
  }
  /** A customer record's own key (its id) is its identity: the resolver never gives it up. */
  get own(): string | undefined {
    return this.entity === 'customers' ? this.id : undefined;
  }
}

/** When a record happened, for the first-seen time of identities it introduces. */
function recordTime(record: object): number | undefined {
  const r = record as { occurredAt?: number; orderedAt?: number; createdAt?: number };
  return r.occurredAt ?? r.orderedAt ?? r.createdAt;
}

export function emptyOutcome(): BatchOutcome {
  return { stored: 0, updated: 0, skipped: 0, rejected: [], warnings: [], blocked: 0, newProfiles: 0, merges: 0 };
}

/**
 * Pure part: identifiers normalised, rows without a usable identifier rejected. Rejections are collected with
 * their position in the batch, so that duplicate ids (found later, in the store) can be reported in batch order.
 */
function prepare<E extends Entity>(ctx: BatchContext, batch: readonly Located<RecordByEntity[E]>[], out: BatchOutcome) {
  const spec = TABLES[ctx.entity] as FactTable<RecordByEntity[E]>;
  const prepared: Prepared<RecordByEntity[E]>[] = [];
  const early: Positioned[] = [];
  for (let index = 0; index < batch.length; index++) {
    const { line, record } = batch[index]!;
    const ids = normaliseCached(record, ctx.identityConfig);
    out.blocked += ids.blocked.length;
    let id = spec.idOf(record);
    if (ctx.entity === 'customers') {
      const own = ids.keys.find((k) => k.type === 'customer_id');
      const bad = ids.rejections.find((r) => r.field === 'customerId');
      if (!own) {
        early.push({ index, rejection: { line, field: 'customer_id', reason: bad?.reason ?? 'customer_id is blocked' } });
        continue;
      }
      id = own.key;
    }
    if (ids.keys.length === 0) {
      const why = ids.rejections.map((r) => `${inputField(r.field)}: ${r.reason}`);
      if (ids.blocked.length > 0) why.push(`blocked identifier ${ids.blocked.map((b) => b.key).join(', ')}`);
      early.push({
        index,
        rejection: {
          line,
          // The field at fault: the first invalid one, else the first blocked one.
          field: ids.rejections[0] ? inputField(ids.rejections[0].field) : ids.blocked[0] ? fieldOfKey(ids.blocked[0].key) : 'customer_id',
          reason: `no usable identifier (${why.join('; ') || 'none given'})`,
        },
      });
      continue;
    }
    for (const r of ids.rejections) out.warnings.push({ line, field: inputField(r.field), reason: `${r.reason}; identifier ignored` });
    for (const b of ids.blocked) out.warnings.push({ line, field: b.type, reason: blockedReason(b.key) });
    prepared.push(new Prepared(ctx.entity, index, line, record, id, ids.keys));
  }
  return { spec, prepared, early };
}

interface Positioned {
  /** Position in the batch. */
  index: number;
  rejection: RowRejection;
}

/** `a` and `b` (each in batch order) merged into batch order. */
function inBatchOrder(a: readonly Positioned[], b: readonly Positioned[]): RowRejection[] {
  const merged: RowRejection[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.index < b[j]!.index)) merged.push(a[i++]!.rejection);
    else merged.push(b[j++]!.rejection);
  }
  return merged;
}

/** A batch after its pure part (see {@link prepareBatch}), waiting for its transaction. */
export interface PreparedBatch<E extends Entity> {
  batch: readonly Located<RecordByEntity[E]>[];
  out: BatchOutcome;
  spec: FactTable<RecordByEntity[E]>;
  prepared: Prepared<RecordByEntity[E]>[];
  early: Positioned[];
}

/**
 * The part of {@link writeBatch} that needs no database: identifiers normalised, rows without a usable one set
 * aside. Pipelines call it while the previous batch is being written, then pass the result to `writeBatch`.
 */
export function prepareBatch<E extends Entity>(ctx: BatchContext, batch: readonly Located<RecordByEntity[E]>[]): PreparedBatch<E> {
  const out = emptyOutcome();
  return { batch, out, ...prepare<E>(ctx, batch, out) };
}

export async function writeBatch<E extends Entity>(
  engine: Engine,
  ctx: BatchContext,
  batch: readonly Located<RecordByEntity[E]>[],
  ready?: PreparedBatch<E>,
): Promise<BatchOutcome> {
  const prepared = ready?.batch === batch ? ready : prepareBatch<E>(ctx, batch);
  if (prepared.prepared.length === 0) return writePrepared(null, ctx, prepared);
  return engine.transaction((tx) => writePrepared(tx, ctx, prepared));
}

/**
 * {@link writeBatch} inside the caller's transaction (`tx` may be null only when nothing is left to write), for
 * callers that write more in the same transaction, such as the HTTP API with its import record.
 */
export async function writePrepared<E extends Entity>(tx: Queryable | null, ctx: BatchContext, ready: PreparedBatch<E>): Promise<BatchOutcome> {
  const { out, spec, prepared, early } = ready;
  if (prepared.length === 0 || tx === null) {
    out.rejected = early.map((e) => e.rejection);
    return out;
  }
  const at = Date.now();
  // (A block, so the body keeps the shape it had inside the transaction callback.)
  {
    out.rejected = [];
    await tx.lockWorkspace(ctx.workspaceId);
    const { state, first } = await storedState(tx, ctx, spec as FactTable<unknown>, prepared);
    const toWrite: Prepared<RecordByEntity[E]>[] = [];
    const toReplace: string[] = [];
    const repeated: Positioned[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      const s = state[i];
      if (s === NEW) toWrite.push(p);
      else if (s === REPEATED) {
        const seen = prepared[first.get(i)!]!.line;
        repeated.push({ index: p.index, rejection: { line: p.line, field: spec.idField, reason: duplicateReason(spec.idField, p.id, `first at ${ctx.nameLine ? ctx.nameLine(seen) : `line ${seen}`}`) } });
      } else if (s === STORED_BY_THIS_IMPORT) {
        out.rejected.push({ line: p.line, field: spec.idField, reason: duplicateReason(spec.idField, p.id, 'already earlier in this import') });
      } else if (spec.mutable) {
        toWrite.push(p);
        toReplace.push(p.id);
        if (ctx.reportLines) (out.updatedLines ??= []).push(p.line);
      } else {
        out.skipped++;
        if (ctx.reportLines) (out.skippedLines ??= []).push(p.line);
      }
    }
    // Rejections so far in batch order, as if repeats had been caught while preparing; later ones follow.
    const later = out.rejected;
    out.rejected = inBatchOrder(early, repeated);
    out.rejected.push(...later);
    if (toWrite.length === 0) return out;

    const identity = await resolveIdentities(
      tx,
      ctx.workspaceId,
      toWrite,
      ctx.identityConfig,
      at,
      ctx.cache,
      ctx.storedKeys,
      ctx.profileIds,
    );
    for (const d of identity.dropped) {
      const p = toWrite[d.recordIndex]!;
      out.warnings.push({ line: p.line, field: fieldOfKey(d.key), reason: `${d.key} not linked: ${d.reason}` });
    }
    // Rows are made one at a time as the engine encodes them, so a batch never holds them all.
    const linked: number[] = [];
    for (let i = 0; i < toWrite.length; i++) {
      if (identity.assignments[i]) linked.push(i);
      else out.rejected.push({ line: toWrite[i]!.line, reason: 'no identifier could be linked to a profile' });
    }
    const rowContext: RowContext = { customerKey: '', profileId: 0 };
    const rows: RowSource = {
      length: linked.length,
      row(r) {
        const i = linked[r]!;
        const p = toWrite[i]!;
        const a = identity.assignments[i]!;
        rowContext.customerKey = ctx.entity === 'customers' ? p.id : a.customerKey;
        rowContext.profileId = a.profileId;
        return spec.toRow(p.record, rowContext);
      },
    };

    if (toReplace.length > 0) {
      await tx.loadTemp('replaced_ids', [{ name: 'id', type: 'text' }], toReplace.map((id) => [id]));
      await tx.run(`DELETE FROM ${spec.table} WHERE workspace_id = $1 AND ${spec.idColumn} IN (SELECT id FROM replaced_ids)`, [
        ctx.workspaceId,
      ]);
    }
    await tx.insertRows(spec.table, spec.columns, rows, [
      { name: 'workspace_id', value: ctx.workspaceId },
      { name: 'import_id', value: ctx.importId },
    ]);
    // Added before the commit: should it fail, the filter holds ids the table does not, which lookups confirm away.
    if (ctx.storedIds) for (const i of linked) ctx.storedIds.add(toWrite[i]!.id);
    if (ctx.entity === 'events') {
      const counts = new EventDayCounts();
      for (const i of linked) {
        const r = toWrite[i]!.record as EventRecord;
        counts.add(r.occurredAt, r.channel);
      }
      await addToEventRollup(tx, ctx.workspaceId, counts);
    }
    await applyPendingMerges(tx, ctx.workspaceId, identity, at);
    if (ctx.entity === 'tickets') {
      const ticketIds = new Set(toWrite.map((p) => (p.record as TicketEventRecord).ticketId));
      await rebuildTickets(tx, ctx.workspaceId, [...ticketIds]);
    }
    out.stored = rows.length - toReplace.length;
    out.updated = toReplace.length;
    out.newProfiles = identity.newProfiles;
    out.merges = identity.merges.length;
  }
  return out;
}
