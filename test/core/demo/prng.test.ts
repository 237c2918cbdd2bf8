import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable, hash32, mix32 } from '../../../src/core/demo/prng.js';
import { CES, CSAT, HAPPY_CSAT, NPS } from '../../../src/core/demo/scores.js';
import { mean } from './helpers.js';

const draws = (n: number, draw: () => number): number[] => Array.from({ length: n }, draw);
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return mean(xs.map((x) => (x - m) ** 2));
};

describe('Rng', () => {
  it('replays the same stream for the same (seed, index) and differs otherwise', () => {
    const a = Rng.forPerson(42, 7);
    const b = Rng.forPerson(42, 7);
    const seqA = draws(50, () => a.uint32());
    expect(draws(50, () => b.uint32())).toEqual(seqA);
    const c = Rng.forPerson(42, 8);
    const d = Rng.forPerson(43, 7);
    expect(draws(50, () => c.uint32())).not.toEqual(seqA);
    expect(draws(50, () => d.uint32())).not.toEqual(seqA);
  });

  it('gives neighbouring people uncorrelated first draws', () => {
    // Each person's first uniform; neighbouring indices must not move together.
    const firsts = draws(20_000, () => 0).map((_, i) => Rng.forPerson(42, i).next());
    expect(mean(firsts)).toBeCloseTo(0.5, 1);
    let lagged = 0;
    for (let i = 1; i < firsts.length; i++) lagged += ((firsts[i] ?? 0) - 0.5) * ((firsts[i - 1] ?? 0) - 0.5);
    expect(Math.abs(lagged / firsts.length / (1 / 12))).toBeLessThan(0.03);
  });

  it('draws from the documented distributions', () => {
    const rng = new Rng(1, 2, 3);
    const n = 40_000;
    const uniform = draws(n, () => rng.next());
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(mean(uniform)).toBeCloseTo(0.5, 2);

    const ints = draws(n, () => rng.int(1, 6));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(mean(ints)).toBeCloseTo(3.5, 1);

    const normal = draws(n, () => rng.normal(10, 2));
    expect(mean(normal)).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance(normal))).toBeCloseTo(2, 1);

    expect(mean(draws(n, () => rng.exponential(3)))).toBeCloseTo(3, 1);
    expect(mean(draws(n, () => rng.poisson(2.5)))).toBeCloseTo(2.5, 1);
    expect(mean(draws(n, () => rng.poisson(80)))).toBeCloseTo(80, 0);
    const gamma = draws(n, () => rng.gamma(0.9, 0.32));
    expect(mean(gamma)).toBeCloseTo(0.288, 2);
    expect(variance(gamma)).toBeCloseTo(0.9 * 0.32 * 0.32, 2);
    expect(mean(draws(n, () => rng.gamma(16, 1 / 16)))).toBeCloseTo(1, 2);
    expect(mean(draws(n, () => rng.beta(1.2, 8)))).toBeCloseTo(1.2 / 9.2, 2);
    expect(Math.log(draws(n, () => rng.logNormal(42, 0.45)).sort((x, y) => x - y)[n / 2] ?? 0)).toBeCloseTo(
      Math.log(42),
      1,
    );
  });

  it('picks by weight', () => {
    const rng = new Rng(4, 5, 6);
    const table = new WeightedTable([
      ['a', 1],
      ['b', 3],
    ] as const);
    const picks = draws(20_000, () => (table.pick(rng) === 'b' ? 1 : 0));
    expect(mean(picks)).toBeCloseTo(0.75, 1);
    const adHoc = draws(20_000, () => (rng.weighted(['x', 'y'], [9, 1]) === 'x' ? 1 : 0));
    expect(mean(adHoc)).toBeCloseTo(0.9, 1);
  });

  it('makes version-4-shaped UUIDs', () => {
    const rng = new Rng(7, 8, 9);
    const ids = draws(1_000, () => 0).map(() => rng.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('hashes stably', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(mix32(1));
    expect(hash32(42, 1, 2)).toBe(hash32(42, 1, 2));
    expect(hash32(42, 1, 2)).not.toBe(hash32(42, 2, 2));
  });
});

describe('ScoreScale', () => {
  it('hits the requested mean exactly, within the scale', () => {
    const rng = new Rng(10, 11, 12);
    const n = 60_000;
    for (const target of [1.3, 2.9, 4.2]) {
      const scores = draws(n, () => CSAT.draw(rng, target));
      expect(Math.abs(mean(scores) - target)).toBeLessThan(0.02);
      expect(scores.every((s) => Number.isInteger(s) && s >= 1 && s <= 5)).toBe(true);
    }
    expect(Math.abs(mean(draws(n, () => NPS.draw(rng, 7.4))) - 7.4)).toBeLessThan(0.04);
    expect(Math.abs(mean(draws(n, () => CES.draw(rng, 5.7))) - 5.7)).toBeLessThan(0.03);
    expect(new Set(draws(2_000, () => HAPPY_CSAT.draw(rng, 4.6)))).toEqual(new Set([4, 5]));
  });
});
