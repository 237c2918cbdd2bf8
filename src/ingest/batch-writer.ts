/**
 * Writes one batch of validated records in one transaction: identifiers resolved to profiles, duplicates and
 * already-stored rows sorted out, rows bulk-loaded, merges applied, derived tickets rebuilt. Either the whole
 * batch is stored or none of it (the pipeline isolates a failing row by splitting the batch).
 */
import type { IdentityConfig } from '../core/identity/config.js';
import { normaliseIdentifiers, type IdentityKey, type NormalisedIdentifiers, type RawIdentifiers } from '../core/identity/normalise.js';
import type { Entity, Located, RecordByEntity, RowRejection, TicketEventRecord } from '../core/records.js';
import type { Engine, Queryable, SqlValue } from '../store/engines/engine.js';
import {
  CONSTANT_COLUMNS,
  customersTable,
  eventsTable,
  feedbackTable,
  ordersTable,
  ticketEventsTable,
  type FactTable,
  type RowContext,
} from '../store/repositories/fact-tables.js';
import { rebuildTickets } from '../store/repositories/ticket-repository.js';
import { applyPendingMerges, resolveIdentities, type ProfileCache } from './identity-step.js';

export interface BatchContext {
  workspaceId: string;
  entity: Entity;
  importId: number;
  identityConfig: IdentityConfig;
  /** Per-import key → profile cache; pass only where this process is the single writer. */
  cache?: ProfileCache | undefined;
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
}

const TABLES: { [E in Entity]: FactTable<RecordByEntity[E]> } = {
  customers: customersTable,
  events: eventsTable,
  orders: ordersTable,
  tickets: ticketEventsTable,
  feedback: feedbackTable,
};

const FIELD_NAMES: Record<string, string> = { customerId: 'customer_id', anonymousId: 'anonymous_id', email: 'email', phone: 'phone' };
const inputField = (field: string): string =>
  FIELD_NAMES[field] ?? (field.startsWith('extraEmails') ? 'emails' : field.startsWith('extraPhones') ? 'phones' : field);

