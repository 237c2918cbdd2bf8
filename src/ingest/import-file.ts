/**
 * `kept import <entity> FILE`: stream a CSV / JSON Lines file (any size, optionally gzipped) through validation
 * and identity resolution into the store in batches, reporting progress, a summary and a reject file.
 * Parsing of the next batch overlaps with the database writing the previous one.
 */
import { stat } from 'node:fs/promises';
import type { IdentityConfig } from '../core/identity/config.js';
import type { Entity, Located, RecordByEntity, RowRejection } from '../core/records.js';
import type { Engine } from '../store/engines/engine.js';
import { finishImport, startImport, startImportIn } from '../store/repositories/import-repository.js';
import { emptyOutcome, prepareBatch, writePrepared, type BatchContext, type BatchOutcome } from './batch-writer.js';
import { ProfileCache } from './identity-step.js';
import { detectFormat, readRowBatches, type RowFormat } from './read-rows.js';
import { ImportInputError } from './import-error.js';
import { RejectsFile } from './rejects-file.js';
import { addOutcome, storeBatch } from './store-batch.js';
import { checkHeaderColumns, unknownColumnRejections, validateRecord } from './validate.js';
import { tryBulk } from './try-bulk-import.js';

export interface ImportFileOptions {
  workspaceId: string;
  entity: Entity;
  identityConfig: IdentityConfig;
  format?: RowFormat | undefined;
  /** Validate the whole file first and store nothing if any row (or an unknown column) is bad. */
  strict?: boolean | undefined;
  defaultSource?: string | undefined;
  defaultCurrency?: string | undefined;
  batchSize?: number | undefined;
  /** Where to write rejected rows and warnings; null for nowhere. Default `<file>.rejects.csv`. */
  rejectsPath?: string | null | undefined;
  /** Use the batch pipeline even where the DuckDB bulk path applies (tests compare the two). */
  noBulk?: boolean | undefined;
  /** Identifier combinations the bulk path resolves per page (default 500,000; tests use small pages). */
  resolvePage?: number | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  read: number;
  stored: number;
  rejected: number;
}

export interface ImportSummary {
  file: string;
  entity: Entity;
  import_id: number | null;
  read: number;
  stored: number;
  updated: number;
  skipped: number;
  rejected: number;
  warnings: number;
  blocked_identifiers: number;
  new_profiles: number;
  merges: number;
  seconds: number;
  rows_per_s: number;
  rejects_file: string | null;
  /** In strict mode: true when nothing was stored because the file had errors. */
  aborted: boolean;
  /**
   * In strict mode: problems that fail the file without being a rejected row, unknown columns (JSON Lines: keys) and
   * text that is not UTF-8. 0 without --strict, where they are warnings.
   */
  strict_problems: number;
  /** How the file was stored: DuckDB's bulk path for plain event CSVs, or validated batches (see bulk-event-import.ts). */
  method: 'bulk' | 'batches';
}

export { ImportInputError };

/**
 * Batches read and prepared but not yet written (the one being written included), besides the one being read;
 * bounds memory. One is enough: the next batch is read and prepared while the previous one is written.
 */
const MAX_QUEUED = 1;

/**
 * Rows per transaction. Large batches amortise the per-statement and per-commit costs of a batch (a dozen
 * statements and a commit); the price is memory, as about two batches of validated records are held at a time.
 */
export const DEFAULT_BATCH_SIZE = 100_000;

const NOT_UTF8 = 'bytes that are not UTF-8, stored as \uFFFD: is the file in another encoding (Latin-1, Windows-1252)? Convert it to UTF-8';

interface Validated<E extends Entity> {
  batches: AsyncGenerator<Located<RecordByEntity[E]>[]>;
}

