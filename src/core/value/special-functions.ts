/**
 * Special functions for the customer-value models.
 *
 * log Γ, log B and ψ come from stdlib (ports of the Cephes / FreeBSD / Boost algorithms, accurate to a few ulp);
 * the Gaussian hypergeometric function ₂F₁ has no maintained npm implementation, so it is written here for the
 * parameter region the models use (real a, b, c with c > 0, z < 1).
 */
import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';
import gammaln from '@stdlib/math-base-special-gammaln';

export { betaln as logBeta, digamma, gammaln as logGamma };

/** log(eᵃ + eᵇ) without overflow; either argument may be −∞. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(eᵃ − eᵇ) for a ≥ b; −∞ when they are equal. */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (b > a) return NaN;
  return a + Math.log(-Math.expm1(b - a));
}

/** Series terms beyond this mean z is so close to 1 that the answer would be meaningless anyway. */
const MAX_SERIES_TERMS = 200_000;

/**
 * The Gauss series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ for 0 ≤ z < 1, summed until a term no longer changes the sum.
 * Returns the log of the sum when it is positive (the case for the models, where a, b, c > 0), else log|sum|
 * with `sign` set.
 */
function gaussSeries(a: number, b: number, c: number, z: number): { log: number; sign: number } {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_SERIES_TERMS; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    const next = sum + term;
    // Stop once the term is below double precision, and only after the terms have started to shrink (for
    // large a, b the first terms grow before the geometric decay in z takes over).
    if (next === sum && Math.abs(term) <= Math.abs(sum) * 1e-17) return { log: Math.log(Math.abs(sum)), sign: Math.sign(sum) };
    sum = next;
    if (term === 0) break;
  }
  if (!Number.isFinite(sum)) return { log: NaN, sign: 1 };
  return { log: Math.log(Math.abs(sum)), sign: Math.sign(sum) };
}

/**
 * log ₂F₁(a, b; c; z) for z < 1 with c not a non-positive integer; `sign` is the sign of ₂F₁.
 *
 * Stability, as in BTYD/lifetimes: callers arrange z in [0, 1) (Pareto/NBD takes max(α, β) in the denominator,
 * BG/NBD has z = t/(α+T+t)). Here
 * - z < 0 is mapped into (0, ½] by Pfaff's transformation ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1));
 * - when c − a − b < 0 the series terms decay only like n^(a+b−c−1) zⁿ and the function blows up like
 *   (1−z)^(c−a−b) as z → 1, so Euler's transformation ₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) is used:
 *   its series has positive, faster-decaying terms and the singular factor is handled in log space, so large
 *   a, b (heavy buyers: a = r+s+x) neither overflow nor lose digits to cancellation.
 * The remaining series converges geometrically in z; at α ≈ β (z ≈ 0) it is exactly 1 after one term.
 */
export function logHyp2f1(a: number, b: number, c: number, z: number): { log: number; sign: number } {
  if (!(z < 1)) return { log: NaN, sign: 1 };
  if (z === 0) return { log: 0, sign: 1 };
  if (z < 0) {
    const w = z / (z - 1);
    const inner = logHyp2f1(a, c - b, c, w);
    return { log: -a * Math.log1p(-z) + inner.log, sign: inner.sign };
  }
  const excess = c - a - b;
  if (excess < 0) {
    const inner = gaussSeries(c - a, c - b, c, z);
    return { log: excess * Math.log1p(-z) + inner.log, sign: inner.sign };
  }
  return gaussSeries(a, b, c, z);
}

/** ₂F₁(a, b; c; z) for z < 1 (see {@link logHyp2f1}). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const { log, sign } = logHyp2f1(a, b, c, z);
  return sign * Math.exp(log);
}

/** log of the rising factorial ratio Γ(r+x)/Γ(r). */
export function logRising(r: number, x: number): number {
  return gammaln(r + x) - gammaln(r);
}
