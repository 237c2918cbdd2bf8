/**
 * Writes a synthetic events CSV for import benchmarks: `rows` events over `customers` customer ids (source crm),
 * a fifth of them also carrying a device id, spread over a year. Deterministic.
 */
import { createWriteStream } from 'node:fs';

export async function writeEventsCsv(path: string, rows: number, customers: number): Promise<void> {
  const out = createWriteStream(path);
  const types = ['page_view', 'search', 'add_to_cart', 'checkout_started', 'checkout_completed', 'email_opened', 'store_visit'];
  const channels = ['web', 'app', 'store', 'email', 'phone', 'chat'];
  const start = Date.UTC(2025, 10, 1);
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  out.write('event_id,customer_id,id_source,anonymous_id,occurred_at,type,channel,touchpoint,team,value\n');
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rand() * customers);
    const anon = rand() < 0.2 ? `dev-${c}` : '';
    const t = new Date(start + Math.floor(rand() * 365 * 86_400_000)).toISOString();
    const type = types[Math.floor(rand() * types.length)]!;
    const channel = channels[Math.floor(rand() * channels.length)]!;
    const value = type === 'checkout_completed' ? (rand() * 200).toFixed(2) : '';
    buffer += `ev-${i},C${c},crm,${anon},${t},${type},${channel},tp-${type},team-${channel},${value}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

if (process.argv[1]?.endsWith('generate-events.ts')) {
  const [path = '/tmp/events.csv', rows = '2000000', customers = '100000'] = process.argv.slice(2);
  await writeEventsCsv(path, Number(rows), Number(customers));
  console.log(`wrote ${rows} events to ${path}`);
}