interface Prepared<R> {
  line: number;
  record: R;
  id: string;
  keys: IdentityKey[];
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
 * Normalised identifiers by raw identifier values, per identity config. Normalisation is pure, and a file names
 * the same customers over and over: checking blocked values and patterns and parsing phone numbers once per
 * distinct identifier set instead of once per row is most of the cost of `prepare`. Bounded: starts over when full.
 * Cached results are frozen, since many records share them.
 */
const NORMALISED_CACHE_ENTRIES = 100_000;
const normalisedCaches = new WeakMap<IdentityConfig, Map<string, NormalisedIdentifiers>>();

/** One raw value as an unambiguous part of a cache key: absent, or length-prefixed. */
const keyPart = (value: string | undefined): string => (value === undefined ? '~' : `${value.length}:${value}`);

function freezeResult(result: NormalisedIdentifiers): NormalisedIdentifiers {
  for (const k of result.keys) Object.freeze(k);
  for (const k of result.blocked) Object.freeze(k);
  for (const r of result.rejections) Object.freeze(r);
  Object.freeze(result.keys);
  Object.freeze(result.blocked);
  Object.freeze(result.rejections);
  return Object.freeze(result);
}

export function normaliseCached(ids: RawIdentifiers, config: IdentityConfig): NormalisedIdentifiers {
  // Customer records may list extra emails and phones: rare enough not to be worth a key of their own.
  if ((ids.extraEmails !== undefined && ids.extraEmails.length > 0) || (ids.extraPhones !== undefined && ids.extraPhones.length > 0)) {
    return normaliseIdentifiers(ids, config);
  }
  // Only strings are cached; anything else (never produced by validation) takes the uncached path.
  const { customerId, source, email, phone, anonymousId } = ids;
  for (const value of [customerId, source, email, phone, anonymousId]) {
    if (value !== undefined && typeof value !== 'string') return normaliseIdentifiers(ids, config);
  }
  const key = keyPart(customerId) + keyPart(source) + keyPart(email) + keyPart(phone) + keyPart(anonymousId);
  let cache = normalisedCaches.get(config);
  if (cache === undefined) normalisedCaches.set(config, (cache = new Map()));
  let result = cache.get(key);
  if (result === undefined) {
    result = freezeResult(normaliseIdentifiers({ customerId, source, email, phone, anonymousId }, config));
    if (cache.size >= NORMALISED_CACHE_ENTRIES) cache.clear();
    cache.set(key, result);
  }
  return result;
}

/** Pure part: identifiers normalised, rows without a usable identifier or with a repeated id rejected. */
function prepare<E extends Entity>(ctx: BatchContext, batch: readonly Located<RecordByEntity[E]>[], out: BatchOutcome) {
  const spec = TABLES[ctx.entity] as FactTable<RecordByEntity[E]>;
  const prepared: Prepared<RecordByEntity[E]>[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, record } of batch) {
    const ids = normaliseCached(record, ctx.identityConfig);
    out.blocked += ids.blocked.length;
    let id = spec.idOf(record);
    if (ctx.entity === 'customers') {
      const own = ids.keys.find((k) => k.type === 'customer_id');
      const bad = ids.rejections.find((r) => r.field === 'customerId');
      if (!own) {
        out.rejected.push({ line, field: 'customer_id', reason: bad?.reason ?? 'customer_id is blocked' });
        continue;
      }
      id = own.key;
    }
    if (ids.keys.length === 0) {
      const why = ids.rejections.map((r) => `${inputField(r.field)}: ${r.reason}`);
      if (ids.blocked.length > 0) why.push(`blocked identifier ${ids.blocked.map((b) => b.key).join(', ')}`);
      out.rejected.push({
        line,
        field: inputField(ids.rejections[0]?.field ?? 'customerId'),
        reason: `no usable identifier (${why.join('; ') || 'none given'})`,
      });
      continue;
    }
    for (const r of ids.rejections) out.warnings.push({ line, field: inputField(r.field), reason: `${r.reason}; identifier ignored` });
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      out.rejected.push({ line, field: spec.idField, reason: `duplicate ${spec.idField} '${id}' (first at line ${seen})` });
      continue;
    }
    firstLine.set(id, line);
    prepared.push({ line, record, id, keys: ids.keys });
  }
  return { spec, prepared };
}

/** What the store already holds of each prepared id. */
const NEW = 0;
const STORED_EARLIER = 1;
const STORED_BY_THIS_IMPORT = 2;

/**
 * Looks the batch's ids up in the fact table. The answer is one string (`pos[=],pos[=],…`, `=` when the stored
 * row came from this import) rather than a row per stored id: on a re-import every id is stored, and decoding
 * tens of thousands of result rows would cost more than the lookup.
 */
async function storedState(tx: Queryable, ctx: BatchContext, spec: FactTable<unknown>, ids: readonly string[]): Promise<Uint8Array> {
  const rows: SqlValue[][] = new Array<SqlValue[]>(ids.length);
  for (let i = 0; i < ids.length; i++) rows[i] = [i, ids[i]!];
  await tx.loadTemp('batch_ids', [{ name: 'pos', type: 'integer' }, { name: 'id', type: 'text' }], rows);
  const result = await tx.query<{ hits: string | null }>(
    `SELECT string_agg(CAST(b.pos AS VARCHAR) || CASE WHEN t.import_id = $2 THEN '=' ELSE '' END, ',') AS hits
       FROM ${spec.table} t JOIN batch_ids b ON t.${spec.idColumn} = b.id
      WHERE t.workspace_id = $1`,
    [ctx.workspaceId, ctx.importId],
  );
  const state = new Uint8Array(ids.length);
  const hits = result[0]?.hits ?? '';
  let pos = 0;
  let same = false;
  for (let i = 0; i <= hits.length; i++) {
    const c = i < hits.length ? hits.charCodeAt(i) : 44;
    if (c === 44) {
      if (i > 0) state[pos] = Math.max(state[pos]!, same ? STORED_BY_THIS_IMPORT : STORED_EARLIER);
      pos = 0;
      same = false;
    } else if (c === 61) same = true;
    else pos = pos * 10 + (c - 48);
  }
  return state;
}

