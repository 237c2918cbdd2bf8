/**
 * Journeys API in-process: designed journeys (CRUD, validation), discovery, funnel, conformance, friction and
 * owner scorecards on a small hand-made workspace (both engines), and the demo's planted handoff delay as the
 * top friction item on a 2,000-customer demo (DuckDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { conformanceResponse, discoverResponse, frictionResponse, funnelResponse, scorecardResponse } from '../../src/server/routes/journey-schemas.js';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { createDemoWorkspace } from '../../src/ingest/demo-workspace.js';
import { openEngine } from '../../src/store/open-store.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'shop';
const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 3, 9);
const iso = (h: number) => new Date(T0 + h * H).toISOString();
const team = (name: string) => ({ kind: 'team', name });

type Discover = z.infer<typeof discoverResponse>;
type Funnel = z.infer<typeof funnelResponse>;
type Friction = z.infer<typeof frictionResponse>;

/** Orders o0..o9 by customers c0..c9: placed → packed (1 h) → shipped; orders 0–3 wait 50 h to ship, the rest 5 h. */
function orderEvents() {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < 10; i++) {
    const ship = i < 4 ? 51 : 6;
    const ev = (k: string, h: number, type: string, teamName: string) => ({
      event_id: `o${i}-${k}`, customer_id: `c${i}`, id_source: 'shop', occurred_at: iso(h + i), type, team: teamName, channel: 'web',
      properties: { order_id: `o${i}` },
    });
    out.push(ev('a', 0, 'order_placed', 'sales'), ev('b', 1, 'order_packed', 'warehouse'));
    if (i !== 9) out.push(ev('c', ship, 'order_shipped', 'courier'));
  }
  return out;
}

const journey = {
  name: 'Order to ship',
  owner: 'Ops lead',
  revenue_objective: { description: 'ship fast' },
  case: { by: 'property', property: 'order_id' },
  steps: [
    { name: 'Placed', match: { type: 'order_placed' }, owner: team('sales'), success_measure: 'paid', target_to_next: { value: 2, unit: 'hours' } },
    { name: 'Packed', match: { type: 'order_packed' }, owner: team('warehouse'), success_measure: 'packed right', target_to_next: { value: 1, unit: 'days' } },
    { name: 'Shipped', match: { type: 'order_shipped' }, owner: team('courier'), success_measure: 'on time' },
  ],
};

