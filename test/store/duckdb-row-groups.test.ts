import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/store/engines/duckdb-engine.js';
import type { Engine } from '../../src/store/engines/engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openFile(options: { mergeRowGroupsWhenIdleMs?: number } = {}): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'kept-row-groups-'));
  dirs.push(dir);
  // A threshold no write here reaches: the test checkpoints itself, after each chunk of rows.
  return openDuckDb({ path: join(dir, 'kept.duckdb'), checkpointThreshold: '1GB', ...options });
}

/** Appends `chunks` chunks of 20,000 rows, each committed and checkpointed on its own (as the server's stream). */
async function writeInChunks(engine: Engine, chunks: number): Promise<void> {
  await engine.run(`CREATE TABLE t (x BIGINT, s TEXT)`);
  for (let k = 0; k < chunks; k++) {
    await engine.run(`INSERT INTO t SELECT i, 'v' || (i % 50) FROM range(${k * 20_000}, ${(k + 1) * 20_000}) r(i)`);
    await engine.run(`CHECKPOINT`);
  }
}

const rowGroups = async (engine: Engine) =>
  Number((await engine.query<{ n: number }>(`SELECT count(DISTINCT row_group_id) AS n FROM pragma_storage_info('t')`))[0]!.n);
const mergerOf = (engine: Engine) => (engine as { rowGroupMerger?: { merges: number; continuous: boolean; lastError: unknown } }).rowGroupMerger;
const mergesOf = (engine: Engine) => mergerOf(engine)?.merges;
const settingsOf = async (engine: Engine) =>
  (
    await engine.query<{ vacuum: string; compression: string; threshold: string }>(
      `SELECT current_setting('max_vacuum_tasks')::VARCHAR AS vacuum, lower(current_setting('disabled_compression_methods')::VARCHAR) AS compression,
         current_setting('checkpoint_threshold')::VARCHAR AS threshold`,
    )
  )[0]!;

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('DuckDB row groups under a stream of small checkpointed writes', () => {
  it('by default, merges the small row groups at the checkpoints themselves', async () => {
    const engine = await openFile();
    try {
      await writeInChunks(engine, 8);
      // 160,000 rows: one full row group (122,880) and the rest, whatever the 8 checkpoints did meanwhile.
      expect(await rowGroups(engine)).toBe(2);
      expect(mergesOf(engine)).toBeUndefined();
    } finally {
      await engine.close();
    }
  });

  it('with merging when idle: checkpoints leave one row group per chunk, merged once writes pause', async () => {
    // 1 s: the 8 chunks take far less than 12 of them, so the writes never count as continuous here.
    const engine = await openFile({ mergeRowGroupsWhenIdleMs: 1000 });
    try {
      // The stream's settings from the start (DuckDB ignores some of them when given at opening).
      expect(await settingsOf(engine)).toEqual({ vacuum: '0', compression: 'dictionary,fsst,dict_fsst', threshold: '953.6 MiB' });
      await writeInChunks(engine, 8);
      const before = await rowGroups(engine);
      // The pause has not come yet if the writes took less than 300 ms in all; either way the chunks were not
      // merged at their checkpoints, unless the merger already ran.
      if (mergesOf(engine) === 0) expect(before).toBe(8);
      expect(mergerOf(engine)!.continuous).toBe(false);
      expect(await until(async () => (mergesOf(engine) ?? 0) >= 1 && (await rowGroups(engine)) === 2, 8000)).toBe(true);
      expect(Number((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM t`))[0]!.n)).toBe(160_000);
      // The stream's settings are back for the next writes, and the marker table is gone.
      expect(await settingsOf(engine)).toEqual({ vacuum: '0', compression: 'dictionary,fsst,dict_fsst', threshold: '953.6 MiB' });
      expect(await engine.query(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'kept_row_group_merge'`)).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('gives writes that never pause the merging of DuckDB back, until the next pause', async () => {
    // 12 idle periods of 200 ms: 2.4 s of writes without a 200 ms pause.
    const engine = await openFile({ mergeRowGroupsWhenIdleMs: 200 });
    try {
      await engine.run(`CREATE TABLE t (x BIGINT, s TEXT)`);
      const start = Date.now();
      for (let k = 0; Date.now() - start < 3000; k++) await engine.run(`INSERT INTO t SELECT i, 'v' FROM range(${k * 100}, ${(k + 1) * 100}) r(i)`);
      expect(mergerOf(engine)!.continuous).toBe(true);
      expect(mergesOf(engine)).toBe(0);
      // DuckDB's defaults (the compression list is empty) and ADR 0013's threshold: 64MB is 61.0 MiB.
      expect(await settingsOf(engine)).toEqual({ vacuum: '100', compression: '', threshold: '61.0 MiB' });
      expect(await until(() => Promise.resolve((mergesOf(engine) ?? 0) >= 1), 3000)).toBe(true);
      expect(mergerOf(engine)!.continuous).toBe(false);
      expect(await settingsOf(engine)).toEqual({ vacuum: '0', compression: 'dictionary,fsst,dict_fsst', threshold: '953.6 MiB' });
    } finally {
      await engine.close();
    }
  });

  it('does not merge while a read is running (DuckDB would refuse the checkpoint), and merges once it ends', async () => {
    const engine = await openFile({ mergeRowGroupsWhenIdleMs: 200 });
    try {
      await writeInChunks(engine, 3);
      // A read held open over several pauses, as a long report would be.
      const rows = engine.stream<{ x: number }>(`SELECT x FROM t`, [], 1000)[Symbol.asyncIterator]();
      await rows.next();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(mergesOf(engine)).toBe(0);
      expect(mergerOf(engine)!.lastError).toBeUndefined();
      expect(await settingsOf(engine)).toEqual({ vacuum: '0', compression: 'dictionary,fsst,dict_fsst', threshold: '953.6 MiB' });
      await rows.return?.();
      expect(await until(() => Promise.resolve((mergesOf(engine) ?? 0) >= 1), 5000)).toBe(true);
      expect(await rowGroups(engine)).toBe(1);
      expect(mergerOf(engine)!.lastError).toBeUndefined();
    } finally {
      await engine.close();
    }
  });
});
