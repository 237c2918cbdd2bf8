import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/server/collect-garbage.js';
import { JourneyCache } from '../../src/server/services/journey-log-cache.js';
import type { Engine } from '../../src/store/engines/engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JourneyCache', () => {
  it('collects garbage after a heavy computation only (not after a quick one, nor on a cache hit)', async () => {
    let collections = 0;
    const cache = new JourneyCache({} as Engine, 8, () => collections++, 30);
    const slow = await cache.get('slow', 'v1', async () => {
      await sleep(60);
      return 1;
    });
    await sleep(0);
    expect(slow).toEqual({ value: 1, cached: false });
    expect(collections).toBe(1);
    expect(await cache.get('slow', 'v1', () => Promise.resolve(2))).toEqual({ value: 1, cached: true });
    await cache.get('quick', 'v1', () => Promise.resolve(3));
    await sleep(0);
    expect(collections).toBe(1);
    // A heavy computation that fails leaves its garbage too.
    await expect(
      cache.get('failing', 'v1', async () => {
        await sleep(60);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await sleep(0);
    expect(collections).toBe(2);
  });

  it('never evicts a computation still running: later requests share it; finished entries go beyond the capacity', async () => {
    const cache = new JourneyCache({} as Engine, 2, () => undefined);
    let computed = 0;
    const slow = (value: number) => async () => {
      computed++;
      await sleep(30);
      return value;
    };
    const running = [cache.get('a', 'v1', slow(1)), cache.get('b', 'v1', slow(2)), cache.get('c', 'v1', slow(3))];
    // 'a' is the least recently used entry, over the capacity of 2, but still computing.
    const again = cache.get('a', 'v1', slow(10));
    expect(await again).toEqual({ value: 1, cached: true });
    expect((await Promise.all(running)).map((r) => r.value)).toEqual([1, 2, 3]);
    expect(computed).toBe(3);
    // Once all three are finished, the one finished first goes: a finished entry counts as just used.
    expect(await cache.get('c', 'v1', slow(30))).toEqual({ value: 3, cached: true });
    expect(await cache.get('b', 'v1', slow(20))).toEqual({ value: 2, cached: true });
    expect(await cache.get('a', 'v1', slow(10))).toEqual({ value: 10, cached: false });
    expect(computed).toBe(4);
  });

  it('keeps a computation that made entries of its own: finished, it counts as just used', async () => {
    const cache = new JourneyCache({} as Engine, 2, () => undefined);
    let outerRuns = 0;
    const outer = () =>
      cache.get('outer', 'v1', async () => {
        outerRuns++;
        // Like a friction ranking, which reads the data version first and then its journeys' views through the
        // same cache: the inner entries go in after this one.
        await sleep(1);
        await cache.get('inner-a', 'v1', () => Promise.resolve('a'));
        await cache.get('inner-b', 'v1', () => Promise.resolve('b'));
        await sleep(5);
        return 'ranked';
      });
    expect(await outer()).toEqual({ value: 'ranked', cached: false });
    expect(await outer()).toEqual({ value: 'ranked', cached: true });
    expect(outerRuns).toBe(1);
  });

  it('frees typed arrays left behind, which the small JavaScript heap would not collect by itself', async () => {
    const before = process.memoryUsage().arrayBuffers;
    // Unreachable once the function returns.
    const leaveGarbage = () => Array.from({ length: 20 }, () => new Float64Array(1_000_000)).reduce((n, a) => n + a.length, 0);
    expect(leaveGarbage()).toBe(20_000_000);
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThan(150e6);
    collectGarbage();
    await sleep(10);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50e6);
  });
});
