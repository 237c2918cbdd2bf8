/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): while alive a customer buys with Poisson rate λ ~ Gamma(r, α)
 * and lives an exponential lifetime with rate μ ~ Gamma(s, β).
 *
 * Likelihood of one customer (Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions",
 * 2005, before the ₂F₁ closed form of eq. 22):
 *   L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s·I ],   I = ∫_{tₓ}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ.
 * BTYD and lifetimes evaluate I through ₂F₁(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+t)), whose series needs
 * thousands of terms when the argument nears 1 (β ≫ α: little dropout, the case on real data) and has no tidy
 * parameter derivatives, so fits used a numeric gradient. Here I is integrated directly: in w = log(m+τ),
 * m = min(α, β), the log-integrand is concave with slope in [−(r+x+s), 1], so Gauss–Legendre panels sized to that
 * slope reach double precision with a bounded number of nodes, and the same nodes give the analytic gradient.
 */
import { logBox, minimise } from './optimiser.js';
import { compressRfm, frequencyGroups, meanRate, totalWeight, type FitResult, type RfmData } from './rfm-data.js';
import { digamma, logRising } from './special-functions.js';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** The objective refuses log-parameters beyond ±30; the fit's box is tighter (see {@link logBox}). */
const LOG_BOUND = 30;


// 8-point Gauss–Legendre on [−1, 1]: within ~3e-9 relative for e^(kw) over a panel with |k|·width ≤ 4.
const GL_X = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];
const MAX_PANELS = 64;

/** The integral I and its weighted moments, all scaled by e^(−ref) (see {@link deadIntegral}). */
interface DeadTerm {
  ref: number;
  /** I·e^(−ref) */
  i: number;
  /** ∫ log(α+τ)·…,  ∫ …/(α+τ),  ∫ log(β+τ)·…,  ∫ …/(β+τ), scaled alike. */
  logA: number;
  invA: number;
  logB: number;
  invB: number;
}

const NODES = MAX_PANELS * GL_X.length;
const nodeLog = new Float64Array(NODES);
const nodeA = new Float64Array(NODES);
const nodeB = new Float64Array(NODES);
const nodeLogA = new Float64Array(NODES);
const nodeLogB = new Float64Array(NODES);
const nodeWeight = new Float64Array(NODES);

/**
 * I for one customer by panelled Gauss–Legendre in w = log(m+τ), with the moments its gradient needs when
 * `moments` is set. `ref` is the largest log-integrand (so sums never overflow); −∞ and zeros when tₓ = T.
 */
function deadIntegral(p: ParetoNbdParams, x: number, tx: number, T: number, moments: boolean, out: DeadTerm): DeadTerm {
  const { r, alpha, s, beta } = p;
  out.ref = -Infinity;
  out.i = out.logA = out.invA = out.logB = out.invB = 0;
  if (!(T > tx)) return out;
  const m = Math.min(alpha, beta);
  const w0 = Math.log(m + tx);
  const span = Math.log(m + T) - w0;
  const rx = r + x;
  // The slope of the log-integrand, 1 − (r+x)e^w/(α+τ) − (s+1)e^w/(β+τ), falls monotonically in w, so its
  // largest magnitude is at an end; panels are sized so that slope × panel width ≤ 4.
  const slope = (ew: number) => Math.abs(1 - (rx * ew) / (alpha - m + ew) - ((s + 1) * ew) / (beta - m + ew));
  const steepest = Math.max(slope(m + tx), slope(m + T));
  const panels = Math.min(MAX_PANELS, Math.max(1, Math.ceil((steepest * span) / 4)));
  const half = span / (2 * panels);
  let count = 0;
  let ref = -Infinity;
  for (let k = 0; k < panels; k++) {
    const mid = w0 + (2 * k + 1) * half;
    for (let j = 0; j < GL_X.length; j++) {
      const w = mid + GL_X[j]! * half;
      const ew = Math.exp(w);
      // α+τ and β+τ with τ = e^w − m, written so the smaller of them is e^w exactly.
      const a = alpha - m + ew;
      const b = beta - m + ew;
      const la = Math.log(a);
      const lb = Math.log(b);
      const lf = w - rx * la - (s + 1) * lb;
      nodeLog[count] = lf;
      nodeA[count] = a;
      nodeB[count] = b;
      nodeLogA[count] = la;
      nodeLogB[count] = lb;
      nodeWeight[count++] = GL_W[j]! * half;
      if (lf > ref) ref = lf;
    }
    // The log-integrand is concave in w: once it falls and is 50 nats below its peak, the rest is negligible.
    if (count >= 2 && nodeLog[count - 1]! < nodeLog[count - 2]! && nodeLog[count - 1]! < ref - 50) break;
  }
  out.ref = ref;
  for (let k = 0; k < count; k++) {
    const v = nodeWeight[k]! * Math.exp(nodeLog[k]! - ref);
    out.i += v;
    if (moments) {
      out.logA += v * nodeLogA[k]!;
      out.invA += v / nodeA[k]!;
      out.logB += v * nodeLogB[k]!;
      out.invB += v / nodeB[k]!;
    }
  }
  return out;
}

