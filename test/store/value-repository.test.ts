/**
 * Customer-value summaries computed in SQL equal the core's `summariseTransactions` on the same orders, on both
 * engines; results and saved segments round-trip.
 */
import { beforeAll, expect, it } from 'vitest';
import { summariseTransactions } from '../../src/core/value/summary.js';
import { toSummaries } from '../../src/server/services/value-service.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { readPurchaseSpan, readPurchaseSummaries, readRepeatPurchasesByDay } from '../../src/store/repositories/value-repository.js';
import { insertSegment, listSegments, readRuleSet, updateSegment, writeRuleSet } from '../../src/store/repositories/value-config-repository.js';
import { describeEachEngine } from './engines.js';
import { featuresByColumns, featuresByRows } from '../../src/server/services/value-features.js';
import { plainFeatures } from '../../src/core/value/feature-table.js';

const WS = 'value';
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1) / DAY;

/** A deterministic order history: 60 customers, 0–9 extra orders each, some on the same day, some cancelled. */
function orders(): { profile: number; day: number; hour: number; amount: number; status: string }[] {
  const out: { profile: number; day: number; hour: number; amount: number; status: string }[] = [];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let p = 1; p <= 60; p++) {
    const birth = START + Math.floor(rand() * 300);
    out.push({ profile: p, day: birth, hour: 10, amount: 20 + Math.round(rand() * 8000) / 100, status: 'delivered' });
    const extra = Math.floor(rand() * 10);
    for (let k = 0; k < extra; k++) {
      const day = birth + Math.floor(rand() * 200);
      out.push({ profile: p, day, hour: 8 + Math.floor(rand() * 14), amount: 5 + Math.round(rand() * 12000) / 100, status: rand() < 0.1 ? 'cancelled' : 'delivered' });
    }
  }
  // Two orders on the birth day of customer 1 (merged into one transaction) and one just before midnight UTC.
  out.push({ profile: 1, day: out[0]!.day, hour: 23, amount: 12.5, status: 'completed' });
  return out;
}

