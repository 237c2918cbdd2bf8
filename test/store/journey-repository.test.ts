/** The journey repository on both engines: events into a columnar log by customer or entity id, designed journeys, data version. */
import { beforeAll, expect, it } from 'vitest';
import { traceOf } from '../../src/core/journeys/event-log.js';
import { readFeedbackScores, readJourneyDataVersion, readJourneyLog } from '../../src/store/repositories/journey-repository.js';
import {
  deleteDesignedJourney,
  getDesignedJourney,
  listDesignedJourneys,
  putDesignedJourney,
} from '../../src/store/repositories/designed-journey-repository.js';
import { startImport } from '../../src/store/repositories/import-repository.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { describeEachEngine } from './engines.js';

const WS = 'journeys';
const at = (h: number) => new Date(Date.UTC(2025, 0, 1) + h * 3_600_000).toISOString();

describeEachEngine('journey repository', (ctx) => {
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Journeys', {});
    await ensureWorkspace(ctx.engine, 'other', 'Other', {});
    // [event id, profile, hour, type, touchpoint, team, channel, properties]
    const rows: [string, number | null, number, string, string | null, string | null, string, string | null][] = [
      ['e3', 1, 5, 'refund_issued', 'returns', 'billing', 'email', '{"order_id":"O1","method":"card"}'],
      ['e1', 1, 1, 'return_requested', 'returns', 'web-support', 'web', '{"order_id":"O1"}'],
      ['e2', 1, 2, 'return_received', 'returns', 'store-ops', 'store', '{"order_id":"O1"}'],
      ['e4', 1, 3, 'page_view', null, null, 'web', null],
      ['e5', 2, 1, 'return_requested', 'returns', 'web-support', 'app', '{"order_id":"O2"}'],
      ['e6', 2, 4000, 'page_view', 'homepage', null, 'app', '{"order_id":"O9"}'],
      ['e7', null, 1, 'page_view', 'homepage', null, 'web', null],
    ];
    for (const [id, profile, h, type, touchpoint, team, channel, props] of rows) {
      await ctx.engine.run(
        `INSERT INTO events (workspace_id, event_id, customer_key, profile_id, occurred_at, type, channel, touchpoint, team, properties)
         VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ), $6, $7, $8, $9, $10)`,
        [WS, id, `k${profile}`, profile, at(h), type, channel, touchpoint, team, props],
      );
    }
    await ctx.engine.run(
      `INSERT INTO events (workspace_id, event_id, customer_key, profile_id, occurred_at, type) VALUES ('other', 'x1', 'k1', 1, CAST($1 AS TIMESTAMPTZ), 'elsewhere')`,
      [at(1)],
    );
    await ctx.engine.run(
      `INSERT INTO feedback (workspace_id, feedback_id, customer_key, profile_id, occurred_at, source, csat) VALUES ($1, 'f1', 'k1', 1, CAST($2 AS TIMESTAMPTZ), 'survey', 4)`,
      [WS, at(6)],
    );
  });

  it('reads one case per customer, events in time order, with team, channel and the customer of each case', async () => {
    const log = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'customer' } });
    expect(log.caseIds).toHaveLength(2);
    const c1 = log.caseIds.findIndex((_, c) => log.caseProfile?.[c] === 1);
    expect(log.caseIds[c1]).toBe('1');
    expect(traceOf(log, c1)).toEqual(['return_requested', 'return_received', 'page_view', 'refund_issued']);
    expect(log.time[log.caseStart[c1]!]).toBe(Date.parse(at(1)));
    expect(log.resourceNames![log.resource![log.caseStart[c1]!]!]).toBe('web-support');
    expect(log.channelNames![log.channel![log.caseStart[c1]! + 1]!]).toBe('store');
    expect(log.activityNames).not.toContain('elsewhere');
  });

  it('names activities by touchpoint (skipping events without one) and extracts properties as attributes', async () => {
    const log = await readJourneyLog(ctx.engine, WS, { activity: 'touchpoint', caseBy: { by: 'customer' }, attributes: ['type', 'method'] });
    expect(log.activity.length).toBe(5);
    const refund = [...log.activity.keys()].find((e) => log.attributes?.[e]?.type === 'refund_issued')!;
    expect(log.activityNames[log.activity[refund]!]).toBe('returns');
    expect(log.attributes![refund]).toEqual({ type: 'refund_issued', method: 'card' });
  });

  it('keys cases by an entity id property, leaving out events without it', async () => {
    const log = await readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'property', property: 'order_id' } });
    expect([...log.caseIds].sort()).toEqual(['O1', 'O2', 'O9']);
    const o1 = log.caseIds.indexOf('O1');
    expect(traceOf(log, o1)).toEqual(['return_requested', 'return_received', 'refund_issued']);
    expect(log.caseProfile![o1]).toBe(1);
    await expect(readJourneyLog(ctx.engine, WS, { activity: 'type', caseBy: { by: 'property', property: "x') OR 1=1 --" } })).rejects.toThrow(/unsafe/);
  });

  it('reads scored feedback per customer with epoch-millisecond times', async () => {
    const f = await readFeedbackScores(ctx.engine, WS);
    expect({ p: [...f.p], t: [...f.t], nps: [...f.nps], csat: [...f.csat], ces: [...f.ces], stars: [...f.stars] }).toEqual({
      p: [1],
      t: [Date.parse(at(6))],
      nps: [NaN],
      csat: [4],
      ces: [NaN],
      stars: [NaN],
    });
  });

  it('stores, replaces, lists and deletes designed journeys per workspace', async () => {
    expect(await putDesignedJourney(ctx.engine, WS, 'returns', 'Returns', '{"name":"Returns"}')).toBe(false);
    expect(await putDesignedJourney(ctx.engine, WS, 'returns', 'Returns v2', '{"name":"Returns v2"}')).toBe(true);
    await putDesignedJourney(ctx.engine, 'other', 'returns', 'Not mine', '{}');
    const list = await listDesignedJourneys(ctx.engine, WS);
    expect(list.map((r) => [r.journey_id, r.name, r.definition])).toEqual([['returns', 'Returns v2', '{"name":"Returns v2"}']]);
    expect(Date.parse(list[0]!.updated_at)).toBeGreaterThan(0);
    expect((await getDesignedJourney(ctx.engine, WS, 'nope'))).toBeNull();
    expect(await deleteDesignedJourney(ctx.engine, WS, 'returns')).toBe(true);
    expect(await deleteDesignedJourney(ctx.engine, WS, 'returns')).toBe(false);
    expect(await getDesignedJourney(ctx.engine, 'other', 'returns')).not.toBeNull();
  });

  it('changes the data version when an import starts', async () => {
    const before = await readJourneyDataVersion(ctx.engine, WS);
    expect(await readJourneyDataVersion(ctx.engine, WS)).toBe(before);
    await startImport(ctx.engine, WS, 'events', 'test');
    expect(await readJourneyDataVersion(ctx.engine, WS)).not.toBe(before);
  });
});
