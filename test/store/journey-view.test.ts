/**
 * A designed journey's view read straight from the store (step rules as SQL) equals core `journeyView` on the
 * full log, on both engines: same cases, step names, times, teams, channels and customers.
 */
import { beforeAll, expect, it } from 'vitest';
import { designedJourneySchema, funnelSteps, journeyView, type DesignedJourney } from '../../src/core/journeys/designed.js';
import { END_OF_CASE, funnel } from '../../src/core/journeys/funnel.js';
import { NONE, type EventLog } from '../../src/core/journeys/event-log.js';
import { readJourneyLog } from '../../src/store/repositories/journey-repository.js';
import { countViewEvents, readFunnelEvents, readJourneyView } from '../../src/store/repositories/journey-view.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { describeEachEngine } from './engines.js';
import type { SqlValue } from '../../src/store/engines/engine.js';

const WS = 'view';
const TYPES = ['checkout', 'dispatch', 'deliver', 'page_view', 'return', 'refund'];
const TEAMS = [null, '', 'ops', 'billing'];
const CHANNELS = [null, 'web', 'store'];
const TOUCHPOINTS = [null, 'returns', 'desk'];

const owner = { kind: 'team' as const, name: 'ops' };
const journey: DesignedJourney = designedJourneySchema.parse({
  name: 'Order',
  owner: 'Head of orders',
  revenue_objective: { description: 'orders delivered' },
  case: { by: 'property', property: 'order_id' },
  steps: [
    { name: 'Checkout', match: { type: 'checkout' }, owner, success_measure: 'paid' },
    { name: 'Shipped', match: { type: ['dispatch', 'deliver'], team: 'ops' }, owner, success_measure: 'left the warehouse' },
    { name: 'Returned in store', match: { type: 'return', channel: 'store', touchpoint: ['returns', 'desk'] }, owner, success_measure: 'taken back' },
    { name: 'Card refund', match: { properties: { method: 'card' } }, owner, success_measure: 'money back' },
    { name: 'Any refund', match: { type: 'refund' }, owner, success_measure: 'money back' },
  ],
});

/** The log as comparable data: per case its id, customer and events by name. */
function shape(log: EventLog) {
  return log.caseIds.map((id, c) => ({
    id,
    customer: log.caseProfile ? String(log.caseProfile[c]) : log.caseAttributes?.[c]?.profile_id,
    events: Array.from({ length: log.caseStart[c + 1]! - log.caseStart[c]! }, (_, k) => {
      const e = log.caseStart[c]! + k;
      const r = log.resource?.[e] ?? NONE;
      const ch = log.channel?.[e] ?? NONE;
      return [log.activityNames[log.activity[e]!], log.time[e], r === NONE ? null : log.resourceNames![r], ch === NONE ? null : log.channelNames![ch]];
    }),
  }));
}

