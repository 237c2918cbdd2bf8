/**
 * Customer value end to end on a small demo workspace (DuckDB): compute, the /value API, Customer 360, and the
 * silent-churn radar against the demo's planted fading segment (docs/demo-data.md, pattern 4), whose members are
 * known from the generator but not marked in the data.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/core/demo/customer.js';
import { demoWindowFor } from '../../src/core/demo/index.js';
import { Rng } from '../../src/core/demo/prng.js';
import { createDemoWorkspace } from '../../src/ingest/demo-workspace.js';
import { buildApp } from '../../src/server/app.js';
import { DEFAULT_HEAVY_WAIT_MS, limitHeavyWait, oneAtATime } from '../../src/server/services/heavy-work.js';
import { loadValue } from '../../src/server/services/value-features.js';
import { computeValue, type ValueRunReport } from '../../src/server/services/value-service.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';

const PEOPLE = 2_000;
const SEED = 42;

describe('customer value on the demo workspace [duckdb]', () => {
  let engine: Engine;
  let app: FastifyInstance;
  let run: ValueRunReport;
  const get = async <T>(url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json<T>();
  };

  beforeAll(async () => {
    engine = await openEngine({ duckdbPath: ':memory:' });
    await createDemoWorkspace(engine, 'demo', { customers: PEOPLE, seed: SEED, quiet: true });
    app = await buildApp({ engine, defaultWorkspace: 'demo', logLevel: 'silent' });
    const before = await app.inject({ method: 'GET', url: '/api/v1/value/summary' });
    expect(before.statusCode).toBe(404);
    expect(before.json<{ detail: string }>().detail).toMatch(/kept value compute/);
    const result = await computeValue(engine, 'demo');
    if (!result.ok) throw new Error(result.error.detail);
    run = result.value;
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  it('chooses a model by holdout error and reports the validation with weekly tracking', async () => {
    const s = await get<{
      customers: number;
      model: { name: string };
      totals: { clv: number; topDecileShare: number };
      distribution: { customers: number }[];
      validation: {
        recommended: string;
        models: { meanAbsoluteError: number }[];
        tracking: { actual: number; expected: number }[];
      };
    }>('/api/v1/value/summary');
    expect(s.customers).toBe(run.customers);
    expect(s.model.name).toBe(s.validation.recommended);
    expect(s.distribution.reduce((n, b) => n + b.customers, 0)).toBe(s.customers);
    expect(s.totals.clv).toBeGreaterThan(0);
    expect(s.totals.topDecileShare).toBeGreaterThan(0.1);
    const last = s.validation.tracking[s.validation.tracking.length - 1]!;
    // The models are fitted on the calibration weeks: the cumulative curves should agree within a fifth by the end.
    expect(Math.abs(last.expected - last.actual) / last.actual).toBeLessThan(0.2);
  });

  it('finds the planted fading high-value segment on the silent-churn radar', async () => {
    const window = demoWindowFor({});
    const planted = new Set<string>();
    for (let i = 0; i < PEOPLE; i++)
      if (createPerson(Rng.forPerson(SEED, i), window, SEED, i).silentFade)
        planted.add(`C${String(i + 1).padStart(6, '0')}`);
    const crm = await engine.query<{ customer_id: string; profile_id: number }>(
      `SELECT customer_id, profile_id FROM customers WHERE workspace_id = 'demo' AND source = 'crm'`,
    );
    const truth = new Set(crm.filter((c) => planted.has(c.customer_id)).map((c) => c.profile_id));
    const radar = await get<{ total: number; items: { profileId: number; valueAtStake: number; reason: string }[] }>(
      '/api/v1/value/silent-churn?limit=1000',
    );
    expect(radar.items.length).toBe(radar.total);
    const hits = (items: { profileId: number }[]) => items.filter((i) => truth.has(i.profileId)).length;
    const precision = hits(radar.items) / radar.items.length;
    const recall = hits(radar.items) / truth.size;
    const top20 = hits(radar.items.slice(0, 20)) / 20;
    console.log(
      `[value] radar on ${PEOPLE} demo people: ${truth.size} planted, ${radar.total} flagged, precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}, precision in the top 20 ${top20.toFixed(2)}`,
    );
    // 4 % of people are planted: a random list of the same length would score ≈ 0.04.
    expect(precision).toBeGreaterThan(0.4);
    expect(recall).toBeGreaterThan(0.35);
    expect(top20).toBeGreaterThan(0.6);
    expect(radar.items[0]!.valueAtStake).toBeGreaterThanOrEqual(radar.items[radar.items.length - 1]!.valueAtStake);
    expect(radar.items[0]!.reason).toMatch(/scores look fine/);
  });

  it('serves personas, revenue at risk and next-best-actions with reasons', async () => {
    const personas = await get<{ k: number; personas: { name: string; description: string; customers: number }[] }>(
      '/api/v1/value/personas',
    );
    expect(personas.k).toBeGreaterThanOrEqual(2);
    expect(personas.personas.reduce((n, p) => n + p.customers, 0)).toBe(run.customers);
    expect(personas.personas.every((p) => p.description.length > 10)).toBe(true);

    const risk = await get<{
      totalAtRisk: number;
      bySegment: { atRisk: number }[];
      byServiceFailure: { key: string; customers: number; meanPAlive: number; others: { meanPAlive: number } }[];
    }>('/api/v1/value/revenue-at-risk');
    expect(risk.bySegment.reduce((s, g) => s + g.atRisk, 0)).toBeCloseTo(risk.totalAtRisk, 3);
    expect(risk.byServiceFailure.map((f) => f.key)).toEqual(['missed-reply-target', 'detractor', 'any-failure']);
    expect(risk.byServiceFailure[0]!.customers).toBeGreaterThan(0);

    const nba = await get<{
      total: number;
      items: { action: string; reason: string; clv: number }[];
      byRule: { ruleId: string; customers: number }[];
    }>('/api/v1/value/next-best-actions?limit=10');
    expect(nba.items.length).toBe(10);
    expect(nba.items.every((i) => i.reason.length > 0 && !i.reason.includes('{'))).toBe(true);
    expect(nba.byRule.find((r) => r.ruleId === 'owner-outreach')!.customers).toBeGreaterThan(0);

    const rules = await get<{ rules: { id: string }[]; customised: boolean }>('/api/v1/value/next-best-actions/rules');
    expect(rules.customised).toBe(false);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/value/next-best-actions/rules',
      payload: {
        rules: [
          {
            id: 'thanks',
            action: 'Say thanks',
            when: { field: 'rfmSegment', op: '=', value: 'Champions' },
            reason: '{orders} orders',
          },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    const after = await get<{ byRule: { ruleId: string; customers: number }[] }>(
      '/api/v1/value/next-best-actions?limit=1',
    );
    expect(after.byRule).toMatchObject([{ ruleId: 'thanks' }]);
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/value/next-best-actions/rules',
      payload: { rules: [{ id: 'x', action: 'a', when: { field: 'clv', op: '>', value: 'lots' }, reason: 'r' }] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("weighs journey friction by CLV, keeps the planted refund handoff on top, and puts each item's delayed customers at risk", async () => {
    type Group = { customers: number; meanClv: number; meanPAlive: number } | null;
    type Item = {
      journeyId: string | null;
      from: string;
      to: string;
      kind: string;
      volume: number;
      delayH: number;
      score: number;
      conversion: { gap: number | null };
      feedback: { gap: number | null };
      value: {
        customers: number;
        clv: number;
        meanClv: number;
        slow: Group;
        onTime: Group;
        clvGap: number | null;
        pAliveGap: number | null;
      } | null;
    };
    const { items } = await get<{ items: Item[] }>('/api/v1/journeys/friction');
    expect(items[0]).toMatchObject({
      journeyId: 'returns',
      from: 'Return received',
      to: 'Refund issued',
      kind: 'handoff',
    });
    expect(items[0]!.score).toBeGreaterThan(items[1]!.score);
    for (const i of items) {
      expect(i.value, `${i.from} → ${i.to}`).not.toBeNull();
      const effect = 1 + (i.conversion.gap ?? 0) + (i.feedback.gap ?? 0) + (i.value!.clvGap ?? 0);
      expect(i.score).toBeCloseTo(i.delayH * i.volume * effect, 6);
    }
    // Nearly every refund is late (the planted delay), so too few on-time customers exist to compare there.
    const top = items[0]!.value!;
    expect(top.slow!.customers).toBeGreaterThan(10);
    expect(top.onTime).toBeNull();
    expect(top.clvGap).toBeNull();
    expect(top.meanClv).toBeCloseTo(top.clv / top.customers, 6);
    const [sum] = await engine.query<{ clv: number }>(
      `SELECT sum(clv) AS clv FROM customer_value WHERE workspace_id = 'demo'`,
    );
    expect(top.clv).toBeLessThan(Number(sum!.clv));
    const compared = items.find((i) => i.value!.slow !== null && i.value!.onTime !== null)!.value!;
    expect(compared.slow!.customers + compared.onTime!.customers).toBe(compared.customers);
    expect(compared.pAliveGap).toBeCloseTo(compared.onTime!.meanPAlive - compared.slow!.meanPAlive, 9);
    expect(compared.clvGap).toBeGreaterThanOrEqual(0);

    type Exposure = {
      key: string;
      customers: number;
      clv: number;
      atRisk: number;
      meanPAlive: number;
      others: { customers: number; meanPAlive: number };
      pAliveGap: number;
    };
    const risk = await get<{
      byFrictionItem: (Exposure & {
        journeyId: string | null;
        from: string;
        to: string;
        rank: number;
        owner: string | null;
      })[];
    }>('/api/v1/value/revenue-at-risk');
    expect(risk.byFrictionItem.length).toBeGreaterThan(1);
    const atRisk = risk.byFrictionItem.map((i) => i.atRisk);
    expect(atRisk).toEqual([...atRisk].sort((a, b) => b - a));
    const refund = risk.byFrictionItem.find(
      (i) => i.journeyId === 'returns' && i.from === 'Return received' && i.to === 'Refund issued',
    )!;
    expect(refund).toMatchObject({
      rank: 1,
      owner: 'store-ops',
      customers: top.slow!.customers,
      key: 'returns:Return received→Refund issued',
    });
    expect(refund.others.customers).toBe(top.customers - top.slow!.customers);
    expect(refund.clv).toBeCloseTo(top.slow!.meanClv * top.slow!.customers, 3);
    expect(refund.atRisk).toBeGreaterThan(0);
    expect(refund.atRisk).toBeLessThan(refund.clv);
    expect(refund.pAliveGap).toBeCloseTo(refund.meanPAlive - refund.others.meanPAlive, 9);
  });

  it('saves rule-based segments with live counts, and edits and deletes them', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/value/segments',
      payload: {
        name: 'Valuable and fading',
        rule: {
          all: [
            { field: 'clvPercentile', op: '>=', value: 80 },
            { field: 'pAlive', op: '<', value: 0.5 },
          ],
        },
      },
    });
    expect(created.statusCode).toBe(201);
    const seg = created.json<{ id: string; customers: number; ruleText: string }>();
    expect(seg.id).toBe('valuable-and-fading');
    expect(seg.ruleText).toBe('CLV percentile ≥ 80 and P(alive) < 0.5');
    const wider = await app.inject({
      method: 'PUT',
      url: `/api/v1/value/segments/${seg.id}`,
      payload: { name: 'Valuable', rule: { field: 'clvPercentile', op: '>=', value: 80 } },
    });
    expect(wider.json<{ customers: number }>().customers).toBeGreaterThan(seg.customers);
    expect((await get<{ segments: unknown[] }>('/api/v1/value/segments')).segments).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/value/segments/${seg.id}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/value/segments/${seg.id}` })).statusCode).toBe(404);
  });

  it('saves a segment while the store is too busy to count it: 201 without its live count, not a 503 after the write', async () => {
    limitHeavyWait(engine, 50);
    try {
      // New data, so the features are built again, in the store's queue, behind a long computation.
      const batch = await app.inject({ method: 'POST', url: '/api/v1/events/batch', payload: { records: [{ event_id: 'busy-1', customer_id: 'busy', id_source: 'crm', occurred_at: '2026-01-05T10:00:00Z', type: 'page_view' }] } });
      expect(batch.json()).toMatchObject({ stored: 1 });
      const busy = oneAtATime(engine, () => new Promise((resolve) => setTimeout(resolve, 1500)));
      const saved = await app.inject({ method: 'POST', url: '/api/v1/value/segments', payload: { name: 'Saved while busy', rule: { field: 'clvPercentile', op: '>=', value: 90 } } });
      expect(saved.statusCode).toBe(201);
      expect(saved.json()).toMatchObject({ id: 'saved-while-busy', customers: null, clv: null });
      // Reading the segments needs the count: that one is told the store is busy.
      expect((await app.inject({ method: 'GET', url: '/api/v1/value/segments' })).statusCode).toBe(503);
      await busy;
      const listed = await get<{ segments: { id: string; customers: number | null }[] }>('/api/v1/value/segments');
      expect(listed.segments.find((x) => x.id === 'saved-while-busy')?.customers).toBeGreaterThan(0);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/value/segments/saved-while-busy' })).statusCode).toBe(200);
    } finally {
      limitHeavyWait(engine, DEFAULT_HEAVY_WAIT_MS);
    }
  });

  it('reuses the features between requests until the data or the run changes', async () => {
    const load = async () => {
      const loaded = await loadValue(engine, 'demo');
      if (!loaded.ok) throw new Error(loaded.error.detail);
      return loaded.value;
    };
    const first = await load();
    expect((await load()).features).toBe(first.features);
    // Inside a transaction nothing is reused: it may see its own uncommitted writes.
    const inTransaction = await engine.transaction(async (tx) => loadValue(tx, 'demo'));
    expect(inTransaction.ok && inTransaction.value.features).not.toBe(first.features);

    // A detractor answer from a valued customer, through the HTTP API: the next load sees it.
    const [who] = await engine.query<{ profile_id: number; id_value: string }>(
      `SELECT i.profile_id, i.id_value FROM identities i JOIN customer_value v ON v.workspace_id = i.workspace_id AND v.profile_id = i.profile_id
       WHERE i.workspace_id = 'demo' AND i.id_type = 'email' ORDER BY v.clv DESC, i.profile_id LIMIT 1`,
    );
    const at = new Date((first.run.lastDay + 1) * 86_400_000 - 3_600_000).toISOString();
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback/batch',
      payload: {
        records: [{ feedback_id: 'cache-test-1', email: who!.id_value, occurred_at: at, source: 'survey', nps: 0 }],
      },
    });
    expect(posted.json<{ stored: number }>().stored).toBe(1);
    const after = await load();
    expect(after.features).not.toBe(first.features);
    expect(after.features.find((f) => f.profileId === Number(who!.profile_id))?.latestNps).toBe(0);
    expect((await load()).features).toBe(after.features);

    // A new run replaces the features too.
    const rerun = await computeValue(engine, 'demo');
    if (!rerun.ok) throw new Error(rerun.error.detail);
    expect((await load()).features).not.toBe(after.features);
  });

  it('shows CLV, P(alive) and segment on Customer 360 and documents every value route', async () => {
    const [row] = await engine.query<{ profile_id: number; clv: number }>(
      `SELECT profile_id, clv FROM customer_value WHERE workspace_id = 'demo' ORDER BY clv DESC LIMIT 1`,
    );
    const profile = await get<{ value: { clv: number; pAlive: number; segment: string } | null }>(
      `/api/v1/customers/${row!.profile_id}`,
    );
    expect(profile.value?.clv).toBeCloseTo(row!.clv, 6);
    expect(profile.value?.segment.length).toBeGreaterThan(0);
    const doc = await get<{ paths: Record<string, unknown> }>('/api/openapi.json');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/value/summary',
        '/api/v1/value/segments',
        '/api/v1/value/segments/{id}',
        '/api/v1/value/personas',
        '/api/v1/value/silent-churn',
        '/api/v1/value/revenue-at-risk',
        '/api/v1/value/next-best-actions',
      ]),
    );
  });
});
