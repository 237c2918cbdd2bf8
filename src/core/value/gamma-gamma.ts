/**
 * Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"): a transaction's value
 * is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process. Fitted on repeat
 * buyers only (x > 0) from their number of repeat transactions x and mean repeat spend mₓ.
 *
 * Log-likelihood per customer (the note's eq. 3, as BTYD and lifetimes compute it):
 *   ℓ = log Γ(px+q) − log Γ(px) − log Γ(q) + q log γ + (px−1) log mₓ + px log x − (px+q) log(x mₓ + γ).
 */
import { logBox, minimise } from './optimiser.js';
import { frequencyGroups } from './rfm-data.js';
import type { FitResult } from './rfm-data.js';
import { digamma, logGamma } from './special-functions.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** Repeat buyers' spend: x > 0 repeat transactions with mean value mₓ > 0. */
export interface SpendData {
  n: number;
  x: Float64Array;
  mx: Float64Array;
}

/** Keeps the rows with x > 0 and mₓ > 0 (the model is defined for repeat buyers with positive spend). */
export function spendData(x: ArrayLike<number>, mx: ArrayLike<number>): SpendData {
  const keepX: number[] = [];
  const keepM: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > 0 && mx[i]! > 0) {
      keepX.push(x[i]!);
      keepM.push(mx[i]!);
    }
  }
  return { n: keepX.length, x: Float64Array.from(keepX), mx: Float64Array.from(keepM) };
}

const LOG_BOUND = 30;

/** Mean negative log-likelihood over θ = log(p, q, γ) with its analytic gradient. */
export function gammaGammaObjective(data: SpendData): (theta: Float64Array, grad?: Float64Array) => number {
  const groups = frequencyGroups(data.x);
  const G = groups.values.length;
  const count = new Float64Array(G);
  for (let i = 0; i < data.n; i++) count[groups.index[i]!]! += 1;
  const logM = data.mx.map(Math.log);
  const logX = data.x.map(Math.log);
  const termX = new Float64Array(G);
  const psiPxQ = new Float64Array(G);
  const psiDiff = new Float64Array(G);
  return (theta, grad) => {
    for (let i = 0; i < 3; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const p = Math.exp(theta[0]!);
    const q = Math.exp(theta[1]!);
    const g = Math.exp(theta[2]!);
    const lgQ = logGamma(q);
    const logG = Math.log(g);
    // Terms that depend on x only: a few dozen distinct values, however many customers.
    let gq = 0;
    for (let k = 0; k < G; k++) {
      const px = p * groups.values[k]!;
      termX[k] = logGamma(px + q) - logGamma(px) - lgQ + q * logG;
      psiPxQ[k] = digamma(px + q);
      psiDiff[k] = psiPxQ[k]! - digamma(px);
      gq += count[k]! * psiPxQ[k]!;
    }
    let ll = 0;
    let gp = 0;
    let gg = 0;
    for (let i = 0; i < data.n; i++) {
      const k = groups.index[i]!;
      const x = data.x[i]!;
      const px = p * x;
      const total = x * data.mx[i]! + g;
      const logTotal = Math.log(total);
      ll += termX[k]! + (px - 1) * logM[i]! + px * logX[i]! - (px + q) * logTotal;
      if (grad) {
        gp += x * (psiDiff[k]! + logM[i]! + logX[i]! - logTotal);
        gq -= logTotal;
        gg -= (px + q) / total;
      }
    }
    if (grad) {
      // ∂ℓ/∂q = Σ [ψ(px+q) − ψ(q) + log γ − log(x mₓ + γ)];  ∂ℓ/∂γ = Σ [q/γ − (px+q)/(x mₓ + γ)].
      gq += data.n * (logG - digamma(q));
      gg += (data.n * q) / g;
      grad[0] = (-p * gp) / data.n;
      grad[1] = (-q * gq) / data.n;
      grad[2] = (-g * gg) / data.n;
    }
    return -ll / data.n;
  };
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  return -gammaGammaObjective(data)(Float64Array.from([params.p, params.q, params.gamma].map(Math.log))) * data.n;
}

/**
 * Maximum-likelihood Gamma-Gamma fit. Starting values by the method of moments on the observed means: with
 * p = 1, E[mₓ] ≈ pγ/(q−1); q = 2 (the smallest q with a finite mean, +1) then gives γ = mean(mₓ).
 */
export function fitGammaGamma(data: SpendData): FitResult<GammaGammaParams> {
  if (data.n === 0) throw new Error('Gamma-Gamma needs at least one repeat buyer with positive spend');
  let mean = 0;
  for (let i = 0; i < data.n; i++) mean += data.mx[i]! / data.n;
  const res = minimise(gammaGammaObjective(data), [0, Math.log(2), Math.log(mean)], logBox(3));
  const [p, q, gamma] = Array.from(res.x, Math.exp) as [number, number, number];
  return { params: { p, q, gamma }, logLikelihood: -res.value * data.n, n: data.n, iterations: res.iterations, converged: res.converged, atBound: res.atBound.map((i) => (['p', 'q', 'gamma'] as const)[i]!) };
}

/**
 * E[M | x, mₓ]: the customer's expected average transaction value, a weighted mean of the population mean
 * pγ/(q−1) and their own mean mₓ, weighted (q−1) : px (the note's eq. 5). For x = 0 it is the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, mx: number): number {
  const { p, q, gamma } = params;
  return (p * (gamma + x * mx)) / (p * x + q - 1);
}
