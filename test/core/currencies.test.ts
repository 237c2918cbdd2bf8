import { describe, expect, it } from 'vitest';
import { isCurrencyCode } from '../../src/core/currencies.js';

describe('isCurrencyCode', () => {
  it('accepts current ISO 4217 codes in any case, fund and X-codes included', () => {
    for (const code of ['EUR', 'usd', 'Gbp', 'CHE', 'XAU', 'XXX', 'XCG', 'ZWG', 'VED']) expect(isCurrencyCode(code)).toBe(true);
  });
  it('accepts codes withdrawn since 2007, which order histories still carry', () => {
    for (const code of ['HRK', 'LTL', 'VEF', 'SKK', 'BYR']) expect(isCurrencyCode(code)).toBe(true);
  });
  it('refuses three letters that are no currency, and anything not three letters', () => {
    for (const code of ['ABC', 'EURO', 'EU', '', 'E R', 'DEM', '€UR', ' EUR']) expect(isCurrencyCode(code)).toBe(false);
  });
  it('knows every code Node’s ICU lists that is still in use, so no real currency is refused', () => {
    const known = Intl.supportedValuesOf('currency');
    expect(known.filter((c) => !isCurrencyCode(c))).toEqual([]);
  });
});
