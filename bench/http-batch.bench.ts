/** HTTP batch ingestion on loopback: 1,000-event batches from 4 concurrent clients into a fresh DuckDB. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, percentile, round, runKept, startServer, type Measurement } from './lib/harness.js';

export async function benchHttpBatch(batches = Number(process.env.KEPT_BENCH_HTTP_BATCHES ?? 400), batchSize = 1000, concurrency = 4): Promise<Measurement[]> {
  const db = join(CACHE, 'http-bench.duckdb');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  await runKept(['workspace', 'create', 'bench', '--db', db]);
  const server = await startServer(db, 4481);
  try {
    const bodies: string[] = [];
    const start = Date.UTC(2025, 10, 1);
    for (let b = 0; b < batches; b++) {
      const records = [];
      for (let i = 0; i < batchSize; i++) {
        const n = b * batchSize + i;
        records.push({ event_id: `h-${n}`, customer_id: `C${n % 50_000}`, id_source: 'crm', occurred_at: new Date(start + n * 15_000).toISOString(), type: 'page_view', channel: n % 3 ? 'web' : 'app', touchpoint: 'product-page' });
      }
      bodies.push(JSON.stringify({ records }));
    }
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= bodies.length) return;
        const t = performance.now();
        const res = await fetch(`${server.base}/api/v1/events/batch?workspace=bench`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i] });
        const body = (await res.json()) as { stored?: number; detail?: string };
        if (!res.ok || body.stored !== batchSize) throw new Error(`batch ${i}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const eps = Math.round((batches * batchSize) / seconds);
    const p99 = round(percentile(latencies, 99));
    return [
      { benchmark: 'http-batch', metric: `${batches} × ${batchSize} events, ${concurrency} clients`, value: eps, unit: 'events/s', goal: '≥ 50000', pass: eps >= 50_000 },
      { benchmark: 'http-batch', metric: 'request latency p50', value: round(percentile(latencies, 50)), unit: 'ms' },
      { benchmark: 'http-batch', metric: 'request latency p99', value: p99, unit: 'ms', goal: '< 100', pass: p99 < 100 },
    ];
  } finally {
    await server.stop();
  }
}
