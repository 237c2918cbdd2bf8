import { describe, expect, it } from 'vitest';
import { recordOf, rejectionsOf } from './validate-helpers.js';

const may = Date.UTC(2024, 4, 1, 10, 30); // 2024-05-01T12:30:00+02:00

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