describeEachEngine('journey view from the store', (ctx) => {
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'View', {});
    let seed = 5;
    const rand = (n: number) => Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 65_536) % n;
    const values: string[] = [];
    const params: (string | number | null)[] = [];
    for (let i = 0; i < 500; i++) {
      const order = rand(7) === 0 ? null : `O${rand(60)}`;
      // One customer per order (as in real data), so the case's customer does not depend on which event is first.
      const profile = order === null ? 1 + rand(30) : 100 + Number(order.slice(1));
      const props: Record<string, string | number> = {};
      if (order) props.order_id = order;
      if (rand(3) === 0) props.method = rand(2) === 0 ? 'card' : 'cash';
      if (rand(10) === 0) props.order_no = rand(100);
      params.push(WS, `ev-${String(i).padStart(4, '0')}`, `k${profile}`, profile, new Date(Date.UTC(2025, 4, 1) + rand(50) * 3_600_000).toISOString());
      params.push(TYPES[rand(TYPES.length)]!, CHANNELS[rand(CHANNELS.length)]!, TEAMS[rand(TEAMS.length)]!, TOUCHPOINTS[rand(TOUCHPOINTS.length)]!);
      params.push(Object.keys(props).length > 0 ? JSON.stringify(props) : null);
      const n = params.length;
      values.push(`($${n - 9}, $${n - 8}, $${n - 7}, $${n - 6}, CAST($${n - 5} AS TIMESTAMPTZ), $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`);
      if (values.length === 100) {
        await ctx.engine.run(
          `INSERT INTO events (workspace_id, event_id, customer_key, profile_id, occurred_at, type, channel, team, touchpoint, properties) VALUES ${values.join(', ')}`,
          params,
        );
        values.length = 0;
        params.length = 0;
      }
    }
  });

  it('equals the core view of the full log', async () => {
    const full = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'property', property: 'order_id' }, attributes: ['touchpoint', 'method'] });
    const expected = shape(journeyView(full, journey));
    const view = await readJourneyView(ctx.engine, WS, 'order_id', journey.steps);
    expect(shape(view)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(40);
    const stepsSeen = new Set(expected.flatMap((c) => c.events.map((e) => e[0])));
    expect(stepsSeen).toEqual(new Set(journey.steps.map((s) => s.name)));
  });

  it('counts beforehand exactly the events the view holds, so its columns are sized once', async () => {
    const view = await readJourneyView(ctx.engine, WS, 'order_id', journey.steps);
    // Events without the case property, or matching no step, are left out of both.
    const all = await ctx.engine.query<{ n: number | string }>(`SELECT count(*) AS n FROM events WHERE workspace_id = $1`, [WS]);
    expect(view.activity.length).toBeLessThan(Number(all[0]!.n));
    expect(await countViewEvents(ctx.engine, WS, 'order_id', journey.steps)).toBe(view.activity.length);
    expect(await countViewEvents(ctx.engine, WS, 'order_id', [journey.steps[3]!])).toBe((await readJourneyView(ctx.engine, WS, 'order_id', [journey.steps[3]!])).activity.length);
  });

  it('reads a full log without attributes as numbers, equal to the row-by-row read', async () => {
    for (const caseBy of [{ by: 'property', property: 'order_id' }, { by: 'customer' }] as const) {
      const packed = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy });
      const rows = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy, attributes: ['touchpoint'] });
      expect(packed.caseProfile).toBeDefined();
      expect(rows.caseProfile).toBeUndefined();
      expect(shape(packed)).toEqual(shape(rows));
      expect(packed.caseIds.length).toBeGreaterThan(25);
    }
  });

  it('gives the funnel the same figures from step events only (rules in SQL) as from the full log', async () => {
    const full = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'property', property: 'order_id' }, attributes: ['touchpoint', 'method'] });
    const f = await readFunnelEvents(ctx.engine, WS, 'order_id', journey.steps);
    expect(f.cases).toBe(full.caseIds.length);
    expect(f.log.activity.length).toBeLessThan(full.activity.length);
    for (const windowMs of [Infinity, 6 * 3_600_000]) {
      const expected = funnel(full, funnelSteps(journey), { windowMs, topPaths: 10 });
      const got = funnel(f.log, funnelSteps(journey), { windowMs, topPaths: 10, matches: f.matches, after: (e) => f.next[e] ?? END_OF_CASE });
      expect(got).toEqual(expected);
      expect(expected.some((s) => s.pathsAfterDrop.length > 1)).toBe(true);
    }
  });

  it('takes every row when the count read first is off (rows written or deleted between the two statements)', async () => {
    const exact = await readFunnelEvents(ctx.engine, WS, 'order_id', journey.steps);
    for (const n of [1, exact.log.activity.length + 500]) {
      // The engine as it is, except that the first count answers `n` step events.
      let overridden = 0;
      const query = async <T,>(sql: string, params?: readonly SqlValue[]) => {
        const rows = await ctx.engine.query<Record<string, unknown>>(sql, params);
        if (!/count\(\*\) FILTER/.test(sql)) return rows as T[];
        overridden++;
        return rows.map((r) => ({ ...r, n })) as T[];
      };
      const engine = new Proxy(ctx.engine, {
        get: (target, key, receiver) => {
          if (key === 'query') return query;
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const f = await readFunnelEvents(engine, WS, 'order_id', journey.steps);
      expect(overridden).toBe(1);
      expect(f.log.activity.length).toBe(exact.log.activity.length);
      expect(f.log.time.length).toBe(exact.log.activity.length);
      expect(f.matches.map((m) => m.length)).toEqual(exact.matches.map(() => exact.log.activity.length));
      expect(f).toEqual(exact);
    }
  });

  it('keeps property names out of the SQL text', async () => {
    const bad = { ...journey.steps[3]!, match: { properties: { "x') OR 1=1 --": 'card' } } };
    await expect(readJourneyView(ctx.engine, WS, 'order_id', [bad])).rejects.toThrow(/unsafe/);
  });
});
