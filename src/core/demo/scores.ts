/**
 * Integer survey scores (CSAT 1–5, NPS 0–10, CES 1–7, stars 1–5) drawn with an exact expected value.
 *
 * Rounding and clamping a normal would bias the mean near the ends of the scale, which would blur the planted
 * trends. Instead each scale uses the exponentially tilted family p(k) ∝ exp(θ·k): one parameter, monotone in
 * the mean, unimodal or J-shaped like real score distributions. θ is solved once per mean on a 0.01 grid.
 */

import type { Rng } from './prng.js';

const GRID_STEP = 0.01;

/** A discrete score scale `min..max` whose draws hit a requested mean. */
export class ScoreScale {
  readonly min: number;
  readonly max: number;
  private readonly lowestMean: number;
  /** cumulative[g] is the CDF for mean lowestMean + g * GRID_STEP. */
  private readonly cumulative: Float64Array[] = [];

  constructor(min: number, max: number) {
    this.min = min;
    this.max = max;
    // Means at the very ends need θ → ±∞; stay a little inside.
    this.lowestMean = min + 0.02;
    const highestMean = max - 0.02;
    const steps = Math.round((highestMean - this.lowestMean) / GRID_STEP);
    for (let g = 0; g <= steps; g++) this.cumulative.push(this.cdfForMean(this.lowestMean + g * GRID_STEP));
  }

  /** A score whose expected value is `mean` (clamped into the scale). */
  draw(rng: Rng, mean: number): number {
    const last = this.cumulative.length - 1;
    const g = Math.min(last, Math.max(0, Math.round((mean - this.lowestMean) / GRID_STEP)));
    const cdf = this.cumulative[g];
    const u = rng.next();
    for (let i = 0; i < cdf.length - 1; i++) if (u < cdf[i]) return this.min + i;
    return this.max;
  }

  private probabilities(theta: number): number[] {
    const weights: number[] = [];
    let total = 0;
    for (let k = this.min; k <= this.max; k++) {
      // Centre the exponent so large |θ| does not overflow.
      const w = Math.exp(theta * (k - (this.min + this.max) / 2));
      weights.push(w);
      total += w;
    }
    return weights.map((w) => w / total);
  }

  private cdfForMean(mean: number): Float64Array {
    let lo = -40;
    let hi = 40;
    for (let iteration = 0; iteration < 60; iteration++) {
      const mid = (lo + hi) / 2;
      const m = this.probabilities(mid).reduce((sum, p, i) => sum + p * (this.min + i), 0);
      if (m < mean) lo = mid;
      else hi = mid;
    }
    const cdf = new Float64Array(this.max - this.min + 1);
    let running = 0;
    this.probabilities((lo + hi) / 2).forEach((p, i) => {
      running += p;
      cdf[i] = running;
    });
    return cdf;
  }
}

/** CSAT and review stars, 1–5. */
export const CSAT = new ScoreScale(1, 5);
/** Net Promoter "how likely to recommend", 0–10. */
export const NPS = new ScoreScale(0, 10);
/** Customer Effort Score, 1–7, where 7 means "very easy". */
export const CES = new ScoreScale(1, 7);
/** Scales for the silent-fade segment, whose scores stay good: CSAT 4–5, NPS 7–10, CES 5–7. */
export const HAPPY_CSAT = new ScoreScale(4, 5);
export const HAPPY_NPS = new ScoreScale(7, 10);
export const HAPPY_CES = new ScoreScale(5, 7);