describeEachEngine('Journeys API', (ctx) => {
  let app: FastifyInstance;
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Shop', {});
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/events/batch', payload: { records: orderEvents() } });
    expect(res.json()).toMatchObject({ stored: 29, rejected: 0 });
  });
  afterAll(async () => app?.close());

  it('creates (201), replaces (200), lists, reads and deletes a designed journey', async () => {
    const put = (body: unknown) => app.inject({ method: 'PUT', url: '/api/v1/journeys/designed/ship', payload: body as object });
    const created = await put(journey);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'ship', created: true, journey: { name: 'Order to ship', window_days: 30 } });
    expect((await put(journey)).statusCode).toBe(200);
    const list = (await get('/api/v1/journeys/designed')).json<{ items: { id: string }[] }>();
    expect(list.items.map((i) => i.id)).toEqual(['ship']);
    expect((await get('/api/v1/journeys/designed/ship')).json()).toMatchObject({ journey: { steps: [{ name: 'Placed' }, {}, {}] } });
    await put({ ...journey, name: 'temp' }).then(async () => {
      await app.inject({ method: 'PUT', url: '/api/v1/journeys/designed/temp', payload: journey });
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/journeys/designed/temp' })).json()).toEqual({ deleted: 'temp' });
      expect((await get('/api/v1/journeys/designed/temp')).statusCode).toBe(404);
      await put(journey);
    });
  });

  it('rejects an invalid definition with each field and reason', async () => {
    const res = await app.inject({ method: 'PUT', url: '/api/v1/journeys/designed/bad', payload: { ...journey, steps: [{ ...journey.steps[0], target_to_next: { value: -1, unit: 'weeks' } }] } });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.steps', 'body.steps.0.target_to_next.value', 'body.steps.0.target_to_next.unit']));
  });

  it('discovers the process from all events and serves the second call from the cache until an import', async () => {
    const first = (await get('/api/v1/journeys/discover?gap_days=30')).json<Discover>();
    expect(first).toMatchObject({ cases: 10, events: 29, activities: 3, variants: 2, cached: false });
    expect(first.dfg[0]).toMatchObject({ from: 'order_placed', to: 'order_packed', count: 10, medianS: 3600 });
    const shipped = first.dfg.find((e) => e.to === 'order_shipped');
    expect(shipped).toMatchObject({ count: 9, medianS: 5 * 3600 });
    expect(first.handoffs.team!.pairs.map((p) => `${p.from}>${p.to}`)).toEqual(['sales>warehouse', 'warehouse>courier']);
    expect((await get('/api/v1/journeys/discover?gap_days=30')).json()).toMatchObject({ cached: true });
    expect((await get('/api/v1/journeys/discover?gap_days=30&min_edge_count=10')).json<{ dfg: unknown[] }>().dfg).toHaveLength(1);
    await app.inject({ method: 'POST', url: '/api/v1/events/batch', payload: { records: [{ event_id: 'late', customer_id: 'c9', id_source: 'shop', occurred_at: iso(20), type: 'order_shipped', team: 'courier', properties: { order_id: 'o9' } }] } });
    expect((await get('/api/v1/journeys/discover?gap_days=30')).json()).toMatchObject({ events: 30, cached: false });
  });

  it('measures the funnel: reached, in order, time between steps', async () => {
    const f = (await get('/api/v1/journeys/designed/ship/funnel')).json<Funnel>();
    expect(f.cases).toBe(10);
    expect(f.steps.map((s) => [s.reached, s.reachedInOrder])).toEqual([[10, 10], [10, 10], [10, 10]]);
    expect(f.steps[1]!.timeFromPrevious).toMatchObject({ count: 10, medianS: 3600 });
    // Waits 4 × 50 h, 5 × 5 h and o9's late 10 h (imported by the discovery test): median (5 + 10) / 2 h.
    expect(f.steps[2]!.timeFromPrevious!.medianS).toBe(7.5 * 3600);
    const narrow = (await get('/api/v1/journeys/designed/ship/funnel?window_days=1')).json<Funnel>();
    expect(narrow.steps[2]!.reachedInOrder).toBe(6);
    expect(narrow.steps[1]!.pathsAfterDrop).toEqual([{ activity: 'order_shipped', count: 4 }]);
  });

  it('replays the cases on the derived sequence model', async () => {
    const c = (await get('/api/v1/journeys/designed/ship/conformance')).json<z.infer<typeof conformanceResponse>>();
    expect(c).toMatchObject({ derivedModel: true, cases: 10, fitCases: 10, logFitness: 1 });
  });

  it('ranks the slow packed → shipped handoff first, owned by the step holding the target', async () => {
    const body = (await get('/api/v1/journeys/friction')).json<Friction>();
    expect(body.basis).toBe('designed');
    const top = body.items[0]!;
    expect(top).toMatchObject({ rank: 1, from: 'Packed', to: 'Shipped', kind: 'handoff', owner: team('warehouse'), nextOwner: team('courier'), fromTeam: 'warehouse', toTeam: 'courier', volume: 10, targetS: 86400 });
    expect(top.delayH).toBeCloseTo((4 * 26) / 10, 6);
    expect(top.slowShare).toBeCloseTo(0.4, 9);
  });

  it('without designed journeys, ranks discovered transitions by their whole wait, owned by the team of the events', async () => {
    await ensureWorkspace(ctx.engine, 'bare', 'Bare', {});
    await app.inject({ method: 'POST', url: '/api/v1/events/batch?workspace=bare', payload: { records: orderEvents() } });
    const body = (await get('/api/v1/journeys/friction?workspace=bare')).json<Friction>();
    expect(body.basis).toBe('discovered');
    expect(body.items[0]).toMatchObject({ journeyId: null, from: 'order_packed', to: 'order_shipped', kind: 'handoff', owner: team('warehouse'), volume: 9, targetS: null });
    expect(body.items[0]!.delayH).toBeCloseTo((4 * 50 + 5 * 5) / 9, 6);
    expect(body.items[1]).toMatchObject({ from: 'order_placed', to: 'order_packed', owner: team('sales') });
  });

  it("shows an owner's scorecard and 404s for an unknown owner", async () => {
    const card = (await get('/api/v1/journeys/owners/Warehouse')).json<z.infer<typeof scorecardResponse>>();
    expect(card.steps).toHaveLength(1);
    expect(card.steps[0]!).toMatchObject({ step: 'Packed', nextStep: 'Shipped', reached: 10, onTargetShare: 0.6, targetToNextS: 86400 });
    expect(card.steps[0]!.trend).toEqual([{ month: '2025-03', transitions: 10, medianToNextS: 7.5 * 3600, onTargetShare: 0.6, medianWaitBeforeS: 3600 }]);
    expect(card.friction[0]!).toMatchObject({ from: 'Packed', to: 'Shipped' });
    expect((await get('/api/v1/journeys/owners/nobody')).statusCode).toBe(404);
  });

  it('answers every view of the page asked at once, each computed in turn (none waits for itself)', async () => {
    // A new event changes the data version: nothing is cached, so every view queues its computation.
    const added = await app.inject({
      method: 'POST',
      url: '/api/v1/events/batch',
      payload: { records: [{ event_id: 'late-1', customer_id: 'c1', id_source: 'shop', occurred_at: iso(200), type: 'page_view', channel: 'web' }] },
    });
    expect(added.json()).toMatchObject({ stored: 1 });
    const urls = ['/api/v1/journeys/discover', '/api/v1/journeys/designed/ship/funnel', '/api/v1/journeys/designed/ship/conformance', '/api/v1/journeys/friction', '/api/v1/journeys/owners/Warehouse', '/api/v1/journeys/discover?activity=touchpoint'];
    const answers = await Promise.all(urls.map((url) => get(url)));
    expect(answers.map((a) => a.statusCode)).toEqual(urls.map(() => 200));
    expect(answers[0]!.json<Discover>()).toMatchObject({ cached: false });
    expect(answers[3]!.json<Friction>().items[0]).toMatchObject({ from: 'Packed', to: 'Shipped' });
  });

  it('documents every journeys route in OpenAPI', async () => {
    const paths = Object.keys((await get('/api/openapi.json')).json<{ paths: Record<string, unknown> }>().paths);
    for (const p of ['/api/v1/journeys/discover', '/api/v1/journeys/designed', '/api/v1/journeys/designed/{id}', '/api/v1/journeys/designed/{id}/funnel', '/api/v1/journeys/designed/{id}/conformance', '/api/v1/journeys/friction', '/api/v1/journeys/owners/{owner}']) {
      expect(paths).toContain(p);
    }
  });
});

