import { describe, expect, it } from 'vitest';
import type { RowRejection } from '../../src/core/records.js';
import {
  unknownColumnRejections,
  unknownColumns,
  validateRecord,
  type ValidationContext,
} from '../../src/ingest/validate.js';

const ctx: ValidationContext = { line: 7 };
const may = Date.UTC(2024, 4, 1, 10, 30); // 2024-05-01T12:30:00+02:00

function recordOf<E extends Parameters<typeof validateRecord>[0]>(entity: E, values: Record<string, unknown>, c = ctx) {
  const result = validateRecord(entity, values, c);
  if (!result.ok) throw new Error(`unexpected rejections: ${JSON.stringify(result.rejections)}`);
  return result.record;
}

function rejectionsOf(entity: Parameters<typeof validateRecord>[0], values: Record<string, unknown>): RowRejection[] {
  const result = validateRecord(entity, values, ctx);
  if (result.ok) throw new Error(`expected rejections, got ${JSON.stringify(result.record)}`);
  return result.rejections;
}

const reasonFor = (entity: Parameters<typeof validateRecord>[0], values: Record<string, unknown>, field: string) =>
  rejectionsOf(entity, values).find((r) => r.field === field)?.reason;

describe('validateRecord happy paths (CSV strings, snake_case → record)', () => {
  it('maps a customer, joining first and last name and splitting extra emails and phones', () => {
    const record = recordOf('customers', {
      customer_id: ' C1 ',
      id_source: 'shop',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 1234',
      anonymous_id: 'dev-1',
      emails: 'ada@work.example; ;ada@old.example',
      phones: '+44 1;+44 2',
      country: 'GB',
      created_at: '2024-05-01T12:30:00+02:00',
      properties: '{"tier":"gold"}',
    });
    expect(record).toEqual({
      source: 'shop',
      customerId: 'C1',
      email: 'ada@example.com',
      phone: '+44 20 1234',
      anonymousId: 'dev-1',
      name: 'Ada Lovelace',
      extraEmails: ['ada@work.example', 'ada@old.example'],
      extraPhones: ['+44 1', '+44 2'],
      country: 'GB',
      createdAt: may,
      properties: { tier: 'gold' },
    });
  });

  it('maps an event, keeping the UTC offset and the given event_id', () => {
    const record = recordOf('events', {
      event_id: 'E1',
      customer_id: 'C1',
      occurred_at: '2024-05-01T12:30:00+02:00',
      type: 'page_view',
      channel: 'web',
      touchpoint: 'checkout',
      team: 'growth',
      value: '12.50',
    });
    expect(record).toEqual({
      source: 'default',
      customerId: 'C1',
      eventId: 'E1',
      occurredAt: may,
      utcOffsetMin: 120,
      type: 'page_view',
      channel: 'web',
      touchpoint: 'checkout',
      team: 'growth',
      value: 12.5,
    });
  });

  it('accepts the timestamp and event aliases for events', () => {
    const record = recordOf('events', { email: 'a@example.com', timestamp: '1714566600', event: 'login' });
    expect(record).toMatchObject({ email: 'a@example.com', occurredAt: 1714566600000, utcOffsetMin: 0, type: 'login' });
    expect(record.source).toBeUndefined();
  });

  it('maps an order, upper-casing the currency and allowing a negative amount', () => {
    const record = recordOf('orders', {
      order_id: 'O1',
      customer_id: 'C1',
      ordered_at: '2024-05-01 12:30:00+0200',
      amount: '-19.99',
      currency: 'eur',
      channel: 'store',
      touchpoint: 'till',
      status: 'refunded',
      items: '2',
    });
    expect(record).toEqual({
      source: 'default',
      customerId: 'C1',
      orderId: 'O1',
      orderedAt: may,
      utcOffsetMin: 120,
      amount: -19.99,
      currency: 'EUR',
      channel: 'store',
      touchpoint: 'till',
      status: 'refunded',
      items: 2,
    });
  });

  it('uses the default currency for orders without one, and requires one when there is no default', () => {
    const values = { order_id: 'O1', email: 'a@example.com', ordered_at: '2024-05-01', amount: '5' };
    expect(recordOf('orders', values, { line: 3, defaultCurrency: 'usd' }).currency).toBe('USD');
    expect(rejectionsOf('orders', values)).toEqual([
      { line: 7, field: 'currency', reason: 'required (no currency column and no default currency)' },
    ]);
  });

  it('maps a ticket stream entry, lower-casing kind and author_role', () => {
    const record = recordOf('tickets', {
      ticket_id: 'T1',
      ticket_event_id: 'TE1',
      customer_id: 'C1',
      occurred_at: '2024-05-01T12:30:00+02:00',
      kind: 'Message',
      status: 'open',
      author_role: ' AGENT ',
      author: 'sam',
      team: 'support',
      channel: 'email',
      subject: 'Where is my order?',
      priority: 'high',
      body: '  Hi,\nit is on its way.  ',
    });
    expect(record).toEqual({
      source: 'default',
      customerId: 'C1',
      ticketId: 'T1',
      ticketEventId: 'TE1',
      occurredAt: may,
      utcOffsetMin: 120,
      kind: 'message',
      status: 'open',
      authorRole: 'agent',
      author: 'sam',
      team: 'support',
      channel: 'email',
      subject: 'Where is my order?',
      priority: 'high',
      body: '  Hi,\nit is on its way.  ',
    });
  });

  it('maps feedback, source becoming feedbackSource', () => {
    const record = recordOf('feedback', {
      feedback_id: 'F1',
      anonymous_id: 'dev-9',
      occurred_at: '2024-05-01',
      source: 'review',
      survey: 'trustpilot',
      nps: '9',
      csat: '5',
      ces: '2',
      stars: '4',
      text: 'Great service',
      touchpoint: 'delivery',
      channel: 'web',
      team: 'logistics',
    });
    expect(record).toEqual({
      anonymousId: 'dev-9',
      feedbackId: 'F1',
      occurredAt: Date.UTC(2024, 4, 1),
      utcOffsetMin: 0,
      feedbackSource: 'review',
      survey: 'trustpilot',
      nps: 9,
      csat: 5,
      ces: 2,
      stars: 4,
      text: 'Great service',
      touchpoint: 'delivery',
      channel: 'web',
      team: 'logistics',
    });
  });

  it('accepts JSON values: numbers, arrays and objects', () => {
    expect(
      recordOf('customers', {
        customer_id: 42,
        emails: ['a@x.io', null, ' b@x.io '],
        phones: [4930123],
        properties: { a: [1] },
      }),
    ).toMatchObject({
      customerId: '42',
      extraEmails: ['a@x.io', 'b@x.io'],
      extraPhones: ['4930123'],
      properties: { a: [1] },
    });
    expect(
      recordOf('orders', {
        order_id: 7,
        customer_id: 'C1',
        ordered_at: 1714566600123,
        amount: 3,
        currency: 'EUR',
        items: 0,
      }),
    ).toMatchObject({
      orderId: '7',
      orderedAt: 1714566600123,
      amount: 3,
      items: 0,
    });
  });

  it('takes id_source, then the default source from the context, then "default"', () => {
    const values = { customer_id: 'C1', occurred_at: '2024-05-01', type: 'x' };
    expect(recordOf('events', { ...values, id_source: 'crm' }).source).toBe('crm');
    expect(recordOf('events', values, { line: 1, defaultSource: 'shop' }).source).toBe('shop');
    expect(recordOf('events', values).source).toBe('default');
  });

  it('treats empty strings, whitespace and null as absent', () => {
    const record = recordOf('events', {
      customer_id: 'C1',
      email: '',
      phone: '  ',
      occurred_at: '2024-05-01',
      type: 'x',
      value: '',
      channel: null,
    });
    expect(record).toMatchObject({ customerId: 'C1', type: 'x' });
    expect(record.email).toBeUndefined();
    expect(record.phone).toBeUndefined();
    expect(record.value).toBeUndefined();
    expect(record.channel).toBeUndefined();
  });
});

