import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bgBbConditionalExpected, bgBbCustomerLogLikelihood, bgBbData, bgBbExpected, bgBbLogLikelihood, bgBbProbabilityAlive, fitBgBb } from '../../../src/core/value/bg-bb.js';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, spendData } from '../../../src/core/value/gamma-gamma.js';
import { logGamma } from '../../../src/core/value/special-functions.js';
import { CLV_DATA, cdnowSummary, rel } from './cdnow-fixtures.js';

describe('Gamma-Gamma on CDNOW repeat buyers', () => {
  const cbs = cdnowSummary();
  const data = spendData(cbs.x, cbs.mx);
  const published = { p: 6.24954, q: 3.74423, gamma: 15.44363 };

  it('fits 946 repeat buyers to LL −4055.92 ± 0.01 at the published parameters', () => {
    expect(data.n).toBe(946);
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.logLikelihood - -4055.918)).toBeLessThan(0.01);
    expect(rel(fit.params.p, published.p)).toBeLessThan(1e-4);
    expect(rel(fit.params.q, published.q)).toBeLessThan(1e-4);
    expect(rel(fit.params.gamma, published.gamma)).toBeLessThan(1e-4);
    expect(Math.abs(gammaGammaLogLikelihood(published, data) - -4055.918)).toBeLessThan(0.01);
  });

  it('expected average spend of customers 1–10 matches the note (±0.1)', () => {
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const got = expected.map((_, i) => gammaGammaExpectedSpend(published, cbs.x[i]!, cbs.mx[i]!));
    got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(0.1));
  });
});

describe('BG/BB on the donations table', () => {
  const rows = readFileSync(join(CLV_DATA, 'donations.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const data = bgBbData(rows.map((r) => r[0]!), rows.map((r) => r[1]!), rows.map((r) => r[2]!), rows.map((r) => r[3]!));
  const fit = fitBgBb(data);

  it('fits 11,104 donors to LL −33225.58 ± 0.01 near the published parameters', () => {
    expect(fit.n).toBe(11_104);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.logLikelihood - -33225.58)).toBeLessThan(0.01);
    const published = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
    for (const k of ['alpha', 'beta', 'gamma', 'delta'] as const) expect(rel(fit.params[k], published[k])).toBeLessThan(2e-3);
    expect(Math.abs(bgBbLogLikelihood(published, data) - -33225.58)).toBeLessThan(0.05);
  });

  it('the likelihood is a distribution over purchase strings, with mean E[X(n)]', () => {
    // A pattern (x, tₓ) stands for C(tₓ−1, x−1) binary strings of the same probability.
    let total = 0;
    let mean = 0;
    for (let x = 0; x <= 6; x++) {
      for (let tx = x === 0 ? 0 : x; tx <= (x === 0 ? 0 : 6); tx++) {
        const strings = x === 0 ? 1 : Math.round(Math.exp(logGamma(tx) - logGamma(x) - logGamma(tx - x + 1)));
        const p = strings * Math.exp(bgBbCustomerLogLikelihood(fit.params, x, tx, 6));
        total += p;
        mean += x * p;
      }
    }
    expect(total).toBeCloseTo(1, 12);
    expect(mean / bgBbExpected(fit.params, 6)).toBeCloseTo(1, 10);
  });

  it('a donor who gave every year is more alive and gives more than one who stopped early', () => {
    expect(bgBbProbabilityAlive(fit.params, 6, 6, 6)).toBeGreaterThan(bgBbProbabilityAlive(fit.params, 2, 2, 6));
    expect(bgBbConditionalExpected(fit.params, 5, 6, 6, 6)).toBeGreaterThan(bgBbConditionalExpected(fit.params, 5, 2, 2, 6));
    expect(Math.abs(bgBbConditionalExpected(fit.params, 0, 3, 4, 6))).toBe(0);
  });
});
