/** The event-log model, order statistics, rework/handoffs and funnels, on small logs whose answers are known. */
import { describe, expect, it } from 'vitest';
import { EventLogBuilder, splitCasesByGap, traceOf } from '../../../src/core/journeys/event-log.js';
import { directlyFollows, discover } from '../../../src/core/journeys/discovery.js';
import { END_OF_CASE, funnel } from '../../../src/core/journeys/funnel.js';
import { handoffs, rework } from '../../../src/core/journeys/rework.js';
import { quantileInPlace, summarise } from '../../../src/core/journeys/stats.js';

const H = 3_600_000;

describe('event log model', () => {
  it('groups by case in order of first appearance and sorts stably by time (ties keep file order)', () => {
    const b = new EventLogBuilder();
    b.add('B', 'x', 5 * H);
    b.add('A', 'second', 2 * H);
    b.add('A', 'first', 1 * H);
    b.add('A', 'tie-1', 3 * H);
    b.add('A', 'tie-2', 3 * H);
    b.add('B', 'w', 4 * H);
    const log = b.build();
    expect(log.caseIds).toEqual(['B', 'A']);
    expect(traceOf(log, 0)).toEqual(['w', 'x']);
    expect(traceOf(log, 1)).toEqual(['first', 'second', 'tie-1', 'tie-2']);
  });

  it('keeps a case with an unknown timestamp in file order and leaves its waits out', () => {
    const b = new EventLogBuilder();
    b.add('A', 'a', 2 * H);
    b.add('A', 'b', NaN);
    b.add('A', 'c', 1 * H);
    const log = b.build();
    expect(traceOf(log, 0)).toEqual(['a', 'b', 'c']);
    const dfg = directlyFollows(log);
    expect(dfg.map((e) => [e.from, e.to, e.count, e.wait.count])).toEqual([
      ['a', 'b', 1, 0],
      ['b', 'c', 1, 0],
    ]);
  });

  it('splits a customer into sessions where the gap exceeds the limit', () => {
    const b = new EventLogBuilder();
    for (const [t, a] of [[0, 'visit'], [0.5, 'cart'], [5, 'visit'], [5.2, 'buy']] as const) b.add('cust-1', a, t * H);
    b.add('cust-2', 'visit', 0);
    const split = splitCasesByGap(b.build(), 1 * H);
    expect(split.caseIds).toEqual(['cust-1#1', 'cust-1#2', 'cust-2']);
    expect(traceOf(split, 1)).toEqual(['visit', 'buy']);
    expect(discover(split).variants).toBe(3);
  });
});

describe('order statistics', () => {
  it('median and p90 by selection equal the sorted definitions (numpy linear interpolation)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1000;
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Array.from({ length: n }, () => Math.floor(rand()));
      const sorted = [...values].sort((a, b) => a - b);
      const q = (p: number) => {
        const pos = (n - 1) * p;
        const lo = Math.floor(pos);
        return sorted[lo]! + (pos - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? 0) - sorted[lo]!);
      };
      const s = summarise(values);
      expect(s.median).toBeCloseTo(q(0.5), 9);
      expect(s.p90).toBeCloseTo(q(0.9), 9);
      expect(s.min).toBe(sorted[0]);
      expect(s.max).toBe(sorted[n - 1]);
      expect(quantileInPlace(Float64Array.from(values), 0)).toBe(sorted[0]);
    }
    expect(summarise([]).count).toBe(0);
  });
});

