/**
 * The four planted patterns, checked the way a later analysis would find them, on 4,000 people (seed 42).
 * The bounds are several standard errors wide; docs/demo-data.md quotes the measured values.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { WEEK_MS, monthOf } from '../../../src/core/demo/calendar.js';
import { createPerson } from '../../../src/core/demo/customer.js';
import {
  DEMO_PATTERNS,
  DEMO_REPLY_PROMISE_MS,
  DEMO_SURVEYS,
  demoWindowFor,
  generateDemo,
} from '../../../src/core/demo/index.js';
import type { CustomerLife } from '../../../src/core/demo/index.js';
import { Rng } from '../../../src/core/demo/prng.js';
import { collect, linearFit, mean, median, ticketStreams } from './helpers.js';

const PEOPLE = 4_000;
const SEED = 42;
const window = demoWindowFor({});
const weekOf = (t: number): number => (t - window.startMs) / WEEK_MS;

let lives: CustomerLife[];
beforeAll(() => {
  lives = collect(generateDemo({ customers: PEOPLE, seed: SEED }));
});

describe('pattern 1: delivery CSAT declines from month 7', () => {
  const responses = (survey: string): [number, number][] =>
    lives.flatMap((l) =>
      l.feedback.filter((f) => f.survey === survey).map((f): [number, number] => [f.occurredAt, f.csat ?? 0]),
    );

  it('is flat before the midpoint and falls about 0.05 points a week after it', () => {
    const points = responses(DEMO_SURVEYS.delivery);
    const before = linearFit(points.filter(([t]) => t < window.midMs).map(([t, s]) => [weekOf(t), s]));
    const after = linearFit(points.filter(([t]) => t >= window.midMs).map(([t, s]) => [weekOf(t), s]));
    expect(before.n).toBeGreaterThan(800);
    expect(after.n).toBeGreaterThan(800);
    expect(Math.abs(before.slope)).toBeLessThan(0.015);
    expect(before.meanY).toBeGreaterThan(4.1);
    expect(before.meanY).toBeLessThan(4.4);
    expect(after.slope).toBeLessThan(-0.035);
    expect(after.slope).toBeGreaterThan(-0.07);
    const lastMonth = points.filter(([t]) => monthOf(window, t) === window.months - 1).map(([, s]) => s);
    expect(mean(lastMonth)).toBeLessThan(3.3);
  });

  it('is specific to delivery: post-purchase CSAT stays flat', () => {
    const points = responses(DEMO_SURVEYS.postPurchase);
    const after = linearFit(points.filter(([t]) => t >= window.midMs).map(([t, s]) => [weekOf(t), s]));
    expect(Math.abs(after.slope)).toBeLessThan(0.01);
  });
});

describe('pattern 2: chat-support breaches its first-reply promise more each month', () => {
  /** [breaches, tickets] per team and calendar month, measured from first agent message (not bot). */
  function breachTable(): Map<string, [number, number][]> {
    const table = new Map<string, [number, number][]>();
    for (const [, stream] of ticketStreams(lives)) {
      const opened = stream.find((e) => e.kind === 'opened');
      const firstAgent = stream.find((e) => e.kind === 'message' && e.authorRole === 'agent');
      if (!opened || !firstAgent) continue;
      const promise = DEMO_REPLY_PROMISE_MS[opened.channel as keyof typeof DEMO_REPLY_PROMISE_MS];
      const team = opened.team ?? '';
      let rows = table.get(team);
      if (!rows) table.set(team, (rows = Array.from({ length: window.months }, (): [number, number] => [0, 0])));
      const row = rows[monthOf(window, opened.occurredAt)] as [number, number];
      row[1]++;
      if (firstAgent.occurredAt - opened.occurredAt > promise) row[0]++;
    }
    return table;
  }
  const rateSlope = (rows: [number, number][]): number => linearFit(rows.map(([b, n], k) => [k, b / n])).slope;
  const pooled = (rows: [number, number][]): number =>
    rows.reduce((s, [b]) => s + b, 0) / rows.reduce((s, [, n]) => s + n, 0);

  it('rises about 3 points a month for chat-support', () => {
    const chat = breachTable().get(DEMO_PATTERNS.breachingTeam.team) ?? [];
    expect(chat.reduce((s, [, n]) => s + n, 0)).toBeGreaterThan(250);
    const slope = rateSlope(chat);
    expect(slope).toBeGreaterThan(0.015);
    expect(slope).toBeLessThan(0.045);
    expect(pooled(chat.slice(0, 3))).toBeLessThan(0.15);
    expect(pooled(chat.slice(-3))).toBeGreaterThan(0.25);
  });

  it('stays flat at about 6 % for every other team', () => {
    const others = [...breachTable()]
      .filter(([team]) => team !== DEMO_PATTERNS.breachingTeam.team)
      .map(([, rows]) => rows);
    const combined = Array.from({ length: window.months }, (_, k): [number, number] => [
      others.reduce((s, rows) => s + (rows[k]?.[0] ?? 0), 0),
      others.reduce((s, rows) => s + (rows[k]?.[1] ?? 0), 0),
    ]);
    expect(Math.abs(rateSlope(combined))).toBeLessThan(0.008);
    expect(pooled(combined)).toBeGreaterThan(0.035);
    expect(pooled(combined)).toBeLessThan(0.09);
  });

  it('answers chats with a bot first, which must not count as the first reply', () => {
    for (const [, stream] of ticketStreams(lives)) {
      if (stream[0]?.channel !== 'chat' || stream.length < 2) continue;
      expect(stream[1]?.authorRole).toBe('bot');
    }
  });
});