/**
 * Mean negative log-likelihood over θ = log(r, α, s, β), with its analytic gradient in θ when `grad` is given.
 */
export function paretoNbdObjective(data: RfmData): (theta: Float64Array, grad?: Float64Array) => number {
  const groups = frequencyGroups(data.x);
  const G = groups.values.length;
  const lg = new Float64Array(G);
  const dR = new Float64Array(G);
  const W = totalWeight(data);
  const dead: DeadTerm = { ref: 0, i: 0, logA: 0, invA: 0, logB: 0, invB: 0 };
  return (theta, grad) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(theta[i]!) <= LOG_BOUND)) return Infinity;
    const p = { r: Math.exp(theta[0]!), alpha: Math.exp(theta[1]!), s: Math.exp(theta[2]!), beta: Math.exp(theta[3]!) };
    const { r, alpha, s, beta } = p;
    const psiR = grad ? digamma(r) : 0;
    for (let k = 0; k < G; k++) {
      lg[k] = logRising(r, groups.values[k]!);
      if (grad) dR[k] = digamma(r + groups.values[k]!) - psiR;
    }
    const logAlpha = Math.log(alpha);
    const logBeta = Math.log(beta);
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let gs = 0;
    let gb = 0;
    for (let i = 0; i < data.n; i++) {
      const w = data.weight ? data.weight[i]! : 1;
      const x = data.x[i]!;
      const T = data.T[i]!;
      const rx = r + x;
      const lAT = Math.log(alpha + T);
      const lBT = Math.log(beta + T);
      const alive = -rx * lAT - s * lBT;
      deadIntegral(p, x, data.tx[i]!, T, grad !== undefined, dead);
      const ref = Math.max(alive, Math.log(s) + dead.ref);
      const A = Math.exp(alive - ref);
      const D = dead.ref === -Infinity ? 0 : s * Math.exp(dead.ref - ref);
      const S = A + D * dead.i;
      const k = groups.index[i]!;
      ll += w * (lg[k]! + r * logAlpha + s * logBeta + ref + Math.log(S));
      if (grad) {
        gr += w * (dR[k]! + logAlpha - (lAT * A + D * dead.logA) / S);
        gal += w * (r / alpha - (rx * (A / (alpha + T) + D * dead.invA)) / S);
        gs += w * (logBeta + (-lBT * A + (D / s) * dead.i - D * dead.logB) / S);
        gb += w * (s / beta - (s * A / (beta + T) + (s + 1) * D * dead.invB) / S);
      }
    }
    if (grad) {
      grad[0] = (-r * gr) / W;
      grad[1] = (-alpha * gal) / W;
      grad[2] = (-s * gs) / W;
      grad[3] = (-beta * gb) / W;
    }
    return -ll / W;
  };
}

export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  return -paretoNbdObjective(data)(Float64Array.from([params.r, params.alpha, params.s, params.beta].map(Math.log))) * totalWeight(data);
}

/**
 * Maximum-likelihood Pareto/NBD fit within {@link logBox}. Start: r = s = 1, α = 1/(mean purchase
 * rate), β = the mean age — a lifetime of the order of the observation window, where the likelihood is
 * informative. With hardly any dropout the maximum lies at s → 0 or β → ∞; the fit then stops on the box and
 * `atBound` names the parameter.
 */
export function fitParetoNbd(data: RfmData): FitResult<ParetoNbdParams> {
  let meanT = 0;
  for (let i = 0; i < data.n; i++) meanT += data.T[i]! / data.n;
  const start = [0, Math.log(1 / meanRate(data)), 0, Math.log(Math.max(meanT, 1e-3))];
  const res = minimise(paretoNbdObjective(compressRfm(data)), start, { gradientTolerance: 1e-8, ...logBox(4) });
  const [r, alpha, s, beta] = Array.from(res.x, Math.exp) as [number, number, number, number];
  const names = ['r', 'alpha', 's', 'beta'] as const;
  return {
    params: { r, alpha, s, beta },
    logLikelihood: -res.value * totalWeight(data),
    n: totalWeight(data),
    iterations: res.iterations,
    converged: res.converged,
    atBound: res.atBound.map((i) => names[i]!),
  };
}

/** P(alive at T | x, tₓ, T) = (α+T)^−(r+x) (β+T)^−s / [ (α+T)^−(r+x) (β+T)^−s + s·I ]. */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = deadIntegral(p, x, tx, T, false, { ref: 0, i: 0, logA: 0, invA: 0, logB: 0, invB: 0 });
  if (dead.ref === -Infinity) return 1;
  return 1 / (1 + Math.exp(Math.log(s * dead.i) + dead.ref - alive));
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
