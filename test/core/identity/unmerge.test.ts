import { describe, it, expect } from 'vitest';
import { exclusionKey, liveExclusions, planUnmerge, rootOf } from '../../../src/core/identity/index.js';

// A (1) merged into B (2), then B merged into C (3); D (4) is unrelated.
const A = 1;
const B = 2;
const C = 3;
const D = 4;
const forest = new Map<number, number | null>([
  [A, B],
  [B, C],
  [C, null],
  [D, null],
]);
const identities = [
  { key: 'email:a@example.com', originProfileId: A, profileId: C },
  { key: 'anon:a', originProfileId: A, profileId: C },
  { key: 'email:b@example.com', originProfileId: B, profileId: C },
  { key: 'email:c@example.com', originProfileId: C, profileId: C },
  { key: 'email:d@example.com', originProfileId: D, profileId: D },
];

describe('rootOf', () => {
  it('follows merges to the live profile', () => {
    expect(rootOf(A, forest)).toBe(C);
    expect(rootOf(B, forest)).toBe(C);
    expect(rootOf(C, forest)).toBe(C);
    expect(rootOf(99, forest)).toBe(99);
  });

  it('throws on a cyclic merge history', () => {
    const cyclic = new Map<number, number | null>([
      [1, 2],
      [2, 1],
    ]);
    expect(() => rootOf(1, cyclic)).toThrow(/cycle/);
  });
});

describe('planUnmerge', () => {
  it('returns only the unmerged profile’s own identities when it has no merged children', () => {
    const plan = planUnmerge({ profileId: A, mergedInto: forest, identities });
    expect(plan).toEqual({
      ok: true,
      value: {
        moved: [
          { key: 'email:a@example.com', fromProfileId: C, toProfileId: A },
          { key: 'anon:a', fromProfileId: C, toProfileId: A },
        ],
        exclusion: [A, B],
      },
    });
  });

  it('brings the identities of profiles merged into it along with its own', () => {
    const plan = planUnmerge({ profileId: B, mergedInto: forest, identities });
    expect(plan.ok && plan.value.moved.map((m) => [m.key, m.fromProfileId, m.toProfileId])).toEqual([
      ['email:a@example.com', C, B],
      ['anon:a', C, B],
      ['email:b@example.com', C, B],
    ]);
    expect(plan.ok && plan.value.exclusion).toEqual([B, C]);
  });

  it('returns an error for a profile that was never merged', () => {
    expect(planUnmerge({ profileId: C, mergedInto: forest, identities })).toEqual({
      ok: false,
      error: 'profile 3 was never merged into another profile',
    });
    expect(planUnmerge({ profileId: 42, mergedInto: forest, identities }).ok).toBe(false);
  });
});

describe('liveExclusions', () => {
  it('rewrites stored pairs onto the live profiles resolution sees', () => {
    expect(exclusionKey(7, 3)).toBe('3:7');
    expect([...liveExclusions([[A, D]], forest)]).toEqual(['3:4']);
    expect([...liveExclusions([[A, B]], forest)]).toEqual([]);
  });
});
