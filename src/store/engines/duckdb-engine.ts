/**
 * DuckDB adapter: an embedded file, zero set-up. One instance per process (DuckDB allows one writing process per
 * file); a small pool of connections for concurrent reads; transactions serialised by a mutex because DuckDB's
 * optimistic concurrency would otherwise abort one of two writers touching the same table.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuckDBDoubleVector,
  DuckDBVarCharVector,
  DuckDBInstance,
  DuckDBResultReader,
  DuckDBTimestampTZValue,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBMaterializedResult,
} from '@duckdb/node-api';
import { writeCsvFile } from './duckdb-csv.js';
import { bindArgs, forgetPrepared, literalOf, withPrepared } from './duckdb-statements.js';
import {
  Mutex,
  insertViaTemp,
  rowAt,
  quoteIdent,
  sqlType,
  type ColumnChunk,
  type ConstantColumn,
  type Engine,
  type Queryable,
  type Row,
  type Rows,
  type Session,
  type SqlValue,
  type TempColumn,
} from './engine.js';

const MAX_IDLE_CONNECTIONS = 8;
/**
 * Loads up to this many values use the row appender (no file, no statement to plan); larger ones a CSV file read
 * by DuckDB, which costs far less JavaScript per value and runs off the JavaScript thread (see duckdb-csv.ts).
 */
const APPENDER_MAX_VALUES = 2_000;
const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';

export interface DuckDbOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** DuckDB memory_limit, e.g. '600MB'. Bounds the buffer cache so `kept serve` keeps a small footprint. */
  memoryLimit?: string;
  threads?: number;
  /**
   * WAL size that triggers an automatic checkpoint. DuckDB's default (16MB) makes a bulk import checkpoint every
   * few batches, rewriting the same row groups again and again; a larger WAL lets one checkpoint do the work.
   * Default '256MB'.
   */
  checkpointThreshold?: string;
}

export async function openDuckDb(options: DuckDbOptions): Promise<Engine> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const settings: Record<string, string> = {};
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  if (options.threads) settings.threads = String(options.threads);
  settings.checkpoint_threshold = options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD;
  const instance = await DuckDBInstance.create(options.path, settings);
  return new DuckDbEngine(instance, options.path);
}

/**
 * A DOUBLE vector's values. The vector holds them in a Float64Array over DuckDB's memory (`items`, private in the
 * typings of the pinned @duckdb/node-api): copying it saves a native call per value (`getItem`). Should a later
 * version drop the field, the per-value path still gives the same numbers.
 */
function doubles(vector: DuckDBDoubleVector, rows: number): Float64Array {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length === rows) return items.slice();
  return Float64Array.from({ length: rows }, (_, i) => vector.getItem(i) ?? NaN);
}

async function readAll(result: DuckDBMaterializedResult): Promise<DuckDBResultReader> {
  const reader = new DuckDBResultReader(result);
  await reader.readAll();
  return reader;
}

function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

function normaliseRows<T>(rows: Record<string, unknown>[]): T[] {
  for (const row of rows) {
    for (const key in row) row[key] = normaliseValue(row[key]);
  }
  return rows as T[];
}

/**
 * Connections whose transaction has begun in name only: `BEGIN` is sent with the transaction's first statement
 * (in the same call when that statement has no parameters), which saves a trip through the event loop per write.
 */
const beginDeferred = new WeakSet<DuckDBConnection>();

class DuckDbQueryable implements Queryable {
  readonly kind = 'duckdb' as const;
  constructor(protected readonly connection: DuckDBConnection) {}

  /** Opens a transaction whose `BEGIN` goes with the first statement; see {@link beginDeferred}. */
  deferBegin(): void {
    beginDeferred.add(this.connection);
  }

  /** Sends a deferred `BEGIN` on its own (before a statement it cannot go with). */
  private async begun(): Promise<void> {
    if (!beginDeferred.delete(this.connection)) return;
    await this.connection.run('BEGIN TRANSACTION');
  }

  /** Ends the transaction; if no statement ran, none was begun and there is nothing to send. */
  async end(how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (beginDeferred.delete(this.connection)) return;
    await this.connection.run(how);
  }

