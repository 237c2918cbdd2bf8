/**
 * Writes the demo company (src/core/demo) to import files: customers, events, orders, tickets and feedback as
 * CSV or JSONL, with the snake_case columns `kept import` reads. Streams person by person with backpressure,
 * so a million customers never sit in memory.
 */

import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { generateDemo } from '../core/demo/index.js';
import type { DemoOptions } from '../core/demo/index.js';
import type {
  CustomerRecord,
  Entity,
  EventRecord,
  FeedbackRecord,
  OrderRecord,
  TicketEventRecord,
} from '../core/records.js';
import { ENTITIES } from '../core/records.js';

export type DemoFileFormat = 'csv' | 'jsonl';

/** What {@link writeDemoFiles} wrote. */
export interface DemoFilesResult {
  format: DemoFileFormat;
  /** Absolute or dir-relative path of each file, by entity. */
  files: Record<Entity, string>;
  /** Data rows written per entity (CSV header not counted). */
  rows: Record<Entity, number>;
}

type Cell = string | number | boolean | Record<string, unknown> | undefined;

const IDENTIFIER_COLUMNS = ['customer_id', 'id_source', 'email', 'phone', 'anonymous_id'] as const;

/** Column names per file, in order. */
export const DEMO_FILE_COLUMNS: Record<Entity, readonly string[]> = {
  customers: [...IDENTIFIER_COLUMNS, 'name', 'emails', 'phones', 'country', 'created_at'],
  events: [
    'event_id',
    ...IDENTIFIER_COLUMNS,
    'occurred_at',
    'type',
    'channel',
    'touchpoint',
    'team',
    'value',
    'properties',
  ],
  orders: [
    'order_id',
    ...IDENTIFIER_COLUMNS,
    'ordered_at',
    'amount',
    'currency',
    'channel',
    'touchpoint',
    'status',
    'items',
  ],
  tickets: [
    'ticket_id',
    'ticket_event_id',
    ...IDENTIFIER_COLUMNS,
    'occurred_at',
    'kind',
    'status',
    'author_role',
    'author',
    'team',
    'channel',
    'subject',
    'priority',
    'body',
  ],
  feedback: [
    'feedback_id',
    ...IDENTIFIER_COLUMNS,
    'occurred_at',
    'source',
    'survey',
    'nps',
    'csat',
    'ces',
    'stars',
    'text',
    'touchpoint',
    'channel',
    'team',
  ],
};

/** Two-digit strings 00–99 and three-digit 000–999, for timestamp formatting without padStart. */
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/**
 * Epoch ms → `2025-11-01T08:30:00.000Z`, same as `Date#toISOString` but caching the date part: rows come
 * in runs from the same day, and formatting timestamps was the single biggest cost of writing files.
 */
export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = Math.floor(rest - seconds * 1000);
  return `${cachedDayPrefix}${PAD2[hours]}:${PAD2[minutes]}:${PAD2[seconds]}.${PAD3[millis]}Z`;
}

function iso(ms: number | undefined): string | undefined {
  // Outside years 0–9999 toISOString uses a different shape; those never occur here but stay correct.
  if (ms === undefined) return undefined;
  return ms >= 0 && ms < 253_402_300_800_000 ? isoTimestamp(ms) : new Date(ms).toISOString();
}

function joined(values: string[] | undefined): string | undefined {
  return values?.length ? values.join(';') : undefined;
}

/** Record → cells in DEMO_FILE_COLUMNS order (identifiers written out, not spread: this runs per row). */
const ROW_CELLS = {
  customers: (r: CustomerRecord): Cell[] => [
    r.customerId,
    r.source,
    r.email,
    r.phone,
    r.anonymousId,
    r.name,
    joined(r.extraEmails),
    joined(r.extraPhones),
    r.country,
    iso(r.createdAt),
  ],
  events: (r: EventRecord): Cell[] => [
    r.eventId,
    r.customerId,
    r.source,
    r.email,
    r.phone,
    r.anonymousId,
    iso(r.occurredAt),
    r.type,
    r.channel,
    r.touchpoint,
    r.team,
    r.value,
    r.properties,
  ],
  orders: (r: OrderRecord): Cell[] => [
    r.orderId,
    r.customerId,
    r.source,
    r.email,
    r.phone,
    r.anonymousId,
    iso(r.orderedAt),
    r.amount,
    r.currency,
    r.channel,
    r.touchpoint,
    r.status,
    r.items,
  ],
  tickets: (r: TicketEventRecord): Cell[] => [
    r.ticketId,
    r.ticketEventId,
    r.customerId,
    r.source,
    r.email,
    r.phone,
    r.anonymousId,
    iso(r.occurredAt),
    r.kind,
    r.status,
    r.authorRole,
    r.author,
    r.team,
    r.channel,
    r.subject,
    r.priority,
    r.body,
  ],
  feedback: (r: FeedbackRecord): Cell[] => [
    r.feedbackId,
    r.customerId,
    r.source,
    r.email,
    r.phone,
    r.anonymousId,
    iso(r.occurredAt),
    r.feedbackSource,
    r.survey,
    r.nps,
    r.csat,
    r.ces,
    r.stars,
    r.text,
    r.touchpoint,
    r.channel,
    r.team,
  ],
};

