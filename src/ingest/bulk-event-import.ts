/**
 * The bulk path of `kept import events FILE.csv` on DuckDB. DuckDB reads and converts the file itself, on its own
 * threads (see `store/repositories/event-file-staging.ts`); JavaScript only validates the rows the SQL rules
 * leave to it and resolves each distinct combination of identifiers once, instead of once per row. The result is
 * what the batch pipeline would store, reject and warn about for the same file (test/ingest/bulk-event-import.test.ts
 * compares the two), in one transaction: the whole file is stored, or nothing.
 *
 * One difference in wording: why an identifier was not linked (a limit, another profile) is worked out once per
 * combination, at its first row, and reported on each of its rows; the batch pipeline works it out row by row,
 * so after a merge it may name another profile or limit. Which rows are warned, and what is stored, are the same.
 *
 * It applies when line numbers can be computed from record numbers: an uncompressed CSV with no quote
 * characters, no blank lines, no record longer than the reader's limit and a header naming only columns the
 * SQL path converts (unknown columns are ignored with a warning, as always). Anything else, or any file DuckDB's
 * strict reader refuses, goes through the batch pipeline, which handles every case.
 */
import type { IdentityConfig } from '../core/identity/config.js';
import { survivorOf } from '../core/identity/merge-chain.js';
import { fieldOfKey, type IdentityKey } from '../core/identity/normalise.js';
import type { EventRecord, RowRejection } from '../core/records.js';
import type { Engine, Queryable, SqlValue } from '../store/engines/engine.js';
import {
  type Exclusions,
  countStored,
  dropStaging,
  duplicatePage,
  findDuplicates,
  groupTuples,
  hasEvents,
  insertStagedEvents,
  loadKeyed,
  prepareResolveOrder,
  resolvePage,
  rowsOfNotedTuples,
  tuplePage,
} from '../store/repositories/event-file-rows.js';
import { VALID_COLUMNS, addSlowChunk, slowRows, stageEventFile } from '../store/repositories/event-file-staging.js';
import { addImportToEventRollup } from '../store/repositories/event-rollup.js';
import { eventsTable } from '../store/repositories/fact-tables.js';
import { hasIdentities } from '../store/repositories/identity-repository.js';
import { startImportIn } from '../store/repositories/import-repository.js';
import { blockedReason, emptyOutcome, type BatchOutcome } from './batch-writer.js';
import type { BulkScan } from './bulk-event-scan.js';
import { applyPendingMerges, resolveIdentities, type ProfileCache } from './identity-step.js';
import { normaliseCached } from './normalise-cached.js';
import type { RejectsFile } from './rejects-file.js';
import { StoredIdFilter } from './stored-id-filter.js';
import { validateRecord } from './validate.js';

export interface BulkImportOptions {
  workspaceId: string;
  /** The ledger's origin of this import (`file:…`). */
  origin: string;
  identityConfig: IdentityConfig;
  defaultSource?: string | undefined;
  defaultCurrency?: string | undefined;
  strict: boolean;
  /** Combinations resolved per page (default {@link RESOLVE_PAGE}). */
  resolvePage?: number | undefined;
  cache: ProfileCache;
  rejects: RejectsFile;
  onStaged?: ((records: number) => void) | undefined;
}

export interface BulkImportResult {
  /** Null when strict mode stored nothing. */
  importId: number | null;
  read: number;
  outcome: BatchOutcome;
  rejectedRows: number;
  warnings: number;
  /** Strict mode and a row was invalid: nothing was stored. */
  aborted: boolean;
}

/** The file did not meet the bulk path's conditions after all; nothing was written. */
class NotBulk extends Error {}
class StrictAbort extends Error {}

const PAGE = 50_000;
/**
 * Combinations resolved together: the resolver's lookups and writes are per page, and a customer's combinations
 * on two pages cost a lookup of the second page's keys (their keys are held for the whole file anyway).
 */
const RESOLVE_PAGE = 500_000;