describeEachEngine('value repository', (ctx) => {
  const data = orders();
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS);
    await ctx.engine.insertRows(
      'orders',
      [
        { name: 'order_id', type: 'text' },
        { name: 'customer_key', type: 'text' },
        { name: 'profile_id', type: 'bigint' },
        { name: 'ordered_at', type: 'timestamptz' },
        { name: 'amount', type: 'double' },
        { name: 'currency', type: 'text' },
        { name: 'status', type: 'text' },
      ],
      data.map((o, i) => [`O${i}`, `k${o.profile}`, o.profile, o.day * DAY + o.hour * 3_600_000 + 59 * 60_000, o.amount, 'GBP', o.status]),
      [{ name: 'workspace_id', value: WS }],
    );
  });

  it('computes frequency, recency, T, holdout purchases and mean spend exactly as the core does', async () => {
    const kept = data.filter((o) => o.status !== 'cancelled');
    const profiles = [...new Set(kept.map((o) => o.profile))].sort((a, b) => a - b);
    const index = new Map(profiles.map((p, i) => [p, i]));
    const columns = {
      customer: Int32Array.from(kept, (o) => index.get(o.profile)!),
      day: Int32Array.from(kept, (o) => o.day),
      amount: Float64Array.from(kept, (o) => o.amount),
      customers: profiles.length,
    };
    const span = await readPurchaseSpan(ctx.engine, WS);
    expect(span.first).toBe(Math.min(...kept.map((o) => o.day)));
    const lastDay = span.last!;
    for (const calibrationEnd of [START + 150, START + 250, lastDay]) {
      const core = summariseTransactions(columns, { calibrationEnd, holdoutEnd: lastDay });
      const rows = await readPurchaseSummaries(ctx.engine, WS, { calibrationEnd, holdoutEnd: lastDay });
      const store = toSummaries(rows, calibrationEnd, lastDay);
      expect(store.n).toBe(core.n);
      expect(rows.map((r) => r.profile_id)).toEqual(Array.from(core.customer, (c) => profiles[c]));
      for (const key of ['x', 'tx', 'T', 'xStar', 'birthDay'] as const) expect(Array.from(store[key]), key).toEqual(Array.from(core[key]));
      Array.from(store.mx).forEach((m, i) => expect(m).toBeCloseTo(core.mx[i]!, 8));
      expect(store.holdoutLength).toBe(core.holdoutLength);
    }
  });

  it('counts repeat purchase days per day for the tracking chart', async () => {
    const perDay = await readRepeatPurchasesByDay(ctx.engine, WS);
    const kept = data.filter((o) => o.status !== 'cancelled');
    const days = new Map<number, Set<number>>();
    for (const o of kept) days.set(o.profile, (days.get(o.profile) ?? new Set()).add(o.day));
    const repeats = [...days.values()].reduce((n, s) => n + s.size - 1, 0);
    expect(perDay.reduce((n, r) => n + r.n, 0)).toBe(repeats);
  });

  it('saves segments and rule sets', async () => {
    await insertSegment(ctx.engine, WS, { id: 'big', name: 'Big spenders', description: null, rule: '{"field":"clv","op":">","value":100}', at: '2025-01-01T00:00:00Z' });
    expect(await updateSegment(ctx.engine, WS, { id: 'big', name: 'Bigger', description: 'x', rule: '{"field":"clv","op":">","value":200}', at: '2025-01-02T00:00:00Z' })).toBe(true);
    expect(await updateSegment(ctx.engine, WS, { id: 'nope', name: 'n', description: null, rule: '{}', at: '2025-01-02T00:00:00Z' })).toBe(false);
    const segments = await listSegments(ctx.engine, WS);
    expect(segments).toMatchObject([{ segment_id: 'big', name: 'Bigger', description: 'x' }]);
    await writeRuleSet(ctx.engine, WS, 'nba', '{"rules":[]}', '2025-01-01T00:00:00Z');
    await writeRuleSet(ctx.engine, WS, 'nba', '{"rules":[1]}', '2025-01-03T00:00:00Z');
    expect(await readRuleSet(ctx.engine, WS, 'nba')).toMatchObject({ rules: '{"rules":[1]}' });
  });

  it('reads the Value page features in one column query exactly as row by row: nulls, windows, latest scores, reply targets', async () => {
    const ws = 'value-features';
    await ensureWorkspace(ctx.engine, ws);
    const lastDay = START + 100;
    const at = (day: number, hour = 12) => day * DAY + hour * 3_600_000;
    const valueColumns = [
      ['profile_id', 'bigint'], ['model', 'text'], ['frequency', 'integer'], ['recency', 'double'], ['age', 'double'], ['orders', 'integer'],
      ['total_spend', 'double'], ['mean_spend', 'double'], ['first_order_at', 'timestamptz'], ['last_order_at', 'timestamptz'], ['past_rate', 'double'],
      ['recent_orders', 'integer'], ['p_alive', 'double'], ['p_alive_before', 'double'], ['expected_purchases_52w', 'double'], ['expected_spend', 'double'],
      ['clv', 'double'], ['rfm_r', 'integer'], ['rfm_f', 'integer'], ['rfm_m', 'integer'], ['segment', 'text'], ['cluster', 'integer'], ['persona', 'text'], ['computed_at', 'timestamptz'],
    ].map(([name, type]) => ({ name: name!, type: type as 'text' }));
    const valueRow = (p: number, clv: number | null, pBefore: number | null, persona: string | null) =>
      [p, 'bgnbd', 3, 40.5, 90, 4, 200 + p, 50 + p / 10, at(START + p, 9), at(lastDay - p, 23), 0.05 * p, p % 3, 0.9 - p / 100, pBefore, 1.5, 60, clv, 1 + (p % 5), 2, 3, p % 2 ? 'Champions' : 'At risk', 1, persona, at(lastDay + 1)];
    await ctx.engine.insertRows('customer_value', valueColumns, [valueRow(1, 120.5, 0.7, 'Loyal'), valueRow(2, null, null, null), valueRow(3, 80, 0.2, 'Loyal'), valueRow(4, 3000, 0.95, 'Big'), valueRow(5, 0, null, 'Big')], [{ name: 'workspace_id', value: ws }]);
    const recentFrom = START + 72;
    const feedbackColumns = ['feedback_id', 'customer_key', 'profile_id', 'occurred_at', 'source', 'nps', 'csat', 'ces', 'stars'].map((name, i) => ({ name, type: (i === 2 ? 'bigint' : i === 3 ? 'timestamptz' : i >= 5 ? 'integer' : 'text') as 'text' }));
    await ctx.engine.insertRows(
      'feedback',
      feedbackColumns,
      [
        ['f1', 'k1', 1, at(recentFrom + 1), 'survey', 3, null, null, null], // a detractor in the window
        ['f2', 'k1', 1, at(recentFrom - 10), 'survey', 9, 5, null, null], // older: counts only for the latest CSAT
        ['f3', 'k1', 1, at(recentFrom + 1), 'survey', 8, null, null, null], // same time as f1: the higher id is the latest
        ['f4', 'k2', 2, at(recentFrom + 5), 'email', null, null, null, null], // an unsolicited complaint
        ['f5', 'k3', 3, at(recentFrom + 2), 'review', null, null, null, 1], // a low rating
        ['f6', 'k3', 3, at(recentFrom + 3), 'survey', null, 4, 2, null], // recent CSAT 4, CES 2 (low)
        ['f7', 'k4', 4, at(recentFrom - 1), 'survey', 2, null, null, null], // a detractor just before the window
        ['f8', 'k9', 9, at(recentFrom + 1), 'survey', 0, null, null, null], // a profile without a value
      ],
      [{ name: 'workspace_id', value: ws }],
    );
    const ticketColumns = ['ticket_id', 'customer_key', 'profile_id', 'opened_at', 'updated_at', 'channel', 'first_agent_reply_at', 'closed_at'].map((name, i) => ({ name, type: (i === 2 ? 'bigint' : i >= 3 && i !== 5 ? 'timestamptz' : 'text') as 'text' }));
    const open = at(recentFrom + 3);
    await ctx.engine.insertRows(
      'tickets',
      ticketColumns,
      [
        ['t1', 'k1', 1, open, open, 'chat', open + 30 * 60_000, open + DAY], // within chat's 1 h
        ['t2', 'k1', 1, open, open, 'chat', open + 2 * 3_600_000, null], // late, still open
        ['t3', 'k3', 3, open, open, 'phone', null, null], // never answered, past its 4 h
        ['t4', 'k3', 3, at(lastDay, 23) + 3_600_000, open, 'email', null, null], // unanswered, not due yet at the end
        ['t5', 'k4', 4, open, open, null, open + 25 * 3_600_000, open + DAY], // no channel: the default 24 h, missed
        ['t6', 'k5', 5, at(recentFrom - 30), open, 'email', null, null], // old, still open
        ['t7', 'k5', 5, at(recentFrom - 30), open, 'email', null, at(recentFrom - 29)], // old and closed: not read
      ],
      [{ name: 'workspace_id', value: ws }],
    );
    const run = { lastDay, recentFrom, recentWeeks: 4 };
    const byColumns = await featuresByColumns(ctx.engine, ws, run);
    // The column path gives rows backed by typed arrays (feature-table.ts): compared field by field.
    const byRows = await featuresByRows(ctx.engine, ws, run);
    expect(byColumns.features.map(plainFeatures)).toEqual(byRows.features);
    expect(byColumns.radar).toEqual(byRows.radar);
    const f = new Map(byColumns.features.map((x) => [x.profileId, x]));
    expect(byColumns.features.map((x) => x.profileId)).toEqual([1, 2, 3, 4, 5]);
    expect([f.get(1)!.detractor, f.get(1)!.latestNps, f.get(1)!.latestCsat, f.get(1)!.missedReplyTargets, f.get(1)!.openTickets]).toEqual([true, 8, 5, 1, 1]);
    expect([f.get(2)!.clv, f.get(2)!.pAliveBefore, f.get(2)!.persona, f.get(2)!.complained]).toEqual([0, null, null, true]);
    expect([f.get(3)!.complained, f.get(3)!.satisfied, f.get(3)!.latestCes, f.get(3)!.recentTickets, f.get(3)!.missedReplyTargets]).toEqual([true, true, 2, 2, 1]);
    expect([f.get(4)!.detractor, f.get(4)!.missedReplyTargets, f.get(5)!.openTickets, f.get(5)!.recentTickets]).toEqual([false, 1, 1, 0]);
  });
});

