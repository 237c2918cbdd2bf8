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
  CustomerIdentifiers,
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

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const joined = (values: string[] | undefined): string | undefined => (values?.length ? values.join(';') : undefined);

function identifierCells(r: CustomerIdentifiers): Cell[] {
  return [r.customerId, r.source, r.email, r.phone, r.anonymousId];
}

/** Record → cells in DEMO_FILE_COLUMNS order. */
const ROW_CELLS = {
  customers: (r: CustomerRecord): Cell[] => [
    ...identifierCells(r),
    r.name,
    joined(r.extraEmails),
    joined(r.extraPhones),
    r.country,
    iso(r.createdAt),
  ],
  events: (r: EventRecord): Cell[] => [
    r.eventId,
    ...identifierCells(r),
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
    ...identifierCells(r),
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
    ...identifierCells(r),
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
    ...identifierCells(r),
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

/**
 * One CSV field (RFC 4180): quoted when it contains a comma, quote or line break, and also when it has
 * leading or trailing whitespace, so messy identifiers like `" Jane@Example.com"` survive trimming parsers.
 * Objects (event properties) are written as JSON.
 */
export function csvField(value: Cell): string {
  if (value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/[",\r\n]/.test(text) || text !== text.trim()) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function csvLine(cells: Cell[]): string {
  return cells.map(csvField).join(',') + '\n';
}

/** JSONL keeps numbers as numbers and `properties` as an object; absent values are left out. */
function jsonLine(columns: readonly string[], cells: Cell[]): string {
  const row: Record<string, Cell> = {};
  for (let i = 0; i < columns.length; i++) if (cells[i] !== undefined) row[columns[i]] = cells[i];
  return JSON.stringify(row) + '\n';
}

/**
 * Buffers lines for one file and writes them in chunks of about 256 kB; `flushIfFull` waits for 'drain' when
 * the stream's own buffer is full, which is what keeps memory bounded.
 */
class FileSink {
  private buffered: string[] = [];
  private bufferedChars = 0;
  rows = 0;
  constructor(private readonly stream: WriteStream) {}

  /** Queues a data row. */
  add(line: string): void {
    this.buffered.push(line);
    this.bufferedChars += line.length;
    this.rows++;
  }

  /** Queues the CSV header line (not counted as a row). */
  header(line: string): void {
    this.buffered.push(line);
    this.bufferedChars += line.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.bufferedChars >= 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const chunk = this.buffered.join('');
    this.buffered = [];
    this.bufferedChars = 0;
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
      : (entity: Entity, cells: Cell[]): string => jsonLine(DEMO_FILE_COLUMNS[entity], cells);

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
