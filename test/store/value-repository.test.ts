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
});
