/**
 * Variants: the distinct activity sequences of a log's cases, with how many cases follow each. A case's sequence
 * is hashed and checked element by element against the variants with that hash, so a collision can never merge
 * two variants. The counter keeps a copy of each variant's sequence, so it can count a log that arrives in parts
 * (all parts must share one activity numbering).
 *
 * Customer logs can have millions of variants (most long customer histories are unique), so everything lives in
 * typed arrays: the sequences in one pool, the hash index open-addressed, the chains of equal hashes as links.
 */
import type { EventLog } from './event-log.js';

/** Two independent 32-bit hashes of the sequence, combined into one exact-in-a-double number. */
function sequenceHash(activity: Uint32Array, from: number, to: number): number {
  let h1 = 0x811c9dc5 ^ (to - from);
  let h2 = 0x9747b28c;
  for (let e = from; e < to; e++) {
    const a = activity[e]!;
    h1 = Math.imul(h1 ^ a, 0x01000193);
    h2 = Math.imul(h2 + a + 0x9e3779b9, 0x85ebca6b) ^ (h2 >>> 13);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function grow<T extends Uint32Array | Int32Array | Float64Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const next = make(Math.max(need, Math.ceil(a.length * 1.5)));
  next.set(a);
  return next;
}

export class VariantCounter {
  /** Sequences of all variants back to back; variant v is `pool[start[v] .. start[v + 1])`. */
  private pool = new Uint32Array(1024);
  private start = new Uint32Array(257);
  private counts = new Uint32Array(256);
  /** Next variant with the same hash, or -1. */
  private link = new Int32Array(256);
  /** Open-addressed index: slot → hash and first variant with it (-1: empty). */
  private slotHash = new Float64Array(1024);
  private slotHead = new Int32Array(1024).fill(-1);
  private n = 0;

  get size(): number {
    return this.n;
  }

  count(v: number): number {
    return this.counts[v]!;
  }

  /** Activity ids of variant v. */
  sequence(v: number): Uint32Array {
    return this.pool.subarray(this.start[v]!, this.start[v + 1]!);
  }

  /** Counts the case whose activities are `activity[from..to)`; returns its variant index. */
  add(activity: Uint32Array, from: number, to: number): number {
    const h = sequenceHash(activity, from, to);
    const slot = this.find(h);
    for (let v = this.slotHead[slot]!; v >= 0; v = this.link[v]!) {
      if (this.matches(v, activity, from, to)) {
        this.counts[v]!++;
        return v;
      }
    }
    const v = this.n++;
    const len = to - from;
    const at = this.start[v]!;
    this.pool = grow(this.pool, at + len, (k) => new Uint32Array(k));
    this.pool.set(activity.subarray(from, to), at);
    this.start = grow(this.start, v + 2, (k) => new Uint32Array(k));
    this.start[v + 1] = at + len;
    this.counts = grow(this.counts, v + 1, (k) => new Uint32Array(k));
    this.counts[v] = 1;
    this.link = grow(this.link, v + 1, (k) => new Int32Array(k));
    this.link[v] = this.slotHead[slot]!;
    if (this.slotHead[slot]! < 0) this.slotHash[slot] = h;
    this.slotHead[slot] = v;
    if (this.n * 2 > this.slotHead.length) this.rehash();
    return v;
  }

  /** Variant indices, most frequent first (ties: first seen first). */
  byFrequency(): number[] {
    return Array.from({ length: this.n }, (_, v) => v).sort((a, b) => this.counts[b]! - this.counts[a]! || a - b);
  }

  private matches(v: number, activity: Uint32Array, from: number, to: number): boolean {
    const s = this.start[v]!;
    if (this.start[v + 1]! - s !== to - from) return false;
    for (let i = 0; i < to - from; i++) if (this.pool[s + i] !== activity[from + i]) return false;
    return true;
  }

  /** The slot holding hash h, or the empty slot where it goes (linear probing). */
  private find(h: number): number {
    const mask = this.slotHead.length - 1;
    let slot = (h ^ (h / 0x100000000)) & mask;
    while (this.slotHead[slot]! >= 0 && this.slotHash[slot] !== h) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    const oldHash = this.slotHash;
    const oldHead = this.slotHead;
    this.slotHash = new Float64Array(oldHead.length * 2);
    this.slotHead = new Int32Array(oldHead.length * 2).fill(-1);
    for (let s = 0; s < oldHead.length; s++) {
      if (oldHead[s]! < 0) continue;
      const slot = this.find(oldHash[s]!);
      this.slotHash[slot] = oldHash[s]!;
      this.slotHead[slot] = oldHead[s]!;
    }
  }
}

/**
 * Groups a log's cases by variant. Returns, per variant, one representative case (its first) and the count;
 * `variantOf[c]` is the variant index of case c.
 */
export function variantsOf(log: EventLog): { representative: number[]; count: number[]; variantOf: Uint32Array } {
  const counter = new VariantCounter();
  const nCases = log.caseIds.length;
  const representative: number[] = [];
  const variantOf = new Uint32Array(nCases);
  for (let c = 0; c < nCases; c++) {
    const v = counter.add(log.activity, log.caseStart[c]!, log.caseStart[c + 1]!);
    if (v === representative.length) representative.push(c);
    variantOf[c] = v;
  }
  return { representative, count: Array.from({ length: counter.size }, (_, v) => counter.count(v)), variantOf };
}
