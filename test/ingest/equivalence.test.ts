/**
 * The hot path (`validateRecord`, hand-written coercion) and the zod schemas (`validateRecordWithZod`) must
 * accept, produce and reject exactly the same things with the same reasons: zod documents the HTTP API, the hot
 * path runs imports. Every column of every entity is fed every value of a corpus of awkward inputs.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ENTITIES, type Entity } from '../../src/core/records.js';
import { ENTITY_SCHEMAS, knownColumns, validateRecord, validateRecordWithZod } from '../../src/ingest/validate.js';

const CORPUS: unknown[] = [
  undefined,
  null,
  '',
  '   ',
  'abc',
  ' padded ',
  'x'.repeat(256),
  'x'.repeat(257),
  'y'.repeat(1001),
  'z'.repeat(32_769),
  '0',
  '-1',
  '1.5',
  ' 42 ',
  '1e3',
  '1e999',
  '0x10',
  'Infinity',
  'NaN',
  '.5',
  '5.',
  '+7',
  '1,5',
  0,
  -1,
  1.5,
  10,
  11,
  1e20,
  true,
  false,
  [],
  ['a@x.io', ' b@x.io ', null, 3],
  [{}],
  ['w'.repeat(257)],
  'a@x.io;;b@x.io ; ',
  {},
  { a: 1 },
  { big: 'q'.repeat(16_400) },
  // 32 levels of objects (the limit) and 33; as objects and as JSON text.
  JSON.parse('{"a":'.repeat(31) + '1' + '}'.repeat(31)) as unknown,
  JSON.parse('{"a":'.repeat(32) + '[1]' + '}'.repeat(32)) as unknown,
  '{"a":'.repeat(31) + '1' + '}'.repeat(31),
  '{"a":'.repeat(32) + '[1]' + '}'.repeat(32),
  '{"a":1}',
  '{"a":',
  '[1]',
  '"str"',
  'eur',
  'EURO',
  'abc',
  ' xau ',
  'HRK',
  'Message',
  ' AGENT ',
  'review',
  'poll',
  '2024-05-01',
  '2024-05-01T12:30:00+02:00',
  '2024-02-30',
  '2024-13-01T00:00:00Z',
  '1714566600',
  1714566600,
  1714566600123,
  171456660,
  '1969-12-31',
];

const BASE: Record<Entity, Record<string, unknown>> = {
  customers: { customer_id: 'C1' },
  events: { customer_id: 'C1', occurred_at: '2024-05-01', type: 'x' },
  orders: { customer_id: 'C1', order_id: 'O1', ordered_at: '2024-05-01', amount: '1', currency: 'EUR' },
  tickets: { customer_id: 'C1', ticket_id: 'T1', occurred_at: '2024-05-01', kind: 'opened' },
  feedback: { customer_id: 'C1', feedback_id: 'F1', occurred_at: '2024-05-01', source: 'survey' },
};

describe('hot path and zod schemas', () => {
  it.each(ENTITIES)('agree on every corpus value in every %s column', (entity) => {
    let compared = 0;
    let rejected = 0;
    for (const column of knownColumns(entity)) {
      for (const value of CORPUS) {
        const values = { ...BASE[entity], [column]: value };
        const ctx = { line: 3, defaultCurrency: 'usd' };
        const fast = validateRecord(entity, values, ctx);
        const reference = validateRecordWithZod(entity, values, ctx);
        expect({ column, value, result: fast }).toEqual({ column, value, result: reference });
        compared++;
        if (!fast.ok) rejected++;
      }
    }
    // The corpus must exercise both outcomes, or the comparison proves little.
    expect(rejected).toBeGreaterThan(compared / 4);
    expect(rejected).toBeLessThan(compared);
  });

  it('agree on rows with several problems and on cross-column rules', () => {
    const rows: [Entity, Record<string, unknown>][] = [
      ['events', { timestamp: 'later', event: '', value: 'abc', prop_a: 'x' }],
      ['orders', { email: 'a@x.io', order_id: '', ordered_at: 1714566600, amount: '-3', currency: '' }],
      ['customers', { customer_id: '', first_name: 'A', last_name: 'B', properties: '{"a":1}', 'properties.b': 2 }],
      [
        'tickets',
        { anonymous_id: 'd', ticket_id: 'T', occurred_at: '2024-05-01', kind: 'closed', author_role: 'robot' },
      ],
      [
        'feedback',
        { phone: '+1', feedback_id: 'F', occurred_at: '2024-05-01', source: 'chat', nps: '7', stars: '4.5' },
      ],
    ];
    for (const [entity, values] of rows) {
      expect(validateRecord(entity, values, { line: 9 })).toEqual(validateRecordWithZod(entity, values, { line: 9 }));
    }
  });
});

describe('ENTITY_SCHEMAS', () => {
  it.each(ENTITIES)('documents %s as JSON Schema with its required columns', (entity) => {
    const schema = z.toJSONSchema(ENTITY_SCHEMAS[entity], { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
      required?: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(knownColumns(entity));
    for (const column of Object.values(schema.properties)) expect(column.description).toBeTruthy();
    const required = {
      customers: ['customer_id'],
      events: undefined,
      orders: ['order_id', 'ordered_at', 'amount'],
      tickets: ['ticket_id', 'occurred_at', 'kind'],
      feedback: ['feedback_id', 'occurred_at', 'source'],
    };
    expect(schema.required).toEqual(required[entity]);
  });
});
