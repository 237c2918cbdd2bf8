import { describe, expect, it } from 'vitest';
import { revenueByCurrency } from '../../../src/core/metrics/revenue.js';

describe('revenueByCurrency', () => {
  it('never adds currencies up: the one with most orders is the main one, the others are listed', () => {
    const figures = revenueByCurrency([
      { currency: 'USD', orders: 1, revenue: 5 },
      { currency: 'GBP', orders: 2, revenue: 7.5 },
    ]);
    expect(figures).toEqual({ orders: 3, revenue: 7.5, currency: 'GBP', otherCurrencies: [{ currency: 'USD', orders: 1, revenue: 5 }] });
  });
  it('breaks ties alphabetically, and has no currency without orders', () => {
    expect(revenueByCurrency([{ currency: 'USD', orders: 1, revenue: 5 }, { currency: 'EUR', orders: 1, revenue: 9 }]).currency).toBe('EUR');
    expect(revenueByCurrency([])).toEqual({ orders: 0, revenue: 0, currency: null, otherCurrencies: [] });
  });
});
