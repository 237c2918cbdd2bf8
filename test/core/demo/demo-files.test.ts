import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../../src/core/demo/index.js';
import type { CustomerLife } from '../../../src/core/demo/index.js';
import { ENTITIES } from '../../../src/core/records.js';
import type { Entity } from '../../../src/core/records.js';
import { DEMO_FILE_COLUMNS, csvField, isoTimestamp, writeDemoFiles } from '../../../src/ingest/demo-files.js';
import { collect } from './helpers.js';

const PEOPLE = 200;
let dir: string;
let lives: CustomerLife[];
const expected = (): Record<Entity, number> => ({
  customers: lives.reduce((n, l) => n + l.customers.length, 0),
  events: lives.reduce((n, l) => n + l.events.length, 0),
  orders: lives.reduce((n, l) => n + l.orders.length, 0),
  tickets: lives.reduce((n, l) => n + l.tickets.length, 0),
  feedback: lives.reduce((n, l) => n + l.feedback.length, 0),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kept-demo-'));
  lives = collect(generateDemo({ customers: PEOPLE }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('csvField', () => {
  it('quotes only when needed, doubling quotes', () => {
    expect(csvField(undefined)).toBe('');
    expect(csvField(42.5)).toBe('42.5');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded@example.com')).toBe('" padded@example.com"');
    expect(csvField({ journey: 'returns', step: 'refund_issued' })).toBe(
      '"{""journey"":""returns"",""step"":""refund_issued""}"',
    );
  });
});

describe('isoTimestamp', () => {
  it('matches Date#toISOString', () => {
    for (let i = 0; i < 5_000; i++) {
      const ms = 1_600_000_000_000 + i * 7_919_993 + (i % 1000);
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
    expect(isoTimestamp(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('writeDemoFiles', () => {
  it('writes CSV files that parse back to the generated records', async () => {
    const out = join(dir, 'csv');
    const result = await writeDemoFiles(out, { customers: PEOPLE });
    expect(result.rows).toEqual(expected());
    for (const entity of ENTITIES) {
      const text = await readFile(join(out, `${entity}.csv`), 'utf8');
      const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(rows).toHaveLength(result.rows[entity]);
      expect(text.slice(0, text.indexOf('\n'))).toBe(DEMO_FILE_COLUMNS[entity].join(','));
    }

    const events = parse(await readFile(join(out, 'events.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const generatedEvents = lives.flatMap((l) => l.events);
    events.forEach((row, i) => {
      const record = generatedEvents[i];
      expect(row.event_id).toBe(record?.eventId);
      expect(Date.parse(row.occurred_at ?? '')).toBe(record?.occurredAt);
      expect(row.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(row.properties ? JSON.parse(row.properties) : undefined).toEqual(record?.properties);
    });

    // Messy identifiers survive byte for byte, stray whitespace included.
    const customers = parse(await readFile(join(out, 'customers.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const generatedCustomers = lives.flatMap((l) => l.customers);
    customers.forEach((row, i) => {
      const record = generatedCustomers[i];
      expect(row.customer_id).toBe(record?.customerId);
      expect(row.id_source).toBe(record?.source);
      expect(row.email).toBe(record?.email ?? '');
      expect(row.phones).toBe((record?.extraPhones ?? []).join(';'));
    });
    expect(customers.some((row) => row.email !== row.email?.trim())).toBe(true);

    const tickets = parse(await readFile(join(out, 'tickets.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(tickets.every((row) => row.ticket_id && row.ticket_event_id && row.kind)).toBe(true);
    const feedback = parse(await readFile(join(out, 'feedback.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(new Set(feedback.map((row) => row.source))).toContain('survey');
  });

  it('writes JSONL with typed values and properties as objects', async () => {
    const out = join(dir, 'jsonl');
    const result = await writeDemoFiles(out, { customers: PEOPLE, format: 'jsonl' });
    expect(result.rows).toEqual(expected());
    for (const entity of ENTITIES) {
      const lines = (await readFile(join(out, `${entity}.jsonl`), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(result.rows[entity]);
      const allowed = new Set(DEMO_FILE_COLUMNS[entity]);
      for (const line of lines) {
        const row = JSON.parse(line) as Record<string, unknown>;
        expect(Object.keys(row).filter((key) => !allowed.has(key))).toEqual([]);
      }
    }
    const orders = (await readFile(join(out, 'orders.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { amount: unknown; currency: unknown });
    expect(orders.every((o) => typeof o.amount === 'number' && o.currency === 'GBP')).toBe(true);
  });
});
