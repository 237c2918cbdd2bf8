import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../src/server/services/heavy-work.js';
import type { Engine } from '../../src/store/engines/engine.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

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
});