/** Runs the bulk path; `null` when the file turns out not to suit it (nothing written, use the batch pipeline). */
export async function importEventsInBulk(engine: Engine, path: string, scan: BulkScan, opts: BulkImportOptions): Promise<BulkImportResult | null> {
  const result: BulkImportResult = { importId: null, read: 0, outcome: emptyOutcome(), rejectedRows: 0, warnings: 0, aborted: false };
  const reject = async (items: RowRejection[]) => {
    // A row is rejected once, with one item per problem (the validator reports them all).
    result.rejectedRows += new Set(items.map((i) => i.line)).size;
    await opts.rejects.write('rejected', items);
  };
  const warn = async (items: RowRejection[]) => {
    result.warnings += items.length;
    await opts.rejects.write('warning', items);
  };
  try {
    // Staging and the checks run on temporary tables outside the transaction (see Engine.session): only the
    // writes to stored tables are in it, so a failure stores nothing.
    await engine.session(async (s) => {
      try {
        let records: number;
        try {
          records = await stageEventFile(s, { path, header: scan.header, crlf: scan.crlf, noTabs: scan.noTabs, defaultSource: opts.defaultSource ?? 'default' });
        } catch (error) {
          throw new NotBulk(error instanceof Error ? error.message : String(error));
        }
        if (records !== scan.lines - 1) throw new NotBulk(`${records} records on ${scan.lines - 1} lines`);
        result.read = records;
        opts.onStaged?.(records);
        await validateSlowRows(s, scan.header, opts, reject);
        if (opts.strict && result.rejectedRows > 0) throw new StrictAbort();
        const prepared = await prepareRows(s, opts, scan.noSeparators, result.outcome, reject, warn);
        // Repeated ids and rows without a usable identifier are rejected rows too.
        if (opts.strict && result.rejectedRows > 0) throw new StrictAbort();
        await s.transaction(async (tx) => {
          result.importId = await startImportIn(tx, opts.workspaceId, 'events', opts.origin);
          await storeRows(tx, opts, prepared, result.importId, result.outcome, reject, warn);
          // And rows none of whose identifiers could be linked: rolled back with the rest.
          if (opts.strict && result.rejectedRows > 0) throw new StrictAbort();
        });
      } finally {
        await dropStaging(s).catch(() => undefined);
      }
    });
  } catch (error) {
    if (error instanceof NotBulk) return null;
    if (error instanceof StrictAbort) return { ...result, importId: null, outcome: emptyOutcome(), aborted: true };
    throw error;
  }
  return result;
}

/** Rows the SQL rules left to the validator: rejected with its reasons, or converted and added to the valid rows. */
async function validateSlowRows(tx: Queryable, header: readonly string[], opts: BulkImportOptions, reject: (items: RowRejection[]) => Promise<void>) {
  const context = { customerKey: '', profileId: 0 };
  for (let after = -1; ; ) {
    const page = await slowRows(tx, header, after, PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1]!.pos;
    const valid: SqlValue[][] = [];
    for (const { pos, values } of page) {
      const checked = validateRecord('events', values, { line: pos + 2, defaultSource: opts.defaultSource, defaultCurrency: opts.defaultCurrency });
      if (!checked.ok) {
        await reject(checked.rejections);
        continue;
      }
      const r: EventRecord = checked.record;
      // The stored columns exactly as the batch pipeline makes them (customer key and profile come later).
      const row = eventsTable.toRow(r, context).slice(2);
      valid.push([pos, r.source ?? null, r.customerId ?? null, r.email ?? null, r.phone ?? null, r.anonymousId ?? null, ...row]);
    }
    if (valid.length > 0) {
      await tx.loadTemp('import_slow_chunk', VALID_COLUMNS, valid);
      await addSlowChunk(tx);
    }
  }
}

interface Note {
  kind: 'rejected' | 'warning';
  field: string;
  reason: string;
}

const FIELD_NAMES: Record<string, string> = { customerId: 'customer_id', anonymousId: 'anonymous_id', email: 'email', phone: 'phone' };
const inputField = (field: string): string => FIELD_NAMES[field] ?? field;

/** Writes each noted tuple's notes for every one of its rows (`import_notes` must be loaded). */
async function writeNotes(
  tx: Queryable,
  notes: readonly Note[],
  reject: (items: RowRejection[]) => Promise<void>,
  warn: (items: RowRejection[]) => Promise<void>,
  excluded?: Exclusions,
  workspaceId?: string,
) {
  for (let after = { pos: -1, note: -1 }; ; ) {
    const page = await rowsOfNotedTuples(tx, after, PAGE, excluded, workspaceId);
    if (page.length === 0) return;
    after = page[page.length - 1]!;
    const rejected: RowRejection[] = [];
    const warned: RowRejection[] = [];
    for (const { pos, note } of page) {
      const n = notes[note]!;
      (n.kind === 'rejected' ? rejected : warned).push({ line: pos + 2, field: n.field, reason: n.reason });
    }
    await reject(rejected);
    await warn(warned);
  }
}

