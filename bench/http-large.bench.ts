/**
 * HTTP batches into a large workspace: 1,000-event batches of known customers, sent one at a time for a while,
 * into a copy of a 10M-event store (built once from a generated file, cached in KEPT_BENCH_CACHE). It shows what
 * the server's stored-id sets do for a table of that size (ADR 0007): the first request after a start, the
 * batches while the ids are read in the background, and the steady state once they are.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeEventsCsv } from './lib/generate-events.js';
import { CACHE, percentile, postJson, round, runKept, startServer, type Measurement } from './lib/harness.js';

export async function benchHttpLarge(rows = Number(process.env.KEPT_BENCH_LARGE_ROWS ?? 10_000_000), seconds = Number(process.env.KEPT_BENCH_LARGE_SECONDS ?? 60)): Promise<Measurement[]> {
  const customers = Math.round(rows / 20);
  const built = join(CACHE, `large-${rows}.duckdb`);
  if (!existsSync(built)) {
    const file = join(CACHE, `events-${rows}.csv`);
    if (!existsSync(file)) await writeEventsCsv(file, rows, customers);
    await runKept(['import', 'events', file, '--db', built, '--source', 'crm', '--no-rejects', '--json']);
  }
  const db = join(CACHE, 'large-copy.duckdb');
  rmSync(`${db}.wal`, { force: true });
  copyFileSync(built, db);
  const server = await startServer(db, 4483);
  try {
    const latencies: { at: number; ms: number }[] = [];
    const t0 = performance.now();
    for (let b = 0; performance.now() - t0 < seconds * 1000; b++) {
      const records = Array.from({ length: 1000 }, (_, i) => {
        const n = b * 1000 + i;
        return { event_id: `large-${n}`, customer_id: `C${n % customers}`, id_source: 'crm', occurred_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(), type: 'page_view', channel: 'web' };
      });
      const t = performance.now();
      const res = await postJson(`${server.base}/api/v1/events/batch?workspace=demo`, JSON.stringify({ records }));
      const answer = JSON.parse(res.text) as { stored?: number };
      if (res.status !== 200 || answer.stored !== 1000) throw new Error(`batch ${b}: ${res.status} ${res.text.slice(0, 300)}`);
      latencies.push({ at: (t - t0) / 1000, ms: performance.now() - t });
    }
    const window = (from: number, to: number) => latencies.filter((l) => l.at >= from && l.at < to).map((l) => l.ms).sort((a, b) => a - b);
    const early = window(0.001, 15);
    const late = window(seconds - 20, seconds);
    const label = `${(rows / 1e6).toLocaleString('en-GB')}M-event workspace`;
    const slowAt = (ms: number) =>
      latencies.filter((l) => l.at >= 15 && l.ms > ms).map((l) => `${round(l.at, 0)} s`).join(', ') || 'none';
    const peakRss = server.peakRssMb();
    return [
      { benchmark: 'http-large', metric: `${label}: first batch after a start`, value: round(latencies[0]?.ms ?? 0), unit: 'ms' },
      { benchmark: 'http-large', metric: `${label}: batch p50, rest of the first 15 s`, value: round(percentile(early, 50)), unit: 'ms', note: `${early.length} batches` },
      { benchmark: 'http-large', metric: `${label}: batch p50, last 20 of ${seconds} s`, value: round(percentile(late, 50)), unit: 'ms', note: `${late.length} batches; ${latencies.length} in all` },
      // A stream that never pauses: the tail shows the checkpoints it waits out (docs/adr/0018).
      { benchmark: 'http-large', metric: `${label}: batch p99, last 20 of ${seconds} s`, value: round(percentile(late, 99)), unit: 'ms', note: `slowest ${round(late.at(-1) ?? 0)} ms` },
      { benchmark: 'http-large', metric: `${label}: slowest batch after the first 15 s`, value: round(Math.max(0, ...window(15, seconds))), unit: 'ms', note: `over 250 ms at ${slowAt(250)}` },
      { benchmark: 'http-large', metric: `${label}: serve RSS at the end`, value: round(server.rssMb(), 0), unit: 'MB' },
      // The server's budget holds under sustained writes too: rows not yet checkpointed are DuckDB's memory.
      { benchmark: 'http-large', metric: `${label}: serve peak RSS while writing`, value: round(peakRss, 0), unit: 'MB', goal: '< 1024', pass: peakRss < 1024 },
    ];
  } finally {
    await server.stop();
  }
}