describe('validateRecord rejections', () => {
  it('says what a wrong value was and what was expected', () => {
    expect(reasonFor('orders', { amount: 'abc' }, 'amount')).toBe("must be a number, got 'abc'");
    expect(reasonFor('orders', { amount: true }, 'amount')).toBe('must be a number, got true');
    expect(reasonFor('orders', { amount: '1,5' }, 'amount')).toBe("must be a number, got '1,5'");
    expect(reasonFor('orders', { amount: '0x10' }, 'amount')).toBe("must be a number, got '0x10'");
    expect(reasonFor('orders', { amount: 'Infinity' }, 'amount')).toBe("must be a number, got 'Infinity'");
    expect(reasonFor('orders', { items: '1.5' }, 'items')).toBe("must be a non-negative integer, got '1.5'");
    expect(reasonFor('orders', { items: -1 }, 'items')).toBe('must be a non-negative integer, got -1');
    expect(reasonFor('orders', { currency: 'EURO' }, 'currency')).toBe(
      "must be a 3-letter ISO 4217 currency code, got 'EURO'",
    );
    expect(reasonFor('feedback', { source: 'poll' }, 'source')).toBe(
      "must be one of survey, review, ticket, chat, social, email, got 'poll'",
    );
    expect(reasonFor('feedback', { nps: '11' }, 'nps')).toBe("must be an integer from 0 to 10, got '11'");
    expect(reasonFor('feedback', { csat: '0' }, 'csat')).toBe("must be an integer from 1 to 5, got '0'");
    expect(reasonFor('feedback', { ces: 8 }, 'ces')).toBe('must be an integer from 1 to 7, got 8');
    expect(reasonFor('tickets', { kind: 'reopened' }, 'kind')).toBe(
      "must be one of opened, message, status, assigned, closed, got 'reopened'",
    );
    expect(reasonFor('events', { type: { a: 1 } }, 'type')).toBe('must be a string, got an object');
    expect(reasonFor('events', { occurred_at: '2024-02-30' }, 'occurred_at')).toBe(
      "not a valid date: '2024-02-30' (February 2024 has 29 days)",
    );
    expect(reasonFor('events', { occurred_at: false }, 'occurred_at')).toBe(
      'must be a timestamp string or epoch number, got false',
    );
  });

  it('reports every missing required column of a row, on the row line', () => {
    expect(rejectionsOf('orders', { customer_id: 'C1', currency: 'EUR' })).toEqual([
      { line: 7, field: 'order_id', reason: 'required' },
      { line: 7, field: 'ordered_at', reason: 'required' },
      { line: 7, field: 'amount', reason: 'required' },
    ]);
    expect(rejectionsOf('events', { customer_id: 'C1', type: '' })).toEqual([
      { line: 7, field: 'occurred_at', reason: 'required' },
      { line: 7, field: 'type', reason: 'required' },
    ]);
    expect(rejectionsOf('customers', { email: 'a@example.com' })).toEqual([
      { line: 7, field: 'customer_id', reason: 'required' },
    ]);
    expect(rejectionsOf('tickets', { customer_id: 'C1' }).map((r) => r.field)).toEqual([
      'ticket_id',
      'occurred_at',
      'kind',
    ]);
    expect(rejectionsOf('feedback', { customer_id: 'C1' }).map((r) => r.field)).toEqual([
      'feedback_id',
      'occurred_at',
      'source',
    ]);
  });

  it('does not call an invalid required column missing as well', () => {
    const rejections = rejectionsOf('events', { customer_id: 'C1', occurred_at: 'soon', type: 'x' });
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[7, 'occurred_at']]);
    expect(rejections[0]!.reason).toContain("unrecognised timestamp 'soon'");
  });

  it.each(['events', 'orders', 'tickets', 'feedback'] as const)('requires a customer identifier on %s', (entity) => {
    const rejections = rejectionsOf(entity, { id_source: 'crm' });
    expect(rejections).toContainEqual({
      line: 7,
      field: 'customer_id',
      reason: 'needs at least one of customer_id, email, phone, anonymous_id',
    });
  });

  it('reports every bad column of a row together', () => {
    const rejections = rejectionsOf('orders', {
      customer_id: 'C1',
      order_id: 'O1',
      ordered_at: 'x',
      amount: 'y',
      currency: '€',
      items: 'z',
    });
    expect(rejections.map((r) => r.field)).toEqual(['ordered_at', 'amount', 'currency', 'items']);
  });

  it('enforces length limits on ids, short text, free text, lists and properties', () => {
    const longest = (n: number) => 'x'.repeat(n);
    expect(reasonFor('events', { customer_id: longest(257) }, 'customer_id')).toBe('longer than 256 characters');
    expect(reasonFor('events', { channel: longest(1001) }, 'channel')).toBe('longer than 1000 characters');
    expect(reasonFor('tickets', { body: longest(32_769) }, 'body')).toBe('longer than 32768 characters');
    expect(reasonFor('feedback', { text: longest(32_769) }, 'text')).toBe('longer than 32768 characters');
    expect(reasonFor('customers', { emails: `a@x.io;${longest(257)}` }, 'emails')).toBe(
      'has an entry longer than 256 characters',
    );
    expect(reasonFor('events', { properties: `{"a":"${longest(16_380)}"}` }, 'properties')).toBe(
      'longer than 16384 characters',
    );
    expect(reasonFor('events', { properties: { a: longest(16_380) } }, 'properties')).toBe(
      'longer than 16384 characters',
    );
    expect(reasonFor('events', { prop_a: longest(10_000), prop_b: longest(10_000) }, 'properties')).toBe(
      'longer than 16384 characters (with the properties.* columns)',
    );
    // At the limit is fine.
    const ok = validateRecord(
      'events',
      { customer_id: longest(256), occurred_at: '2024-05-01', type: longest(1000), team: longest(1000) },
      ctx,
    );
    expect(ok.ok).toBe(true);
    expect(
      validateRecord(
        'tickets',
        { customer_id: 'C', ticket_id: 'T', occurred_at: '2024-05-01', kind: 'message', body: longest(32_768) },
        ctx,
      ).ok,
    ).toBe(true);
  });
});

