/**
 * Throughput of row validation for typical event rows as the CSV reader produces them (all values strings).
 * Run: node --import tsx bench/ingest-validate.ts [rows]
 * Prints rows/s for the hand-written hot path (`validateRecord`), the zod reference (`validateRecordWithZod`)
 * and, for context, CSV reading of the same rows from memory (`readRows`).
 */
import { Readable } from 'node:stream';
import { readRows } from '../src/ingest/read-rows.js';
import { validateRecord, validateRecordWithZod } from '../src/ingest/validate.js';

const ROWS = Number(process.argv[2] ?? 500_000);
const TYPES = ['page_view', 'login', 'add_to_cart', 'checkout', 'delivery'];
const CHANNELS = ['web', 'app', 'store'];

/** Distinct rows (so derived-id hashing and timestamp parsing cannot be cached), built before timing. */
function makeRows(n: number, withEventId: boolean): Record<string, string>[] {
  const start = Date.UTC(2024, 0, 1);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, string> = {
      customer_id: `C${100000 + (i % 50_000)}`,
      email: i % 3 === 0 ? `user${i % 50_000}@example.com` : '',
      occurred_at: new Date(start + i * 7_919).toISOString().replace('.000Z', '+01:00'),
      type: TYPES[i % TYPES.length]!,
      channel: CHANNELS[i % CHANNELS.length]!,
      touchpoint: i % 2 === 0 ? 'checkout' : '',
      value: i % 4 === 0 ? String((i % 1000) / 10) : '',
    };
    if (withEventId) row.event_id = `E${i}`;
    rows.push(row);
  }
  return rows;
}

function measure(label: string, rows: Record<string, string>[], validate: typeof validateRecord): void {
  let ok = 0;
  // Warm up so the JIT has optimised the hot path before timing.
  for (let i = 0; i < Math.min(rows.length, 50_000); i++) validate('events', rows[i]!, { line: i + 2 });
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i++) if (validate('events', rows[i]!, { line: i + 2 }).ok) ok++;
  const seconds = (performance.now() - t0) / 1000;
  if (ok !== rows.length) throw new Error(`${label}: only ${ok} of ${rows.length} rows valid`);
  console.log(`${label.padEnd(44)} ${Math.round(rows.length / seconds).toLocaleString('en-US').padStart(11)} rows/s`);
}

async function measureRead(rows: Record<string, string>[]): Promise<void> {
  const header = Object.keys(rows[0]!);
  const csv = [header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n');
  const chunks: Buffer[] = [];
  for (let i = 0; i < csv.length; i += 256 * 1024) chunks.push(Buffer.from(csv.slice(i, i + 256 * 1024)));
  const t0 = performance.now();
  let n = 0;
  for await (const row of readRows(Readable.from(chunks), 'csv')) if ('values' in row) n++;
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${'readRows (CSV from memory, no validation)'.padEnd(44)} ${Math.round(n / seconds).toLocaleString('en-US').padStart(11)} rows/s`);
}

const derived = makeRows(ROWS, false);
const withIds = makeRows(ROWS, true);
console.log(`${ROWS.toLocaleString('en-US')} event rows, node ${process.version}`);
measure('validateRecord, derived event_id (hash)', derived, validateRecord);
measure('validateRecord, event_id given', withIds, validateRecord);
measure('validateRecordWithZod (reference), event_id given', withIds.slice(0, ROWS / 5), validateRecordWithZod);
await measureRead(withIds);
