/**
 * A customer's key figures as a user reads them: revenue is never summed across currencies (the profile, the
 * list and the overview agree), and "last seen" is the same in the list as on the profile, tickets included.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'figures';

describeEachEngine('customer figures', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Figures', { identity: { defaultCountry: 'GB' }, defaultCurrency: 'GBP' });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  const post = async (entity: string, records: unknown[]) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/${entity}/batch?workspace=${WS}`, payload: { default_source: 'crm', records } });
    expect(res.json<{ stored: number }>().stored).toBe(records.length);
  };
  const get = async <T>(url: string) => (await app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}workspace=${WS}` })).json<T>();

  it('finds a name by the start of any of its words, hyphenated or after an apostrophe', async () => {
    await post('customers', [{ customer_id: 'N1', name: "Zoë O'Brien-Ünal" }]);
    for (const q of ['zoë', 'o\'brien', 'brien', 'ünal', 'ÜNAL']) {
      const found = await get<{ items: { name: string }[] }>(`/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(found.items.map((i) => i.name), q).toContain("Zoë O'Brien-Ünal");
    }
    expect((await get<{ items: unknown[] }>('/api/v1/customers?q=nal')).items).toEqual([]);
  });

  it('finds a name by several words in any order, and by one Chinese character', async () => {
    await post('customers', [
      { customer_id: 'W1', name: 'Max Smith' },
      { customer_id: 'W2', name: 'Maxine Smithers' },
      { customer_id: 'W3', name: 'Chloé Müller 李' },
      { customer_id: 'W4', name: 'Max Power' },
    ]);
    const names = async (q: string) =>
      (await get<{ items: { name: string }[] }>(`/api/v1/customers?q=${encodeURIComponent(q)}`)).items.map((i) => i.name).sort();
    expect(await names('smith max')).toEqual(['Max Smith', 'Maxine Smithers']);
    expect(await names('max  smith ')).toEqual(['Max Smith', 'Maxine Smithers']);
    expect(await names('smithers max')).toEqual(['Maxine Smithers']);
    expect(await names('power smith')).toEqual([]);
    expect(await names('李')).toEqual(['Chloé Müller 李']);
    expect(await names('müller 李')).toEqual(['Chloé Müller 李']);
    // Words past the sixth are not matched (each costs a scan of every name).
    expect(await names('max smith max smith max smith nobody')).toEqual(['Max Smith', 'Maxine Smithers']);
    // One Latin letter is too little to search names by.
    expect(await names('m')).toEqual([]);
  });

  it('lists a customer with the email seen first, not the alphabetically first', async () => {
    await post('customers', [{ customer_id: 'E1', name: 'Hana Example', email: 'hana@example.com', created_at: '2025-01-01T10:00:00Z' }]);
    await post('events', [{ event_id: 'e-e1', customer_id: 'E1', email: 'a.hana.work@example.com', occurred_at: '2026-01-02T10:00:00Z', type: 'visit' }]);
    const found = await get<{ items: { name: string; email: string }[] }>(`/api/v1/customers?q=${encodeURIComponent('hana example')}`);
    expect(found.items).toEqual([expect.objectContaining({ name: 'Hana Example', email: 'hana@example.com' })]);
  });

  it('keeps currencies apart and agrees on last seen', async () => {
    await post('orders', [
      { order_id: 'o1', customer_id: 'F1', ordered_at: '2026-01-01T10:00:00Z', amount: 10.5, currency: 'GBP' },
      { order_id: 'o2', customer_id: 'F1', ordered_at: '2026-01-02T10:00:00Z', amount: -3 },
      { order_id: 'o3', customer_id: 'F1', ordered_at: '2026-01-03T10:00:00Z', amount: 5, currency: 'USD' },
    ]);
    await post('events', [{ event_id: 'v1', customer_id: 'F1', occurred_at: '2026-01-04T10:00:00Z', type: 'visit' }]);
    await post('tickets', [{ ticket_id: 'T1', customer_id: 'F1', occurred_at: '2026-01-09T10:00:00Z', kind: 'opened' }]);
    const list = await get<{ items: { profileId: number; revenue: number; currency: string; orders: number; lastSeenAt: string }[] }>('/api/v1/customers?q=F1');
    expect(list.items, JSON.stringify(list)).toBeDefined();
    const item = list.items[0]!;
    expect(item).toMatchObject({ orders: 3, revenue: 7.5, currency: 'GBP' });
    const profile = await get<{ figures: { orders: number; revenue: number; currency: string; otherCurrencies: unknown[]; lastSeenAt: string } }>(`/api/v1/customers/${item.profileId}`);
    expect(profile.figures).toMatchObject({ orders: 3, revenue: 7.5, currency: 'GBP', otherCurrencies: [{ currency: 'USD', orders: 1, revenue: 5 }] });
    expect(Date.parse(profile.figures.lastSeenAt)).toBe(Date.parse('2026-01-09T10:00:00Z'));
    expect(Date.parse(item.lastSeenAt)).toBe(Date.parse(profile.figures.lastSeenAt));
    const overview = await get<{ totals: { orders: number; revenue: number; currency: string; otherCurrencies: unknown[] } }>('/api/v1/overview?from=2026-01-01&to=2026-02-01');
    expect(overview.totals).toMatchObject({ orders: 3, revenue: 7.5, currency: 'GBP', otherCurrencies: [{ currency: 'USD', orders: 1, revenue: 5 }] });
  });
});
