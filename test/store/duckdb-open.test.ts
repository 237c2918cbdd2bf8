import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/store/engines/duckdb-engine.js';

describe('duckdb: opening the store file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an existing CSV or JSON Lines file, which DuckDB would read into a database kept only in memory', async () => {
    const csv = join(dir, 'events.csv');
    writeFileSync(csv, 'event_id,type\ne1,click\n');
    const jsonl = join(dir, 'events.jsonl');
    writeFileSync(jsonl, '{"event_id":"e1","type":"click"}\n');
    for (const path of [csv, jsonl]) {
      await expect(openDuckDb({ path })).rejects.toThrow(`${path} is a data file (CSV, JSON or Parquet), not a DuckDB database`);
    }
    // The file is left as it was.
    expect(readFileSync(csv, 'utf8')).toBe('event_id,type\ne1,click\n');
  });

  it('opens a new file whatever its name, and opens it again', async () => {
    const path = join(dir, 'store.csv');
    const engine = await openDuckDb({ path });
    await engine.run(`CREATE TABLE t (x INTEGER)`);
    await engine.run(`INSERT INTO t VALUES (1)`);
    await engine.close();
    const again = await openDuckDb({ path });
    expect(await again.query(`SELECT x FROM t`)).toEqual([{ x: 1 }]);
    await again.close();
  });

  it('names the other process and what to do when another process holds the file', async () => {
    const path = join(dir, 'busy.duckdb');
    // Another process with the store open, as `kept serve` would have it.
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(path)}); console.log('open'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout, 'data');
      await expect(openDuckDb({ path })).rejects.toThrow(
        new RegExp(`^${path.replaceAll('.', '\\.')} is open in another process \\(PID ${holder.pid}\\), such as \`kept serve\`.*POST /api/v1/\\{entity\\}/batch`),
      );
    } finally {
      holder.kill();
    }
  });
});
