/**
 * The daily event rollup behind the Overview equals counting the events themselves, after every kind of write:
 * new events over several days and channels (some without a channel), a re-sent batch (nothing counted twice)
 * and a merge. And the Overview's volumes come from it without changing a figure.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import { DEFAULT_IDENTITY_CONFIG } from '../../src/core/identity/config.js';
import type { EventRecord } from '../../src/core/records.js';
import { writeBatch } from '../../src/ingest/batch-writer.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { readDailyVolumes, readEventCount } from '../../src/store/repositories/overview-repository.js';
import { EventDayCounts, FOLD_EVERY, addToEventRollup, foldEventRollup } from '../../src/store/repositories/event-rollup.js';
import { epochDay } from '../../src/store/repositories/sql-fragments.js';
import type { Engine } from '../../src/store/engines/engine.js';

let importSeq = 5000;
const DAY = 86_400_000;

function events(prefix: string, n: number): EventRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}${i}`,
    source: 'crm',
    customerId: `C${i % 7}`,
    email: i % 11 === 0 ? `shared${i % 3}@example.com` : undefined,
    occurredAt: Date.UTC(2025, 0, 1) + (i % 5) * DAY + (i % 13) * 3_600_000,
    type: 'page_view',
    channel: i % 4 === 0 ? undefined : ['web', 'app', 'store'][i % 3],
  }));
}

async function write(engine: Engine, ws: string, records: EventRecord[]) {
  return writeBatch(engine, { workspaceId: ws, entity: 'events', importId: importSeq++, identityConfig: DEFAULT_IDENTITY_CONFIG }, records.map((record, i) => ({ line: i + 2, record })));
}

async function counted(engine: Engine, ws: string) {
  const rows = await engine.query<{ day: number; channel: string | null; n: number }>(
    `SELECT ${epochDay(engine.kind, 'occurred_at')} AS day, channel, count(*) AS n FROM events WHERE workspace_id = $1 GROUP BY 1, 2`,
    [ws],
  );
  return rows.map((r) => `${r.day}/${r.channel ?? '-'}=${r.n}`).sort();
}

describeEachEngine('daily event rollup', (ctx) => {
  it('equals counting the events after new, repeated and merging writes', async () => {
    const ws = 'rollup';
    await ensureWorkspace(ctx.engine, ws);
    await write(ctx.engine, ws, events('a', 120));
    await write(ctx.engine, ws, events('a', 120)); // a re-sent batch: all skipped
    await write(ctx.engine, ws, events('b', 90));
    const from = new Date(Date.UTC(2024, 11, 1)).toISOString();
    const to = new Date(Date.UTC(2025, 1, 1)).toISOString();
    const rolled = (await readDailyVolumes(ctx.engine, ws, from, to)).map((r) => `${r.day}/${r.channel ?? '-'}=${r.count}`).sort();
    expect(rolled).toEqual(await counted(ctx.engine, ws));
    expect(await readEventCount(ctx.engine, ws, from, to)).toBe(210);
    // A range that is not whole days is counted from the events and agrees too.
    const partFrom = new Date(Date.UTC(2025, 0, 2, 6)).toISOString();
    const direct = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE workspace_id = $1 AND occurred_at >= CAST($2 AS TIMESTAMPTZ) AND occurred_at < CAST($3 AS TIMESTAMPTZ)`, [ws, partFrom, to]);
    expect(await readEventCount(ctx.engine, ws, partFrom, to)).toBe(Number(direct[0]!.n));
  });

  it('folds a workspace\'s rows into one per day and channel without changing a sum, by itself every so often', async () => {
    const ws = 'rollup-fold';
    await ensureWorkspace(ctx.engine, ws);
    await write(ctx.engine, ws, events('f', 60));
    await write(ctx.engine, ws, events('g', 60));
    await write(ctx.engine, ws, events('h', 60));
    const rowsOf = async (w: string) =>
      (await ctx.engine.query<{ day: number; channel: string; n: number }>(`SELECT day, channel, n FROM event_daily WHERE workspace_id = $1`, [w])).map(
        (r) => `${r.day}/${r.channel}=${r.n}`,
      );
    const before = await rowsOf(ws);
    await ctx.engine.transaction((tx) => foldEventRollup(tx, ws));
    const after = await rowsOf(ws);
    // Three writes over the same days and channels: three rows per key before, one after.
    expect(before.length).toBe(3 * after.length);
    const from = new Date(Date.UTC(2024, 11, 1)).toISOString();
    const to = new Date(Date.UTC(2025, 1, 1)).toISOString();
    const rolled = (await readDailyVolumes(ctx.engine, ws, from, to)).map((r) => `${r.day}/${r.channel ?? '-'}=${r.count}`).sort();
    expect(rolled).toEqual(await counted(ctx.engine, ws));
    expect(after.sort()).toEqual(rolled.map((r) => r.replace('/-=', '/=')).sort());

    // Writers fold on their own: the FOLD_EVERY-th addition to a workspace leaves one row per key.
    const auto = 'rollup-auto';
    const one = new EventDayCounts();
    one.add(Date.UTC(2025, 0, 3, 12), 'web');
    await ctx.engine.transaction(async (tx) => {
      for (let i = 1; i < FOLD_EVERY; i++) await addToEventRollup(tx, auto, one);
    });
    expect(await rowsOf(auto)).toHaveLength(FOLD_EVERY - 1);
    await ctx.engine.transaction((tx) => addToEventRollup(tx, auto, one));
    expect(await rowsOf(auto)).toEqual([`${Math.floor(Date.UTC(2025, 0, 3) / 86_400_000)}/web=${FOLD_EVERY}`]);
  });
});
