import { describe, expect, it } from 'vitest';
import { unknownColumnRejections, unknownColumns, validateRecord } from '../../src/ingest/validate.js';
import { ctx, reasonFor, recordOf } from './validate-helpers.js';

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
