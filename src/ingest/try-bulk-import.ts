/** The DuckDB bulk path's entry from `importFile`: whether it applies to a file, and the checks made before it runs. */
import type { Engine } from '../store/engines/engine.js';
import { importEventsInBulk } from './bulk-event-import.js';
import { scanForBulk } from './bulk-event-scan.js';
import type { ImportFileOptions } from './import-file.js';
import { ProfileCache } from './identity-step.js';
import type { RejectsFile } from './rejects-file.js';
import { checkHeaderColumns, unknownColumnRejections } from './validate.js';

/** Default record length limit of the readers (see read-rows.ts): the bulk path must refuse the same lines. */
const MAX_RECORD_CHARS = 1024 * 1024;

/** The DuckDB bulk path for event CSVs, where it applies (see bulk-event-import.ts); `null` otherwise. */
export async function tryBulk(engine: Engine, path: string, opts: ImportFileOptions, rejects: RejectsFile, onStaged: (records: number) => void) {
  if (opts.noBulk || engine.kind !== 'duckdb' || opts.entity !== 'events' || opts.format === 'jsonl') return null;
  const scan = await scanForBulk(path, MAX_RECORD_CHARS);
  if (!scan) return null;
  checkHeaderColumns('events', scan.header);
  const unknown = unknownColumnRejections('events', scan.header);
  // In strict mode an unknown column fails the file: the batch pipeline reports it.
  if (opts.strict && unknown.length > 0) return null;
  const result = await importEventsInBulk(engine, path, scan, {
    workspaceId: opts.workspaceId,
    origin: `file:${path}`,
    identityConfig: opts.identityConfig,
    defaultSource: opts.defaultSource,
    defaultCurrency: opts.defaultCurrency,
    strict: opts.strict ?? false,
    resolvePage: opts.resolvePage,
    cache: new ProfileCache(),
    rejects,
    onStaged,
  });
  if (!result) {
    // A late discovery (two identifier combinations sharing a hash) may have written rejections already.
    await rejects.reset();
    return null;
  }
  if (unknown.length > 0) {
    await rejects.write('warning', unknown.map((u) => ({ ...u, line: 1 })));
    result.warnings += unknown.length;
  }
  return result;
}