/** Characters that force quoting, and leading or trailing whitespace. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV field (RFC 4180): quoted when it contains a comma, quote or line break, and also when it has
 * leading or trailing whitespace, so messy identifiers like `" Jane@Example.com"` survive trimming parsers.
 * Objects (event properties) are written as JSON.
 */
export function csvField(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(cells: Cell[]): string {
  let line = csvField(cells[0]);
  for (let i = 1; i < cells.length; i++) line += ',' + csvField(cells[i]);
  return line + '\n';
}

/** `"column":` prefixes per entity, so JSONL rows are assembled without building an object per row. */
const JSON_KEYS = Object.fromEntries(
  ENTITIES.map((entity) => [entity, DEMO_FILE_COLUMNS[entity].map((column) => `${JSON.stringify(column)}:`)]),
) as Record<Entity, string[]>;

/** Whether a string needs JSON escaping: quotes, backslashes, control characters, line/paragraph separators. */
function needsJsonEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

function jsonValue(value: Exclude<Cell, undefined>): string {
  // Plain strings (nearly all of them) need no escaping; JSON.stringify handles the rest.
  if (typeof value === 'string' && !needsJsonEscape(value)) return `"${value}"`;
  return JSON.stringify(value);
}

/** JSONL keeps numbers as numbers and `properties` as an object; absent values are left out. */
function jsonLine(entity: Entity, cells: Cell[]): string {
  const keys = JSON_KEYS[entity];
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (value === undefined) continue;
    line += (line === '' ? '{' : ',') + keys[i] + jsonValue(value);
  }
  return (line === '' ? '{' : line) + '}\n';
}

/**
 * Buffers lines for one file and writes them in chunks of about 256 kB; `flushIfFull` waits for 'drain' when
 * the stream's own buffer is full, which is what keeps memory bounded.
 */
class FileSink {
  /** Pending text; V8 concatenates strings as ropes, cheaper than collecting an array and joining it. */
  private pending = '';
  rows = 0;
  constructor(private readonly stream: WriteStream) {}

  /** Queues a data row. */
  add(line: string): void {
    this.pending += line;
    this.rows++;
  }

  /** Queues the CSV header line (not counted as a row). */
  header(line: string): void {
    this.pending += line;
  }

  async flushIfFull(): Promise<void> {
    if (this.pending.length >= 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/**
 * Generates the demo company and writes `customers`, `events`, `orders`, `tickets` and `feedback` files
 * (`.csv` with a header row, or `.jsonl`) into `dir`, creating it if needed. Existing files are replaced.
 */
export async function writeDemoFiles(
  dir: string,
  opts: DemoOptions & { format?: DemoFileFormat },
): Promise<DemoFilesResult> {
  const format = opts.format ?? 'csv';
  await mkdir(dir, { recursive: true });
  const files = {} as Record<Entity, string>;
  const sinks = {} as Record<Entity, FileSink>;
  for (const entity of ENTITIES) {
    files[entity] = join(dir, `${entity}.${format}`);
    sinks[entity] = new FileSink(createWriteStream(files[entity], { encoding: 'utf8' }));
    if (format === 'csv') sinks[entity].header(DEMO_FILE_COLUMNS[entity].join(',') + '\n');
  }
  const line =
    format === 'csv'
      ? (_entity: Entity, cells: Cell[]): string => csvLine(cells)
      : (entity: Entity, cells: Cell[]): string => jsonLine(entity, cells);

  let failure: { error: unknown } | undefined;
  try {
    for (const life of generateDemo(opts)) {
      for (const r of life.customers) sinks.customers.add(line('customers', ROW_CELLS.customers(r)));
      for (const r of life.events) sinks.events.add(line('events', ROW_CELLS.events(r)));
      for (const r of life.orders) sinks.orders.add(line('orders', ROW_CELLS.orders(r)));
      for (const r of life.tickets) sinks.tickets.add(line('tickets', ROW_CELLS.tickets(r)));
      for (const r of life.feedback) sinks.feedback.add(line('feedback', ROW_CELLS.feedback(r)));
      for (const entity of ENTITIES) await sinks[entity].flushIfFull();
    }
  } catch (error) {
    failure = { error };
  }
  // Close every file even when generation or a write failed, then report the first error.
  const closing = await Promise.allSettled(ENTITIES.map((entity) => sinks[entity].close()));
  if (failure) throw failure.error;
  const closeFailure = closing.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (closeFailure) throw closeFailure.reason;

  const rows = {} as Record<Entity, number>;
  for (const entity of ENTITIES) rows[entity] = sinks[entity].rows;
  return { format, files, rows };
}
