/**
 * Overview and Customer 360 API latency on the 1M-customer demo (~20M events), served by `kept serve` with its
 * production memory settings; also the server's resident memory afterwards. The demo database is built once and
 * cached (KEPT_BENCH_CACHE, default /tmp/kept-bench): building it is measured too, the first time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, percentile, round, runKept, startServer, timeRequests, type Measurement } from './lib/harness.js';

export async function benchApi(customers = Number(process.env.KEPT_BENCH_CUSTOMERS ?? 1_000_000)): Promise<Measurement[]> {
  const db = join(CACHE, `demo-${customers}.duckdb`);
  const results: Measurement[] = [];
  if (!existsSync(db)) {
    const t = performance.now();
    const summary = JSON.parse(await runKept(['demo', '--customers', String(customers), '--db', db, '--json'])) as { counts: Record<string, { stored: number }>; records_per_s: number };
    results.push({ benchmark: 'demo', metric: `build ${customers.toLocaleString('en-GB')}-customer demo`, value: round((performance.now() - t) / 1000), unit: 's', note: `${summary.counts.events?.stored} events, ${summary.records_per_s} records/s` });
  }
  const server = await startServer(db, 4482);
  try {
    const label = `${customers.toLocaleString('en-GB')} customers`;
    const overview = await timeRequests(Array.from({ length: 20 }, () => `${server.base}/api/v1/overview?bucket=week`));
    const p50 = round(percentile(overview, 50));
    results.push({ benchmark: 'api', metric: `Overview p50 (${label})`, value: p50, unit: 'ms', goal: '< 300', pass: p50 < 300 });
    results.push({ benchmark: 'api', metric: 'Overview p95', value: round(percentile(overview, 95)), unit: 'ms' });

    const list = (await (await fetch(`${server.base}/api/v1/customers?limit=200`)).json()) as { items: { profileId: number; email: string | null }[] };
    const ids = list.items.map((i) => i.profileId);
    const profile = await timeRequests(ids.slice(0, 100).map((id) => `${server.base}/api/v1/customers/${id}`));
    const timeline = await timeRequests(ids.slice(0, 100).map((id) => `${server.base}/api/v1/customers/${id}/timeline?limit=50`));
    const emails = list.items.map((i) => i.email).filter((e): e is string => !!e).slice(0, 30);
    const search = await timeRequests(emails.map((e) => `${server.base}/api/v1/customers?q=${encodeURIComponent(e.toUpperCase())}`));
    const pp50 = round(percentile(profile, 50));
    const tp50 = round(percentile(timeline, 50));
    results.push({ benchmark: 'api', metric: 'Customer 360 profile p50', value: pp50, unit: 'ms', goal: '< 50', pass: pp50 < 50 });
    results.push({ benchmark: 'api', metric: 'Customer 360 profile p95', value: round(percentile(profile, 95)), unit: 'ms' });
    results.push({ benchmark: 'api', metric: 'Customer 360 timeline p50', value: tp50, unit: 'ms', goal: '< 50', pass: tp50 < 50 });
    results.push({ benchmark: 'api', metric: 'Customer 360 timeline p95', value: round(percentile(timeline, 95)), unit: 'ms' });
    results.push({ benchmark: 'api', metric: 'customer search by email p50', value: round(percentile(search, 50)), unit: 'ms' });
    // Process discovery over every event (first call: nothing cached), the Journeys page's process map.
    const discovery = await timeRequests([`${server.base}/api/v1/journeys/discover?activity=type`], 0);
    const dms = round(discovery[0]!);
    results.push({ benchmark: 'api', metric: 'Journey discovery, all events (first call)', value: dms, unit: 'ms', goal: '< 10000', pass: dms < 10_000 });
    // Right after the last answer the server is still handing memory back (a garbage collection, then DuckDB's
    // cached blocks): read once it has settled, and report the highest RSS of the whole run as well.
    const atOnce = round(server.rssMb(), 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rss = round(server.rssMb(), 0);
    results.push({ benchmark: 'api', metric: 'kept serve RSS after the runs (1 s later)', value: rss, unit: 'MB', goal: '< 1024', pass: rss < 1024, note: `${atOnce} MB at the last answer` });
    const peak = round(server.peakRssMb(), 0);
    results.push({ benchmark: 'api', metric: 'kept serve peak RSS during the runs', value: peak, unit: 'MB', goal: '< 1024', pass: peak < 1024 });
  } finally {
    await server.stop();
  }
  return results;
}
