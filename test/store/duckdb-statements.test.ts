import { BIGINT, DuckDBInstance, DuckDBResultReader, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindArgs, forgetPrepared, inlineParams, withPrepared } from '../../src/store/engines/duckdb-statements.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`CREATE TABLE t (id BIGINT, name VARCHAR)`);
  await connection.run(`INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
});

afterAll(() => {
  forgetPrepared(connection);
  connection.closeSync();
  instance.closeSync();
});

const rowsOf = async (sql: string, id: number) =>
  withPrepared(connection, sql, [BigInt(id)], [BIGINT], async (result) => {
    const reader = new DuckDBResultReader(result);
    await reader.readAll();
    return reader.getRowObjectsJS();
  });

describe('withPrepared (statements kept per connection)', () => {
  it('gives each call the rows of its own values when a kept statement is reused', async () => {
    const sql = `SELECT name FROM t WHERE id = $1`;
    expect(await rowsOf(sql, 1)).toEqual([{ name: 'a' }]);
    expect(await rowsOf(sql, 2)).toEqual([{ name: 'b' }]);
    expect(await rowsOf(sql, 9)).toEqual([]);
  });

  it('keeps concurrent calls of the same text apart', async () => {
    const sql = `SELECT name FROM t WHERE id >= $1 ORDER BY id`;
    const results = await Promise.all([1, 2, 3, 1, 2, 3].map((id) => rowsOf(sql, id)));
    expect(results.map((rows) => rows.map((r) => r.name as string).join(''))).toEqual(['abc', 'bc', 'c', 'abc', 'bc', 'c']);
  });

  it('sees tables changed since the statement was prepared', async () => {
    const sql = `SELECT count(*) AS n FROM t WHERE id > $1`;
    expect(await rowsOf(sql, 0)).toEqual([{ n: 3n }]);
    await connection.run(`INSERT INTO t VALUES (4, 'd')`);
    expect(await rowsOf(sql, 0)).toEqual([{ n: 4n }]);
    await connection.run(`CREATE OR REPLACE TEMP TABLE scratch AS SELECT 1 AS v`);
    const scratch = `SELECT v FROM scratch WHERE v >= $1`;
    expect(await rowsOf(scratch, 0)).toEqual([{ v: 1 }]);
    await connection.run(`CREATE OR REPLACE TEMP TABLE scratch AS SELECT 'x' AS w, 2 AS v`);
    expect(await rowsOf(scratch, 0)).toEqual([{ v: 2 }]);
  });

  it('stays correct when more texts are used than it keeps', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 100; i++) {
        const rows = await rowsOf(`SELECT id + ${i} AS x FROM t WHERE id = $1`, 1);
        expect(rows).toEqual([{ x: BigInt(1 + i) }]);
      }
    }
  });

  it('runs text holding several statements in full', async () => {
    const n = await withPrepared(connection, `CREATE TEMP TABLE multi (v VARCHAR); INSERT INTO multi VALUES ($1)`, ['z'], [VARCHAR], (r) => r.rowsChanged);
    expect(n).toBe(1);
    expect((await connection.runAndReadAll(`SELECT v FROM multi`)).getRowObjectsJS()).toEqual([{ v: 'z' }]);
  });
});

describe('inlineParams (held writes sent as one text)', () => {
  it('writes each $n as a literal outside quoted texts, quoted names and comments', () => {
    const sql = `SELECT $1, '$1 it''s', "a$2""b", $10 -- $2\n, /* $3 */ $2`;
    const params = ['x', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'];
    expect(inlineParams(sql, params)).toBe(`SELECT 'x', '$1 it''s', "a$2""b", 'ten' -- $2\n, /* $3 */ CAST(2 AS BIGINT)`);
  });

  it('declines what it cannot read with certainty or write exactly', () => {
    expect(inlineParams(`SELECT $$text$$`, [])).toBeUndefined();
    expect(inlineParams(`SELECT ?`, [1])).toBeUndefined();
    expect(inlineParams(`SELECT $name`, [1])).toBeUndefined();
    expect(inlineParams(`SELECT $2`, [1])).toBeUndefined();
    expect(inlineParams(`SELECT 'open`, [])).toBeUndefined();
    expect(inlineParams(`SELECT $1`, ['a\u0000b'])).toBeUndefined();
  });

  it('gives DuckDB the values binding gives, type and all', async () => {
    const values = [`it's \\ $1`, 42, -7, 2 ** 53 + 2, 0.1, 1e-300, -2.5e-21, 123.456, Number.NaN, Infinity, -Infinity, true, false, null, 12345678901234567n, 'ünï €'];
    const sql = `SELECT ${values.map((_, i) => `$${i + 1} AS v${i}, typeof($${i + 1}) AS t${i}`).join(', ')}`;
    const read = async (text: string, bound: boolean) => {
      const result = bound ? await connection.run(text, ...bindArgs(values)) : await connection.run(text);
      const reader = new DuckDBResultReader(result);
      await reader.readAll();
      return reader.getRowObjectsJS();
    };
    const inlined = inlineParams(sql, values);
    expect(inlined).toBeDefined();
    expect(await read(inlined!, false)).toEqual(await read(sql, true));
  });
});
