/**
 * The bulk path of `kept import events FILE.csv` on DuckDB. DuckDB reads and converts the file itself, on its own
 * threads (see `store/repositories/event-file-staging.ts`); JavaScript only validates the rows the SQL rules
 * leave to it and resolves each distinct combination of identifiers once, instead of once per row. The result is
 * what the batch pipeline would store, reject and warn about for the same file (test/ingest/bulk-event-import.test.ts
 * compares the two), in one transaction: the whole file is stored, or nothing.
 *
 * Combinations are resolved a page at a time (bulk-event-resolve.ts): as they are read on a first import
 * without repeated ids, in a second pass over keys kept in the database otherwise. So the memory an import
 * holds does not grow with the file (`npm run bench -- import-memory`).
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
import { duplicateReason } from './duplicate-reason.js';
import type { IdentityConfig } from '../core/identity/config.js';
import type { EventRecord, RowRejection } from '../core/records.js';
import type { Engine, Queryable, SqlValue } from '../store/engines/engine.js';
import {
  type Exclusions,
  addTupleKeys,
  countStored,
  createTupleKeys,
  dropStaging,
  duplicatePage,
  findDuplicates,
  groupTuples,
  hasEvents,
  insertStagedEvents,
  loadKeyed,
  prepareResolveOrder,
  resolvePage,
  tuplePage,
} from '../store/repositories/event-file-rows.js';
import { VALID_COLUMNS, addSlowChunk, slowRows, stageEventFile } from '../store/repositories/event-file-staging.js';
import { addImportToEventRollup } from '../store/repositories/event-rollup.js';
import { eventsTable } from '../store/repositories/fact-tables.js';
import { startImportIn } from '../store/repositories/import-repository.js';
import { emptyOutcome, type BatchOutcome } from './batch-writer.js';
import type { BulkScan } from './bulk-event-scan.js';
import { NoteWriter, TupleResolver, decodeKeys, encodeKeys, normaliseTuple, type NoteSink, type ResolveItem } from './bulk-event-resolve.js';
import type { ProfileCache } from './identity-step.js';
import type { RejectsFile } from './rejects-file.js';
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
  /** 1: combinations resolved as they were read (a first import without repeated ids); 2: in a second pass. */
  passes: 1 | 2;
}

/** The file did not meet the bulk path's conditions after all; nothing was written. */
class NotBulk extends Error {}
class StrictAbort extends Error {}

const PAGE = 50_000;
/**
 * Combinations resolved together. The resolver's lookups and writes are per page, and a customer's combinations
 * on two pages cost a lookup of the later one's profile, so larger pages are faster; but the resolver's working
 * state (~1–1.5 kB a combination) is held for the page: this bounds the import's memory.
 */
const RESOLVE_PAGE = 200_000;

