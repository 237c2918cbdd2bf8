import { isCurrencyCode } from '../../core/currencies.js';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import type { KeptConfig } from '../../config/env.js';
import { ENTITIES, type Entity } from '../../core/records.js';
import { DEFAULT_BATCH_SIZE, ImportInputError, importFile, type ImportSummary } from '../../ingest/import-file.js';
import { missingColumns } from '../../ingest/validate.js';
import { openEngine } from '../../store/open-store.js';
import { ensureWorkspace } from '../../store/repositories/workspace-repository.js';
import { WorkspaceDirectory } from '../../store/repositories/workspace-settings.js';
import { DUCKDB_TUNING, storeLocation } from '../store-option.js';
import { UsageError, workspaceId as checkedWorkspace } from '../cli-options.js';

interface ImportOptions {
  db?: string;
  workspace?: string;
  source?: string;
  currency?: string;
  format?: 'csv' | 'jsonl';
  strict?: boolean;
  rejects?: string | false;
  batchSize?: string;
  json?: boolean;
}

function printSummary(s: ImportSummary): void {
  const n = (v: number) => v.toLocaleString('en-GB');
  const others = s.strict_problems > 0 ? ` and ${n(s.strict_problems)} other problem${s.strict_problems === 1 ? '' : 's'}` : '';
  const rows = `${n(s.rejected)} rejected row${s.rejected === 1 ? '' : 's'}`;
  const note = s.aborted ? ` — nothing stored (--strict: ${rows}${others})` : s.read === 0 ? ' — the file has no rows' : '';
  console.log(`${s.entity} from ${s.file}${note}`);
  console.log(`  read ${n(s.read)} · stored ${n(s.stored)} · updated ${n(s.updated)} · unchanged ${n(s.skipped)} · rejected ${n(s.rejected)} · warnings ${n(s.warnings)}`);
  console.log(`  new profiles ${n(s.new_profiles)} · merges ${n(s.merges)} · blocked identifiers ${n(s.blocked_identifiers)}`);
  console.log(`  ${s.seconds.toFixed(2)} s · ${n(s.rows_per_s)} rows/s`);
  if (s.rejects_file) console.log(`  problems (line, field, reason): ${s.rejects_file}`);
}

/** What every row of each entity needs, from the rules the header check applies (validate.ts). */
const neededColumnsHelp = (): string =>
  [
    '',
    'Columns every row needs (all columns: docs/ingestion.md):',
    ...ENTITIES.map((entity) => `  ${entity.padEnd(10)} ${missingColumns(entity, []).join('; ')}`),
  ].join('\n');

export function registerImportCommand(program: Command, config: KeptConfig): void {
  program
    .command('import')
    .description('import a CSV or JSON Lines file (optionally .gz) of one entity')
    .argument('<entity>', `one of ${ENTITIES.join(', ')}`)
    .argument('<file>', 'path to .csv, .jsonl or .ndjson (optionally .gz)')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--workspace <id>', 'workspace to import into (created if absent)', config.defaultWorkspace)
    .option('--source <system>', 'source system of customer_id values (when rows have no id_source column)')
    .option('--currency <code>', 'currency of orders that name none (ISO 4217)')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--strict', 'validate the whole file first and store nothing if any row is bad')
    .option('--rejects <path>', 'where to write rejected rows (default: FILE.rejects.csv)')
    .option('--no-rejects', 'do not write a reject file')
    .option('--batch-size <n>', 'rows per transaction', String(DEFAULT_BATCH_SIZE))
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', neededColumnsHelp)
    .action(async (entity: string, file: string, opts: ImportOptions) => {
      if (!(ENTITIES as readonly string[]).includes(entity)) {
        throw new UsageError(`unknown entity '${entity}': use one of ${ENTITIES.join(', ')}`);
      }
      // Options are checked before anything is opened or stored.
      if (opts.currency !== undefined && !isCurrencyCode(opts.currency)) throw new UsageError(`--currency '${opts.currency}' is not an ISO 4217 currency code`);
      if (opts.format !== undefined && !['csv', 'jsonl'].includes(opts.format)) throw new UsageError(`--format '${opts.format}': use csv or jsonl`);
      // The same rules as the HTTP API's: a workspace it could not reach, or a source it would refuse, helps no one.
      const workspaceId = checkedWorkspace('--workspace', opts.workspace ?? config.defaultWorkspace);
      if (opts.source !== undefined && (opts.source.trim() === '' || opts.source.length > 64 || opts.source.includes(':'))) {
        throw new UsageError(`--source '${opts.source}' must be 1 to 64 characters, without ':'`);
      }
      const batchSize = Number(opts.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) {
        throw new UsageError(`--batch-size '${opts.batchSize}' must be a whole number from 1 to 1,000,000`);
      }
      const engine = await openEngine(storeLocation(opts.db, config, DUCKDB_TUNING.write));
      const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ format: ' {bar} {percentage}% | {read} rows | {stored} stored | {rejected} rejected | ETA {eta}s', stream: process.stderr }, Presets.shades_classic) : null;
      try {
        await ensureWorkspace(engine, workspaceId);
        const ws = (await new WorkspaceDirectory(engine).get(workspaceId))!;
        let started = false;
        const summary = await importFile(engine, file, {
          workspaceId,
          entity: entity as Entity,
          identityConfig: ws.identity,
          defaultSource: opts.source,
          defaultCurrency: opts.currency ?? ws.defaultCurrency,
          format: opts.format,
          strict: opts.strict,
          batchSize,
          rejectsPath: opts.rejects === false ? null : opts.rejects,
          onProgress: (p) => {
            if (!bar) return;
            if (!started) {
              bar.start(p.totalBytes, 0, { read: 0, stored: 0, rejected: 0 });
              started = true;
            }
            bar.update(p.bytes, { read: p.read.toLocaleString('en-GB'), stored: p.stored.toLocaleString('en-GB'), rejected: p.rejected });
          },
        });
        bar?.stop();
        if (opts.json) console.log(JSON.stringify(summary));
        else printSummary(summary);
        if (summary.aborted) process.exitCode = 1;
      } catch (error) {
        // A file that cannot be read at all (a truncated .gz, a broken header): say which file, and with --json
        // in the shape a script reads.
        bar?.stop();
        const message = `${file}: ${error instanceof Error ? error.message : String(error)}`;
        if (opts.json) console.log(JSON.stringify({ file, entity, error: message }));
        throw error instanceof ImportInputError ? new ImportInputError(message) : new Error(message, { cause: error });
      } finally {
        bar?.stop();
        await engine.close();
      }
    });
}
