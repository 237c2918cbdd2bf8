/** RFM, rule-based segments, k-means personas, the silent-churn radar and next-best-action rules (pure logic). */
import { describe, expect, it } from 'vitest';
import type { CustomerFeatures } from '../../../src/core/value/features.js';
import { percentileRanks } from '../../../src/core/value/features.js';
import { chooseK, kMeans, mulberry32, silhouette, standardise } from '../../../src/core/value/kmeans.js';
import { DEFAULT_NBA_RULES, nbaRuleSetSchema, proposeAction } from '../../../src/core/value/next-best-action.js';
import { buildPersonas } from '../../../src/core/value/personas.js';
import { failureExposure } from '../../../src/core/value/revenue-at-risk.js';
import { quintileScores, rfmSegment } from '../../../src/core/value/rfm.js';
import { conditionSchema, describeCondition, matches } from '../../../src/core/value/rules.js';
import { assessSilentChurn, poissonLowerTail } from '../../../src/core/value/silent-churn.js';
import { buildFeatures, missedReplyTarget, type ValueRecord } from '../../../src/core/value/customer-features.js';

const base: CustomerFeatures = {
  profileId: 1, clv: 100, clvPercentile: 50, pAlive: 0.9, pAliveBefore: 0.9, expectedPurchases: 2, orders: 5, recencyDays: 10, tenureDays: 300,
  meanSpend: 50, totalSpend: 250, pastRate: 0.1, pastOrders: 4, recentOrders: 1, rfmR: 3, rfmF: 3, rfmM: 3, rfmSegment: 'Loyal', persona: null,
  latestNps: 9, latestCsat: null, latestCes: null, satisfied: true, detractor: false, complained: false, openTickets: 0, recentTickets: 0,
  missedReplyTargets: 0, serviceFailure: false, silentChurn: false,
};
const customer = (over: Partial<CustomerFeatures>): CustomerFeatures => ({ ...base, ...over });

describe('RFM', () => {
  it('scores quintiles 1–5, higher for more recent, and gives tied values one score', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const scores = quintileScores(values);
    expect([scores[0], scores[19], scores[20], scores[99]]).toEqual([1, 1, 2, 5]);
    expect(quintileScores(values, false)[0]).toBe(5);
    const tied = quintileScores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect(new Set(Array.from(tied.slice(0, 6))).size).toBe(1);
    expect(rfmSegment(5, 5)).toBe('Champions');
    expect(rfmSegment(1, 5)).toBe("Can't lose them");
    expect(rfmSegment(1, 1)).toBe('Hibernating');
  });
});

describe('rules', () => {
  it('validates, evaluates and explains conditions; missing values never match', () => {
    const rule = conditionSchema.parse({ all: [{ field: 'clv', op: '>=', value: 80 }, { any: [{ field: 'detractor', op: '=', value: true }, { field: 'rfmSegment', op: 'in', value: ['Loyal'] }] }] });
    expect(matches(rule, base)).toBe(true);
    expect(matches(rule, customer({ clv: 10 }))).toBe(false);
    expect(matches({ field: 'latestCsat', op: '<', value: 3 }, base)).toBe(false);
    expect(matches({ not: { field: 'latestCsat', op: '<', value: 3 } }, base)).toBe(true);
    expect(describeCondition(rule)).toBe('CLV ≥ 80 and (detractor or RFM segment is one of Loyal)');
    expect(conditionSchema.safeParse({ field: 'clv', op: '>', value: 'high' }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'detractor', op: '>', value: true }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'nope', op: '=', value: 1 }).success).toBe(false);
  });

  it('ranks percentiles with ties sharing the lower rank', () => {
    expect(Array.from(percentileRanks([10, 20, 20, 30]))).toEqual([0, 25, 25, 75]);
  });
});

