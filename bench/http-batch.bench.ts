/**
 * HTTP batch ingestion on loopback: 1,000-event batches from 4 concurrent clients into a fresh DuckDB. Like the API
 * benchmark, it measures a warmed-up server: a few batches go first to another workspace (their own customers,
 * so all 50,000 of the measured run are still new), and the first of them, the cold start, is reported on its own.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, percentile, postJson, round, runKept, startServer, type Measurement } from './lib/harness.js';

export async function benchHttpBatch(batches = Number(process.env.KEPT_BENCH_HTTP_BATCHES ?? 400), batchSize = 1000, concurrency = 4, warmup = 8): Promise<Measurement[]> {
  const db = join(CACHE, 'http-bench.duckdb');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  await runKept(['workspace', 'create', 'bench', '--db', db]);
  await runKept(['workspace', 'create', 'warmup', '--db', db]);
  const server = await startServer(db, 4481);
  try {
    const start = Date.UTC(2025, 10, 1);
    const body = (b: number, prefix: string, customerPrefix: string) => {
      const records = [];
      for (let i = 0; i < batchSize; i++) {
        const n = b * batchSize + i;
        records.push({ event_id: `${prefix}-${n}`, customer_id: `${customerPrefix}${n % 50_000}`, id_source: 'crm', occurred_at: new Date(start + n * 15_000).toISOString(), type: 'page_view', channel: n % 3 ? 'web' : 'app', touchpoint: 'product-page' });
      }
      return JSON.stringify({ records });
    };
    const warm: number[] = [];
    for (let b = 0; b < warmup; b++) {
      const t = performance.now();
      const res = await postJson(`${server.base}/api/v1/events/batch?workspace=warmup`, body(b, 'w', 'W'));
      if (res.status !== 200) throw new Error(`warm-up batch ${b}: ${res.status} ${res.text.slice(0, 300)}`);
      warm.push(performance.now() - t);
    }
    const bodies = Array.from({ length: batches }, (_, b) => body(b, 'h', 'C'));
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= bodies.length) return;
        const t = performance.now();
        const res = await postJson(`${server.base}/api/v1/events/batch?workspace=bench`, bodies[i]!);
        const answer = JSON.parse(res.text) as { stored?: number; detail?: string };
        if (res.status !== 200 || answer.stored !== batchSize) throw new Error(`batch ${i}: ${res.status} ${res.text.slice(0, 300)}`);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const eps = Math.round((batches * batchSize) / seconds);
    const p99 = round(percentile(latencies, 99));
    return [
      { benchmark: 'http-batch', metric: 'cold start: first batch after the server started', value: round(warm[0] ?? 0), unit: 'ms', note: `then ${warm.slice(1).map((t) => round(t, 0)).join(', ')} ms (warm-up, one at a time, not counted below)` },
      { benchmark: 'http-batch', metric: `${batches} × ${batchSize} events, ${concurrency} clients`, value: eps, unit: 'events/s', goal: '≥ 50000', pass: eps >= 50_000 },
      { benchmark: 'http-batch', metric: 'request latency p50', value: round(percentile(latencies, 50)), unit: 'ms' },
      { benchmark: 'http-batch', metric: 'request latency p99', value: p99, unit: 'ms', goal: '< 100', pass: p99 < 100 },
    ];
  } finally {
    await server.stop();
  }
}
