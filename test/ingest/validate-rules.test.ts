import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../src/ingest/validate.js';
import { ctx, reasonFor, rejectionsOf } from './validate-helpers.js';

describe('validateRecord rejections', () => {
  it('limits the depth of properties also when they come from properties.<name> / prop_<name> keys', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 1 : { a: nest(levels - 1) });
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const event = { customer_id: 'C1', occurred_at: '2024-05-01', type: 'x' };
    const tooDeep = 'nested more than 32 levels deep (with the properties.* columns)';
    expect(reasonFor('events', { ...event, prop_x: deep }, 'properties')).toBe(tooDeep);
    // 32 levels under a key: 33 in the merged properties.
    expect(reasonFor('events', { ...event, 'properties.x': nest(32) }, 'properties')).toBe(tooDeep);
    expect(validateRecord('events', { ...event, 'properties.x': nest(31) }, ctx).ok).toBe(true);
    // As text (CSV), a few brackets skip the walk; 33 levels are still refused.
    expect(reasonFor('events', { ...event, properties: JSON.stringify(nest(33)) }, 'properties')).toBe('nested more than 32 levels deep');
    expect(validateRecord('events', { ...event, properties: JSON.stringify(nest(32)) }, ctx).ok).toBe(true);
  });

  it('says what a wrong value was and what was expected', () => {
    expect(reasonFor('orders', { amount: 'abc' }, 'amount')).toBe("must be a number, got 'abc'");
    expect(reasonFor('orders', { amount: true }, 'amount')).toBe('must be a number, got true');
    expect(reasonFor('orders', { amount: '1,5' }, 'amount')).toBe("must be a number, got '1,5'");
    expect(reasonFor('orders', { amount: '0x10' }, 'amount')).toBe("must be a number, got '0x10'");
    expect(reasonFor('orders', { amount: 'Infinity' }, 'amount')).toBe("must be a number, got 'Infinity'");
    expect(reasonFor('orders', { items: '1.5' }, 'items')).toBe("must be an integer from 0 to 2147483647, got '1.5'");
    expect(reasonFor('orders', { items: -1 }, 'items')).toBe('must be an integer from 0 to 2147483647, got -1');
    expect(reasonFor('events', { occurred_at: '0000000000' }, 'occurred_at')).toBe("'0000000000' is the zero epoch (1970-01-01T00:00:00Z), a placeholder rather than a time");
    expect(reasonFor('events', { occurred_at: '1970-01-01T01:00:00+01:00' }, 'occurred_at')).toMatch(/zero epoch/);
    // On a customer record the placeholder means "not given": the record is kept without it.
    const customer = validateRecord('customers', { customer_id: 'C1', created_at: '1970-01-01T00:00:00Z' }, ctx);
    expect(customer.ok && customer.record.createdAt).toBeUndefined();
    expect(reasonFor('orders', { items: 3_000_000_000 }, 'items')).toBe('must be an integer from 0 to 2147483647, got 3000000000');
    expect(reasonFor('orders', { amount: 1e15 }, 'amount')).toBe('must be less than 100,000,000,000,000 either way, got 1000000000000000');
    expect(reasonFor('events', { event_id: Number('12345678901234567890') }, 'event_id')).toBe('must be a string, got 12345678901234567000');
    expect(reasonFor('orders', { currency: 'EURO' }, 'currency')).toBe(
      "must be a 3-letter ISO 4217 currency code, got 'EURO'",
    );
    // Three letters are not enough: the code must be on ISO 4217's list (current, or withdrawn since 2007).
    expect(reasonFor('orders', { currency: 'ABC' }, 'currency')).toBe("must be a 3-letter ISO 4217 currency code, got 'ABC'");
    for (const [given, stored] of [['hrk', 'HRK'], [' xau ', 'XAU'], ['Chf', 'CHF']]) {
      const order = validateRecord('orders', { customer_id: 'C1', order_id: 'O1', ordered_at: '2024-05-01', amount: '1', currency: given }, ctx);
      expect(order.ok && order.record.currency).toBe(stored);
    }
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
