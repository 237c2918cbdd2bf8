/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a customer buys as a
 * Poisson process with rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
 *
 * The likelihood is the paper's eq. (6) in the log form BTYD and lifetimes use,
 *   ℓ = A₁ + A₂ + log(e^A₃ + δ₍ₓ₎₀ e^A₄) with
 *   A₁ = log Γ(r+x) − log Γ(r) + r log α,   A₂ = log Γ(a+b) + log Γ(b+x) − log Γ(b) − log Γ(a+b+x),
 *   A₃ = −(r+x) log(α+T),                   A₄ = log a − log(b+x−1) − (r+x) log(α+tₓ),
 * with its analytic gradient, so a fit on CDNOW takes a few milliseconds.
 */
import { logBox, minimise } from './optimiser.js';
import { compressRfm, frequencyGroups, meanRate, totalWeight, type FitResult, type RfmData } from './rfm-data.js';
import { digamma, hyp2f1, logBeta, logGamma, logRising } from './special-functions.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Log-parameters beyond ±LOG_BOUND (e^30 ≈ 10¹³) are outside the model's sensible range: the objective refuses them. */
const LOG_BOUND = 30;

/**
 * Mean negative log-likelihood over log-parameters θ = log(r, α, a, b), with its gradient in θ. Exported for
 * the MBG/NBD variant's tests and for benchmarks; most callers want {@link fitBgNbd}.
 */
export function bgNbdObjective(data: RfmData): (theta: Float64Array, grad?: Float64Array) => number {
  const groups = frequencyGroups(data.x);
  const G = groups.values.length;
  const base = new Float64Array(G);
  const dR = new Float64Array(G);
  const dA = new Float64Array(G);
  const dB = new Float64Array(G);
  const logA4 = new Float64Array(G);
  const W = totalWeight(data);
  const { x, tx, T, weight } = data;
  return (theta, grad) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);
    const logAlpha = Math.log(alpha);
    const gAB = logGamma(a + b) - logGamma(b);
    const psiAB = digamma(a + b);
    const psiR = digamma(r);
    const psiB = digamma(b);
    const lgR = logGamma(r);
    for (let k = 0; k < G; k++) {
      const xv = groups.values[k]!;
      base[k] = logGamma(r + xv) - lgR + r * logAlpha + gAB + logGamma(b + xv) - logGamma(a + b + xv);
      dR[k] = digamma(r + xv) - psiR + logAlpha;
      const psiABX = digamma(a + b + xv);
      dA[k] = psiAB - psiABX;
      dB[k] = psiAB + digamma(b + xv) - psiB - psiABX;
      logA4[k] = xv > 0 ? Math.log(a) - Math.log(b + xv - 1) : -Infinity;
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
      const A3 = -rx * lT;
      if (xv > 0) {
        const ltx = Math.log(alpha + tx[i]!);
        const A4 = logA4[k]! - rx * ltx;
        const m = A3 > A4 ? A3 : A4;
        const e3 = Math.exp(A3 - m);
        const e4 = Math.exp(A4 - m);
        const sum = e3 + e4;
        const w3 = e3 / sum;
        const w4 = e4 / sum;
        ll += w * (base[k]! + m + Math.log(sum));
        if (grad) {
          gr += w * (dR[k]! - w3 * lT - w4 * ltx);
          gal += w * (r / alpha - rx * (w3 / (alpha + T[i]!) + w4 / (alpha + tx[i]!)));
          ga += w * (dA[k]! + w4 / a);
          gb += w * (dB[k]! - w4 / (b + xv - 1));
        }
      } else {
        ll += w * (base[k]! + A3);
        if (grad) {
          gr += w * (dR[k]! - lT);
          gal += w * (r / alpha - rx / (alpha + T[i]!));
          ga += w * dA[k]!;
          gb += w * dB[k]!;
        }
      }
    }
    if (grad) {
      // Chain rule for θ = log p: ∂/∂θ = p ∂/∂p.
      grad[0] = (-r * gr) / W;
      grad[1] = (-alpha * gal) / W;
      grad[2] = (-a * ga) / W;
      grad[3] = (-b * gb) / W;
    }
    return -ll / W;
  };
}

/** Total log-likelihood of `data` at `params`. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: RfmData): number {
  const f = bgNbdObjective(data);
  return -f(Float64Array.from([params.r, params.alpha, params.a, params.b].map(Math.log))) * totalWeight(data);
}

/**
 * Maximum-likelihood BG/NBD fit within {@link logBox} (10⁻⁶ … 10⁶). Starting values: r = 1 and α = 1/(mean
 * purchase rate) give the right purchase scale whatever the time unit; a = b = 1 is the uniform dropout prior.
 * Without heterogeneity in dropout the maximum lies at a, b → ∞ (a/(a+b) fixed): the fit stops on the box and
 * `atBound` says so.
 */
export function fitBgNbd(data: RfmData): FitResult<BgNbdParams> {
  const objective = bgNbdObjective(compressRfm(data));
  const start = [0, Math.log(1 / meanRate(data)), 0, 0];
  const res = minimise(objective, start, logBox(4));
  const [r, alpha, a, b] = Array.from(res.x, Math.exp) as [number, number, number, number];
  const atBound = res.atBound.map((i) => (['r', 'alpha', 'a', 'b'] as const)[i]!);
  return { params: { r, alpha, a, b }, logLikelihood: -res.value * totalWeight(data), n: totalWeight(data), iterations: res.iterations, converged: res.converged, atBound };
}

/** P(alive at T | x, tₓ, T): FHL 2005 eq. (13); a customer with no repeat purchase is alive for sure. */
export function bgNbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logRatio = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[X(t)] for a customer just acquired: FHL 2005 eq. (9). */
export function bgNbdExpected(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z));
}

/** E[Y(t) | x, tₓ, T]: expected purchases in the next t time units, FHL 2005 eq. (10). */
export function bgNbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const future = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
  const dropout = x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0;
  return future / (1 + dropout);
}

/** P(X(t) = n) for a customer just acquired: FHL 2005 eq. (8). */
export function bgNbdProbabilityOfCount(p: BgNbdParams, n: number, t: number): number {
  const { r, alpha, a, b } = p;
  const lbAB = logBeta(a, b);
  const logP = Math.log(alpha / (alpha + t));
  const logQ = Math.log(t / (alpha + t));
  const first = Math.exp(logBeta(a, b + n) - lbAB + logRising(r, n) - logGamma(n + 1) + r * logP + n * logQ);
  if (n === 0) return first;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(logRising(r, j) - logGamma(j + 1) + j * logQ);
  return first + Math.exp(logBeta(a + 1, b + n - 1) - lbAB) * (1 - Math.exp(r * logP) * sum);
}
