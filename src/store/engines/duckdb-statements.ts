/**
 * How statements are sent to DuckDB: parameters with explicit types, literals where a statement is never reused,
 * and prepared statements kept per connection, by SQL text. `connection.run(sql, values)` of @duckdb/node-api makes
 * three asynchronous calls (split the text into statements, prepare, execute); a kept statement needs one
 * (execute). Each call comes back through the event loop, and under load (the HTTP writer parsing and validating
 * the next requests) every return waits for the JavaScript thread: the trips, not DuckDB, then set the time of
 * short statements. DuckDB binds a kept statement again by itself when the tables it names have changed.
 */
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBPreparedStatement, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { SqlValue } from './engine.js';

/**
 * Binds parameters with explicit types: left to inference, a JS integer would become DOUBLE or HUGEINT and
 * comparisons against BIGINT id columns would cast every row instead of using zone maps.
 */
export function bindArgs(params: readonly SqlValue[]): [DuckDBValue[], DuckDBType[]] {
  const values: DuckDBValue[] = [];
  const types: DuckDBType[] = [];
  for (const value of params) {
    if (typeof value === 'number' && Number.isInteger(value)) {
      values.push(BigInt(value));
      types.push(BIGINT);
    } else if (typeof value === 'number') {
      values.push(value);
      types.push(DOUBLE);
    } else if (typeof value === 'bigint') {
      values.push(value);
      types.push(BIGINT);
    } else if (typeof value === 'boolean') {
      values.push(value);
      types.push(BOOLEAN);
    } else {
      values.push(value);
      types.push(VARCHAR);
    }
  }
  return [values, types];
}

/** A text or integer as a SQL literal (strings quoted the standard way: DuckDB reads backslashes literally). */
export function literalOf(value: SqlValue): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return `CAST(${value} AS BIGINT)`;
  return undefined;
}



/**
 * A parameter as a literal of the type {@link bindArgs} binds it with; `undefined` when it cannot be written as
 * one exactly (a text holding a NUL character: SQL text reaches DuckDB NUL-terminated).
 */
function typedLiteral(value: SqlValue): string | undefined {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return value.includes('\0') ? undefined : `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'bigint') return `CAST(${value.toString()} AS BIGINT)`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (Number.isInteger(value)) return `CAST(${BigInt(value).toString()} AS BIGINT)`;
  // The shortest text that reads back as the same double (JavaScript's), or one of the special values.
  if (Number.isNaN(value)) return `CAST('NaN' AS DOUBLE)`;
  if (!Number.isFinite(value)) return `CAST('${value > 0 ? 'Infinity' : '-Infinity'}' AS DOUBLE)`;
  return `CAST(${String(value)} AS DOUBLE)`;
}

/**
 * `sql` with its `$n` parameters written in as literals, for a statement sent together with others in one call
 * (see duckdb-transaction.ts). Placeholders are found outside quoted texts, quoted names and comments; `undefined`
 * when the text is one this does not read with certainty (dollar-quoted strings, `?` or named parameters) or a
 * value cannot be written exactly: the caller then binds the parameters as usual.
 */
export function inlineParams(sql: string, params: readonly SqlValue[]): string | undefined {
  let out = '';
  let from = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end === -1) return undefined;
      // A doubled quote continues the text: the scan resumes after it, still inside.
      i = end;
      while (sql[i + 1] === c) {
        const next = sql.indexOf(c, i + 2);
        if (next === -1) return undefined;
        i = next;
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      i = end + 1;
    } else if (c === '?') {
      return undefined;
    } else if (c === '$') {
      const digits = /^\d+/.exec(sql.slice(i + 1, i + 12))?.[0];
      if (digits === undefined) return undefined;
      const n = Number(digits);
      if (n < 1 || n > params.length) return undefined;
      const literal = typedLiteral(params[n - 1]!);
      if (literal === undefined) return undefined;
      out += `${sql.slice(from, i)}${literal}`;
      i += digits.length;
      from = i + 1;
    }
  }
  return out + sql.slice(from);
}

/** Per connection; the least recently used statement is destroyed beyond this (SQL naming a temporary file is never reused). */
const MAX_PER_CONNECTION = 64;

const kept = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();
const inUse = new WeakSet<DuckDBPreparedStatement>();

/**
 * Runs `sql` with `values` through a kept statement and hands the result to `use` (the statement is not bound
 * again before `use` finishes). Text holding several statements goes through `connection.run`, which runs them all.
 */
export async function withPrepared<T>(
  connection: DuckDBConnection,
  sql: string,
  values: DuckDBValue[],
  types: DuckDBType[],
  use: (result: DuckDBMaterializedResult) => Promise<T> | T,
): Promise<T> {
  if (sql.includes(';')) return use(await connection.run(sql, values, types));
  let statements = kept.get(connection);
  if (statements === undefined) kept.set(connection, (statements = new Map<string, DuckDBPreparedStatement>()));
  const cached = statements.get(sql);
  let prepared: DuckDBPreparedStatement;
  let own = false;
  if (cached !== undefined && !inUse.has(cached)) {
    prepared = cached;
    // Most recently used last: the map's order is the eviction order.
    statements.delete(sql);
    statements.set(sql, prepared);
  } else {
    prepared = await connection.prepare(sql);
    // The same text already running on this connection (concurrent calls), or kept by another call while this
    // one was preparing: a statement of its own, destroyed after use.
    if (statements.has(sql)) own = true;
    else keep(statements, sql, prepared);
  }
  inUse.add(prepared);
  try {
    prepared.bind(values, types);
    return await use(await prepared.run());
  } finally {
    inUse.delete(prepared);
    if (own) prepared.destroySync();
  }
}

function keep(statements: Map<string, DuckDBPreparedStatement>, sql: string, prepared: DuckDBPreparedStatement): void {
  statements.set(sql, prepared);
  for (const [oldest, statement] of statements) {
    if (statements.size <= MAX_PER_CONNECTION) break;
    if (inUse.has(statement)) continue;
    statements.delete(oldest);
    statement.destroySync();
  }
}

/** Destroys the statements kept for a connection about to be closed. */
export function forgetPrepared(connection: DuckDBConnection): void {
  const statements = kept.get(connection);
  if (statements === undefined) return;
  kept.delete(connection);
  for (const statement of statements.values()) if (!inUse.has(statement)) statement.destroySync();
}
