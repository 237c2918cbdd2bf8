/** CLI import of 2M generated events into a fresh DuckDB file, end to end (process start to summary). */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, round, runKept, type Measurement } from './lib/harness.js';
import { writeEventsCsv } from './lib/generate-events.js';

export async function benchImportCli(rows = Number(process.env.KEPT_BENCH_IMPORT_ROWS ?? 2_000_000)): Promise<Measurement[]> {
  const file = join(CACHE, `events-${rows}.csv`);
  if (!existsSync(file)) await writeEventsCsv(file, rows, Math.max(1000, Math.round(rows / 20)));
  const db = join(CACHE, 'import-bench.duckdb');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const first = JSON.parse(await runKept(['import', 'events', file, '--db', db, '--source', 'crm', '--no-rejects', '--json'])) as { rows_per_s: number; stored: number; seconds: number };
  const again = JSON.parse(await runKept(['import', 'events', file, '--db', db, '--source', 'crm', '--no-rejects', '--json'])) as { rows_per_s: number; skipped: number };
  return [
    { benchmark: 'import-cli', metric: `first import, ${rows.toLocaleString('en-GB')} events`, value: first.rows_per_s, unit: 'events/s', goal: '≥ 300000', pass: first.rows_per_s >= 300_000, note: `${round(first.seconds, 2)} s, ${first.stored} stored` },
    { benchmark: 'import-cli', metric: 're-import (all unchanged)', value: again.rows_per_s, unit: 'events/s', note: `${again.skipped} skipped` },
  ];
}
