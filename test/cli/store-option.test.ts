import { describe, expect, it } from 'vitest';
import { DUCKDB_TUNING, storeLocation } from '../../src/cli/store-option.js';
import { loadConfig } from '../../src/config/env.js';
import { openEngine } from '../../src/store/open-store.js';

const setting = async (tuning: Parameters<typeof storeLocation>[2]) => {
  const engine = await openEngine(storeLocation(':memory:', loadConfig({}), tuning));
  try {
    const [row] = await engine.query<{ checkpoint: string; memory: string }>(
      `SELECT current_setting('checkpoint_threshold') AS checkpoint, current_setting('memory_limit') AS memory`,
    );
    return row!;
  } finally {
    await engine.close();
  }
};

describe('DuckDB tuning per kind of command', () => {
  it('gives the server a small checkpoint threshold and both kinds their memory limit', async () => {
    const serve = await setting(DUCKDB_TUNING.serve);
    const write = await setting(DUCKDB_TUNING.write);
    // DuckDB reports sizes in binary units: 8MB is 7.6 MiB, 256MB (the engine's default) 244.1 MiB.
    expect(serve).toEqual({ checkpoint: '7.6 MiB', memory: '244.1 MiB' });
    expect(write).toEqual({ checkpoint: '244.1 MiB', memory: '953.6 MiB' });
  });

  it('passes nothing to PostgreSQL', () => {
    expect(storeLocation('postgres://localhost/x', loadConfig({}), DUCKDB_TUNING.serve)).toEqual({ databaseUrl: 'postgres://localhost/x' });
  });
});
