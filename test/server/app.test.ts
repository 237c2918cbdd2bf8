import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'shop';
const day = (d: number, h = 12) => new Date(Date.UTC(2025, 0, d, h)).toISOString();

describeEachEngine('HTTP API', (ctx) => {
  let app: FastifyInstance;
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Shop', { identity: { defaultCountry: 'GB' }, defaultCurrency: 'GBP' });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  it('ingests a batch: stores valid records, reports invalid ones by index, field and reason', async () => {
    const customers = await post('/api/v1/customers/batch', {
      default_source: 'crm',
      records: [
        { customer_id: 'C1', name: 'Grace Hopper', email: 'Grace@Example.com', phone: '07911 123456' },
        { customer_id: 'C2', name: 'Alan Turing', email: 'alan@example.com' },
        { name: 'No Id' },
      ],
    });
    expect(customers.statusCode).toBe(200);
    const body = customers.json<{ stored: number; rejected: number; errors: { index: number; field: string }[] }>();
    expect(body.stored).toBe(2);
    expect(body.rejected).toBe(1);
    expect(body.errors[0]).toMatchObject({ index: 2, field: 'customer_id' });

    const events = await post('/api/v1/events/batch', {
      records: [
        ...Array.from({ length: 30 }, (_, i) => ({ event_id: `e${i}`, email: 'grace@example.com', occurred_at: day(1 + (i % 20)), type: 'page_view', channel: i % 2 ? 'web' : 'app' })),
        { event_id: 'bad', email: 'grace@example.com', occurred_at: 'yesterday', type: 'page_view' },
      ],
    });
    const ev = events.json<{ stored: number; rejected: number; errors: { index: number; field: string }[] }>();
    expect(ev).toMatchObject({ stored: 30, rejected: 1 });
    expect(ev.errors[0]).toMatchObject({ index: 30, field: 'occurred_at' });

    await post('/api/v1/orders/batch', { records: [{ order_id: 'O1', customer_id: 'C1', id_source: 'crm', ordered_at: day(3), amount: '42.50' }] });
    await post('/api/v1/feedback/batch', {
      records: [
        { feedback_id: 'F1', email: 'grace@example.com', occurred_at: day(4), source: 'survey', nps: 10, text: 'Lovely' },
        { feedback_id: 'F2', email: 'alan@example.com', occurred_at: day(5), source: 'survey', nps: 3, csat: 2 },
      ],
    });
    await post('/api/v1/tickets/batch', {
      records: [
        { ticket_id: 'T1', ticket_event_id: 'T1-1', email: 'grace@example.com', occurred_at: day(6, 9), kind: 'opened', status: 'open', author_role: 'customer', channel: 'chat', team: 'chat-support', subject: 'Where is my parcel?' },
        { ticket_id: 'T1', ticket_event_id: 'T1-2', email: 'grace@example.com', occurred_at: day(6, 10), kind: 'message', author_role: 'agent', body: 'On its way' },
      ],
    });
  });

  it('is idempotent: the same batch again stores nothing new', async () => {
    const again = await post('/api/v1/orders/batch', { records: [{ order_id: 'O1', customer_id: 'C1', id_source: 'crm', ordered_at: day(3), amount: '42.50' }] });
    expect(again.json()).toMatchObject({ stored: 0, updated: 1 });
    const rows = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE workspace_id = $1`, [WS]);
    expect(rows[0]?.n).toBe(1);
  });

  it('finds a customer by a differently written email, phone or name', async () => {
    for (const q of ['GRACE@example.com ', '+447911123456', '07911 123456', 'grace', 'hopper', 'c1']) {
      const res = await get(`/api/v1/customers?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      const items = res.json<{ items: { name: string }[] }>().items;
      expect(items.map((i) => i.name), q).toContain('Grace Hopper');
    }
  });

  it('shows a profile with its identities, why they are linked, and key figures', async () => {
    const search = await get('/api/v1/customers?q=grace%40example.com');
    const id = search.json<{ items: { profileId: number }[] }>().items[0]!.profileId;
    const res = await get(`/api/v1/customers/${id}`);
    expect(res.statusCode).toBe(200);
    const p = res.json<{ name: string; identities: { key: string; linkedBy: string }[]; figures: Record<string, unknown> }>();
    expect(p.name).toBe('Grace Hopper');
    expect(p.identities.map((i) => i.key).sort()).toEqual(['email:grace@example.com', 'ext:crm:C1', 'phone:+447911123456']);
    expect(p.identities.every((i) => i.linkedBy.length > 0)).toBe(true);
    expect(p.figures).toMatchObject({ events: 30, orders: 1, revenue: 42.5, tickets: 1, openTickets: 1, feedback: 1, latestNps: { score: 10 } });
  });

  it('pages the timeline without gaps or repeats, and filters by kind and channel', async () => {
    const search = await get('/api/v1/customers?q=grace%40example.com');
    const id = search.json<{ items: { profileId: number }[] }>().items[0]!.profileId;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/customers/${id}/timeline?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<{ items: { kind: string; id: string; at: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((i) => `${i.kind}:${i.id}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(30 + 1 + 2 + 1);
    expect(new Set(seen).size).toBe(seen.length);
    const web = await get(`/api/v1/customers/${id}/timeline?kinds=event&channel=web&limit=100`);
    const items = web.json<{ items: { kind: string; channel: string }[] }>().items;
    expect(items.length).toBe(15);
    expect(items.every((i) => i.kind === 'event' && i.channel === 'web')).toBe(true);
  });

  it('summarises volumes by channel and scores on the overview', async () => {
    const res = await get('/api/v1/overview?from=2025-01-01&to=2025-02-01&bucket=week');
    expect(res.statusCode).toBe(200);
    const o = res.json<{ totals: Record<string, number>; volumes: { channel: string; count: number }[]; scores: { nps: { score: number; responses: number }; csat: { average: number } } }>();
    expect(o.totals).toMatchObject({ events: 30, orders: 1, feedback: 2, tickets: 1, customers: 2 });
    expect(o.volumes.reduce((n, v) => n + v.count, 0)).toBe(30);
    expect(o.scores.nps).toMatchObject({ score: 0, responses: 2 });
    expect(o.scores.csat.average).toBe(2);
  });

  it('answers errors as problem+json', async () => {
    const missing = await get('/api/v1/customers/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not found' });
    const badQuery = await get('/api/v1/overview?bucket=year');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(badQuery.json<{ errors: { field: string }[] }>().errors[0]?.field).toMatch(/bucket/);
    const badEntity = await post('/api/v1/widgets/batch', { records: [{}] });
    expect(badEntity.statusCode).toBe(400);
    const tooMany = await post('/api/v1/events/batch', { records: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.statusCode).toBe(400);
    const noWorkspace = await get('/api/v1/overview?workspace=nope');
    expect(noWorkspace.statusCode).toBe(404);
    const badCursor = await get('/api/v1/customers?cursor=zzz');
    expect(badCursor.statusCode).toBe(400);
  });

  it('serves an OpenAPI document that lists every route', async () => {
    const res = await get('/api/openapi.json');
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/workspaces',
        '/api/v1/overview',
        '/api/v1/customers',
        '/api/v1/customers/{profileId}',
        '/api/v1/customers/{profileId}/timeline',
        '/api/v1/customers/{profileId}/unmerge',
        '/api/v1/{entity}/batch',
      ]),
    );
    type Op = { responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }> };
    const overview = (doc.paths['/api/v1/overview'] as { get: Op }).get;
    expect(Object.keys(overview.responses['200']?.content?.['application/json']?.schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['range', 'totals', 'volumes', 'scores', 'scoreTrend']),
    );
    expect(overview.responses['400']).toBeDefined();
  });
});
