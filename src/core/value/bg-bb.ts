/**
 * BG/BB (Fader, Hardie & Shang 2010, "Customer-Base Analysis in a Discrete-Time Noncontractual Setting"): for
 * discrete transaction opportunities (yearly donations, weekly events). While alive a customer transacts at each
 * opportunity with probability p ~ Beta(α, β) and dies before each opportunity with probability θ ~ Beta(γ, δ).
 *
 * Data per (aggregated) customer: x transactions in n opportunities, the last one at opportunity tₓ (0 if none).
 * Likelihood (the paper's eq. 5):
 *   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *     + Σ_{i=0}^{n−tₓ−1} B(α+x, β+tₓ−x+i)/B(α,β) · B(γ+1, δ+tₓ+i)/B(γ,δ),
 * summed in log space. Four parameters and few distinct rows: a numeric gradient is fast enough.
 */
import { logBox, minimise, withNumericGradient } from './optimiser.js';
import type { FitResult } from './rfm-data.js';
import { logAddExp, logBeta, logGamma } from './special-functions.js';

export interface BgBbParams {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

/** Rows of (x, tₓ, n) with a count of customers per row (the usual recency/frequency table). */
export interface BgBbData {
  rows: number;
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  weight: Float64Array;
}

export function bgBbData(x: ArrayLike<number>, tx: ArrayLike<number>, n: ArrayLike<number>, weight?: ArrayLike<number>): BgBbData {
  const rows = x.length;
  for (let i = 0; i < rows; i++) {
    const ok = Number.isInteger(x[i]) && Number.isInteger(tx[i]) && Number.isInteger(n[i]) && x[i]! >= 0 && x[i]! <= tx[i]! && tx[i]! <= n[i]! && (x[i]! > 0 || tx[i] === 0);
    if (!ok) throw new Error(`row ${i}: need integers 0 ≤ x ≤ t_x ≤ n (t_x = 0 when x = 0), got x=${x[i]}, t_x=${tx[i]}, n=${n[i]}`);
  }
  return { rows, x: Float64Array.from(x), tx: Float64Array.from(tx), n: Float64Array.from(n), weight: weight ? Float64Array.from(weight) : new Float64Array(rows).fill(1) };
}

/** log L for one customer pattern. */
export function bgBbCustomerLogLikelihood(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const lbAB = logBeta(alpha, beta);
  const lbGD = logBeta(gamma, delta);
  let log = logBeta(alpha + x, beta + n - x) - lbAB + logBeta(gamma, delta + n) - lbGD;
  for (let i = 0; i <= n - tx - 1; i++) {
    log = logAddExp(log, logBeta(alpha + x, beta + tx - x + i) - lbAB + logBeta(gamma + 1, delta + tx + i) - lbGD);
  }
  return log;
}

export function bgBbLogLikelihood(params: BgBbParams, data: BgBbData): number {
  let ll = 0;
  for (let i = 0; i < data.rows; i++) ll += data.weight[i]! * bgBbCustomerLogLikelihood(params, data.x[i]!, data.tx[i]!, data.n[i]!);
  return ll;
}

const LOG_BOUND = 30;

/** Maximum-likelihood BG/BB fit from α = β = γ = δ = 1 (uniform priors on p and θ). */
export function fitBgBb(data: BgBbData): FitResult<BgBbParams> {
  let W = 0;
  for (let i = 0; i < data.rows; i++) W += data.weight[i]!;
  const objective = (theta: Float64Array) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const [alpha, beta, gamma, delta] = Array.from(theta, Math.exp) as [number, number, number, number];
    return -bgBbLogLikelihood({ alpha, beta, gamma, delta }, data) / W;
  };
  const res = minimise(withNumericGradient(objective), [0, 0, 0, 0], { gradientTolerance: 1e-9, cheapGradient: false, ...logBox(4) });
  const [alpha, beta, gamma, delta] = Array.from(res.x, Math.exp) as [number, number, number, number];
  return { params: { alpha, beta, gamma, delta }, logLikelihood: -res.value * W, n: W, iterations: res.iterations, converged: res.converged, atBound: res.atBound.map((i) => (['alpha', 'beta', 'gamma', 'delta'] as const)[i]!) };
}

/** P(alive at opportunity n+1 | x, tₓ, n) = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L (FHS eq. 11). */
export function bgBbProbabilityAlive(p: BgBbParams, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const log = logBeta(alpha + x, beta + n - x) - logBeta(alpha, beta) + logBeta(gamma, delta + n + 1) - logBeta(gamma, delta);
  return Math.exp(log - bgBbCustomerLogLikelihood(p, x, tx, n));
}

/** E[X(n)]: expected transactions in the first n opportunities of a new customer (FHS eq. 7). */
export function bgBbExpected(p: BgBbParams, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const ratio = Math.exp(logGamma(gamma + delta) - logGamma(gamma + delta + n) + logGamma(1 + delta + n) - logGamma(1 + delta));
  return (alpha / (alpha + beta)) * (delta / (gamma - 1)) * (1 - ratio);
}

/** E[X(n, n+m) | x, tₓ, n]: expected transactions in the next m opportunities (FHS eq. 13). */
export function bgBbConditionalExpected(p: BgBbParams, m: number, x: number, tx: number, n: number): number {
  const { alpha, beta, gamma, delta } = p;
  const logFront = logBeta(alpha + x + 1, beta + n - x) - logBeta(alpha, beta) + logGamma(gamma + delta) - logGamma(1 + delta) - bgBbCustomerLogLikelihood(p, x, tx, n);
  const now = Math.exp(logGamma(1 + delta + n) - logGamma(gamma + delta + n));
  const later = Math.exp(logGamma(1 + delta + n + m) - logGamma(gamma + delta + n + m));
  return Math.exp(logFront) * (delta / (gamma - 1)) * (now - later);
}