describe('Journeys on the demo (2,000 customers, DuckDB)', () => {
  let engine: Engine;
  let app: FastifyInstance;

  beforeAll(async () => {
    engine = await openEngine({ duckdbPath: ':memory:' });
    await createDemoWorkspace(engine, 'demo', { customers: 2000, seed: 42, quiet: true });
    app = await buildApp({ engine, defaultWorkspace: 'demo', logLevel: 'silent' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it('seeds the designed journeys and ranks the planted store-ops → billing refund handoff as the top friction item', async () => {
    const designed = (await app.inject({ method: 'GET', url: '/api/v1/journeys/designed' })).json<{ items: { id: string }[] }>();
    expect(designed.items.map((i) => i.id)).toEqual(['online-order', 'returns']);
    const { items } = (await app.inject({ method: 'GET', url: '/api/v1/journeys/friction' })).json<Friction>();
    expect(items[0]).toMatchObject({ journeyId: 'returns', from: 'Return received', to: 'Refund issued', kind: 'handoff', fromTeam: 'store-ops', toTeam: 'billing' });
    // The planted delay: median ≈ 4 days (docs/demo-data.md, pattern 3).
    expect(items[0]!.medianWaitS! / 86400).toBeGreaterThan(3.5);
    expect(items[0]!.medianWaitS! / 86400).toBeLessThan(4.5);
    expect(items[0]!.score).toBeGreaterThan(items[1]!.score);
    // No value computed in this workspace: no CLV side, and the score is delay × volume × (1 + conversion + feedback).
    expect(items.every((i) => i.value === null)).toBe(true);
  });

  it('discovers the demo process with team handoffs', async () => {
    const d = (await app.inject({ method: 'GET', url: '/api/v1/journeys/discover?min_edge_count=20' })).json<Discover>();
    expect(d.events).toBeGreaterThan(30_000);
    const refund = d.dfg.find((e) => e.from === 'return_received' && e.to === 'refund_issued');
    expect(refund!.medianS! / 86400).toBeGreaterThan(3.5);
    expect(d.handoffs.team!.pairs.some((p) => p.from === 'store-ops' && p.to === 'billing')).toBe(true);
  });
});