describe('rework and handoffs', () => {
  const b = new EventLogBuilder();
  const add = (c: string, a: string, t: number, resource: string, channel: string) => b.add(c, a, t * H, { resource, channel });
  add('1', 'open', 0, 'bot', 'chat');
  add('1', 'answer', 1, 'ann', 'chat');
  add('1', 'answer', 2, 'ann', 'chat');
  add('1', 'escalate', 5, 'bob', 'phone');
  add('1', 'answer', 6, 'ann', 'email');
  add('2', 'open', 0, 'bot', 'chat');
  add('2', 'answer', 3, 'bob', 'email');
  const log = b.build();

  it('finds repeated activities, self-loops and back-and-forth', () => {
    const r = rework(log);
    expect(r.casesWithRework).toBe(1);
    expect(r.activities).toEqual([{ activity: 'answer', casesWithRework: 1, repeats: 2, selfLoops: 1 }]);
    expect(r.backAndForth).toEqual([{ a: 'answer', b: 'escalate', count: 1, cases: 1 }]);
  });

  it('counts handoffs between resources and between channels with their delay', () => {
    const byResource = handoffs(log, 'resource')!;
    expect(byResource.transitions).toBe(5);
    expect(byResource.handoffs).toBe(4);
    const botAnn = byResource.pairs.find((p) => p.from === 'bot' && p.to === 'ann')!;
    expect(botAnn.count).toBe(1);
    expect(botAnn.delay.mean).toBe(3600);
    const byChannel = handoffs(log, 'channel')!;
    expect(byChannel.pairs.map((p) => [p.from, p.to, p.count])).toEqual([
      ['chat', 'email', 1],
      ['chat', 'phone', 1],
      ['phone', 'email', 1],
    ]);
    expect(byChannel.pairs.find((p) => p.from === 'chat' && p.to === 'email')!.delay.median).toBe(3 * 3600);
  });
});

describe('funnel', () => {
  const b = new EventLogBuilder();
  const trace = (c: string, acts: [string, number][]) => acts.forEach(([a, t]) => b.add(c, a, t * H, { attributes: { amount: String(t) } }));
  trace('1', [['view', 0], ['cart', 1], ['pay', 2]]);
  trace('2', [['cart', 0], ['view', 1], ['pay', 2]]); // every step, but not in order
  trace('3', [['view', 0], ['help', 1]]);
  trace('4', [['view', 0], ['cart', 1], ['pay', 50]]); // pay outside a 24 h window
  trace('5', [['view', 0], ['view', 30], ['cart', 31], ['pay', 32]]); // the second attempt completes
  const log = b.build();
  const steps = [
    { name: 'viewed', activities: ['view'] },
    { name: 'carted', activities: ['cart'] },
    { name: 'paid', where: (e: { activity: string }) => e.activity === 'pay' },
  ];

  it('reports reached (anywhere) and reached in order, which differ', () => {
    const f = funnel(log, steps, { windowMs: 24 * H });
    expect(f.map((s) => [s.step, s.reached, s.reachedInOrder])).toEqual([
      ['viewed', 5, 5],
      ['carted', 4, 3],
      ['paid', 4, 2],
    ]);
    expect(f[2]!.conversion).toBeCloseTo(2 / 3, 12);
  });

  it('measures time between steps and lists what customers did after dropping off', () => {
    const f = funnel(log, steps, { windowMs: 24 * H });
    expect(f[1]!.timeFromPrevious!.median).toBe(3600);
    expect(f[0]!.droppedAfter).toBe(2);
    // Case 2 viewed, then paid without a later cart; case 3 asked for help.
    expect(f[0]!.pathsAfterDrop).toEqual([
      { activity: 'help', count: 1 },
      { activity: 'pay', count: 1 },
    ]);
    // Case 4's payment came after the 24 h window; case 5's first attempt stalled but its second completed.
    expect(f[1]!.droppedAfter).toBe(1);
    expect(f[1]!.pathsAfterDrop).toEqual([{ activity: 'pay', count: 1 }]);
    const noWindow = funnel(log, steps);
    expect(noWindow[2]!.reachedInOrder).toBe(3);
    expect(funnel(log, [{ name: 'paid', activities: ['pay'] }, { name: 'never', activities: ['x'] }])[0]!.pathsAfterDrop).toEqual([{ activity: END_OF_CASE, count: 4 }]);
  });
});