export async function writeBatch<E extends Entity>(
  engine: Engine,
  ctx: BatchContext,
  batch: readonly Located<RecordByEntity[E]>[],
): Promise<BatchOutcome> {
  const out = emptyOutcome();
  const { spec, prepared } = prepare<E>(ctx, batch, out);
  if (prepared.length === 0) return out;
  const at = Date.now();

  await engine.transaction(async (tx) => {
    await tx.lockWorkspace(ctx.workspaceId);
    const state = await storedState(tx, ctx, spec as FactTable<unknown>, prepared.map((p) => p.id));
    const toWrite: Prepared<RecordByEntity[E]>[] = [];
    const toReplace: string[] = [];
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      const s = state[i];
      if (s === NEW) toWrite.push(p);
      else if (s === STORED_BY_THIS_IMPORT) {
        out.rejected.push({ line: p.line, field: spec.idField, reason: `duplicate ${spec.idField} '${p.id}' (already earlier in this import)` });
      } else if (spec.mutable) {
        toWrite.push(p);
        toReplace.push(p.id);
      } else out.skipped++;
    }
    if (toWrite.length === 0) return;

    const identity = await resolveIdentities(
      tx,
      ctx.workspaceId,
      toWrite.map((p) => ({ ref: `${ctx.entity}:${p.id}`, keys: p.keys, at: recordTime(p.record) })),
      ctx.identityConfig,
      at,
      ctx.cache,
    );
    for (const d of identity.dropped) {
      const p = toWrite[d.recordIndex]!;
      out.warnings.push({ line: p.line, field: d.key.split(':')[0], reason: `${d.key} not linked: ${d.reason}` });
    }
    const rows: SqlValue[][] = [];
    const rowContext: RowContext = { customerKey: '', profileId: 0 };
    for (let i = 0; i < toWrite.length; i++) {
      const p = toWrite[i]!;
      const a = identity.assignments[i];
      if (!a) {
        out.rejected.push({ line: p.line, reason: 'no identifier could be linked to a profile' });
        continue;
      }
      rowContext.customerKey = ctx.entity === 'customers' ? p.id : a.customerKey;
      rowContext.profileId = a.profileId;
      rows.push(spec.toRow(p.record, rowContext));
    }

    if (toReplace.length > 0) {
      await tx.loadTemp('replaced_ids', [{ name: 'id', type: 'text' }], toReplace.map((id) => [id]));
      await tx.run(`DELETE FROM ${spec.table} WHERE workspace_id = $1 AND ${spec.idColumn} IN (SELECT id FROM replaced_ids)`, [
        ctx.workspaceId,
      ]);
    }
    const columns = spec.columns.map((c) => c.name).join(', ');
    await tx.loadTemp('batch_rows', spec.columns, rows);
    await tx.run(
      `INSERT INTO ${spec.table} (${CONSTANT_COLUMNS.join(', ')}, ${columns}) SELECT $1, $2, ${columns} FROM batch_rows`,
      [ctx.workspaceId, ctx.importId],
    );
    await applyPendingMerges(tx, ctx.workspaceId, identity, at);
    if (ctx.entity === 'tickets') {
      const ticketIds = new Set(toWrite.map((p) => (p.record as TicketEventRecord).ticketId));
      await rebuildTickets(tx, ctx.workspaceId, [...ticketIds]);
    }
    out.stored = rows.length - toReplace.length;
    out.updated = toReplace.length;
    out.newProfiles = identity.newProfiles;
    out.merges = identity.merges.length;
  });
  return out;
}
