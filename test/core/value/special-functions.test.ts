import { describe, expect, it } from 'vitest';
import { hyp2f1, logAddExp, logHyp2f1, logSubExp } from '../../../src/core/value/special-functions.js';
import { minimiseBfgs, minimiseNelderMead, withNumericGradient } from '../../../src/core/value/optimiser.js';

describe('hyp2f1', () => {
  it('matches closed forms across the unit interval', () => {
    for (const z of [0.01, 0.3, 0.7, 0.95, 0.999]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 12);
      expect(hyp2f1(2.5, 3, 3, z) / Math.pow(1 - z, -2.5)).toBeCloseTo(1, 12);
      const s = Math.sqrt(z);
      expect(hyp2f1(0.5, 0.5, 1.5, z)).toBeCloseTo(Math.asin(s) / s, 12);
    }
  });

  it('handles negative arguments (Pfaff) and large parameters without overflow', () => {
    // ₂F₁(1,1;2;z) = −log(1−z)/z also holds for z < 0.
    expect(hyp2f1(1, 1, 2, -3)).toBeCloseTo(Math.log(4) / 3, 12);
    // c − a − b < 0 with big a, b: ₂F₁(a, b; b; z) = (1−z)^(−a), far beyond double range in direct form.
    const { log, sign } = logHyp2f1(800, 900, 900, 0.9);
    expect(sign).toBe(1);
    expect(log / (-800 * Math.log(0.1))).toBeCloseTo(1, 12);
  });

  it('agrees with the integral form a∫₀¹ t^(a−1)(1−zt)^(−b) dt used by Pareto/NBD (c = a+1)', () => {
    const a = 3.7;
    const b = 1.6;
    const z = 0.8;
    // Simpson's rule with many panels on a smooth integrand.
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i <= n; i++) {
      const t = i / n;
      const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
      sum += w * Math.pow(t, a - 1) * Math.pow(1 - z * t, -b);
    }
    expect(hyp2f1(a, b, a + 1, z) / ((a * sum) / (3 * n))).toBeCloseTo(1, 9);
  });

  it('log-sum helpers are exact at the edges', () => {
    expect(logAddExp(-Infinity, 2)).toBe(2);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSubExp(3, 3)).toBe(-Infinity);
    expect(logSubExp(Math.log(5), Math.log(2))).toBeCloseTo(Math.log(3), 12);
  });
});

describe('optimisers', () => {
  const rosenbrock = (x: Float64Array) => (1 - x[0]!) ** 2 + 100 * (x[1]! - x[0]! ** 2) ** 2;

  it('BFGS finds the Rosenbrock minimum with a numeric gradient', () => {
    const res = minimiseBfgs(withNumericGradient(rosenbrock), [-1.2, 1], { gradientTolerance: 1e-7 });
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('Nelder–Mead finds it without a gradient', () => {
    const res = minimiseNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10_000, tolerance: 1e-16 });
    expect(res.x[0]).toBeCloseTo(1, 3);
    expect(res.x[1]).toBeCloseTo(1, 3);
  });
});
