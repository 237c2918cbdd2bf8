/**
 * Writes one batch of validated records in one transaction: identifiers resolved to profiles, duplicates and
 * already-stored rows sorted out, rows bulk-loaded, merges applied, derived tickets rebuilt. Either the whole
 * batch is stored or none of it (the pipeline isolates a failing row by splitting the batch).
 */
import type { IdentityConfig } from '../core/identity/config.js';
import { normaliseIdentifiers, type IdentityKey } from '../core/identity/normalise.js';
import type { Entity, Located, RecordByEntity, RowRejection, TicketEventRecord } from '../core/records.js';
import type { Engine, Queryable, SqlValue } from '../store/engines/engine.js';
import {
  customersTable,
  eventsTable,
  feedbackTable,
  ordersTable,
  ticketEventsTable,
  type FactTable,
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

/** Pure part: identifiers normalised, rows without a usable identifier or with a repeated id rejected. */
function prepare<E extends Entity>(ctx: BatchContext, batch: readonly Located<RecordByEntity[E]>[], out: BatchOutcome) {
  const spec = TABLES[ctx.entity] as FactTable<RecordByEntity[E]>;
  const prepared: Prepared<RecordByEntity[E]>[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, record } of batch) {
    const ids = normaliseIdentifiers(record, ctx.identityConfig);
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

async function storedVersions(tx: Queryable, ctx: BatchContext, spec: FactTable<unknown>, ids: string[]) {
  await tx.loadTemp('batch_ids', [{ name: 'id', type: 'text' }], ids.map((id) => [id]));
  const rows = await tx.query<{ id: string; import_id: number | null }>(
    `SELECT t.${spec.idColumn} AS id, t.import_id FROM ${spec.table} t JOIN batch_ids b ON t.${spec.idColumn} = b.id
      WHERE t.workspace_id = $1`,
    [ctx.workspaceId],
  );
  return new Map(rows.map((r) => [r.id, r.import_id]));
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
    const stored = await storedVersions(tx, ctx, spec as FactTable<unknown>, prepared.map((p) => p.id));
    const toWrite: Prepared<RecordByEntity[E]>[] = [];
    const toReplace: string[] = [];
    for (const p of prepared) {
      if (!stored.has(p.id)) toWrite.push(p);
      else if (stored.get(p.id) === ctx.importId) {
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
    toWrite.forEach((p, i) => {
      const a = identity.assignments[i];
      if (!a) {
        out.rejected.push({ line: p.line, reason: 'no identifier could be linked to a profile' });
        return;
      }
      const key = ctx.entity === 'customers' ? p.id : a.customerKey;
      rows.push(spec.toRow(p.record, { workspaceId: ctx.workspaceId, customerKey: key, profileId: a.profileId, importId: ctx.importId }));
    });

    if (toReplace.length > 0) {
      await tx.loadTemp('replaced_ids', [{ name: 'id', type: 'text' }], toReplace.map((id) => [id]));
      await tx.run(`DELETE FROM ${spec.table} WHERE workspace_id = $1 AND ${spec.idColumn} IN (SELECT id FROM replaced_ids)`, [
        ctx.workspaceId,
      ]);
    }
    const columns = spec.columns.map((c) => c.name).join(', ');
    await tx.loadTemp('batch_rows', spec.columns, rows);
    await tx.run(`INSERT INTO ${spec.table} (${columns}) SELECT ${columns} FROM batch_rows`);
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
