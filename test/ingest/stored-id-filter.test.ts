/** The stored-id filter answers "certainly not stored" or "perhaps": never "not stored" for an id it was given. */
import { describe, expect, it } from 'vitest';
import { CompactIdSet, fingerprint, StoredIdFilter } from '../../src/ingest/stored-id-filter.js';

describe('StoredIdFilter', () => {
  it('reports every id it was given, through many growths', () => {
    const filter = new StoredIdFilter();
    const startBytes = filter.bytes;
    for (let i = 0; i < 200_000; i++) filter.add(`e-${i}`);
    expect(filter.size).toBe(200_000);
    expect(filter.bytes).toBeGreaterThan(startBytes);
    for (let i = 0; i < 200_000; i++) if (!filter.mightContain(`e-${i}`)) throw new Error(`lost e-${i}`);
  });

  it('rules out ids it was not given (fingerprints of similar ids differ)', () => {
    const filter = new StoredIdFilter();
    for (let i = 0; i < 100_000; i++) filter.add(`e-${i}`);
    let positives = 0;
    for (let i = 100_000; i < 300_000; i++) if (filter.mightContain(`e-${i}`)) positives++;
    for (const other of ['', 'E-1', 'e-1 ', 'e-01', '1-e', 'é-1', 'e-\u{1F600}']) if (filter.mightContain(other)) positives++;
    expect(positives).toBe(0);
  });

  it('counts an id added twice once', () => {
    const filter = new StoredIdFilter();
    filter.add('a');
    filter.add('a');
    expect(filter.size).toBe(1);
    expect(filter.mightContain('a')).toBe(true);
    expect(filter.mightContain('b')).toBe(false);
  });

  it('makes deterministic, non-zero, 53-bit fingerprints', () => {
    for (const id of ['', 'a', 'h-123', 'x'.repeat(256), '\u0000']) {
      const fp = fingerprint(id);
      expect(fp).toBe(fingerprint(id));
      expect(fp).toBeGreaterThan(0);
      expect(Number.isSafeInteger(fp)).toBe(true);
    }
    expect(fingerprint('ab')).not.toBe(fingerprint('ba'));
  });
});

describe('CompactIdSet', () => {
  it('reports every id it was given, up to its capacity and beyond', () => {
    const set = new CompactIdSet(100_000);
    for (let i = 0; i < 100_000; i++) set.add(`e-${i}`);
    expect(set.overfull).toBe(false);
    set.add('e-100000');
    expect(set.overfull).toBe(true);
    for (let i = 0; i <= 100_000; i++) if (!set.mightContain(`e-${i}`)) throw new Error(`lost e-${i}`);
    // 4 bytes a slot, at 80% when holding its capacity.
    expect(set.bytes).toBe(4 * Math.ceil(100_000 / 0.8));
  });

  it('rules out ids it was not given', () => {
    const set = new CompactIdSet(100_000);
    for (let i = 0; i < 100_000; i++) set.add(`e-${i}`);
    let positives = 0;
    for (let i = 100_000; i < 300_000; i++) if (set.mightContain(`e-${i}`)) positives++;
    for (const other of ['', 'E-1', 'e-1 ', 'e-01', '1-e', 'é-1', 'e-\u{1F600}']) if (set.mightContain(other)) positives++;
    expect(positives).toBe(0);
    set.add('e-5');
    expect(set.size).toBe(100_000);
  });

  it('past 90% full stops adding and answers "perhaps" to everything, never losing an id', () => {
    const set = new CompactIdSet(1_000);
    const slots = set.bytes / 4;
    for (let i = 0; i < slots; i++) set.add(`e-${i}`);
    expect(set.size).toBe(Math.floor(slots * 0.9));
    expect(set.overfull).toBe(true);
    for (let i = 0; i < slots; i++) expect(set.mightContain(`e-${i}`)).toBe(true);
    expect(set.mightContain('never-added')).toBe(true);
  });
});

