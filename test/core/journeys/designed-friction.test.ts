/** Designed journeys (validation, step rules, the journey view, the derived model) and friction on small logs. */
import { describe, expect, it } from 'vitest';
import { designedJourneySchema, journeyModel, journeyView, stepPredicate, type DesignedJourney } from '../../../src/core/journeys/designed.js';
import { EventLogBuilder, traceOf } from '../../../src/core/journeys/event-log.js';
import { frictionEdges, frictionValue, normalisedScore, type CustomerFeedback, type CustomerValue } from '../../../src/core/journeys/friction.js';
import { treeToString } from '../../../src/core/journeys/process-tree.js';

const H = 3_600_000;
const team = (name: string) => ({ kind: 'team' as const, name });

const returns = (): DesignedJourney =>
  designedJourneySchema.parse({
    name: 'Returns',
    owner: 'Head of service',
    revenue_objective: { description: 'keep returners' },
    case: { by: 'property', property: 'order_id' },
    steps: [
      { name: 'Requested', match: { type: 'return_requested' }, owner: team('web'), success_measure: 'same day', target_to_next: { value: 4, unit: 'hours' } },
      { name: 'Received', match: { type: 'return_received', channel: 'store' }, owner: team('store'), success_measure: 'booked', target_to_next: { value: 2, unit: 'days' } },
      { name: 'Refunded', match: { type: 'refund_issued', properties: { method: 'card' } }, owner: team('billing'), success_measure: 'no chasers' },
    ],
  });

