import { describe, expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import { migrate } from '../../src/store/migrator.js';

describeEachEngine('engine', (ctx) => {
  it('applies the schema once and reports it as already applied on the next start', async () => {
    const outcomes = await migrate(ctx.engine);
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'already-applied'));
    const rows = await ctx.engine.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(rows[0]?.n).toBe(outcomes.length);
  });

  it('normalises results: integers and decimals as numbers, timestamps as UTC ISO strings', async () => {
    const rows = await ctx.engine.query(
      `SELECT CAST(42 AS BIGINT) AS n, CAST(12.5 AS NUMERIC(18,4)) AS amount,
              CAST($1 AS TIMESTAMPTZ) AS at, CAST(NULL AS TEXT) AS missing`,
      ['2025-03-04T05:06:07.250+02:00'],
    );
    expect(rows[0]).toEqual({ n: 42, amount: 12.5, at: '2025-03-04T03:06:07.250Z', missing: null });
  });

  it('bulk-loads a temporary table inside a transaction, with nulls, quotes, tabs and newlines intact', async () => {
    const rows = await ctx.engine.transaction(async (tx) => {
      await tx.loadTemp(
        'staging_test',
        [
          { name: 'id', type: 'bigint' },
          { name: 'label', type: 'text' },
          { name: 'ts', type: 'timestamptz' },
          { name: 'x', type: 'double' },
          { name: 'flag', type: 'boolean' },
        ],
        [
          [1, 'plain', Date.UTC(2025, 0, 1), 1.5, true],
          [2, 'tab\there\nnew "line" \\ back', null, null, false],
          [3, null, Date.UTC(2025, 5, 30, 23, 59, 59), -2, null],
        ],
      );
      return tx.query('SELECT id, label, ts, x, flag FROM staging_test ORDER BY id');
    });
    expect(rows).toEqual([
      { id: 1, label: 'plain', ts: '2025-01-01T00:00:00.000Z', x: 1.5, flag: true },
      { id: 2, label: 'tab\there\nnew "line" \\ back', ts: null, x: null, flag: false },
      { id: 3, label: null, ts: '2025-06-30T23:59:59.000Z', x: -2, flag: null },
    ]);
  });

  it('rolls a failed transaction back completely', async () => {
    await ctx.engine.run(
      `INSERT INTO workspaces (workspace_id, name, created_at) VALUES ('rollback-check', 'x', CAST($1 AS TIMESTAMPTZ))`,
      [new Date().toISOString()],
    );
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.run(`UPDATE workspaces SET name = 'changed' WHERE workspace_id = 'rollback-check'`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await ctx.engine.query(`SELECT name FROM workspaces WHERE workspace_id = 'rollback-check'`);
    expect(rows).toEqual([{ name: 'x' }]);
  });

  it('streams a large result in bounded chunks', async () => {
    let total = 0;
    let chunks = 0;
    for await (const chunk of ctx.engine.stream<{ i: number }>('SELECT i FROM generate_series(1, 25000) AS t(i)', [], 10_000)) {
      expect(chunk.length).toBeLessThanOrEqual(12_048);
      total += chunk.length;
      chunks++;
    }
    expect(total).toBe(25_000);
    expect(chunks).toBeGreaterThanOrEqual(3);
  });
});

describe('engine helpers', () => {
  it('refuses unsafe identifiers', async () => {
    const { quoteIdent } = await import('../../src/store/engines/engine.js');
    expect(() => quoteIdent('x; drop table y')).toThrow(/unsafe/);
  });
});