describe('k-means and personas', () => {
  const blobs = (n: number, centres: number[][], seed: number) => {
    const random = mulberry32(seed);
    const cols: number[][] = centres[0]!.map(() => []);
    for (let i = 0; i < n; i++) {
      const c = centres[i % centres.length]!;
      c.forEach((v, j) => cols[j]!.push(v + (random() - 0.5)));
    }
    return cols;
  };

  it('is deterministic and finds the number of well-separated clusters by silhouette', () => {
    const cols = blobs(600, [[0, 0], [10, 0], [0, 10]], 1);
    const z = standardise(cols);
    const a = kMeans(z.data, z.n, z.d, 3, { seed: 5 });
    const b = kMeans(z.data, z.n, z.d, 3, { seed: 5 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    const choice = chooseK(z.data, z.n, z.d, { sampleSize: 200 });
    expect(choice.result.k).toBe(3);
    const all = Int32Array.from({ length: z.n }, (_, i) => i);
    expect(silhouette(z.data, z.d, a.assignment, 3, all)).toBeGreaterThan(0.8);
  });

  it('describes what distinguishes each persona', () => {
    // Two groups: frequent big spenders, and occasional small ones.
    const n = 400;
    const random = mulberry32(3);
    const heavy = (i: number) => i % 4 === 0;
    const personas = buildPersonas({
      n,
      ordersPerMonth: Array.from({ length: n }, (_, i) => (heavy(i) ? 3 : 0.3) * (0.8 + 0.4 * random())),
      recencyDays: Array.from({ length: n }, (_, i) => (heavy(i) ? 10 : 120) + 10 * random()),
      meanSpend: Array.from({ length: n }, (_, i) => (heavy(i) ? 160 : 40) * (0.9 + 0.2 * random())),
      tenureDays: Array.from({ length: n }, () => 200 + 20 * random()),
    }, { money: (v) => `£${v.toFixed(0)}` });
    expect(personas.k).toBe(2);
    const frequent = personas.personas.find((p) => p.size === 100)!;
    expect(frequent.description).toMatch(/buys \d\.\d× as often as average/);
    expect(frequent.description).toMatch(/spends £1[5-7]\d per order/);
    expect(Math.abs(frequent.distinctions[0]!.z)).toBeGreaterThan(1);
    expect(frequent.name).toMatch(/Frequent|Recently active|Big-basket/);
    expect(new Set(personas.personas.map((p) => p.name)).size).toBe(2);
  });
});

describe('silent-churn radar', () => {
  it('computes the Poisson lower tail', () => {
    expect(poissonLowerTail(0, 2)).toBeCloseTo(Math.exp(-2), 12);
    expect(poissonLowerTail(2, 3)).toBeCloseTo(Math.exp(-3) * (1 + 3 + 4.5), 12);
  });

  it('flags a satisfied customer whose buying fell well below their own past, and only them', () => {
    // Bought weekly for 40 weeks, once in the last 13 weeks.
    const fading = customer({ pastRate: 1, pastOrders: 40, recentOrders: 1, tenureDays: 53 * 7, recencyDays: 60, meanSpend: 100, clv: 300 });
    const finding = assessSilentChurn(fading, { recentWeeks: 13 });
    expect(finding).toMatchObject({ flagged: true, rateDrop: true });
    expect(finding.valueAtStake).toBeCloseTo(52.18 * 100 - 300, 0);
    expect(finding.reason).toMatch(/1 orders in the last 13 weeks where their past pace gives 13\.0/);
    expect(assessSilentChurn({ ...fading, satisfied: false }, { recentWeeks: 13 }).flagged).toBe(false);
    expect(assessSilentChurn({ ...fading, openTickets: 1 }, { recentWeeks: 13 }).flagged).toBe(false);
    expect(assessSilentChurn({ ...fading, recentOrders: 12, recencyDays: 3 }, { recentWeeks: 13 }).flagged).toBe(false);
    // Too little history to speak of a habit.
    expect(assessSilentChurn({ ...fading, pastOrders: 2 }, { recentWeeks: 13 }).flagged).toBe(false);
  });

  it('builds features from value records and signals: reply targets, satisfaction in the window', () => {
    const asOf = Date.UTC(2026, 0, 1);
    const recentFrom = asOf - 91 * 86_400_000;
    expect(missedReplyTarget({ channel: 'chat', openedAt: 0, firstReplyAt: 2 * 3_600_000, closedAt: null }, asOf)).toBe(true);
    expect(missedReplyTarget({ channel: 'email', openedAt: 0, firstReplyAt: 2 * 3_600_000, closedAt: null }, asOf)).toBe(false);
    const record: ValueRecord = { profileId: 7, clv: 50, pAlive: 0.5, pAliveBefore: 0.6, expectedPurchases: 1, orders: 3, recencyDays: 20, tenureDays: 200, meanSpend: 30, totalSpend: 90, pastRate: 0.05, recentOrders: 1, rfmR: 3, rfmF: 2, rfmM: 2, segment: 'Needs attention', persona: 'P' };
    const { features } = buildFeatures([record, { ...record, profileId: 8, clv: 500 }], new Map([
      [7, { detractors: 0, lowScores: 0, complaints: 0, latestNps: { score: 9, at: recentFrom - 1 }, latestCsat: null, latestCes: null, tickets: [] }],
      [8, { detractors: 1, lowScores: 0, complaints: 0, latestNps: { score: 3, at: recentFrom + 1 }, latestCsat: null, latestCes: null, tickets: [{ channel: 'chat', openedAt: recentFrom + 5, firstReplyAt: recentFrom + 5 + 7_200_000, closedAt: null }] }],
    ]), { recentFrom, asOf, radar: { recentWeeks: 13 } });
    expect(features[0]).toMatchObject({ satisfied: false, serviceFailure: false, clvPercentile: 0 });
    expect(features[1]).toMatchObject({ detractor: true, missedReplyTargets: 1, openTickets: 1, serviceFailure: true, clvPercentile: 50 });
    const failures = failureExposure(features);
    expect(failures[0]).toMatchObject({ key: 'missed-reply-target', customers: 1, clv: 500 });
    expect(failures[0]!.others.customers).toBe(1);
  });
});

describe('next-best-action', () => {
  it('proposes the first matching rule with a reason filled from the customer', () => {
    const vip = customer({ clv: 2400, clvPercentile: 95, serviceFailure: true, missedReplyTargets: 2, latestNps: 6 });
    expect(proposeAction(vip, DEFAULT_NBA_RULES, 'GBP')).toMatchObject({
      ruleId: 'apology-and-credit',
      reason: 'Top-20 % CLV (GBP 2,400) and a recent service failure (2 missed reply targets, latest NPS 6)',
    });
    expect(proposeAction(customer({ silentChurn: true }), DEFAULT_NBA_RULES, null)?.ruleId).toBe('owner-outreach');
    expect(proposeAction(customer({ detractor: true, latestCes: 2, latestNps: 4 }), DEFAULT_NBA_RULES, null)?.ruleId).toBe('detractor-callback');
    expect(proposeAction(base, DEFAULT_NBA_RULES, null)).toBeNull();
    const edited = nbaRuleSetSchema.parse({ rules: [{ id: 'all', action: 'Say thanks', when: { field: 'orders', op: '>=', value: 1 }, reason: '{orders} orders' }] });
    expect(proposeAction(base, edited, null)).toMatchObject({ action: 'Say thanks', reason: '5 orders', rule: 'orders ≥ 1' });
    expect(nbaRuleSetSchema.safeParse({ rules: [DEFAULT_NBA_RULES.rules[0], DEFAULT_NBA_RULES.rules[0]] }).success).toBe(false);
  });
});
