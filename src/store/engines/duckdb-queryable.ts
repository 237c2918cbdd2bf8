/**
 * A DuckDB connection as a {@link Queryable}: statements and their results, bulk loads (row appender or CSV file),
 * and transactions whose `BEGIN` and held writes go with the next statement (see duckdb-transaction.ts).
 */
import {
  DuckDBResultReader,
  DuckDBTimestampTZValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBMaterializedResult,
} from '@duckdb/node-api';
import { writeCsvFile } from './duckdb-csv.js';
import { bindArgs, inlineParams, literalOf, withPrepared } from './duckdb-statements.js';
import { beginTransaction, endTransaction, hold, inTransaction, noteFailure, takePrefix, type Prefix } from './duckdb-transaction.js';
import { insertViaTemp, rowAt, quoteIdent, sqlType, type ConstantColumn, type Queryable, type Row, type Rows, type SqlValue, type TempColumn } from './engine.js';

/**
 * Loads up to this many values use the row appender (no file, no statement to plan); larger ones a CSV file read
 * by DuckDB, which costs far less JavaScript per value and runs off the JavaScript thread (see duckdb-csv.ts).
 */
const APPENDER_MAX_VALUES = 2_000;

async function readAll(result: DuckDBMaterializedResult): Promise<DuckDBResultReader> {
  const reader = new DuckDBResultReader(result);
  await reader.readAll();
  return reader;
}

export function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

export class DuckDbQueryable implements Queryable {
  readonly kind = 'duckdb' as const;
  constructor(protected readonly connection: DuckDBConnection) {}

  /** Opens a transaction; `BEGIN` and held writes go with the next statement (see duckdb-transaction.ts). */
  begin(): void {
    beginTransaction(this.connection);
  }

  /** Runs `sql` in one call after what the transaction has not sent yet. */
  private send<T>(sql: string, call: (text: string) => Promise<T>): Promise<T> {
    return this.sendWith(takePrefix(this.connection), sql, call);
  }

  /** Sends what the transaction has not sent yet, on its own (before a statement it cannot go with). */
  private async flush(): Promise<void> {
    const prefix = takePrefix(this.connection);
    if (prefix.statements.length > 0) await this.sendWith(prefix, undefined, (text) => this.connection.run(text));
  }

  /** One call running `prefix`'s statements, then `last`; the prefix's files are removed whatever the outcome. */
  private async sendWith<T>(prefix: Prefix, last: string | undefined, call: (text: string) => Promise<T>): Promise<T> {
    const statements = last === undefined ? prefix.statements : [...prefix.statements, last];
    try {
      return await call(statements.join(';\n'));
    } finally {
      prefix.cleanup();
    }
  }

