import { describe, expect, it } from 'vitest';
import { discountedPurchases, scoreCustomers } from '../../../src/core/value/clv.js';
import { countModel } from '../../../src/core/value/count-models.js';
import { cumulativeRepeatTransactions, summariseTransactions } from '../../../src/core/value/summary.js';
import { validateModels } from '../../../src/core/value/validation.js';
import { CALIBRATION_END, cdnowSummary, cdnowTracking, cdnowTransactions } from './cdnow-fixtures.js';

const { columns, ids } = cdnowTransactions();
const cbs = cdnowSummary();

describe('summaries from raw CDNOW transactions', () => {
  const s = summariseTransactions(columns, { calibrationEnd: CALIBRATION_END });

  it('equal btyd_cdnowSummary_cbs.csv exactly (x, t_x, T_cal, x_star, m_x)', () => {
    expect(s.n).toBe(cbs.cust.length);
    for (let i = 0; i < s.n; i++) {
      const row = Number(ids[s.customer[i]!]) - 1;
      expect(cbs.cust[row]).toBe(row + 1);
      expect([s.x[i], s.tx[i], s.T[i], s.xStar[i]]).toEqual([cbs.x[row], cbs.tx[row], cbs.T[row], cbs.xStar[row]]);
      expect(s.mx[i]).toBeCloseTo(cbs.mx[row]!, 9);
    }
    expect(s.holdoutLength).toBe(39);
  });

  it('collapses same-day purchases into one and ignores input order', () => {
    const shuffled = { customer: Int32Array.from([1, 0, 0, 0, 1, 0]), day: Int32Array.from([10, 12, 5, 5, 30, 40]), amount: Float64Array.from([1, 7, 2, 3, 4, 9]), customers: 2 };
    const r = summariseTransactions(shuffled, { calibrationEnd: 20, unitDays: 1 });
    // customer 0: birth day 5 (two purchases merged), repeat on day 12; day 40 is in the holdout.
    expect(Array.from(r.x)).toEqual([1, 0]);
    expect(Array.from(r.tx)).toEqual([7, 0]);
    expect(Array.from(r.T)).toEqual([15, 10]);
    expect(Array.from(r.xStar)).toEqual([1, 1]);
    expect(Array.from(r.mx)).toEqual([7, 0]);
  });

  it('cumulative weekly repeat transactions equal the BTYD tracking file (week 39 = 2457, week 78 = 4339)', () => {
    const reference = cdnowTracking();
    const { cumulative } = cumulativeRepeatTransactions(columns, reference.length);
    expect(Array.from(cumulative)).toEqual(reference);
    expect(cumulative[38]).toBe(2457);
    expect(cumulative[77]).toBe(4339);
  });
});

describe('validation report on CDNOW', () => {
  const report = validateModels(columns, { calibrationEnd: CALIBRATION_END });

  it('fits every model, predicts the holdout and tracks weekly', () => {
    expect(report.customers).toBe(2357);
    expect(report.actualHoldout).toBe(1882);
    const byName = Object.fromEntries(report.models.map((m) => [m.model, m]));
    expect(byName.bgnbd!.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(byName.paretonbd!.logLikelihood).toBeCloseTo(-9594.98, 1);
    expect(byName.bgnbd!.predictedHoldout).toBeCloseTo(1653.4, 0);
    const buckets = byName.bgnbd!.buckets;
    expect(buckets.map((b) => b.bucket)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(buckets.reduce((n, b) => n + b.customers, 0)).toBe(2357);
    expect(buckets.reduce((n, b) => n + b.actual * b.customers, 0)).toBeCloseTo(1882, 6);
    const tracking = byName.bgnbd!.tracking;
    expect(tracking).toHaveLength(78);
    expect(tracking[38]!.actual).toBe(2457);
    // In calibration the model tracks the actual curve closely (FHL 2005, Figure 3).
    expect(Math.abs(tracking[38]!.expected / 2457 - 1)).toBeLessThan(0.03);
    expect(report.models.map((m) => m.model)).toContain(report.recommended);
    const best = Math.min(...report.models.map((m) => m.meanAbsoluteError));
    expect(report.models.find((m) => m.model === report.recommended)!.meanAbsoluteError).toBe(best);
  });
});

describe('CLV', () => {
  it('without discounting, the discounted sum is the expected purchases over the horizon', () => {
    const model = countModel('bgnbd', { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 });
    const f = (t: number) => model.conditionalExpected(t, 2, 30.43, 38.86);
    const flat = discountedPurchases(f, { horizon: 52, annualDiscountRate: 0 });
    expect(flat.discounted).toBeCloseTo(f(52), 12);
    const discounted = discountedPurchases(f, { horizon: 52, annualDiscountRate: 0.1 });
    expect(discounted.discounted).toBeLessThan(flat.discounted);
    expect(discounted.discounted).toBeGreaterThan(flat.discounted / 1.1);
  });

  it('scores customers: CLV = expected spend × discounted purchases', () => {
    const model = countModel('paretonbd', { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 });
    const spend = { p: 6.24954, q: 3.74423, gamma: 15.44363 };
    const data = { n: 3, x: Float64Array.from(cbs.x.slice(0, 3)), tx: Float64Array.from(cbs.tx.slice(0, 3)), T: Float64Array.from(cbs.T.slice(0, 3)) };
    const s = scoreCustomers(model, data, Float64Array.from(cbs.mx.slice(0, 3)), spend, { horizon: 52, annualDiscountRate: 0 });
    expect(s.expectedSpend[0]).toBeCloseTo(24.65, 1);
    for (let i = 0; i < 3; i++) expect(s.clv[i]).toBeCloseTo(s.expectedSpend[i]! * s.expectedPurchases[i]!, 9);
    expect(s.pAlive[2]).toBeLessThan(1);
  });
});
