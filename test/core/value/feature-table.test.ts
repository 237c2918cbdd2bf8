import { describe, expect, it } from 'vitest';
import { FeatureTable, plainFeatures } from '../../../src/core/value/feature-table.js';
import type { CustomerFeatures } from '../../../src/core/value/features.js';
import { fillTemplate, matches } from '../../../src/core/value/rules.js';

const base: CustomerFeatures = {
  profileId: 7,
  clv: 123.456,
  clvPercentile: Number.NaN,
  pAlive: 0.8125,
  pAliveBefore: null,
  expectedPurchases: 2.25,
  orders: 9,
  recencyDays: 40,
  tenureDays: 400,
  meanSpend: 31.5,
  totalSpend: 283.5,
  pastRate: 0.175,
  pastOrders: 8,
  recentOrders: 1,
  rfmR: 3,
  rfmF: 4,
  rfmM: 2,
  rfmSegment: 'loyal',
  persona: null,
  latestNps: null,
  latestCsat: 4,
  latestCes: 0,
  satisfied: true,
  detractor: false,
  complained: false,
  openTickets: 0,
  recentTickets: 2,
  missedReplyTargets: 1,
  serviceFailure: true,
  silentChurn: false,
};

describe('FeatureTable', () => {
  it('gives back every field as stored, nulls included, past its first capacity', () => {
    const table = new FeatureTable(2);
    const inputs = Array.from({ length: 50 }, (_, i): CustomerFeatures => ({
      ...base,
      profileId: 2 ** 40 + i,
      clv: i / 3,
      pAliveBefore: i % 2 ? i / 7 : null,
      latestNps: i % 3 ? i % 11 : null,
      persona: i % 4 ? `persona ${i % 4}` : null,
      rfmSegment: i % 5 ? 'loyal' : 'at risk',
      detractor: i % 2 === 0,
      recencyDays: 5 - i,
    }));
    for (const f of inputs) table.add(f);
    const rows = table.rows();
    expect(rows.map(plainFeatures)).toEqual(inputs);
    expect(Object.is(rows[0]!.clvPercentile, Number.NaN)).toBe(true);
    expect(table.names).toEqual(['at risk', 'loyal', 'persona 1', 'persona 2', 'persona 3']);
  });

  it('takes the fields finishFeatures fills in, and works with rules that read fields by name', () => {
    const table = new FeatureTable();
    table.add(base);
    const [row] = table.rows();
    row!.clvPercentile = 87.5;
    row!.silentChurn = true;
    expect([row!.clvPercentile, row!.silentChurn]).toEqual([87.5, true]);
    // A missing score matches no condition, as on a plain record.
    expect(matches({ field: 'latestNps', op: '<=', value: 6 }, row!)).toBe(matches({ field: 'latestNps', op: '<=', value: 6 }, base));
    expect(matches({ field: 'missedReplyTargets', op: '>=', value: 1 }, row!)).toBe(true);
    expect(matches({ all: [{ field: 'rfmSegment', op: '=', value: 'loyal' }, { field: 'latestCsat', op: '=', value: 4 }] }, row!)).toBe(true);
    expect(fillTemplate('{clv} from {rfmSegment}', row!, 'EUR')).toBe(fillTemplate('{clv} from {rfmSegment}', base, 'EUR'));
  });

  it('refuses a whole-number field it cannot hold exactly rather than change it', () => {
    const table = new FeatureTable();
    expect(() => table.add({ ...base, orders: 2.5 })).toThrow(/profile 7: feature orders: 2.5 is not a 32-bit integer/);
    expect(() => table.add({ ...base, recentTickets: 2 ** 31 })).toThrow(RangeError);
  });
});
