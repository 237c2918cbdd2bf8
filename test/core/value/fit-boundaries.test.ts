/**
 * Fits whose maximum lies on the boundary of the parameter space (no dropout at all), the bounded optimiser they
 * rely on, and Pareto/NBD's analytic gradient against finite differences.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/demo/prng.js';
import { bgNbdProbabilityAlive, fitBgNbd } from '../../../src/core/value/bg-nbd.js';
import { fitMbgNbd } from '../../../src/core/value/mbg-nbd.js';
import { minimise } from '../../../src/core/value/optimiser.js';
import { fitParetoNbd, paretoNbdObjective, paretoNbdProbabilityAlive } from '../../../src/core/value/pareto-nbd.js';
import { rfmData } from '../../../src/core/value/rfm-data.js';

/** Customers who buy at Gamma(0.8, 1/4)-distributed weekly rates and never leave, observed 20–60 weeks. */
function noDropout(customers: number, seed: number) {
  const rng = new Rng(seed, 7, 11);
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  for (let c = 0; c < customers; c++) {
    const age = rng.uniform(20, 60);
    const rate = rng.gamma(0.8, 1 / 4);
    let t = 0;
    let last = 0;
    let n = 0;
    for (;;) {
      t += rng.exponential(1 / rate);
      if (t >= age) break;
      n++;
      last = t;
    }
    x.push(n);
    tx.push(last);
    T.push(age);
  }
  return rfmData(x, tx, T);
}

describe('fits on data without dropout', () => {
  const data = noDropout(3000, 5);

  it('BG/NBD: the dropout probability goes to zero and the fit still reports convergence', () => {
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeLessThan(1e-3);
    expect(fit.params.r).toBeGreaterThan(0.5);
    expect(bgNbdProbabilityAlive(fit.params, 3, 5, 50)).toBeGreaterThan(0.99);
  });

  it('MBG/NBD: dropout goes to zero within the box', () => {
    const fit = fitMbgNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeLessThan(1e-3);
    expect(fit.iterations).toBeLessThan(300);
  });

  it('Pareto/NBD: the mean dropout rate s/β goes to zero and the parameter on the box is named', () => {
    const fit = fitParetoNbd(data);
    expect(fit.converged).toBe(true);
    expect(fit.params.s / fit.params.beta).toBeLessThan(1e-4);
    expect(fit.atBound.length).toBeGreaterThan(0);
    expect(fit.atBound.every((p) => p === 's' || p === 'beta')).toBe(true);
    expect(paretoNbdProbabilityAlive(fit.params, 3, 5, 50)).toBeGreaterThan(0.99);
  });
});

describe('bounded minimisation', () => {
  it('stops on the bound, reports it and counts as converged', () => {
    const f = (x: Float64Array, g?: Float64Array) => {
      if (g) {
        g[0] = 2 * (x[0]! - 5);
        g[1] = 2 * (x[1]! + 1);
      }
      return (x[0]! - 5) ** 2 + (x[1]! + 1) ** 2;
    };
    const res = minimise(f, [0, 0], { lower: [-3, -3], upper: [2, 2] });
    expect(res.converged).toBe(true);
    expect(res.atBound).toEqual([0]);
    expect(res.x[0]).toBe(2);
    expect(res.x[1]).toBeCloseTo(-1, 8);
  });

  it('stops at the time limit with the best point so far', () => {
    let calls = 0;
    const slow = (x: Float64Array, g?: Float64Array) => {
      calls++;
      const until = performance.now() + 2;
      while (performance.now() < until);
      // Rosenbrock: a long curved valley.
      if (g) {
        g[0] = -400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!);
        g[1] = 200 * (x[1]! - x[0]! ** 2);
      }
      return 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    };
    const res = minimise(slow, [-1.2, 1], { timeLimitMs: 30 });
    expect(res.stopReason).toBe('time-limit');
    expect(res.converged).toBe(false);
    expect(calls).toBeLessThan(40);
  });
});

describe('Pareto/NBD analytic gradient', () => {
  const data = rfmData([0, 1, 4, 12, 40, 2], [0, 3, 20.5, 30, 38.9, 0.5], [30, 31, 39, 39, 39, 2]);
  const f = paretoNbdObjective(data);
  for (const p of [
    [0.55, 10.6, 0.61, 11.7], // CDNOW's maximum
    [0.7, 2, 1.3, 400], // β ≫ α: little dropout
    [2, 20, 0.02, 1e-4], // β ≪ α
    [1.1, 17, 9000, 1e6], // homogeneous dropout
  ]) {
    it(`matches central differences at r, α, s, β = ${p.join(', ')}`, () => {
      const theta = Float64Array.from(p, Math.log);
      const grad = new Float64Array(4);
      f(theta, grad);
      for (let i = 0; i < 4; i++) {
        const h = 1e-5;
        const up = Float64Array.from(theta);
        up[i] = up[i]! + h;
        const down = Float64Array.from(theta);
        down[i] = down[i]! - h;
        const numeric = (f(up) - f(down)) / (2 * h);
        expect(Math.abs(grad[i]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    });
  }
});