/** Runs the bulk path; `null` when the file turns out not to suit it (nothing written, use the batch pipeline). */
export async function importEventsInBulk(engine: Engine, path: string, scan: BulkScan, opts: BulkImportOptions): Promise<BulkImportResult | null> {
  const result: BulkImportResult = { importId: null, read: 0, outcome: emptyOutcome(), rejectedRows: 0, warnings: 0, aborted: false, passes: 1 };
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
        const combinations = await groupTuples(s);
        if (combinations === null) throw new NotBulk('two identifier combinations share a hash');
        const sink = { reject, warn };
        const stored = await hasEvents(s, opts.workspaceId);
        // Repeats among all rows (`import_dups`), when that decides: none, and the first import takes one pass.
        const repeats = stored ? undefined : await findDuplicates(s, false);
        result.passes = repeats === 0 ? 1 : 2;
        const prepared = repeats === 0 ? null : await prepareRows(s, opts, scan.noSeparators, result.outcome, sink, { stored, repeats });
        // Repeated ids and rows without a usable identifier are rejected rows too.
        if (opts.strict && result.rejectedRows > 0) throw new StrictAbort();
        const pageSize = opts.resolvePage ?? RESOLVE_PAGE;
        await s.transaction(async (tx) => {
          result.importId = await startImportIn(tx, opts.workspaceId, 'events', opts.origin);
          // The key → profile cache serves later pages: with a single page, filling it would be work for nothing.
          const cache = combinations > pageSize ? opts.cache : undefined;
          const resolver = await TupleResolver.open(tx, { workspaceId: opts.workspaceId, identityConfig: opts.identityConfig, cache }, result.outcome);
          if (prepared) await resolvePrepared(tx, resolver, prepared, pageSize);
          else await resolveInOnePass(tx, resolver, opts, scan.noSeparators, result.outcome, pageSize);
          const excluded = prepared?.excluded ?? NOTHING_EXCLUDED;
          await resolver.notes.writeAll(tx, sink, excluded, opts.workspaceId);
          if (await resolver.finish(tx)) {
            result.outcome.stored = await insertStagedEvents(tx, opts.workspaceId, result.importId, excluded);
            await addImportToEventRollup(tx, opts.workspaceId, result.importId);
          }
          // And rows none of whose identifiers could be linked (or, in one pass, without a usable identifier):
          // rolled back with the rest.
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

/** What {@link prepareRows} found: which rows are excluded from storing. */
interface PreparedRows {
  excluded: Exclusions;
}

const NOTHING_EXCLUDED: Exclusions = { dropped: false, duplicates: false, stored: false };

/**
 * The usual first import (no event of the workspace stored yet, no event id repeated in the file): each page of
 * combinations is normalised and resolved as it is read, in the transaction. Each next page is read while this
 * one is normalised (DuckDB works on its thread meanwhile); resolving waits for that read, so the connection
 * runs one statement at a time. A read left pending when normalising fails is awaited by no one; its error is
 * dropped, the normalising one is thrown.
 */
async function resolveInOnePass(tx: Queryable, resolver: TupleResolver, opts: BulkImportOptions, packed: boolean, out: BatchOutcome, pageSize: number) {
  let batch: ResolveItem[] = [];
  let next = tuplePage(tx, 1, PAGE, packed);
  for (let seq = 1; ; seq += PAGE) {
    const page = await next;
    if (batch.length >= pageSize) {
      await resolver.resolve(tx, batch);
      batch = [];
    }
    if (page.length === 0) break;
    next = tuplePage(tx, seq + PAGE, PAGE, packed);
    next.catch(() => undefined);
    for (const t of page) {
      const keys = normaliseTuple(t, opts.identityConfig, out, resolver.notes);
      if (keys) batch.push({ seq: t.seq, keys, firstMs: t.firstMs, firstEventId: t.firstEventId });
    }
  }
  await resolver.resolve(tx, batch);
}

/**
 * Otherwise, before the transaction: each combination normalised once, its keys kept in the database for the
 * second pass (`import_tuple_keys`), then the rows excluded from storing: without a usable identifier, repeated
 * ids, ids stored by earlier imports.
 */
async function prepareRows(
  tx: Queryable,
  opts: BulkImportOptions,
  packed: boolean,
  out: BatchOutcome,
  sink: NoteSink,
  known: { stored: boolean; repeats: number | undefined },
): Promise<PreparedRows> {
  await createTupleKeys(tx);
  const notes = new NoteWriter();
  let unusable = 0;
  let keyRows: SqlValue[][] = [];
  let dropRows: SqlValue[][] = [];
  let next = tuplePage(tx, 1, PAGE, packed);
  for (let seq = 1; ; seq += PAGE) {
    const page = await next;
    // Stored once the read is back: one statement at a time on the connection.
    await addTupleKeys(tx, keyRows);
    // The page with the first unusable combinations creates `import_drop`.
    if (dropRows.length > 0) await loadKeyed(tx, 'import_drop', dropRows, unusable > dropRows.length);
    await notes.flush(tx);
    keyRows = [];
    dropRows = [];
    if (page.length === 0) break;
    next = tuplePage(tx, seq + PAGE, PAGE, packed);
    next.catch(() => undefined);
    for (const t of page) {
      const keys = normaliseTuple(t, opts.identityConfig, out, notes);
      if (keys) keyRows.push([t.seq, encodeKeys(keys)]);
      else {
        dropRows.push([t.seq]);
        unusable++;
      }
    }
  }
  await notes.writeAll(tx, sink);
  const excluded = { dropped: unusable > 0, duplicates: false, stored: false };

  // Repeats among the usable rows: those among all rows, found already, unless some rows were dropped.
  const repeats = excluded.dropped || known.repeats === undefined ? await findDuplicates(tx, excluded.dropped) : known.repeats;
  excluded.duplicates = repeats > 0;
  for (let after = -1; excluded.duplicates; ) {
    const page = await duplicatePage(tx, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.pos;
    await sink.reject(page.map((d) => ({ line: d.pos + 2, field: 'event_id', reason: duplicateReason('event_id', d.eventId, `first at line ${d.firstPos + 2}`) })));
  }
  if (known.stored) {
    out.skipped = await countStored(tx, opts.workspaceId, excluded);
    excluded.stored = out.skipped > 0;
  }
  if (excluded.duplicates || excluded.stored) await prepareResolveOrder(tx, opts.workspaceId, excluded);
  return { excluded };
}

/** The second pass, in the transaction: the combinations that still have rows, in file order of the first. */
async function resolvePrepared(tx: Queryable, resolver: TupleResolver, { excluded }: PreparedRows, pageSize: number) {
  for (let after = -1; ; ) {
    const rows = await resolvePage(tx, after, pageSize, excluded.duplicates || excluded.stored);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.firstPos;
    await resolver.resolve(tx, rows.map((r) => ({ seq: r.seq, keys: decodeKeys(r.keys), firstMs: r.firstMs, firstEventId: r.firstEventId })));
  }
}
