/** Compact per-customer tables for friction: same answers as a Map, wrong order refused. */
import { describe, expect, it } from 'vitest';
import { FeedbackTable, ValueTable } from '../../../src/core/journeys/customer-tables.js';
import { meanBetween } from '../../../src/core/journeys/friction.js';

const f64 = (...v: number[]) => Float64Array.from(v);

describe('customer tables', () => {
  it('finds a customer’s feedback in time order and leaves unscored rows out', () => {
    const t = new FeedbackTable(f64(3, 3, 3, 8, 20), f64(10, 20, 30, 5, 1), f64(0.5, NaN, 0.9, 0.1, 0.7));
    expect(t.customers).toBe(3);
    expect(t.get(3)).toEqual({ time: f64(10, 30), score: f64(0.5, 0.9) });
    expect(t.get(8)).toEqual({ time: f64(5), score: f64(0.1) });
    expect(t.get(20)).toEqual({ time: f64(1), score: f64(0.7) });
    expect(t.get(4)).toBeUndefined();
    expect(new FeedbackTable(f64(), f64(), f64()).get(1)).toBeUndefined();
    expect(() => new FeedbackTable(f64(5, 2), f64(0, 0), f64(1, 1))).toThrow(/sorted/);
  });

  it('gives the mean score of a window as meanBetween over the customer’s feedback does', () => {
    const t = new FeedbackTable(f64(3, 3, 3, 3, 8, 20), f64(10, 20, 30, 40, 5, 1), f64(0.5, NaN, 0.9, 0.2, 0.1, 0.7));
    for (const [customer, from, to] of [[3, 0, 100], [3, 10, 30], [3, 9, 10], [3, 30, 39], [3, 40, 50], [8, 4, 5], [8, 5, 9], [20, 0, 0], [4, 0, 100]] as const) {
      const f = t.get(customer);
      expect(t.meanBetween(customer, from, to), `${customer} (${from}, ${to}]`).toBe(f ? meanBetween(f, from, to) : undefined);
    }
    expect(t.meanBetween(3, 10, 30)).toBe(0.9);
    expect(t.meanBetween(3, 0, 100)).toBeCloseTo((0.5 + 0.9 + 0.2) / 3, 12);
  });

  it('finds a customer’s value; unknown P(alive) before is null', () => {
    const v = new ValueTable(f64(1, 7, 9), f64(100, 50, 20), f64(0.9, 0.5, 0.1), f64(0.95, NaN, 0.2));
    expect(v.size).toBe(3);
    expect(v.get(7)).toEqual({ clv: 50, pAlive: 0.5, pAliveBefore: null });
    expect(v.get(9)).toEqual({ clv: 20, pAlive: 0.1, pAliveBefore: 0.2 });
    expect(v.get(2)).toBeUndefined();
    expect(() => new ValueTable(f64(1, 1), f64(1, 1), f64(1, 1), f64(1, 1))).toThrow(/ascending/);
  });
});