describe('properties', () => {
  const base = { customer_id: 'C1', occurred_at: '2024-05-01', type: 'x' };

  it('merges the properties JSON with properties.<name> and prop_<name> columns, columns winning', () => {
    const record = recordOf('events', {
      ...base,
      properties: '{"plan":"free","seats":3}',
      'properties.plan': 'pro',
      prop_region: 'eu',
      prop_empty: '',
    });
    expect(record.properties).toEqual({ plan: 'pro', seats: 3, region: 'eu' });
  });

  it('builds properties from columns alone and leaves them out when there are none', () => {
    expect(
      recordOf('orders', {
        ...base,
        order_id: 'O',
        ordered_at: '2024-05-01',
        amount: '1',
        currency: 'EUR',
        'properties.coupon': 'SPRING',
      }).properties,
    ).toEqual({
      coupon: 'SPRING',
    });
    expect(recordOf('events', base).properties).toBeUndefined();
  });

  it('rejects properties that are not a JSON object', () => {
    expect(reasonFor('events', { properties: '{"a":' }, 'properties')).toMatch(
      /^must be a JSON object, got invalid JSON \(/,
    );
    expect(reasonFor('events', { properties: '[1,2]' }, 'properties')).toBe('must be a JSON object, got an array');
    expect(reasonFor('events', { properties: '"text"' }, 'properties')).toBe("must be a JSON object, got 'text'");
    expect(reasonFor('events', { properties: 5 }, 'properties')).toBe('must be a JSON object, got 5');
  });

  it('has no properties on ticket entries: such columns are unknown there', () => {
    const record = recordOf('tickets', {
      customer_id: 'C',
      ticket_id: 'T',
      occurred_at: '2024-05-01',
      kind: 'opened',
      prop_x: '1',
    });
    expect(record).not.toHaveProperty('properties');
    expect(unknownColumns('tickets', ['ticket_id', 'prop_x', 'properties'])).toEqual(['prop_x', 'properties']);
  });
});

describe('derived ids', () => {
  const row = {
    customer_id: 'C1',
    occurred_at: '2024-05-01T12:30:00+02:00',
    type: 'login',
    value: '2.50',
    prop_plan: 'pro',
  };

  it('derives the same event_id for the same row, so re-imports are idempotent', () => {
    const first = recordOf('events', row).eventId;
    expect(first).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(recordOf('events', { ...row }, { line: 99 }).eventId).toBe(first);
  });

  it('derives the same id from the JSON form of the same content', () => {
    const json = {
      customer_id: 'C1',
      occurred_at: '2024-05-01T10:30:00.000Z',
      type: 'login',
      value: 2.5,
      properties: { plan: 'pro' },
    };
    // Same instant but a different offset is different content.
    expect(recordOf('events', json).eventId).not.toBe(recordOf('events', row).eventId);
    expect(recordOf('events', { ...json, occurred_at: '2024-05-01T12:30:00+02:00' }).eventId).toBe(
      recordOf('events', row).eventId,
    );
  });

  it('derives different ids for rows that differ in any field', () => {
    const ids = new Set([
      recordOf('events', row).eventId,
      recordOf('events', { ...row, type: 'logout' }).eventId,
      recordOf('events', { ...row, value: '2.51' }).eventId,
      recordOf('events', { ...row, prop_plan: 'free' }).eventId,
      recordOf('events', { ...row, id_source: 'crm' }).eventId,
      recordOf('events', { ...row, channel: 'web' }).eventId,
    ]);
    expect(ids.size).toBe(6);
  });

  it('keeps a given event_id and derives ticket_event_id when absent', () => {
    expect(recordOf('events', { ...row, event_id: 'E9' }).eventId).toBe('E9');
    const entry = { customer_id: 'C1', ticket_id: 'T1', occurred_at: '2024-05-01', kind: 'message', body: 'hello' };
    const id = recordOf('tickets', entry).ticketEventId;
    expect(id).toMatch(/^h:/);
    expect(recordOf('tickets', entry).ticketEventId).toBe(id);
    expect(recordOf('tickets', { ...entry, body: 'hello!' }).ticketEventId).not.toBe(id);
  });
});

describe('unknown columns', () => {
  it('lists header names the entity does not use, accepting aliases and property columns', () => {
    expect(
      unknownColumns('events', [
        'customer_id',
        'timestamp',
        'event',
        'Email',
        'props',
        'prop_plan',
        'properties.x',
        '',
      ]),
    ).toEqual(['Email', 'props']);
    expect(unknownColumns('customers', ['customer_id', 'first_name', 'emails'])).toEqual([]);
  });

  it('turns them into line-1 rejections that say what was expected', () => {
    const [rejection, ...rest] = unknownColumnRejections('orders', ['order_id', 'total']);
    expect(rest).toEqual([]);
    expect(rejection).toMatchObject({ line: 1, field: 'total' });
    expect(rejection!.reason).toMatch(/^unknown column, ignored; expected one of /);
    expect(rejection!.reason).toContain('order_id, ordered_at, amount, currency');
    expect(rejection!.reason).toContain('prop_<name>');
    expect(unknownColumnRejections('orders', ['order_id'])).toEqual([]);
  });

  it('ignores unknown columns when validating a row', () => {
    expect(
      validateRecord(
        'events',
        { customer_id: 'C1', occurred_at: '2024-05-01', type: 'x', total: 'abc', constructor: 'x' },
        ctx,
      ).ok,
    ).toBe(true);
  });
});
