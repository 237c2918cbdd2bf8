import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/store/engines/duckdb-engine.js';
import type { Engine } from '../../src/store/engines/engine.js';

// A large column stream hands DuckDB's memory back once it ends, so the caller computes on the rows without
// DuckDB still holding what the read used (src/store/engines/duckdb-engine.ts, RELEASE_AFTER_ROWS).
describe('duckdb: memory released after a large column stream', () => {
  let engine: Engine;
  const releases = () => (engine as unknown as { releases: number }).releases;
  const limit = async () => (await engine.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]!.v;
  const numbers = (n: number) => `SELECT CAST(i AS DOUBLE) AS x FROM generate_series(1, ${n}) AS t(i)`;

  beforeEach(async () => {
    engine = await openDuckDb({ path: ':memory:', memoryLimit: '256MB', releaseAfterRows: 5_000 });
  });
  afterEach(() => engine.close());

  it('releases after a stream of at least the threshold, not after a smaller one', async () => {
    const before = await limit();
    let rows = 0;
    for await (const [x] of engine.streamColumns(numbers(1_000))) rows += x!.length;
    expect(rows).toBe(1_000);
    // A statement after the stream waits for a release in progress: the count is final once it answers.
    expect(await limit()).toBe(before);
    expect(releases()).toBe(0);

    rows = 0;
    for await (const [x] of engine.streamColumns(numbers(12_000))) rows += x!.length;
    expect(rows).toBe(12_000);
    expect(await limit()).toBe(before);
    expect(releases()).toBe(1);
  });

  it('releases when the caller stops reading early, once the statements running beside it have ended', async () => {
    const before = await limit();
    const beside = engine.stream<{ i: number }>(`SELECT i FROM generate_series(1, 30000) AS t(i)`, [], 10_000)[Symbol.asyncIterator]();
    await beside.next();
    let rows = 0;
    for await (const [x] of engine.streamColumns(numbers(50_000))) {
      rows += x!.length;
      if (rows >= 6_000) break;
    }
    // The other statement is still open: the release waits for it.
    expect(releases()).toBe(0);
    while (!(await beside.next()).done);
    expect(await limit()).toBe(before);
    expect(releases()).toBe(1);
  });
});