  /** Runs `work`, noting a failure in the open transaction (see duckdb-transaction.ts). */
  private async noting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      noteFailure(this.connection, error);
      throw error;
    }
  }

  /** Ends the transaction, sending what is still held with `COMMIT`; nothing at all if nothing was ever sent. */
  async end(how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const ending = endTransaction(this.connection, how);
    if (ending.kind === 'nothing') return;
    if (ending.kind === 'rollback') {
      if (ending.send) await this.connection.run('ROLLBACK');
      if (ending.failed !== undefined) {
        const reason = ending.failed instanceof Error ? ending.failed.message : JSON.stringify(ending.failed);
        throw new Error(`transaction rolled back: a statement in it failed (${reason})`, { cause: ending.failed });
      }
      return;
    }
    await this.sendWith(ending.prefix, how, (text) => this.connection.run(text));
  }

  query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.noting(async () => {
      let reader: DuckDBResultReader;
      if (params.length === 0) reader = await this.send(sql, (text) => this.connection.runAndReadAll(text));
      else {
        await this.flush();
        reader = await withPrepared(this.connection, sql, ...bindArgs(params), readAll);
      }
      // Column-wise conversion, then plain objects: the same values as getRowObjectsJS() at a fraction of the cost
      // (that one visits every value through a callback), which matters for lookups returning thousands of rows.
      const names = reader.deduplicatedColumnNames();
      const columns = reader.getColumnsJS();
      const count = reader.currentRowCount;
      const rows = new Array<Record<string, unknown>>(count);
      for (let r = 0; r < count; r++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) row[names[c]!] = normaliseValue(columns[c]![r]);
        rows[r] = row;
      }
      return rows as T[];
    });
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.noting(async () => {
      // Sent with what the transaction holds; the result is the last statement's.
      if (params.length === 0) return Number((await this.send(sql, (text) => this.connection.run(text))).rowsChanged);
      await this.flush();
      return Number((await withPrepared(this.connection, sql, ...bindArgs(params), (r) => r)).rowsChanged);
    });
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const text = params.length === 0 ? sql : inlineParams(sql, params);
    if (text === undefined || !inTransaction(this.connection)) {
      await this.run(sql, params);
      return;
    }
    if (hold(this.connection, { sql: text, bytes: text.length })) await this.noting(() => this.flush());
  }

  loadTemp(table: string, columns: readonly TempColumn[], rows: Rows): Promise<void> {
    return this.noting(() => this.load(table, columns, rows));
  }

  private async load(table: string, columns: readonly TempColumn[], rows: Rows): Promise<void> {
    await this.flush();
    if (rows.length * columns.length <= APPENDER_MAX_VALUES) {
      const defs = columns.map((c) => `${quoteIdent(c.name)} ${sqlType('duckdb', c.type)}`).join(', ');
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} (${defs})`);
      if (rows.length === 0) return;
      const appender = await this.connection.createAppender(table, 'main', 'temp');
      try {
        appendRows(appender, columns, rows);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      return;
    }
    // Larger loads go through a CSV file: encoding is cheap and DuckDB reads it off the JavaScript thread.
    const file = writeCsvFile(columns, rows);
    try {
      const select = columns.map((c, i) => `${file.values[i]} AS ${quoteIdent(c.name)}`).join(', ');
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${select} FROM ${file.source}`);
    } finally {
      file.cleanup();
    }
  }

  async insertRows(
    table: string,
    columns: readonly TempColumn[],
    rows: Rows,
    constants: readonly ConstantColumn[] = [],
  ): Promise<void> {
    if (rows.length === 0) return;
    const literals = constants.map((c) => literalOf(c.value));
    const literal = literals.every((l) => l !== undefined);
    // In a transaction the insert is held and sent with the next statement (see duckdb-transaction.ts), whatever
    // its size: a file costs less than the two calls of the appender path.
    const held = literal && inTransaction(this.connection);
    if (!held && rows.length * columns.length <= APPENDER_MAX_VALUES) {
      await insertViaTemp(this, 'insert_rows', table, columns, rows, constants);
      return;
    }
    // Straight from the file into the table: no staging copy. The statement names a new file each time, so it is
    // never reused: constants are written as literals where they can be, which saves two of its three trips.
    const file = writeCsvFile(columns, rows);
    let sent = false;
    try {
      const names = [...constants.map((c) => quoteIdent(c.name)), ...columns.map((c) => quoteIdent(c.name))];
      const values = [...constants.map((_, i) => (literal ? literals[i]! : `$${i + 1}`)), ...file.values];
      const sql = `INSERT INTO ${quoteIdent(table)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${file.source}`;
      if (held) {
        // The file now belongs to the held write: removed once it is sent, or when the transaction ends.
        sent = true;
        if (hold(this.connection, { sql, bytes: file.bytes, cleanup: file.cleanup })) await this.noting(() => this.flush());
        return;
      }
      await this.run(sql, literal ? [] : constants.map((c) => c.value));
    } finally {
      if (!sent) file.cleanup();
    }
  }

  async lockWorkspace(_workspaceId: string): Promise<void> {
    // One process owns the file and the engine mutex serialises transactions: nothing more to lock.
  }
}

function appendRows(appender: DuckDBAppender, columns: readonly TempColumn[], rows: Rows) {
  const width = columns.length;
  const types = columns.map((c) => c.type);
  for (let r = 0; r < rows.length; r++) {
    const row = rowAt(rows, r);
    for (let i = 0; i < width; i++) {
      const v = row[i];
      if (v === null || v === undefined) {
        appender.appendNull();
        continue;
      }
      switch (types[i]) {
        case 'text':
          appender.appendVarchar(typeof v === 'string' ? v : String(v));
          break;
        case 'bigint':
          appender.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number));
          break;
        case 'integer':
          appender.appendInteger(Number(v));
          break;
        case 'smallint':
          appender.appendSmallInt(Number(v));
          break;
        case 'double':
          appender.appendDouble(Number(v));
          break;
        case 'timestamptz':
          appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(Math.round(Number(v))) * 1000n));
          break;
        case 'boolean':
          appender.appendBoolean(Boolean(v));
          break;
        default:
          throw new Error(`unknown column type ${String(types[i])}`);
      }
    }
    appender.endRow();
  }
}

export async function runTransaction<T>(q: DuckDbQueryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  q.begin();
  try {
    const result = await fn(q);
    await q.end('COMMIT');
    return result;
  } catch (error) {
    await q.end('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
