import { describe, expect, it } from 'vitest';
import { ProfileIdReserve } from '../../src/ingest/profile-id-reserve.js';

describe('ProfileIdReserve', () => {
  it('draws in blocks, hands ids out in order, and never hands an id out twice', async () => {
    let next = 1;
    const draws: number[] = [];
    const reserve = new ProfileIdReserve((n) => {
      draws.push(n);
      return Promise.resolve(Array.from({ length: n }, () => next++));
    }, 10);
    await reserve.ensure(3);
    expect(draws).toEqual([10]);
    expect(reserve.peek(3)).toEqual([1, 2, 3]);
    // Only what was used is gone: a peek without use hands the same ids out again.
    reserve.used(2);
    expect(reserve.peek(2)).toEqual([3, 4]);
    await reserve.ensure(8);
    expect(draws).toEqual([10]);
    expect(reserve.peek(9)).toBeUndefined();
    await reserve.ensure(25);
    expect(draws).toEqual([10, 17]);
    expect(reserve.peek(25)).toEqual(Array.from({ length: 25 }, (_, i) => i + 3));
  });
});
