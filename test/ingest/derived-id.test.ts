import { describe, it, expect } from 'vitest';
import { deriveId, murmur3x86_128Hex } from '../../src/ingest/derived-id.js';

describe('murmur3x86_128Hex', () => {
  // Expected values from an independent byte-oriented MurmurHash3_x86_128 implementation (checked against
  // published test vectors) applied to the UTF-16LE bytes of each string.
  it.each([
    ['', '00000000000000000000000000000000'],
    ['a', '033bb196ccef4fe1ccef4fe1ccef4fe1'],
    ['abc', '2b5b97a320f75fb55012c2b45012c2b4'],
    ['abcdefg', '851fde5ef81a9aab2a351f32fa8e8ca7'],
    ['abcdefgh', '6c3576558df898a1a76d230d42147114'],
    ['abcdefghi', '17a3d73237eee48604d39ee1ee7f6ddc'],
    ['The quick brown fox jumps over the lazy dog', '15beb6860f94f6cafed4894d28be6d5b'],
    ['Grüße 🎉 C123\u001f2024', 'e44a3f0c6a1f0c5a1f17cbfe6bde515f'],
  ])('hashes %j like the reference implementation', (input, expected) => {
    expect(murmur3x86_128Hex(input)).toBe(expected);
  });
});

describe('deriveId', () => {
  const parts = ['default', 'C1', undefined, 1714566600000, 60, 'page_view', { plan: 'pro' }];

  it('is h: plus 22 base64url characters and the same for the same content', () => {
    const id = deriveId(parts);
    expect(id).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(deriveId([...parts])).toBe(id);
  });

  it('changes when any field changes, moves or goes missing', () => {
    const id = deriveId(parts);
    const variants = [
      ['default', 'C2', undefined, 1714566600000, 60, 'page_view', { plan: 'pro' }],
      ['default', 'C1', undefined, 1714566600001, 60, 'page_view', { plan: 'pro' }],
      ['default', 'C1', undefined, 1714566600000, 60, 'page_view', { plan: 'free' }],
      ['default', 'C1', undefined, 1714566600000, 60, 'page_view', undefined],
      ['default', undefined, 'C1', 1714566600000, 60, 'page_view', { plan: 'pro' }],
      ['defaultC1', undefined, undefined, 1714566600000, 60, 'page_view', { plan: 'pro' }],
      ['default', 'C1', undefined, '1714566600000', 60, 'page_view', { plan: 'pro' }],
    ];
    const ids = new Set(variants.map((v) => deriveId(v)));
    expect(ids.size).toBe(variants.length);
    expect(ids.has(id)).toBe(false);
  });

  it('gives distinct ids to many similar rows', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) ids.add(deriveId(['default', `C${i % 100}`, 1714566600000 + i, 'login']));
    expect(ids.size).toBe(20_000);
  });
});
