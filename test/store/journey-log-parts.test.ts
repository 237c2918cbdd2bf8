/**
 * Discovery streamed from the store in parts (buckets of customers) equals discovery on the whole log read at
 * once, on both engines: same cases, variants, edges with their waits, durations, rework and handoffs.
 */
import { beforeAll, expect, it } from 'vitest';
import { Discoverer, discover } from '../../src/core/journeys/discovery.js';
import { splitCasesByGap, type EventLog } from '../../src/core/journeys/event-log.js';
import { HandoffAccumulator, ReworkAccumulator, handoffs, rework } from '../../src/core/journeys/rework.js';
import { readJourneyDictionary, streamJourneyLogParts } from '../../src/store/repositories/journey-log-parts.js';
import { readJourneyLog } from '../../src/store/repositories/journey-repository.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { describeEachEngine } from './engines.js';

const WS = 'parts';
const GAP_MS = 2 * 86_400_000;
const TYPES = ['visit', 'search', 'cart', 'order', 'ticket', 'reply', 'survey'];
const TEAMS = [null, '', 'care', 'ops', 'billing'];
const CHANNELS = [null, 'web', 'app', 'phone'];

/** A numeric summary made comparable: means may differ in the last bits (summation order), the rest may not. */
const near = (d: { count: number; mean: number; median: number; p90: number; min: number; max: number }) => ({
  ...d,
  mean: Math.round(d.mean * 1e6) / 1e6,
});

function rebased(log: EventLog) {
  const d = discover(log, { maxVariants: 1000 });
  return {
    ...d,
    topVariants: [...d.topVariants].sort((a, b) => b.count - a.count || a.activities.join().localeCompare(b.activities.join())),
    dfg: d.dfg.map((e) => ({ ...e, wait: near(e.wait) })),
    caseDuration: near(d.caseDuration),
  };
}

describeEachEngine('journey log in parts', (ctx) => {
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Parts', {});
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const values: string[] = [];
    const params: (string | number | null)[] = [];
    for (let i = 0; i < 700; i++) {
      const profile = rand(9) === 0 ? null : 1 + rand(45);
      // Hours on a coarse grid, so customers have equal timestamps (ties broken by event id) and long gaps.
      const hour = rand(40) * 6;
      params.push(WS, `ev-${String(i).padStart(4, '0')}`, `k${profile}`, profile, new Date(Date.UTC(2025, 2, 1) + hour * 3_600_000).toISOString());
      params.push(TYPES[rand(TYPES.length)]!, CHANNELS[rand(CHANNELS.length)]!, TEAMS[rand(TEAMS.length)]!);
      const n = params.length;
      values.push(`($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, CAST($${n - 3} AS TIMESTAMPTZ), $${n - 2}, $${n - 1}, $${n})`);
      if (values.length === 100) {
        await ctx.engine.run(`INSERT INTO events (workspace_id, event_id, customer_key, profile_id, occurred_at, type, channel, team) VALUES ${values.join(', ')}`, params);
        values.length = 0;
        params.length = 0;
      }
    }
  });

  it('gives the same discovery, rework and handoffs as the whole log, whatever the number of parts', async () => {
    const whole = splitCasesByGap(await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'customer' } }), GAP_MS);
    const dict = await readJourneyDictionary(ctx.engine, WS, 'type');
    expect(dict.events).toBe(whole.activity.length);
    expect(dict.teams).toEqual(['billing', 'care', 'ops']);
    for (const partEvents of [50, 1_000_000]) {
      const discoverer = new Discoverer(dict.activities);
      const reworkAcc = new ReworkAccumulator(dict.activities);
      const teams = new HandoffAccumulator('resource', dict.teams);
      const channels = new HandoffAccumulator('channel', dict.channels);
      let parts = 0;
      for await (const part of streamJourneyLogParts(ctx.engine, WS, 'type', dict, partEvents)) {
        const log = splitCasesByGap(part, GAP_MS);
        discoverer.add(log);
        reworkAcc.add(log);
        teams.add(log);
        channels.add(log);
        parts++;
      }
      expect(parts).toBe(partEvents === 50 ? Math.ceil(dict.events / 50) : 1);
      const d = discoverer.result({ maxVariants: 1000 });
      const expected = rebased(whole);
      expect({
        ...d,
        topVariants: [...d.topVariants].sort((a, b) => b.count - a.count || a.activities.join().localeCompare(b.activities.join())),
        dfg: d.dfg.map((e) => ({ ...e, wait: near(e.wait) })),
        caseDuration: near(d.caseDuration),
      }).toEqual(expected);
      expect(d.cases).toBeGreaterThan(45);
      expect(reworkAcc.result()).toEqual(rework(whole));
      const nearPairs = (r: ReturnType<HandoffAccumulator['result']>) => ({ ...r, pairs: r.pairs.map((p) => ({ ...p, delay: near(p.delay) })) });
      expect(nearPairs(teams.result())).toEqual(nearPairs(handoffs(whole, 'resource')!));
      expect(nearPairs(channels.result())).toEqual(nearPairs(handoffs(whole, 'channel')!));
    }
  });
});