/** What {@link prepareRows} found: each combination's identity keys, and which rows are excluded from storing. */
interface PreparedRows {
  /** By `seq - 1`: the keys of each usable combination. */
  keysOf: (IdentityKey[] | undefined)[];
  excluded: Exclusions;
  /**
   * The usable combinations in order of their first row, when no row of theirs is excluded (no repeated or
   * stored ids: the usual first import): then they are resolved from here rather than read again.
   */
  order: ResolveItem[] | null;
}

/** A combination to resolve: its number, and the time and event id of its first row. */
interface ResolveItem {
  seq: number;
  firstMs: number;
  firstEventId: string;
}

/** Before the transaction: each distinct identifier combination normalised once, duplicate and stored ids. */
async function prepareRows(
  tx: Queryable,
  opts: BulkImportOptions,
  packed: boolean,
  out: BatchOutcome,
  reject: (items: RowRejection[]) => Promise<void>,
  warn: (items: RowRejection[]) => Promise<void>,
): Promise<PreparedRows> {
  if (!(await groupTuples(tx))) throw new NotBulk('two identifier combinations share a hash');
  // 1. Normalise each combination once: unusable ones reject their rows, ignored identifiers warn.
  const keysOf: (IdentityKey[] | undefined)[] = [];
  const notes: Note[] = [];
  const noted: SqlValue[][] = [];
  const unusable: SqlValue[][] = [];
  let order: ResolveItem[] | null = [];
  // Each next page is read while this one is normalised: DuckDB works on its thread meanwhile. A read left
  // pending when normalising fails is awaited by no one; its error is dropped, the normalising one is thrown.
  let next = tuplePage(tx, 1, PAGE, packed);
  for (let seq = 1; ; seq += PAGE) {
    const page = await next;
    if (page.length === 0) break;
    next = tuplePage(tx, seq + PAGE, PAGE, packed);
    next.catch(() => undefined);
    for (const t of page) {
      const ids = normaliseCached(
        {
          source: t.source ?? undefined,
          customerId: t.customerId ?? undefined,
          email: t.email ?? undefined,
          phone: t.phone ?? undefined,
          anonymousId: t.anonymousId ?? undefined,
        },
        opts.identityConfig,
      );
      out.blocked += ids.blocked.length * t.rows;
      if (ids.keys.length === 0) {
        const why = ids.rejections.map((r) => `${inputField(r.field)}: ${r.reason}`);
        if (ids.blocked.length > 0) why.push(`blocked identifier ${ids.blocked.map((b) => b.key).join(', ')}`);
        noted.push([t.seq, notes.length]);
        notes.push({ kind: 'rejected', field: ids.rejections[0] ? inputField(ids.rejections[0].field) : ids.blocked[0] ? fieldOfKey(ids.blocked[0].key) : 'customer_id', reason: `no usable identifier (${why.join('; ') || 'none given'})` });
        unusable.push([t.seq]);
        continue;
      }
      for (const r of ids.rejections) {
        noted.push([t.seq, notes.length]);
        notes.push({ kind: 'warning', field: inputField(r.field), reason: `${r.reason}; identifier ignored` });
      }
      for (const b of ids.blocked) {
        noted.push([t.seq, notes.length]);
        notes.push({ kind: 'warning', field: b.type, reason: blockedReason(b.key) });
      }
      keysOf[t.seq - 1] = ids.keys;
      order.push({ seq: t.seq, firstMs: t.firstMs, firstEventId: t.firstEventId });
    }
  }
  await writeNotesFor(tx, notes, noted, reject, warn);
  const excluded = { dropped: unusable.length > 0, duplicates: false, stored: false };
  if (excluded.dropped) await loadKeyed(tx, 'import_drop', unusable);

  // 2. Repeated ids within the file, then ids stored by earlier imports.
  excluded.duplicates = (await findDuplicates(tx, excluded.dropped)) > 0;
  for (let after = -1; excluded.duplicates; ) {
    const page = await duplicatePage(tx, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.pos;
    await reject(page.map((d) => ({ line: d.pos + 2, field: 'event_id', reason: `duplicate event_id '${d.eventId}' (first at line ${d.firstPos + 2})` })));
  }
  if (await hasEvents(tx, opts.workspaceId)) {
    out.skipped = await countStored(tx, opts.workspaceId, excluded);
    excluded.stored = out.skipped > 0;
  }
  if (excluded.duplicates || excluded.stored) {
    order = null;
    await prepareResolveOrder(tx, opts.workspaceId, excluded);
  }
  return { keysOf, excluded, order };
}

/** In the transaction: identity resolution per combination, the insert, and the merges decided on the way. */
async function storeRows(
  tx: Queryable,
  opts: BulkImportOptions,
  { keysOf, excluded, order }: PreparedRows,
  importId: number,
  out: BatchOutcome,
  reject: (items: RowRejection[]) => Promise<void>,
  warn: (items: RowRejection[]) => Promise<void>,
) {
  // 3. Resolve the combinations that still have rows, in file order of their first row.
  const now = Date.now();
  // Into a workspace without identities (a first import), no key is looked up: the filter knows only the keys
  // this import links.
  const storedKeys = (await hasIdentities(tx, opts.workspaceId)) ? undefined : new StoredIdFilter();
  // The key → profile cache serves later pages: with a single page (numbers go up to the count of combinations),
  // filling it would be work for nothing.
  const pageSize = opts.resolvePage ?? RESOLVE_PAGE;
  const cache = keysOf.length > pageSize ? opts.cache : undefined;
  const notes2: Note[] = [];
  const noted2: SqlValue[][] = [];
  // Each combination's profile, as its page resolved it; followed through later merges before the insert.
  const map: SqlValue[][] = [];
  const mergedInto = new Map<number, number>();
  for (let after = -1, start = 0; ; start += pageSize) {
    let page: ResolveItem[];
    if (order) page = order.slice(start, start + pageSize);
    else {
      const rows = await resolvePage(tx, after, pageSize);
      if (rows.length > 0) after = rows[rows.length - 1]!.firstPos;
      page = rows;
    }
    if (page.length === 0) break;
    // The first row of a combination is the record that introduces its identifiers, as in the batch pipeline.
    const inputs = page.map((p) => ({ ref: `events:${p.firstEventId}`, keys: keysOf[p.seq - 1]!, at: p.firstMs }));
    const identity = await resolveIdentities(tx, opts.workspaceId, inputs, opts.identityConfig, now, cache, storedKeys);
    // The page's merges are applied at once, so the next page looks its keys up in the merged state (as the next
    // batch of the batch pipeline does); this import's rows, stored below, go straight to the survivors.
    await applyPendingMerges(tx, opts.workspaceId, identity, now);
    for (const m of identity.merges) mergedInto.set(m.fromProfileId, m.intoProfileId);
    out.newProfiles += identity.newProfiles;
    out.merges += identity.merges.length;
    for (const d of identity.dropped) {
      noted2.push([page[d.recordIndex]!.seq, notes2.length]);
      notes2.push({ kind: 'warning', field: fieldOfKey(d.key), reason: `${d.key} not linked: ${d.reason}` });
    }
    identity.assignments.forEach((a, i) => {
      const seq = page[i]!.seq;
      if (a) map.push([seq, a.profileId, a.customerKey]);
      else {
        // Left out of the map: its rows are not stored.
        noted2.push([seq, notes2.length]);
        notes2.push({ kind: 'rejected', field: '', reason: 'no identifier could be linked to a profile' });
      }
    });
  }
  keysOf.length = 0;
  await writeNotesFor(tx, notes2, noted2, reject, warn, excluded, opts.workspaceId);
  if (map.length === 0) return;

  // 4. Store, each combination's rows with the profile its own merged into, if it was.
  if (mergedInto.size > 0) for (const row of map) row[1] = survivorOf(row[1] as number, mergedInto);
  await loadKeyed(tx, 'import_tuple_map', map);
  map.length = 0;
  out.stored = await insertStagedEvents(tx, opts.workspaceId, importId, excluded);
  await addImportToEventRollup(tx, opts.workspaceId, importId);
}

/** Loads the notes of combinations and writes them for each of their rows. */
async function writeNotesFor(
  tx: Queryable,
  notes: readonly Note[],
  noted: readonly SqlValue[][],
  reject: (items: RowRejection[]) => Promise<void>,
  warn: (items: RowRejection[]) => Promise<void>,
  excluded?: Exclusions,
  workspaceId?: string,
) {
  if (noted.length === 0) return;
  await loadKeyed(tx, 'import_notes', noted);
  await writeNotes(tx, notes, reject, warn, excluded, workspaceId);
}
