/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): while alive a customer buys with Poisson rate λ ~ Gamma(r, α)
 * and lives an exponential lifetime with rate μ ~ Gamma(s, β).
 *
 * Likelihood in the form of Fader & Hardie's note "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions" (2005), eq. (22), as BTYD and lifetimes compute it:
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ 1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀ ],
 *   A₀ = ₂F₁(r+s+x, c; r+s+x+1; |α−β|/(M+tₓ)) / (M+tₓ)^(r+s+x) − (same at T),
 * with M = max(α, β) and c = r+x if α < β, else s+1: taking the larger of α, β as the base keeps the ₂F₁
 * argument in [0, 1) (it is 0 when α = β). Derivatives through ₂F₁ have no tidy form, so the fit uses a
 * central-difference gradient.
 */
import { minimise, withNumericGradient } from './optimiser.js';
import { compressRfm, frequencyGroups, meanRate, totalWeight, type FitResult, type RfmData } from './rfm-data.js';
import { logAddExp, logHyp2f1, logRising, logSubExp } from './special-functions.js';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

const LOG_BOUND = 30;

/** log A₀ (see the module comment); −∞ when tₓ = T. */
function logA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const big = Math.max(alpha, beta);
  const gap = Math.abs(alpha - beta);
  const c = alpha < beta ? r + x : s + 1;
  const rsx = r + s + x;
  const at = (t: number) => logHyp2f1(rsx, c, rsx + 1, gap / (big + t)).log - rsx * Math.log(big + t);
  return tx === T ? -Infinity : logSubExp(at(tx), at(T));
}

/** Log-likelihood of one customer, given the x-only term log Γ(r+x) − log Γ(r). */
function customerLogLikelihood(p: ParetoNbdParams, lgRatio: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s) - Math.log(r + s + x) + logA0(p, x, tx, T);
  return lgRatio + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(alive, dead);
}

/** Mean negative log-likelihood over θ = log(r, α, s, β). */
export function paretoNbdObjective(data: RfmData): (theta: Float64Array) => number {
  const groups = frequencyGroups(data.x);
  const lg = new Float64Array(groups.values.length);
  const W = totalWeight(data);
  return (theta) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const p = { r: Math.exp(theta[0]!), alpha: Math.exp(theta[1]!), s: Math.exp(theta[2]!), beta: Math.exp(theta[3]!) };
    for (let k = 0; k < lg.length; k++) lg[k] = logRising(p.r, groups.values[k]!);
    let ll = 0;
    for (let i = 0; i < data.n; i++) {
      const w = data.weight ? data.weight[i]! : 1;
      ll += w * customerLogLikelihood(p, lg[groups.index[i]!]!, data.x[i]!, data.tx[i]!, data.T[i]!);
    }
    return -ll / W;
  };
}

export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  return -paretoNbdObjective(data)(Float64Array.from([params.r, params.alpha, params.s, params.beta].map(Math.log))) * totalWeight(data);
}

/**
 * Maximum-likelihood Pareto/NBD fit. Start: r = s = 1, α = 1/(mean purchase rate), β = the mean age — a
 * lifetime of the order of the observation window, which is where the likelihood is informative.
 */
export function fitParetoNbd(data: RfmData): FitResult<ParetoNbdParams> {
  let meanT = 0;
  for (let i = 0; i < data.n; i++) meanT += data.T[i]! / data.n;
  const objective = withNumericGradient(paretoNbdObjective(compressRfm(data)));
  const res = minimise(objective, [0, Math.log(1 / meanRate(data)), 0, Math.log(Math.max(meanT, 1e-3))], { gradientTolerance: 1e-8, cheapGradient: false });
  const [r, alpha, s, beta] = Array.from(res.x, Math.exp) as [number, number, number, number];
  return { params: { r, alpha, s, beta }, logLikelihood: -res.value * totalWeight(data), n: totalWeight(data), iterations: res.iterations, converged: res.converged };
}

/** P(alive at T | x, tₓ, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀). */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const log = Math.log(s / (r + s + x)) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0(p, x, tx, T);
  return 1 / (1 + Math.exp(log));
}

/** E[X(t)] for a customer just acquired: rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)] (limit rβ/α · log(1+t/β) at s = 1). */
export function paretoNbdExpected(p: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = p;
  if (Math.abs(s - 1) < 1e-10) return ((r * beta) / alpha) * Math.log1p(t / beta);
  return ((r * beta) / (alpha * (s - 1))) * (1 - Math.pow(beta / (beta + t), s - 1));
}

/** E[Y(t) | x, tₓ, T] = P(alive) · (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] (note eq. 24). */
export function paretoNbdConditionalExpected(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const growth = Math.abs(s - 1) < 1e-10 ? Math.log1p(t / (beta + T)) : (1 - Math.pow((beta + T) / (beta + T + t), s - 1)) / (s - 1);
  return paretoNbdProbabilityAlive(p, x, tx, T) * (((r + x) * (beta + T)) / (alpha + T)) * growth;
}
