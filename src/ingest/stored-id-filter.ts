/**
 * A compact in-memory set of 53-bit fingerprints of the record ids a table holds for one workspace, so the batch
 * writer can tell most new ids from stored ones without asking the database. DuckDB has no index usable for the
 * lookup (an `IN` list scans `event_id`: ~80–100 ms per batch at 2M events, growing with the table).
 *
 * The answer is one-sided: {@link StoredIdFilter.mightContain} false means "not stored" for certain, true means
 * "perhaps" and the caller confirms it with a query. So the set may hold more than the table (ids of a rolled-back
 * transaction, replaced or deleted rows) but never less: every writer must {@link StoredIdFilter.add} what it
 * inserts. That is why it is only used where one process writes the table (DuckDB, see stored-id-filters.ts).
 *
 * Layout: open addressing with linear probing in a Float64Array, 8 bytes a slot, at most 3/4 full (10.7–21 bytes
 * per id). The home slot comes from the fingerprint's low bits, so the table grows without the ids. A lookup
 * compares its fingerprint with the few slots of one probe run, so a false positive takes a 53-bit match within
 * that run: about one lookup in 2^(53 − log2 slots − 2), i.e. well under one per million 3,000-id batches at
 * 10M ids.
 */
import { fmix } from './derived-id.js';

const INITIAL_SLOTS = 1 << 12;

/**
 * Two independent 32-bit hashes of the UTF-16 code units (a MurmurHash3-style mix per unit, then the fmix32
 * avalanche), joined into a non-zero 53-bit integer: 21 bits of one above the 32 of the other (0 marks an empty
 * slot). Exact in a double, so the table needs no BigInt.
 */
export function fingerprint(id: string): number {
  hashId(id);
  const value = (hashA >>> 11) * 2 ** 32 + (hashB >>> 0);
  return value === 0 ? 1 : value;
}

// The two hashes of the last id hashed: scratch state, so hashing allocates nothing (single-threaded).
let hashA = 0;
let hashB = 0;

function hashId(id: string): void {
  let a = 0x9747b28c;
  let b = 0x85ebca6b ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    a = Math.imul(a ^ unit, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ unit, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, 5) + 0xe6546b64;
  }
  hashA = fmix(a ^ id.length);
  hashB = fmix(b);
}

/**
 * What a writer needs of the ids a table holds: a one-sided answer (false: certainly not stored; true: ask the
 * store) and every id it writes added. A {@link StoredIdFilter} is one; so is a filter still being built, which
 * answers true to everything (see server/services/stored-id-filters.ts).
 */
export interface StoredIds {
  mightContain(id: string): boolean;
  add(id: string): void;
}

export class StoredIdFilter implements StoredIds {
  private slots = new Float64Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private entries = 0;

  /** Distinct fingerprints held. */
  get size(): number {
    return this.entries;
  }

  /** Bytes of the slot table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  add(id: string): void {
    this.insert(fingerprint(id));
    if (this.entries * 4 > this.slots.length * 3) this.grow();
  }

  /** False: `id` was never added. True: it probably was (confirm with the store). */
  mightContain(id: string): boolean {
    return this.slots[this.find(fingerprint(id))] !== 0;
  }

  private insert(fp: number): void {
    const i = this.find(fp);
    if (this.slots[i] === 0) {
      this.slots[i] = fp;
      this.entries++;
    }
  }

  /** The slot holding `fp`, or the empty one that ends its probe run. */
  private find(fp: number): number {
    const { slots, mask } = this;
    let i = home(fp) & mask;
    while (slots[i] !== 0 && slots[i] !== fp) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    this.entries = 0;
    for (const fp of old) if (fp !== 0) this.insert(fp);
  }
}

/** The fingerprint's low 32 bits spread the slots (the high 21 bits still tell fingerprints apart within a run). */
const home = (fp: number): number => fp % 2 ** 32 >>> 0;

/**
 * The same one-sided set for large tables, in half the memory: 4 bytes a slot. The slot comes from one 32-bit hash
 * of the id and the slot holds the other, so an id never added is taken for a stored one only when its second hash
 * equals a value in its probe run: about one lookup in 100 million at the fullest (90%), one in 500 million at
 * 80%. The values do not tell their slot, so the set cannot grow: it is sized for `capacity` ids, {@link overfull}
 * beyond that (its owner then reads the table into a larger one), and past 90% full it stops adding and answers
 * "perhaps" to everything, so it never loses an id.
 */
export class CompactIdSet implements StoredIds {
  private readonly slots: Uint32Array;
  private entries = 0;
  private readonly saturatesAt: number;
  private saturated = false;

  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(Math.max(1024, Math.ceil(capacity / COMPACT_LOAD)));
    this.saturatesAt = Math.floor(this.slots.length * 0.9);
  }

  get size(): number {
    return this.entries;
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  /** Holds more ids than it was sized for: still right, but lookups slow down and it will saturate. */
  get overfull(): boolean {
    return this.saturated || this.entries > this.capacity;
  }

  add(id: string): void {
    if (this.saturated) return;
    if (this.entries >= this.saturatesAt) {
      this.saturated = true;
      return;
    }
    const i = this.find(id);
    if (this.slots[i] === 0) {
      this.slots[i] = valueOfHash();
      this.entries++;
    }
  }

  mightContain(id: string): boolean {
    return this.saturated || this.slots[this.find(id)] !== 0;
  }

  /** The slot holding `id`'s value, or the empty one that ends its probe run (leaves `id` hashed). */
  private find(id: string): number {
    hashId(id);
    const value = valueOfHash();
    const { slots } = this;
    let i = this.home();
    while (slots[i] !== 0 && slots[i] !== value) i = i + 1 === slots.length ? 0 : i + 1;
    return i;
  }

  /** The home slot of the id just hashed, from its first hash, over a table of any length. */
  private home(): number {
    return Math.floor(((hashA >>> 0) / 2 ** 32) * this.slots.length);
  }
}

/** The value a {@link CompactIdSet} stores for the id just hashed: its second hash, never 0 (an empty slot). */
const valueOfHash = (): number => (hashB === 0 ? 1 : hashB >>> 0);

/** How full a {@link CompactIdSet} is when it holds its capacity. */
const COMPACT_LOAD = 0.8;
