import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openDuckDb } from '../../src/store/engines/duckdb-engine.js';
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

  it('bulk-loads thousands of rows with every value round-tripping exactly (the bulk path, not the row path)', async () => {
    const texts = [
      'plain',
      '',
      ' padded ',
      'comma, inside',
      'quote " inside',
      '"fully quoted"',
      '""',
      'new\nline',
      'crlf\r\nline',
      'lone\rreturn',
      'tab\there',
      'back\\slash',
      '\\N',
      '\\\\N',
      'N',
      '\\',
      'NULL',
      'null',
      'ünïcödé',
      'emoji 🎉 mixed, "quoted"',
      '中文',
      'mid\uFEFFbom',
      ',',
      '\n',
      '"',
      'x'.repeat(5000),
      'é'.repeat(3000),
    ];
    if (ctx.engine.kind === 'duckdb') texts.push('nul\u0000inside'); // PostgreSQL text cannot hold NUL
    const doubles = [0, -0, 1.5, -2.25, 0.1 + 0.2, 1e21, -1e-7, 5e-324, 1.7976931348623157e308, 123456789.123, -42, 2 ** 53 - 1];
    const specials = [NaN, Infinity, -Infinity];
    const times = [0, 1, -1, Date.UTC(2025, 2, 4, 5, 6, 7, 250), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2200, 0, 1), Date.UTC(1900, 5, 6, 7, 8, 9, 10)];
    const ints = [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 31 - 1, -(2 ** 31)];
    const n = 1500;
    const columns = [
      { name: 'id', type: 'bigint' },
      { name: 'label', type: 'text' },
      { name: 'ts', type: 'timestamptz' },
      { name: 'x', type: 'double' },
      { name: 'y', type: 'double' },
      { name: 'flag', type: 'boolean' },
      { name: 'i', type: 'integer' },
      { name: 's', type: 'smallint' },
      { name: 'big', type: 'bigint' },
    ] as const;
    const input = Array.from({ length: n }, (_, r) => [
      r,
      r % 7 === 3 ? null : texts[r % texts.length]!,
      r % 11 === 5 ? null : times[r % times.length]!,
      r % 13 === 7 ? null : doubles[r % doubles.length]!,
      r === 100 ? specials[0]! : r === 200 ? specials[1]! : r === 300 ? specials[2]! : (r % 17) / 4 - 2,
      r % 5 === 0 ? null : r % 2 === 0,
      r % 3 === 0 ? -(r * 1000) + 0 : r,
      r % 2 === 0 ? -(r % 32000) + 0 : r % 32000,
      r % 9 === 0 ? null : ints[r % ints.length]!,
    ]);
    // A leading U+FEFF is compared in SQL: the DuckDB client drops it when decoding results, whatever was stored.
    const bom = '\uFEFFbom first';
    input[n - 1]![1] = bom;
    const [rows, bomKept] = await ctx.engine.transaction(async (tx) => {
      await tx.loadTemp('bulk_test', columns, input);
      const all = await tx.query<Record<string, unknown>>('SELECT id, label, ts, x, y, flag, i, s, big FROM bulk_test ORDER BY id');
      const same = await tx.query<{ same: boolean }>('SELECT label = $1 AS same FROM bulk_test WHERE id = $2', [bom, n - 1]);
      return [all, same] as const;
    });
    expect(bomKept).toEqual([{ same: true }]);
    rows[n - 1]!.label = bom;
    expect(rows).toHaveLength(n);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const expected = input.map(([id, label, ts, x, y, flag, i, s, big]) => ({ id, label, ts: iso(ts as number | null), x, y, flag, i, s, big }));
    // toEqual tells -0 from 0 and NaN equals NaN: every value must come back exactly.
    for (let r = 0; r < n; r++) expect(rows[r], `row ${r}`).toEqual(expected[r]);
  });

  it('bulk-loads rows longer than the CSV reader allows by default (2 MB)', async () => {
    const long = 'é"x,\n'.repeat(500_000); // 3.5 MB in UTF-8, with quotes, commas and newlines
    const rows = Array.from({ length: 2100 }, (_, i) => [i, i === 1000 ? long : `short ${i}`]);
    const back = await ctx.engine.transaction(async (tx) => {
      await tx.loadTemp('long_test', [{ name: 'id', type: 'bigint' }, { name: 'body', type: 'text' }], rows);
      return tx.query<{ n: number; same: boolean }>('SELECT count(*) AS n, bool_and(body = $1) FILTER (WHERE id = 1000) AS same FROM long_test', [long]);
    });
    expect(back).toEqual([{ n: 2100, same: true }]);
  });

  it('bulk-loads an empty table and a single-column table of ids', async () => {
    const [empty, ids] = await ctx.engine.transaction(async (tx) => {
      await tx.loadTemp('empty_test', [{ name: 'a', type: 'text' }, { name: 't', type: 'timestamptz' }], []);
      const e = await tx.query('SELECT count(*) AS n FROM empty_test');
      await tx.loadTemp('ids_test', [{ name: 'id', type: 'text' }], Array.from({ length: 5000 }, (_, i) => [`id-${i}`]));
      return [e, await tx.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM ids_test')];
    });
    expect(empty).toEqual([{ n: 0 }]);
    expect(ids).toEqual([{ n: 5000, d: 5000 }]);
  });

  it('bulk-inserts into a table with constant columns, from arrays or from a row source, small and large', async () => {
    await ctx.engine.run(
      `CREATE TABLE IF NOT EXISTS insert_test (ws TEXT NOT NULL, batch BIGINT NOT NULL, id BIGINT, label TEXT, ts TIMESTAMPTZ, x DOUBLE PRECISION)`,
    );
    const columns = [
      { name: 'id', type: 'bigint' },
      { name: 'label', type: 'text' },
      { name: 'ts', type: 'timestamptz' },
      { name: 'x', type: 'double' },
    ] as const;
    const make = (i: number) => [i, i % 4 === 0 ? null : `row "${i}", line\n${i}\\N`, Date.UTC(2025, 0, 1, 0, 0, 0, i % 1000), i % 3 === 0 ? null : i / 8 - 3];
    const small = Array.from({ length: 10 }, (_, i) => make(i));
    const reused: (string | number | null)[] = [];
    const large = {
      length: 3000,
      row(i: number) {
        // The same array every time: engines must read a row before asking for the next.
        reused.splice(0, reused.length, ...make(1000 + i));
        return reused;
      },
    };
    await ctx.engine.transaction(async (tx) => {
      await tx.insertRows('insert_test', columns, small, [
        { name: 'ws', value: 'w1' },
        { name: 'batch', value: 1 },
      ]);
      // Constants with a quote, a backslash and a parameter-like text: stored as given, whether bound or written out.
      await tx.insertRows('insert_test', columns, large, [
        { name: 'ws', value: `w2 'o\\ $1` },
        { name: 'batch', value: 2 },
      ]);
      await tx.insertRows('insert_test', columns, [], [{ name: 'ws', value: 'w3' }, { name: 'batch', value: 3 }]);
    });
    const rows = await ctx.engine.query<{ ws: string; batch: number; id: number; label: string | null; ts: string; x: number | null }>(
      'SELECT ws, batch, id, label, ts, x FROM insert_test ORDER BY id',
    );
    expect(rows).toHaveLength(3010);
    const expected = [...small.map((r) => ['w1', 1, ...r]), ...Array.from({ length: 3000 }, (_, i) => [`w2 'o\\ $1`, 2, ...make(1000 + i)])].map(
      ([ws, batch, id, label, ts, x]) => ({ ws, batch, id, label, ts: new Date(ts as number).toISOString(), x }),
    );
    expect(rows).toEqual(expected);
  });

  it('keeps transactions whole whatever their first statement (DuckDB sends BEGIN with it)', async () => {
    await ctx.engine.run(`CREATE TABLE IF NOT EXISTS tx_first (v INTEGER)`);
    // A transaction with no statement at all, then one whose first statement fails: neither leaves one open.
    await ctx.engine.transaction(() => Promise.resolve());
    await expect(ctx.engine.transaction((tx) => tx.run(`INSERT INTO no_such_table VALUES (1)`))).rejects.toThrow();
    await expect(ctx.engine.transaction((tx) => tx.run(`INSERT INTO tx_first VALUES (1), (2), (3); INSERT INTO tx_first VALUES ('x')`))).rejects.toThrow();
    // The first statement's count is its own; a later failure takes it back.
    const counted = await ctx.engine.transaction((tx) => tx.run(`INSERT INTO tx_first VALUES (1), (2)`));
    expect(counted).toBe(2);
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.run(`INSERT INTO tx_first VALUES (10)`);
        await tx.query(`SELECT count(*) AS n FROM tx_first WHERE v > $1`, [0]);
        throw new Error('after both');
      }),
    ).rejects.toThrow('after both');
    // A first statement with parameters.
    await ctx.engine.transaction((tx) => tx.run(`INSERT INTO tx_first VALUES ($1)`, [7]));
    const rows = await ctx.engine.query<{ v: number }>(`SELECT v FROM tx_first ORDER BY v`);
    expect(rows.map((r) => Number(r.v))).toEqual([1, 2, 7]);
  });

  it('sends held writes before the next statement, and fails the whole transaction when one fails', async () => {
    await ctx.engine.run(`CREATE TABLE IF NOT EXISTS held_test (k TEXT NOT NULL, n BIGINT NOT NULL, seen_at TIMESTAMPTZ, x DOUBLE PRECISION, ok BOOLEAN)`);
    const columns = [
      { name: 'k', type: 'text' },
      { name: 'n', type: 'bigint' },
    ] as const;
    // Writes and inserts (small and large) are seen by later statements of the same transaction, in order.
    const seen = await ctx.engine.transaction(async (tx) => {
      await tx.write(`INSERT INTO held_test (k, n, seen_at, x, ok) VALUES ($1, $2, CAST($3 AS TIMESTAMPTZ), $4, $5)`, [`a 'quoted' $2 -- not a comment`, 1, '2025-03-01T10:00:00.000Z', 0.1, true]);
      await tx.insertRows('held_test', columns, [['b', 2]]);
      await tx.insertRows('held_test', columns, { length: 3000, row: (i) => [`c${i}`, 10 + i] });
      await tx.write(`UPDATE held_test SET n = n + $1 WHERE k = $2`, [100, 'b']);
      // A statement without parameters goes in the same call as the held writes; one with them, after.
      expect(await tx.query<{ n: number }>(`SELECT count(*) AS n FROM held_test`)).toEqual([{ n: 3002 }]);
      await tx.insertRows('held_test', columns, [['z', 500]]);
      return tx.query<{ k: string; n: number }>(`SELECT k, n FROM held_test WHERE n < $1 ORDER BY n`, [200]);
    });
    expect(seen.slice(0, 3)).toEqual([
      { k: `a 'quoted' $2 -- not a comment`, n: 1 },
      { k: 'c0', n: 10 },
      { k: 'c1', n: 11 },
    ]);
    expect(seen.find((r) => r.k === 'b')).toEqual({ k: 'b', n: 102 });
    const [stored] = await ctx.engine.query<{ seen_at: string; x: number; ok: boolean }>(`SELECT seen_at, x, ok FROM held_test WHERE n = 1`);
    expect(stored).toEqual({ seen_at: "2025-03-01T10:00:00.000Z", x: 0.1, ok: true });

    // A held write that fails (NOT NULL) fails the transaction, at the next statement or at the commit: nothing of
    // it is stored, neither the writes before it nor after.
    const before = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM held_test`);
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.insertRows('held_test', columns, [['d', 1]]);
        await tx.insertRows('held_test', columns, { length: 1500, row: (i) => [i === 700 ? null : `e${i}`, i] });
        await tx.write(`INSERT INTO held_test (k, n) VALUES ($1, $2)`, ['f', 3]);
      }),
    ).rejects.toThrow(/null|NOT NULL/i);
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.write(`INSERT INTO held_test (k, n) VALUES ($1, $2)`, [null, 3]);
        await tx.query(`SELECT count(*) AS n FROM held_test`);
      }),
    ).rejects.toThrow(/null|NOT NULL/i);
    // Held writes of a transaction that fails before sending them are dropped.
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.insertRows('held_test', columns, { length: 1500, row: (i) => [`y${i}`, i] });
        await tx.write(`INSERT INTO held_test (k, n) VALUES ($1, $2)`, ['y', 3]);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    // A failed statement whose error the caller caught: the commit must not pass for one.
    await expect(
      ctx.engine.transaction(async (tx) => {
        await tx.run(`INSERT INTO held_test (k, n) VALUES ('g', 4)`);
        await tx.run(`INSERT INTO held_test (k, n) VALUES (NULL, 5)`).catch(() => undefined);
      }),
    ).rejects.toThrow('rolled back');
    expect(await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM held_test`)).toEqual(before);
    // No file of a held insert is left behind, sent or dropped.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`kept-load-${process.pid}-`))).toEqual([]);
    // And the connection is fine afterwards.
    await ctx.engine.transaction((tx) => tx.write(`INSERT INTO held_test (k, n) VALUES ($1, $2)`, ['h', 6]));
    expect(await ctx.engine.query<{ k: string }>(`SELECT k FROM held_test WHERE n = 6`)).toEqual([{ k: 'h' }]);
  });

  it('hands cached memory back without disturbing statements or the memory limit', async () => {
    const limitOf = async (engine: Engine) =>
      engine.kind === 'duckdb' ? (await engine.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]!.v : 'n/a';
    const own = ctx.engine.kind === 'duckdb' ? await openDuckDb({ path: ':memory:', memoryLimit: '256MB' }) : undefined;
    try {
      for (const engine of own ? [ctx.engine, own] : [ctx.engine]) {
        const before = await limitOf(engine);
        await engine.query(`SELECT count(*) AS n FROM generate_series(1, 200000) AS t(i) WHERE i % 7 = 0`);
        // A statement started while memory is released waits for it, and meets the usual limit.
        const [, during] = await Promise.all([engine.releaseMemory(), limitOf(engine)]);
        expect(during).toBe(before);
        expect(await limitOf(engine)).toBe(before);
        // While a statement runs, nothing is released, and the statement is not disturbed; on DuckDB the release
        // asked for meanwhile is made once the statement has ended.
        const releasesOf = () => (engine as { releases?: number }).releases ?? 0;
        const released = releasesOf();
        let rows = 0;
        for await (const chunk of engine.stream<{ i: number }>(`SELECT i FROM generate_series(1, 30000) AS t(i)`, [], 10_000)) {
          await engine.releaseMemory();
          expect(releasesOf()).toBe(released);
          rows += chunk.length;
        }
        expect(rows).toBe(30_000);
        expect(releasesOf()).toBe(engine.kind === 'duckdb' ? released + 1 : 0);
        expect(await limitOf(engine)).toBe(before);
      }
    } finally {
      await own?.close();
    }
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
