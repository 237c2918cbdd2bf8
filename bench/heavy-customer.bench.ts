/**
 * One customer with 100,000 events among 200,000 others: the profile and every timeline page must stay fast
 * (keyset paging, no OFFSET). Measured through `kept serve` on a fresh DuckDB file.
 */
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, percentile, round, runKept, startServer, timeRequests, type Measurement } from './lib/harness.js';

async function writeFile(path: string, heavy: number, others: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('event_id,customer_id,occurred_at,type,channel,touchpoint\n');
  const start = Date.UTC(2025, 0, 1);
  const channels = ['web', 'app', 'store', 'email', 'chat'];
  let text = '';
  for (let i = 0; i < heavy + others; i++) {
    const customer = i < heavy ? 'HEAVY' : `C${i % 20_000}`;
    text += `x${i},${customer},${new Date(start + i * 60_000).toISOString()},page_view,${channels[i % 5]},homepage\n`;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
      text = '';
    }
  }
  out.write(text);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

export async function benchHeavyCustomer(heavy = 100_000): Promise<Measurement[]> {
  const file = join(CACHE, `heavy-${heavy}.csv`);
  await writeFile(file, heavy, 200_000);
  const db = join(CACHE, 'heavy.duckdb');
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  await runKept(['import', 'events', file, '--db', db, '--source', 'crm', '--no-rejects', '--json']);
  const server = await startServer(db, 4483);
  try {
    const found = (await (await fetch(`${server.base}/api/v1/customers?q=HEAVY`)).json()) as { items: { profileId: number }[] };
    const id = found.items[0]!.profileId;
    const profile = await timeRequests(Array.from({ length: 20 }, () => `${server.base}/api/v1/customers/${id}`));
    // Walk 30 pages deep, timing each page.
    const pages: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const res = await fetch(`${server.base}/api/v1/customers/${id}/timeline?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await res.json()) as { nextCursor: string | null };
      pages.push(performance.now() - t);
      cursor = body.nextCursor;
    }
    pages.sort((a, b) => a - b);
    return [
      { benchmark: 'heavy-customer', metric: `profile of a ${heavy.toLocaleString('en-GB')}-event customer p50`, value: round(percentile(profile, 50)), unit: 'ms', goal: '< 50', pass: percentile(profile, 50) < 50 },
      { benchmark: 'heavy-customer', metric: 'timeline pages 1–30 p50', value: round(percentile(pages, 50)), unit: 'ms', goal: '< 50', pass: percentile(pages, 50) < 50 },
      { benchmark: 'heavy-customer', metric: 'timeline pages 1–30 max', value: round(pages[pages.length - 1]!), unit: 'ms' },
    ];
  } finally {
    await server.stop();
  }
}
