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
  a = fmix(a ^ id.length);
  b = fmix(b);
  const value = (a >>> 11) * 2 ** 32 + (b >>> 0);
  return value === 0 ? 1 : value;
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
    const fp = fingerprint(id);
    const { slots, mask } = this;
    for (let i = home(fp) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === fp) return true;
      if (slot === 0) return false;
    }
  }

  private insert(fp: number): void {
    const { slots, mask } = this;
    for (let i = home(fp) & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === fp) return;
      if (slot === 0) {
        slots[i] = fp;
        this.entries++;
        return;
      }
    }
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