describe('pattern 3: the returns handoff store-ops → billing takes days', () => {
  it('has a median of about 4 days between return_received and refund_issued, other steps under a day', () => {
    const steps = new Map<string, Map<string, { at: number; team: string | undefined }>>();
    for (const life of lives) {
      for (const e of life.events) {
        const p = e.properties as { journey?: string; step?: string; order_id?: string } | undefined;
        if (p?.journey !== 'returns') continue;
        expect(p.step).toBe(e.type);
        expect(p.order_id).toMatch(/^NW-/);
        const order = steps.get(p.order_id ?? '') ?? new Map<string, { at: number; team: string | undefined }>();
        order.set(p.step ?? '', { at: e.occurredAt, team: e.team });
        steps.set(p.order_id ?? '', order);
      }
    }
    expect(steps.size).toBeGreaterThan(300);
    const sequence = ['return_requested', 'return_approved', 'return_dropped_off', 'return_received', 'refund_issued'];
    const medianHours = (from: string, to: string): number => {
      const gaps: number[] = [];
      for (const order of steps.values()) {
        const a = order.get(from);
        const b = order.get(to);
        if (a && b) gaps.push((b.at - a.at) / 3_600_000);
      }
      return median(gaps);
    };
    const handoff = medianHours('return_received', 'refund_issued');
    expect(handoff).toBeGreaterThan(3.5 * 24);
    expect(handoff).toBeLessThan(4.5 * 24);
    for (let i = 1; i < sequence.length - 1; i++) {
      expect(medianHours(sequence[i - 1] ?? '', sequence[i] ?? '')).toBeLessThan(24);
    }
    const teams = (step: string): Set<string | undefined> =>
      new Set([...steps.values()].flatMap((order) => (order.has(step) ? [order.get(step)?.team] : [])));
    expect(teams('return_received')).toEqual(new Set(['store-ops']));
    expect(teams('refund_issued')).toEqual(new Set(['billing']));
  });
});

describe('pattern 4: a happy high-value segment fades away', () => {
  interface Row {
    segment: boolean;
    firstHalfOrders: number;
    secondHalfOrders: number;
    firstHalfSpend: number;
    csat: number[];
    nps: number[];
    stars: number[];
  }
  let rows: Row[];
  let topDecileSpend: number;
  beforeAll(() => {
    rows = lives.map((life, index) => {
      const person = createPerson(Rng.forPerson(SEED, index), window, SEED, index);
      const h1 = life.orders.filter((o) => o.orderedAt < window.midMs);
      return {
        segment: person.silentFade,
        firstHalfOrders: h1.length,
        secondHalfOrders: life.orders.length - h1.length,
        firstHalfSpend: h1.reduce((s, o) => s + o.amount, 0),
        csat: life.feedback.flatMap((f) => (f.csat === undefined ? [] : [f.csat])),
        nps: life.feedback.flatMap((f) => (f.nps === undefined ? [] : [f.nps])),
        stars: life.feedback.flatMap((f) => (f.stars === undefined ? [] : [f.stars])),
      };
    });
    topDecileSpend = [...rows].map((r) => r.firstHalfSpend).sort((a, b) => b - a)[Math.floor(PEOPLE / 10)] ?? 0;
  });
  const ratio = (rs: Row[]): number =>
    rs.reduce((s, r) => s + r.secondHalfOrders, 0) / rs.reduce((s, r) => s + r.firstHalfOrders, 0);
  const happy = (r: Row): boolean => !(mean(r.csat) < 4) && r.nps.every((n) => n >= 7);

  it('is about 4 % of people, in the top spend decile, with good scores, buying half as much in the second half', () => {
    const segment = rows.filter((r) => r.segment);
    expect(segment.length / PEOPLE).toBeGreaterThan(0.03);
    expect(segment.length / PEOPLE).toBeLessThan(0.05);
    expect(segment.filter((r) => r.firstHalfSpend >= topDecileSpend).length / segment.length).toBeGreaterThan(0.85);
    expect(segment.flatMap((r) => [...r.csat, ...r.stars]).every((s) => s >= 4)).toBe(true);
    expect(segment.flatMap((r) => r.nps).every((n) => n >= 7)).toBe(true);
    expect(ratio(segment)).toBeGreaterThan(0.4);
    expect(ratio(segment)).toBeLessThan(0.6);
    expect(ratio(rows.filter((r) => !r.segment))).toBeGreaterThan(0.95);
  });

  it('can be found without labels: top-decile, satisfied customers buy much less in the second half', () => {
    const cohort = rows.filter((r) => r.firstHalfSpend >= topDecileSpend && happy(r));
    const rest = rows.filter((r) => !(r.firstHalfSpend >= topDecileSpend && happy(r)));
    expect(ratio(cohort)).toBeLessThan(0.75);
    expect(ratio(rest)).toBeGreaterThan(0.95);
    // The per-customer rule from docs/demo-data.md.
    const found = cohort.filter(
      (r) => r.firstHalfOrders >= 4 && r.secondHalfOrders >= 1 && r.secondHalfOrders <= 0.6 * r.firstHalfOrders,
    );
    const hits = found.filter((r) => r.segment).length;
    expect(hits / found.length).toBeGreaterThan(0.6);
    expect(hits / rows.filter((r) => r.segment).length).toBeGreaterThan(0.4);
  });
});
