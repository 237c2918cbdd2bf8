/**
 * Seeded pseudo-random numbers for the demo generator. Everything the generator draws comes from here, so the
 * same seed always yields the same company; `Math.random` is never used.
 *
 * The core is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand,
 * and needs only 32-bit integer ops, which V8 runs without allocating. Each person gets their own stream seeded
 * from (seed, person index), so a person's data never depends on how many people came before or on batch sizes.
 */

const TWO_POW_32 = 4_294_967_296;

/** murmur3's 32-bit finaliser: spreads every input bit over the whole output, cheap enough to call per record. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A stable 32-bit hash of (seed, key, salt). Used for decisions two people must agree on without sharing a
 * stream, e.g. whether the household they share has a landline.
 */
export function hash32(seed: number, key: number, salt: number): number {
  return mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ key) + Math.imul(salt, 0x27d4eb2f));
}

/** A seeded random stream with the distributions the generator needs. Not thread-safe, not cryptographic. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller makes normals in pairs; the second one waits here. */
  private spareNormal: number | undefined;

  constructor(a: number, b: number, c: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = 1;
    // Warm-up: the first outputs of a freshly seeded sfc32 are correlated with the seed words.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /**
   * The stream for person `index` under `seed`. The seed words are an injective function of (seed, index), so
   * two people never start from the same state.
   */
  static forPerson(seed: number, index: number): Rng {
    const seedWord = mix32(seed ^ 0x6a09e667);
    // mix32 is a bijection, so for a fixed seed `b` differs for every index: no two people share a start state.
    const b = mix32(index + 0x3c6ef372) ^ seedWord;
    return new Rng(seedWord, b, mix32(b ^ 0xbb67ae85));
  }

  /** Next raw 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. `items` must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One element with probability proportional to its weight. For hot paths prefer a {@link WeightedTable}. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < items.length - 1; i++) {
      u -= weights[i];
      if (u < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Normal(mean, sd) by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }

  /** Log-normal given its median (not mean) and the sd of its log: the natural way to state skewed durations. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean (not rate). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count with mean `lambda`: Knuth's product method when small, a rounded normal when large. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang; shapes below 1 use the usual U^(1/shape) boost. */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(1 - this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v0 = 1 + c * x;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = 1 - this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  }

  /** Beta(a, b) from two gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    return x / (x + this.gamma(b, 1));
  }

  /** A version-4-shaped UUID, for device and cookie ids. */
  uuid(): string {
    const w1 = this.uint32();
    const w2 = this.uint32();
    const w3 = this.uint32();
    const w4 = this.uint32();
    return (
      hex32(w1) +
      '-' +
      hex16(w2 >>> 16) +
      '-' +
      hex16(0x4000 | (w2 & 0x0fff)) +
      '-' +
      hex16(0x8000 | (w3 >>> 18)) +
      '-' +
      hex16(w3 & 0xffff) +
      hex32(w4)
    );
  }
}

/** Two hex digits per byte value, so ids are built without number formatting. */
const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex16(n: number): string {
  return HEX_BYTES[(n >>> 8) & 0xff] + HEX_BYTES[n & 0xff];
}

function hex32(n: number): string {
  return hex16(n >>> 16) + hex16(n & 0xffff);
}

/**
 * A weighted choice prepared once (cumulative weights), for draws made per record. Picking is a linear scan,
 * which beats binary search for the short tables used here.
 */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('WeightedTable needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      total += weight;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < entries.length; i++) this.cumulative[i] = this.cumulative[i] / total;
  }

  /** One item with probability proportional to its weight. */
  pick(rng: Rng): T {
    const u = rng.next();
    const last = this.items.length - 1;
    for (let i = 0; i < last; i++) if (u < this.cumulative[i]) return this.items[i];
    return this.items[last];
  }
}