/** Reads and validates, yielding batches of good records; bad rows go to `onReject` as they are met. */
function validatedBatches<E extends Entity>(
  path: string,
  format: RowFormat,
  opts: ImportFileOptions,
  counters: { read: number; bytes: number },
  onReject: (items: RowRejection[]) => Promise<void>,
  onWarning: (items: RowRejection[]) => Promise<void>,
): Validated<E> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  let header: string[] | null = null;
  async function* batches(): AsyncGenerator<Located<RecordByEntity[E]>[]> {
    let batch: Located<RecordByEntity[E]>[] = [];
    // Rows arrive a chunk of input at a time: one asynchronous step per chunk, not per row.
    let invalidUtf8 = false;
    const chunks = readRowBatches(path, format, {
      onProgress: (bytes) => (counters.bytes = bytes),
      onHeader: (columns) => (header = columns),
      onInvalidUtf8: () => (invalidUtf8 = true),
    });
    let headerChecked = false;
    const keysSeen = new Set<string>();
    for await (const rows of chunks) {
      for (const row of rows) {
        if (!headerChecked) {
          headerChecked = true;
          if (header) {
            checkHeaderColumns(opts.entity, header);
            const unknown = unknownColumnRejections(opts.entity, header);
            if (unknown.length > 0) await onWarning(unknown.map((u) => ({ ...u, line: 1 })));
          }
        }
        counters.read++;
        if ('error' in row) {
          await onReject([{ line: row.line, field: row.field, reason: row.error }]);
          continue;
        }
        // Bytes that are not UTF-8 were read as U+FFFD: stored so, but each row holding one is pointed out.
        if (invalidUtf8) {
          const field = Object.keys(row.values).find((k) => {
            const v = row.values[k];
            return typeof v === 'string' && v.includes('\uFFFD');
          });
          if (field !== undefined) await onWarning([{ line: row.line, field, reason: NOT_UTF8 }]);
        }
        // JSON Lines have no header: each key is checked the first time a line uses it.
        if (!header) {
          const fresh = Object.keys(row.values).filter((key) => !keysSeen.has(key));
          if (fresh.length > 0) {
            for (const key of fresh) keysSeen.add(key);
            const unknown = unknownColumnRejections(opts.entity, fresh);
            if (unknown.length > 0) await onWarning(unknown.map((u) => ({ ...u, line: row.line })));
          }
        }
        const result = validateRecord(opts.entity as E, row.values, {
          line: row.line,
          defaultSource: opts.defaultSource,
          defaultCurrency: opts.defaultCurrency,
        });
        if (!result.ok) {
          await onReject(result.rejections);
          continue;
        }
        batch.push({ line: row.line, record: result.record });
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
    // A header and no rows: checked all the same, as the bulk path checks it.
    else if (!headerChecked && header) checkHeaderColumns(opts.entity, header);
  }
  return { batches: batches() };
}

export async function importFile(engine: Engine, path: string, opts: ImportFileOptions): Promise<ImportSummary> {
  const file = await stat(path).catch(() => null);
  if (!file) throw new ImportInputError(`cannot read ${path}: no such file`);
  if (file.isDirectory()) throw new ImportInputError(`${path} is a directory: give the file to import`);
  const format = opts.format ?? detectFormat(path)?.format;
  if (!format) throw new ImportInputError(`cannot tell the format of ${path}: use .csv, .jsonl (optionally .gz) or --format`);
  const totalBytes = file.size;
  const started = performance.now();
  const rejects = new RejectsFile(opts.rejectsPath === undefined ? `${path}.rejects.csv` : opts.rejectsPath);
  // Before anything is stored: an unwritable path fails the import now, not after batches were committed.
  await rejects.open();
  const counters = { read: 0, bytes: 0 };
  let rejectedRows = 0;
  let warningCount = 0;
  const rejectedLines = new Set<number>();
  const countRejectedLine = (line: number) => {
    if (rejectedLines.has(line)) return;
    rejectedLines.add(line);
    rejectedRows++;
  };
  const onReject = async (items: RowRejection[]) => {
    // A row with several problems counts once.
    for (const i of items) countRejectedLine(i.line);
    if (rejectedLines.size > 100_000) rejectedLines.clear();
    await rejects.write('rejected', items);
  };
  // Unknown columns (CSV header) or keys (JSON Lines), text that was not UTF-8: a warning, or in strict mode the
  // file fails.
  const onWarning = async (items: RowRejection[]) => {
    if (!opts.strict) {
      warningCount += items.length;
      await rejects.write('warning', items);
      return;
    }
    strictProblems += items.length;
    await rejects.write(
      'rejected',
      items.map((i) => ({ ...i, reason: i.reason.replace('unknown column, ignored', 'unknown column (strict: nothing is imported)') })),
    );
  };
  /** Strict mode: problems that are not a rejected row (unknown columns) but stop the import all the same. */
  let strictProblems = 0;
  let method: ImportSummary['method'] = 'batches';
  /** The summary returned, timed again once the reject file is closed. */
  let reported: ImportSummary | undefined;
  const timing = () => {
    const seconds = (performance.now() - started) / 1000;
    return { seconds: Math.round(seconds * 1000) / 1000, rows_per_s: Math.round(counters.read / Math.max(seconds, 1e-6)) };
  };
  const summary = (outcome: BatchOutcome, importId: number | null, aborted: boolean): ImportSummary => {
    return (reported = {
      file: path,
      entity: opts.entity,
      import_id: importId,
      read: counters.read,
      stored: outcome.stored,
      updated: outcome.updated,
      skipped: outcome.skipped,
      rejected: rejectedRows,
      warnings: warningCount,
      blocked_identifiers: outcome.blocked,
      new_profiles: outcome.newProfiles,
      merges: outcome.merges,
      ...timing(),
      rejects_file: rejects.rows > 0 ? rejects.path : null,
      aborted,
      strict_problems: strictProblems,
      method,
    });
  };

  try {
    const bulk = await tryBulk(engine, path, opts, rejects, (records) =>
      opts.onProgress?.({ bytes: totalBytes, totalBytes, read: records, stored: 0, rejected: 0 }),
    );
    if (bulk) {
      method = 'bulk';
      counters.read = bulk.read;
      rejectedRows = bulk.rejectedRows;
      warningCount += bulk.warnings;
      const done = summary(bulk.outcome, bulk.importId, bulk.aborted);
      if (bulk.importId !== null) await finishImport(engine, opts.workspaceId, bulk.importId, countsOf(done), 'done');
      opts.onProgress?.({ bytes: totalBytes, totalBytes, read: done.read, stored: done.stored, rejected: done.rejected });
      return done;
    }
    if (opts.strict) {
      // Pass 1: validate only. Any problem means nothing is stored.
      for await (const _ of validatedBatches(path, format, opts, counters, onReject, onWarning).batches) {
        opts.onProgress?.({ bytes: counters.bytes, totalBytes, read: counters.read, stored: 0, rejected: rejectedRows });
      }
      if (rejectedRows > 0 || strictProblems > 0) return summary(emptyOutcome(), null, true);
      counters.read = 0;
    }
    const ctx: BatchContext = {
      workspaceId: opts.workspaceId,
      entity: opts.entity,
      importId: 0,
      identityConfig: opts.identityConfig,
      cache: engine.kind === 'duckdb' ? new ProfileCache() : undefined,
    };
    const total = emptyOutcome();
    const record = async (outcome: BatchOutcome) => {
      await rejects.write('rejected', outcome.rejected);
      await rejects.write('warning', outcome.warnings);
      for (const r of outcome.rejected) countRejectedLine(r.line);
      // Keep counts, not the lists: memory stays bounded on files with millions of warnings.
      warningCount += outcome.warnings.length;
      outcome.warnings = [];
      outcome.rejected = [];
      addOutcome(total, outcome);
      opts.onProgress?.({ bytes: counters.bytes, totalBytes, read: counters.read, stored: total.stored + total.updated, rejected: rejectedRows });
    };
    if (opts.strict) {
      // Pass 2, in one transaction: a row refused while storing (a repeated id, no usable identifier, a value the
      // store refuses) rolls back everything, as strict mode promises.
      const stored = await storeStrictly(engine, path, format, opts, ctx, counters, onReject, onWarning, record);
      if (stored === null) return summary(emptyOutcome(), null, true);
      const result = summary(total, stored, false);
      await finishImport(engine, opts.workspaceId, stored, countsOf(result), 'done');
      return result;
    }
    const importId = await startImport(engine, opts.workspaceId, opts.entity, `file:${path}`);
    ctx.importId = importId;
    // Batches are written one after another, in file order (a chain of promises). Reading, validating and
    // preparing run ahead by up to MAX_QUEUED batches, so the JavaScript thread has work while the database
    // writes: only native work overlaps with JavaScript.
    let chain: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    let queued = 0;
    let wake: (() => void) | undefined;
    try {
      for await (const batch of validatedBatches(path, format, opts, counters, onReject, onWarning).batches) {
        if (failure) break;
        const ready = prepareBatch(ctx, batch);
        while (queued >= MAX_QUEUED && !failure) await new Promise<void>((resolve) => (wake = resolve));
        if (failure) break;
        queued++;
        chain = chain.then(async () => {
          try {
            if (!failure) await record(await storeBatch(engine, ctx, batch, ready));
          } catch (error) {
            failure ??= { error };
          } finally {
            queued--;
            wake?.();
            wake = undefined;
          }
        });
      }
      await chain;
      if (failure) throw failure.error;
    } catch (error) {
      await chain;
      await finishImport(engine, opts.workspaceId, importId, countsOf(summary(total, importId, false)), 'failed');
      throw error;
    }
    const result = summary(total, importId, false);
    await finishImport(engine, opts.workspaceId, importId, countsOf(result), 'done');
    opts.onProgress?.({ bytes: totalBytes, totalBytes, read: counters.read, stored: result.stored + result.updated, rejected: rejectedRows });
    return result;
  } finally {
    await rejects.close();
    // Closing puts the reject file in line order (see reject-runs.ts): part of the import's time.
    if (reported) Object.assign(reported, timing());
  }
}

class StrictAbort extends Error {}

/** Strict mode's storing pass: the whole file in one transaction; the import's id, or null when a row was refused. */
async function storeStrictly(
  engine: Engine,
  path: string,
  format: RowFormat,
  opts: ImportFileOptions,
  ctx: BatchContext,
  counters: { read: number; bytes: number },
  onReject: (items: RowRejection[]) => Promise<void>,
  onWarning: (items: RowRejection[]) => Promise<void>,
  record: (outcome: BatchOutcome) => Promise<void>,
): Promise<number | null> {
  try {
    return await engine.transaction(async (tx) => {
      ctx.importId = await startImportIn(tx, opts.workspaceId, opts.entity, `file:${path}`);
      for await (const batch of validatedBatches(path, format, opts, counters, onReject, onWarning).batches) {
        const outcome = await writePrepared(tx, ctx, prepareBatch(ctx, batch));
        const refused = outcome.rejected.length > 0;
        await record(outcome);
        if (refused) throw new StrictAbort();
      }
      return ctx.importId;
    });
  } catch (error) {
    // Profiles the rolled-back transaction created may be in the cache.
    ctx.cache?.clear();
    if (error instanceof StrictAbort) return null;
    throw error;
  }
}

const countsOf = (s: ImportSummary) => ({ read: s.read, stored: s.stored + s.updated, skipped: s.skipped, rejected: s.rejected });
