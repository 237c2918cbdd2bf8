import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { HeavyWorkBusyError, limitHeavyWait, oneAtATime, waitingForOneRequest } from '../../src/server/services/heavy-work.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => sleep(5);

describe('oneAtATime', () => {
  it('runs the works of one store one after the other, each answering its own caller, and a failure stops nothing', async () => {
    const engine = {} as Engine;
    const other = {} as Engine;
    const log: string[] = [];
    const work = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const a = oneAtATime(engine, work('a', true));
    const b = oneAtATime(engine, work('b'));
    const c = oneAtATime(other, work('c'));
    await expect(a).rejects.toThrow('a failed');
    expect(await b).toBe('b');
    expect(await c).toBe('c');
    // Another store's work does not wait; the same store's do.
    expect(log.indexOf('b start')).toBeGreaterThan(log.indexOf('a end'));
    expect(log.indexOf('c start')).toBeLessThan(log.indexOf('a end'));
  });

  it('drops a work that waited out the limit: its caller is told the store is busy, it never runs, the next one does', async () => {
    const engine = {} as Engine;
    limitHeavyWait(engine, 40);
    const log: string[] = [];
    const at = (name: string) => log.push(name);
    const long = oneAtATime(engine, async () => {
      await sleep(400);
      at('long ended');
      return 'long';
    });
    const dropped = oneAtATime(engine, () => {
      at('dropped ran');
      return Promise.resolve('dropped');
    });
    const started = performance.now();
    await expect(dropped).rejects.toBeInstanceOf(HeavyWorkBusyError);
    // Told at the limit, long before the running work ends (it is never cut short: 400 ms against a limit of 40).
    expect(performance.now() - started).toBeLessThan(300);
    await expect(dropped).rejects.toThrow(/waited 40 ms for its turn and was not started/);
    // Queued after the dropped one (with room to wait): runs as soon as the long one is done.
    limitHeavyWait(engine, 5_000);
    const next = oneAtATime(engine, () => {
      at('next started');
      return Promise.resolve('next');
    });
    expect(await long).toBe('long');
    expect(await next).toBe('next');
    expect(log).toEqual(['long ended', 'next started']);
  });

  it('within one request, the works it waits for share the limit: the second gets what the first left', async () => {
    const engine = {} as Engine;
    limitHeavyWait(engine, 300);
    const blocker = (ms: number) => oneAtATime(engine, () => sleep(ms));
    const first = blocker(200);
    const outcome = await waitingForOneRequest(async () => {
      // Waits ~200 ms of the request's 300 for its turn.
      await oneAtATime(engine, () => Promise.resolve('one'));
      const second = blocker(1_000);
      const queued = performance.now();
      const error = await oneAtATime(engine, () => Promise.resolve('two')).catch((e: unknown) => e);
      const toldAfter = performance.now() - queued;
      await second;
      return { error, toldAfter };
    });
    await first;
    expect(outcome.error).toBeInstanceOf(HeavyWorkBusyError);
    // Told after what was left of the 300 ms (~100), not after another 300.
    expect(outcome.toldAfter).toBeLessThan(250);
    // Outside a request, each work has the whole limit.
    const alone = blocker(200);
    expect(await oneAtATime(engine, () => Promise.resolve('whole limit'))).toBe('whole limit');
    await alone;
  });

  it('refuses a limit no timer can keep', () => {
    const engine = {} as Engine;
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31]) expect(() => limitHeavyWait(engine, bad)).toThrow(RangeError);
  });
});

describe('a view that waits out the limit (HTTP)', () => {
  it('answers 503 problem+json with Retry-After, and computes normally once the store is free', async () => {
    const engine = await openEngine({ duckdbPath: ':memory:' });
    const app = await buildApp({ engine, defaultWorkspace: 'shop', logLevel: 'silent', heavyWaitMs: 50 });
    // A route waiting for two works: the first behind a blocker, the second behind another.
    app.get('/test/two-works', async () => {
      await oneAtATime(engine, () => Promise.resolve());
      const blocker = oneAtATime(engine, () => sleep(400));
      const queued = performance.now();
      const second = await oneAtATime(engine, () => Promise.resolve('ran')).catch((e: unknown) => (e instanceof HeavyWorkBusyError ? 'busy' : 'other'));
      const toldAfterMs = performance.now() - queued;
      await blocker;
      return { first: 'ran', second, toldAfterMs };
    });
    try {
      await ensureWorkspace(engine, 'shop', 'Shop', {});
      const records = [0, 1, 2].map((i) => ({ event_id: `e${i}`, customer_id: 'c1', id_source: 'shop', occurred_at: `2025-03-0${i + 1}T10:00:00Z`, type: `step${i}`, team: 'ops' }));
      expect((await app.inject({ method: 'POST', url: '/api/v1/events/batch', payload: { records } })).json()).toMatchObject({ stored: 3 });
      const busy = oneAtATime(engine, () => sleep(1500));
      const res = await app.inject({ method: 'GET', url: '/api/v1/journeys/discover' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('30');
      expect(res.json()).toMatchObject({ status: 503, title: 'Service unavailable', type: 'https://kept.dev/problems/busy' });
      expect(res.json<{ detail: string }>().detail).toMatch(/waited 50 ms for its turn and was not started/);
      await busy;
      // The server's requests share one limit over their works (the hook around every handler).
      limitHeavyWait(engine, 300);
      const before = oneAtATime(engine, () => sleep(200));
      const shared = await app.inject({ method: 'GET', url: '/test/two-works' });
      await before;
      expect(shared.json()).toMatchObject({ first: 'ran', second: 'busy' });
      expect(shared.json<{ toldAfterMs: number }>().toldAfterMs).toBeLessThan(250);
      const again = await app.inject({ method: 'GET', url: '/api/v1/journeys/discover' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ events: 3 });
    } finally {
      await app.close();
      await engine.close();
    }
  });
});