describe('designed journeys', () => {
  it('fills defaults and rejects duplicate step names, empty rules and bad models with their path', () => {
    const j = returns();
    expect(j.window_days).toBe(30);
    const bad = designedJourneySchema.safeParse({
      ...j,
      steps: [j.steps[0], { ...j.steps[1], name: 'Requested' }, { ...j.steps[2], match: {} }],
      model: { operator: '??', children: [] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['steps.1.name', 'steps.2.match', 'model']));
  });

  it('matches steps on type, channel and properties together', () => {
    const [, received, refunded] = returns().steps.map(stepPredicate);
    const ev = (activity: string, channel?: string, attributes?: Record<string, string>) => ({ activity, time: 0, resource: undefined, channel, attributes });
    expect(received!(ev('return_received', 'store'))).toBe(true);
    expect(received!(ev('return_received', 'post'))).toBe(false);
    expect(refunded!(ev('refund_issued', 'email', { method: 'card' }))).toBe(true);
    expect(refunded!(ev('refund_issued', 'email', { method: 'voucher' }))).toBe(false);
  });

  it('views a log as steps only, renamed, dropping cases that never touch the journey', () => {
    const b = new EventLogBuilder();
    b.add('o1', 'page_view', 0);
    b.add('o1', 'return_requested', 1 * H, { resource: 'web' });
    b.add('o1', 'return_received', 3 * H, { resource: 'store', channel: 'store' });
    b.add('o1', 'refund_issued', 60 * H, { resource: 'billing', attributes: { method: 'card' } });
    b.add('o2', 'page_view', 0);
    const view = journeyView(b.build(), returns());
    expect(view.caseIds).toEqual(['o1']);
    expect(traceOf(view, 0)).toEqual(['Requested', 'Received', 'Refunded']);
    expect(Array.from(view.time)).toEqual([1 * H, 3 * H, 60 * H]);
    expect(view.resourceNames![view.resource![2]!]).toBe('billing');
  });

  it('derives a sequence model from the steps when the journey has none', () => {
    const { tree, derived } = journeyModel(returns());
    expect(derived).toBe(true);
    expect(treeToString(tree)).toBe("->( 'Requested', 'Received', 'Refunded' )");
    const own = journeyModel({ ...returns(), model: { operator: 'X', children: ['Requested', 'Refunded'] } });
    expect(own.derived).toBe(false);
    expect(treeToString(own.tree)).toBe("X( 'Requested', 'Refunded' )");
  });
});

describe('friction', () => {
  /** 20 cases a→b (team x → y) waiting `slowH` for the first `nSlow` cases, else 1 h; b→c always 10 h. */
  function log(nSlow: number, slowH: number) {
    const b = new EventLogBuilder();
    for (let c = 0; c < 20; c++) {
      const wait = c < nSlow ? slowH : 1;
      b.add(`c${c}`, 'a', 0, { resource: 'x' });
      b.add(`c${c}`, 'b', wait * H, { resource: 'y' });
      b.add(`c${c}`, 'c', (wait + 10) * H, { resource: 'y' });
      b.setCaseAttributes(`c${c}`, { profile_id: String(c) });
    }
    return b.build();
  }

  it('counts only the wait beyond the target as delay, and all of it without a target', () => {
    const l = log(10, 49);
    const targets = { a: 2 * 3600, b: undefined } as Record<string, number | undefined>;
    const edges = frictionEdges(l, { target: (a) => targets[l.activityNames[a]!] });
    const ab = edges.find((e) => l.activityNames[e.from] === 'a')!;
    const bc = edges.find((e) => l.activityNames[e.from] === 'b')!;
    expect(ab.volume).toBe(20);
    expect(ab.delayH).toBeCloseTo((10 * 47) / 20, 9);
    expect(ab.slowShare).toBe(0.5);
    expect(ab).toMatchObject({ fromTeam: 'x', toTeam: 'y', targetS: 7200 });
    expect(bc.delayH).toBeCloseTo(10, 9);
    expect(ab.score).toBeCloseTo(ab.delayH * 20, 9);
    // 10 cases × 47 h beyond target = 470 customer-hours outrank b → c's 20 × 10 h = 200.
    expect(edges.map((e) => e.score)).toEqual([470, 200]);
    expect(edges[0]).toBe(ab);
  });

  it('raises the score by the conversion and feedback drop of the slow cases', () => {
    const l = log(10, 49);
    const feedback = new Map<number, CustomerFeedback>(Array.from({ length: 20 }, (_, c) => [c, { time: [60 * H], score: [c < 10 ? 0.2 : 0.9] }]));
    const edges = frictionEdges(l, {
      target: (a, b) => (b > a && l.activityNames[a] === 'a' ? 7200 : undefined),
      include: (a) => l.activityNames[a] === 'a',
      converted: (c) => c >= 5,
      customerOf: (c) => Number(l.caseAttributes![c]!.profile_id),
      feedback,
    });
    expect(edges).toHaveLength(1);
    const e = edges[0]!;
    expect(e.conversionSlow).toBeCloseTo(0.5, 9);
    expect(e.conversionOnTime).toBe(1);
    expect(e.feedbackSlow).toBeCloseTo(0.2, 9);
    expect(e.feedbackOnTime).toBeCloseTo(0.9, 9);
    expect(e.score).toBeCloseTo(e.delayH * 20 * (1 + 0.5 + 0.7), 6);
  });

  it('gives each edge its delayed and always-on-time customers in order of first appearance, as Sets would', () => {
    // Customers with several cases, delayed on one edge and on time on another, some cases without a customer.
    let seed = 7;
    const rand = (n: number) => Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 65_536) % n;
    const b = new EventLogBuilder();
    const steps = ['a', 'b', 'c'];
    // 3,000 customers: more than the 1,024 the customer columns start with, so they grow mid-edge.
    for (let c = 0; c < 6000; c++) {
      let t = c * H;
      for (let k = 0; k < 2 + rand(4); k++) {
        b.add(`c${c}`, steps[rand(3)]!, t);
        t += (1 + rand(48)) * H;
      }
      if (rand(9) > 0) b.setCaseAttributes(`c${c}`, { profile_id: String(rand(3000)) });
    }
    const l = b.build();
    const customerOf = (c: number) => (l.caseAttributes?.[c]?.profile_id === undefined ? undefined : Number(l.caseAttributes[c]!.profile_id));
    const edges = frictionEdges(l, { target: () => 12 * 3600, customerOf });
    expect(edges.length).toBeGreaterThan(5);
    for (const e of edges) {
      // The reference: the edge's traversals in log order, into two Sets.
      const slowSet = new Set<number>();
      const allSet = new Set<number>();
      for (let c = 0; c < l.caseIds.length; c++) {
        for (let x = l.caseStart[c]! + 1; x < l.caseStart[c + 1]!; x++) {
          if (l.activity[x - 1] !== e.from || l.activity[x] !== e.to) continue;
          const customer = customerOf(c);
          if (customer === undefined) continue;
          allSet.add(customer);
          if ((l.time[x]! - l.time[x - 1]!) / 1000 > 12 * 3600) slowSet.add(customer);
        }
      }
      expect(e.slowCustomers).toEqual([...slowSet]);
      expect(e.onTimeCustomers).toEqual([...allSet].filter((c) => !slowSet.has(c)));
    }
    expect(edges.some((e) => e.slowCustomers.length > 0 && e.onTimeCustomers.length > 0)).toBe(true);
  });

  it('adds the CLV drop of the delayed customers to the downstream effect and reports their value', () => {
    const l = log(10, 49);
    // Customers 0–9 waited beyond the target: worth 50 each and fading; 10–19 on time: worth 100.
    const value = new Map<number, CustomerValue>(Array.from({ length: 20 }, (_, c) => [c, c < 10 ? { clv: 50, pAlive: 0.4, pAliveBefore: 0.6 } : { clv: 100, pAlive: 0.9, pAliveBefore: null }]));
    const edges = frictionEdges(l, {
      target: (a, b) => (b > a && l.activityNames[a] === 'a' ? 7200 : undefined),
      include: (a) => l.activityNames[a] === 'a',
      customerOf: (c) => Number(l.caseAttributes![c]!.profile_id),
      value,
    });
    const e = edges[0]!;
    expect(e.slowCustomers.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e.onTimeCustomers).toHaveLength(10);
    expect(e.value).toMatchObject({ customers: 20, clv: 1500, meanClv: 75, clvGap: 0.5, pAliveChangeGap: null });
    expect(e.value!.slow).toEqual({ customers: 10, meanClv: 50, meanPAlive: expect.closeTo(0.4, 9) as number, meanPAliveChange: expect.closeTo(-0.2, 9) as number });
    expect(e.value!.pAliveGap).toBeCloseTo(0.5, 9);
    expect(e.score).toBeCloseTo(e.delayH * 20 * 1.5, 6);
    // Too few on time to compare: figures, but no effect on the score.
    const few = frictionValue([0, 1, 2], [10, 11], value);
    expect(few).toMatchObject({ customers: 5, slow: null, onTime: null, clvGap: null, pAliveGap: null });
    expect(frictionEdges(l, { target: () => 7200 })[0]!.value).toBeNull();
  });

  it('normalises every score kind to 0–1', () => {
    expect(normalisedScore({ nps: 10 })).toBe(1);
    expect(normalisedScore({ csat: 1 })).toBe(0);
    expect(normalisedScore({ ces: 4 })).toBe(0.5);
    expect(normalisedScore({ stars: 3 })).toBe(0.5);
    expect(normalisedScore({})).toBeUndefined();
  });
});
