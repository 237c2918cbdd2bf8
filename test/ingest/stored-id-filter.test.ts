/** The stored-id filter answers "certainly not stored" or "perhaps": never "not stored" for an id it was given. */
import { describe, expect, it } from 'vitest';
import { fingerprint, StoredIdFilter } from '../../src/ingest/stored-id-filter.js';

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
