/**
 * Throughput of row validation for typical event rows as the CSV reader produces them (all values strings).
 * Run: node --import tsx bench/ingest-validate.ts [rows]
 *
 * Prints rows/s for the hand-written hot path (`validateRecord`) with and without `event_id` (without, every row
 * also gets a derived id), the zod reference (`validateRecordWithZod`) and, for context, CSV reading of the same
 * rows from memory (`readRows`). Each figure is the best of 3 rounds, per wall-clock second and per CPU second:
 * on a shared machine the CPU figure is the one that does not depend on what else is running.
 */
import { Readable } from 'node:stream';
import { readRows } from '../src/ingest/read-rows.js';
import { validateRecord, validateRecordWithZod } from '../src/ingest/validate.js';

const ROWS = Number(process.argv[2] ?? 300_000);
const ROUNDS = 3;
const TYPES = ['page_view', 'login', 'add_to_cart', 'checkout', 'delivery'];
const CHANNELS = ['web', 'app', 'store'];

/** Distinct rows (so hashing and timestamp parsing cannot be cached), built before timing. */
function makeRows(n: number, withEventId: boolean): Record<string, string>[] {
  const start = Date.UTC(2024, 0, 1);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, string> = {};
    if (withEventId) row.event_id = `E${i}`;
    row.customer_id = `C${100000 + (i % 50_000)}`;
    row.email = i % 3 === 0 ? `user${i % 50_000}@example.com` : '';
    row.occurred_at = new Date(start + i * 7_919).toISOString().replace('.000Z', '+01:00');
    row.type = TYPES[i % TYPES.length]!;
    row.channel = CHANNELS[i % CHANNELS.length]!;
    row.touchpoint = i % 2 === 0 ? 'checkout' : '';
    row.value = i % 4 === 0 ? String((i % 1000) / 10) : '';
    rows.push(row);
  }
  return rows;
}

function report(label: string, rows: number, wallMs: number[], cpuMs: number[]): void {
  const rate = (ms: number[]) => Math.round(rows / (Math.min(...ms) / 1000)).toLocaleString('en-US');
  console.log(`${label.padEnd(46)} ${rate(wallMs).padStart(10)} rows/s wall ${rate(cpuMs).padStart(10)} rows/s CPU`);
}

function measure(label: string, rows: Record<string, string>[], validate: typeof validateRecord): void {
  // Warm up so the JIT has optimised the hot path before timing.
  for (let i = 0; i < Math.min(rows.length, 100_000); i++) validate('events', rows[i]!, { line: i + 2 });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let ok = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < rows.length; i++) if (validate('events', rows[i]!, { line: i + 2 }).ok) ok++;
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    if (ok !== rows.length) throw new Error(`${label}: only ${ok} of ${rows.length} rows valid`);
  }
  report(label, rows.length, wall, cpu);
}

async function measureRead(rows: Record<string, string>[]): Promise<void> {
  const header = Object.keys(rows[0]!);
  const csv = [header.join(','), ...rows.map((r) => header.map((h) => r[h]).join(','))].join('\n');
  const chunks: Buffer[] = [];
  for (let i = 0; i < csv.length; i += 256 * 1024) chunks.push(Buffer.from(csv.slice(i, i + 256 * 1024)));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for await (const row of readRows(Readable.from(chunks), 'csv')) if ('values' in row) n++;
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    if (n !== rows.length) throw new Error(`readRows: ${n} of ${rows.length} rows`);
  }
  report('readRows (CSV from memory, no validation)', rows.length, wall, cpu);
}

const derived = makeRows(ROWS, false);
const withIds = makeRows(ROWS, true);
console.log(`${ROWS.toLocaleString('en-US')} event rows, node ${process.version}, best of ${ROUNDS}`);
measure('validateRecord, event_id derived (hashed)', derived, validateRecord);
measure('validateRecord, event_id given', withIds, validateRecord);
measure('validateRecordWithZod (reference), event_id given', withIds.slice(0, ROWS / 5), validateRecordWithZod);
await measureRead(withIds);
