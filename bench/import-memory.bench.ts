/**
 * Memory of `kept import events` (the DuckDB bulk path) as the file grows: the same generated data at several
 * sizes, each imported into a fresh file with the JavaScript heap capped. An import whose working state grew with
 * the file would fail under the cap at the larger sizes (it did before the combinations were resolved a page at
 * a time: 8M events ran out of a 512 MB heap); a bounded one passes at every size, and its peak resident
 * memory (DuckDB's native memory included) levels off once DuckDB's buffer pool (1 GB for imports) is full.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, ROOT, round, type Measurement } from './lib/harness.js';
import { writeEventsCsv } from './lib/generate-events.js';

/** The heap cap the imports must fit under, whatever the file's size. */
const HEAP_CAP_MB = 512;
/** DuckDB's 1 GB buffer pool + the heap cap + ~300 MB for Node, DuckDB's code and its allocations outside the pool. */
const RSS_GOAL_MB = 1850;

/** Preloaded into the CLI: its peak resident set size (native memory included) as the last line on stderr. */
const REPORT_MAX_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('kept-bench-max-rss-kb '+process.resourceUsage().maxRSS+'\\n'))`;

interface Run {
  code: number | null;
  maxRssMb: number;
  summary: { stored?: number; seconds?: number; rows_per_s?: number } | null;
  stderr: string;
}

function runImport(file: string, db: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [`--max-old-space-size=${HEAP_CAP_MB}`, '--import', REPORT_MAX_RSS, join(ROOT, 'dist/cli/main.js')];
    args.push('import', 'events', file, '--db', db, '--source', 'crm', '--no-rejects', '--json');
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const kb = Number(/kept-bench-max-rss-kb (\d+)/.exec(err)?.[1] ?? NaN);
      let summary: Run['summary'];
      try {
        summary = JSON.parse(out) as Run['summary'];
      } catch {
        summary = null;
      }
      resolve({ code, maxRssMb: kb / 1024, summary, stderr: err });
    });
  });
}

export async function benchImportMemory(sizes = (process.env.KEPT_BENCH_IMPORT_MEMORY_ROWS ?? '2000000,8000000').split(',').map(Number)): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const rows of sizes) {
    const file = join(CACHE, `events-${rows}.csv`);
    if (!existsSync(file)) await writeEventsCsv(file, rows, Math.max(1000, Math.round(rows / 20)));
    const db = join(CACHE, 'import-memory-bench.duckdb');
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
    const run = await runImport(file, db);
    const ok = run.code === 0 && run.summary?.stored === rows;
    if (!ok) console.error(run.stderr.split('\n').slice(-15).join('\n'));
    results.push({
      benchmark: 'import-memory',
      metric: `peak RSS, ${rows.toLocaleString('en-GB')} events, heap capped at ${HEAP_CAP_MB} MB`,
      value: round(run.maxRssMb, 0),
      unit: 'MB',
      goal: `completes; ≤ ${RSS_GOAL_MB}`,
      pass: ok && run.maxRssMb <= RSS_GOAL_MB,
      note: ok ? `${round(run.summary!.seconds ?? 0, 1)} s, ${run.summary!.rows_per_s} events/s` : `failed (exit ${run.code})`,
    });
    rmSync(db, { force: true });
  }
  return results;
}
