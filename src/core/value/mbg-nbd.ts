/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007; BTYDplus `mbgcnbd` with k = 1): BG/NBD where a customer may also
 * drop out right after the first purchase, so customers with no repeat purchase are not certain to be alive.
 *
 * Log-likelihood per customer (as in BTYDplus and lifetimes' ModifiedBetaGeoFitter):
 *   ℓ = A₁ + A₂ + A₃ + log(1 + e^A₄) with
 *   A₁ = log Γ(r+x) − log Γ(r) + r log α,   A₂ = log Γ(a+b) + log Γ(b+x+1) − log Γ(b) − log Γ(a+b+x+1),
 *   A₃ = −(r+x) log(α+T),                   A₄ = log a − log(b+x) + (r+x)(log(α+T) − log(α+tₓ)).
 */
import type { BgNbdParams } from './bg-nbd.js';
import { logBox, minimise } from './optimiser.js';
import { compressRfm, frequencyGroups, meanRate, totalWeight, type FitResult, type RfmData } from './rfm-data.js';
import { digamma, hyp2f1, logBeta, logGamma, logRising } from './special-functions.js';

/** Same parameters as BG/NBD: purchase rate ~ Gamma(r, α), dropout probability ~ Beta(a, b). */
export type MbgNbdParams = BgNbdParams;

const LOG_BOUND = 30;

/** Mean negative log-likelihood over θ = log(r, α, a, b), with its analytic gradient. */
export function mbgNbdObjective(data: RfmData): (theta: Float64Array, grad?: Float64Array) => number {
  const groups = frequencyGroups(data.x);
  const G = groups.values.length;
  const base = new Float64Array(G);
  const dR = new Float64Array(G);
  const dA = new Float64Array(G);
  const dB = new Float64Array(G);
  const W = totalWeight(data);
  const { x, tx, T, weight } = data;
  return (theta, grad) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    const psiAB = digamma(a + b);
    const psiR = digamma(r);
    const psiB = digamma(b);
    const lgR = logGamma(r);
    const gAB = logGamma(a + b) - logGamma(b);
    for (let k = 0; k < G; k++) {
      const xv = groups.values[k]!;
      base[k] = logGamma(r + xv) - lgR + r * logAlpha + gAB + logGamma(b + xv + 1) - logGamma(a + b + xv + 1);
      dR[k] = digamma(r + xv) - psiR + logAlpha;
      const psiABX = digamma(a + b + xv + 1);
      dA[k] = psiAB - psiABX;
      dB[k] = psiAB + digamma(b + xv + 1) - psiB - psiABX;
    }
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < data.n; i++) {
      const k = groups.index[i]!;
      const xv = x[i]!;
      const w = weight ? weight[i]! : 1;
      const rx = r + xv;
      const lT = Math.log(alpha + T[i]!);
      const ltx = Math.log(alpha + tx[i]!);
      const A4 = logA - Math.log(b + xv) + rx * (lT - ltx);
      // log(1 + e^A4) and its derivative σ(A4), computed without overflow for either sign of A4.
      const soft = A4 > 0 ? A4 + Math.log1p(Math.exp(-A4)) : Math.log1p(Math.exp(A4));
      const sig = A4 > 0 ? 1 / (1 + Math.exp(-A4)) : Math.exp(A4) / (1 + Math.exp(A4));
      ll += w * (base[k]! - rx * lT + soft);
      if (grad) {
        gr += w * (dR[k]! - lT + sig * (lT - ltx));
        gal += w * (r / alpha - rx / (alpha + T[i]!) + sig * rx * (1 / (alpha + T[i]!) - 1 / (alpha + tx[i]!)));
        ga += w * (dA[k]! + sig / a);
        gb += w * (dB[k]! - sig / (b + xv));
      }
    }
    if (grad) {
      grad[0] = (-r * gr) / W;
      grad[1] = (-alpha * gal) / W;
      grad[2] = (-a * ga) / W;
      grad[3] = (-b * gb) / W;
    }
    return -ll / W;
  };
}

export function mbgNbdLogLikelihood(params: MbgNbdParams, data: RfmData): number {
  const f = mbgNbdObjective(data);
  return -f(Float64Array.from([params.r, params.alpha, params.a, params.b].map(Math.log))) * totalWeight(data);
}

/** Maximum-likelihood MBG/NBD fit (same starting values and box as BG/NBD; `atBound` names parameters on it). */
export function fitMbgNbd(data: RfmData): FitResult<MbgNbdParams> {
  const res = minimise(mbgNbdObjective(compressRfm(data)), [0, Math.log(1 / meanRate(data)), 0, 0], logBox(4));
  const [r, alpha, a, b] = Array.from(res.x, Math.exp) as [number, number, number, number];
  const atBound = res.atBound.map((i) => (['r', 'alpha', 'a', 'b'] as const)[i]!);
  return { params: { r, alpha, a, b }, logLikelihood: -res.value * totalWeight(data), n: totalWeight(data), iterations: res.iterations, converged: res.converged, atBound };
}

/** P(alive at T | x, tₓ, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)). */
export function mbgNbdProbabilityAlive(p: MbgNbdParams, x: number, tx: number, T: number): number {
  return 1 / (1 + Math.exp(Math.log(p.a / (p.b + x)) + (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx))));
}

/**
 * E[X(t)] for a customer just acquired: b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))] — BG/NBD's
 * expectation with p ~ Beta(a, b+1) (the customer survived the extra check at time 0), times P(survive) = b/(a+b).
 */
export function mbgNbdExpected(p: MbgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  return (b / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b + 1, a + b, t / (alpha + t)));
}

/** E[Y(t) | x, tₓ, T]: expected purchases in the next t time units. */
export function mbgNbdConditionalExpected(p: MbgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const future = ((a + b + x) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t)));
  return future / (1 + (a / (b + x)) * Math.pow((alpha + T) / (alpha + tx), r + x));
}

/** P(X(t) = n) for a customer just acquired (Batislam et al. 2007, eq. 8 analogue of FHL eq. 8). */
export function mbgNbdProbabilityOfCount(p: MbgNbdParams, n: number, t: number): number {
  const { r, alpha, a, b } = p;
  const lbAB = logBeta(a, b);
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  const first = Math.exp(logBeta(a, b + n + 1) - lbAB + logRising(r, n) - logGamma(n + 1) + r * logP + n * logQ);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(logRising(r, j) - logGamma(j + 1) + j * logQ);
  return first + Math.exp(logBeta(a + 1, b + n) - lbAB) * (1 - Math.exp(r * logP) * sum);
}