  async query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    await this.begun();
    const reader = params.length === 0 ? await this.connection.runAndReadAll(sql) : await withPrepared(this.connection, sql, ...bindArgs(params), readAll);
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
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    if (params.length === 0 && beginDeferred.delete(this.connection)) {
      // One call runs both; the result is the last statement's.
      return Number((await this.connection.run(`BEGIN TRANSACTION; ${sql}`)).rowsChanged);
    }
    await this.begun();
    const result = params.length === 0 ? await this.connection.run(sql) : await withPrepared(this.connection, sql, ...bindArgs(params), (r) => r);
    return Number(result.rowsChanged);
  }

  async loadTemp(table: string, columns: readonly TempColumn[], rows: Rows): Promise<void> {
    await this.begun();
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
    if (rows.length * columns.length <= APPENDER_MAX_VALUES) {
      await insertViaTemp(this, 'insert_rows', table, columns, rows, constants);
      return;
    }
    // Straight from the file into the table: no staging copy. The statement names a new file each time, so it is
    // never reused: constants are written as literals where they can be, which saves two of its three trips.
    const file = writeCsvFile(columns, rows);
    try {
      const names = [...constants.map((c) => quoteIdent(c.name)), ...columns.map((c) => quoteIdent(c.name))];
      const literals = constants.map((c) => literalOf(c.value));
      const params = literals.every((l) => l !== undefined) ? [] : constants.map((c) => c.value);
      const values = [...constants.map((_, i) => (params.length === 0 ? literals[i]! : `$${i + 1}`)), ...file.values];
      await this.run(`INSERT INTO ${quoteIdent(table)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${file.source}`, params);
    } finally {
      file.cleanup();
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

async function inTransaction<T>(q: DuckDbQueryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  q.deferBegin();
  try {
    const result = await fn(q);
    await q.end('COMMIT');
    return result;
  } catch (error) {
    await q.end('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

class DuckDbEngine implements Engine {
  readonly kind = 'duckdb' as const;
  private readonly idle: DuckDBConnection[] = [];
  private readonly writers = new Mutex();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly path: string,
  ) {}

  get description(): string {
    return `duckdb:${this.path}`;
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('store is closed');
    const pooled = this.idle.pop();
    if (pooled) return pooled;
    const connection = await this.instance.connect();
    // Day/week buckets of TIMESTAMPTZ follow the session time zone: Kept reports in UTC on both engines.
    await connection.run(`SET TimeZone = 'UTC'`);
    return connection;
  }

  private release(connection: DuckDBConnection): void {
    if (!this.closed && this.idle.length < MAX_IDLE_CONNECTIONS) this.idle.push(connection);
    else {
      forgetPrepared(connection);
      connection.closeSync();
    }
  }

  private async withConnection<T>(fn: (q: DuckDbQueryable) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await fn(new DuckDbQueryable(connection));
    } finally {
      this.release(connection);
    }
  }

  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.withConnection((q) => q.query<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.writers.lock(() => this.withConnection((q) => q.run(sql, params)));
  }

  loadTemp(): Promise<void> {
    return Promise.reject(new Error('loadTemp needs a transaction: temporary tables live on one connection'));
  }

  insertRows(
    table: string,
    columns: readonly TempColumn[],
    rows: Rows,
    constants?: readonly ConstantColumn[],
  ): Promise<void> {
    return this.transaction((tx) => tx.insertRows(table, columns, rows, constants));
  }

  async lockWorkspace(_workspaceId: string): Promise<void> {
    // Single writing process; transactions are serialised by the engine mutex.
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.writers.lock(() => this.withConnection((q) => inTransaction(q, fn)));
  }

  session<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    // The session is the connection's queryable with `transaction` added (a derived object: the queryable's
    // methods run on the same connection).
    return this.writers.lock(() =>
      this.withConnection((q) => fn(Object.assign(Object.create(q) as DuckDbQueryable, { transaction: <R>(inner: (tx: Queryable) => Promise<R>) => inTransaction(q, inner) }))),
    );
  }

  async *stream<T = Row>(sql: string, params: readonly SqlValue[] = [], chunkRows = 10_000): AsyncIterable<T[]> {
    const connection = await this.acquire();
    try {
      const result = await connection.stream(sql, ...bindArgs(params));
      let buffer: T[] = [];
      for await (const rows of result.yieldRowObjectJs()) {
        buffer.push(...normaliseRows<T>(rows as Record<string, unknown>[]));
        if (buffer.length >= chunkRows) {
          yield buffer;
          buffer = [];
        }
      }
      if (buffer.length > 0) yield buffer;
    } finally {
      this.release(connection);
    }
  }

  async *streamColumns(sql: string, params: readonly SqlValue[] = []): AsyncIterable<ColumnChunk> {
    const connection = await this.acquire();
    try {
      const result = await connection.stream(sql, ...bindArgs(params));
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const columns: ColumnChunk = [];
        for (let c = 0; c < chunk.columnCount; c++) {
          const vector = chunk.getColumnVector(c);
          if (vector instanceof DuckDBDoubleVector) columns.push(doubles(vector, chunk.rowCount));
          else if (vector instanceof DuckDBVarCharVector) columns.push(vector.toArray());
          else throw new Error(`streamColumns: column ${c} is ${vector.type.toString()}, not DOUBLE or VARCHAR`);
        }
        yield columns;
      }
    } finally {
      this.release(connection);
    }
  }

  close(): Promise<void> {
    return this.writers.lock(() => {
      this.closed = true;
      for (const connection of this.idle.splice(0)) {
        forgetPrepared(connection);
        connection.closeSync();
      }
      this.instance.closeSync();
      return Promise.resolve();
    });
  }
}
