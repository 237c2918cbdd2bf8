/**
 * PostgreSQL adapter (server mode, selected by KEPT_DATABASE_URL). A pg.Pool; COPY for bulk loads; cursors for
 * streaming; advisory locks so several `kept serve` / `kept worker` processes can ingest into one workspace safely.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import {
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

// Results are normalised to what the DuckDB adapter returns: numbers for int8/numeric, ISO strings for time.
const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
    if (oid === NUMERIC) return (v: string) => Number(v);
    if (oid === TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
    if (oid === TIMESTAMP) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString();
    return pg.types.getTypeParser(oid, format) as (v: string) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresOptions {
  url: string;
  maxConnections?: number;
}

export function openPostgres(options: PostgresOptions): Engine {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types: typeParsers,
    options: '-c TimeZone=UTC',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new PostgresEngine(pool, redact(options.url));
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

function copyText(value: SqlValue, type: TempColumn['type']): string {
  if (value === null || value === undefined) return '\\N';
  if (type === 'timestamptz') return new Date(Number(value)).toISOString();
  if (Object.is(value, -0)) return '-0'; // String(-0) is "0": keep the sign of a negative zero
  const s = String(value);
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Stable 64-bit advisory lock key for a name. */
function lockKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha1').update(name).digest('hex').slice(0, 16)}`)).toString();
}

class PostgresQueryable implements Queryable {
  readonly kind = 'postgres' as const;
  constructor(protected readonly client: pg.PoolClient | pg.Pool) {}

  async query<T = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await this.client.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  }

  async write(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    await this.client.query(sql, params as unknown[]);
  }

  async loadTemp(table: string, columns: readonly TempColumn[], rows: Rows): Promise<void> {
    if (!('release' in this.client)) throw new Error('loadTemp needs a transaction');
    const defs = columns.map((c) => `${quoteIdent(c.name)} ${sqlType('postgres', c.type)}`).join(', ');
    await this.client.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    await this.client.query(`CREATE TEMP TABLE ${quoteIdent(table)} (${defs}) ON COMMIT DROP`);
    if (rows.length === 0) return;
    const types = columns.map((c) => c.type);
    const copy = this.client.query(copyFrom(`COPY ${quoteIdent(table)} FROM STDIN`));
    const chunkSize = 2_000;
    function* lines(): Generator<string> {
      for (let start = 0; start < rows.length; start += chunkSize) {
        let text = '';
        const end = Math.min(rows.length, start + chunkSize);
        for (let r = start; r < end; r++) {
          const row = rowAt(rows, r);
          for (let i = 0; i < types.length; i++) {
            if (i > 0) text += '\t';
            text += copyText(row[i] ?? null, types[i]!);
          }
          text += '\n';
        }
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), copy);
  }

  insertRows(
    table: string,
    columns: readonly TempColumn[],
    rows: Rows,
    constants: readonly ConstantColumn[] = [],
  ): Promise<void> {
    return insertViaTemp(this, 'insert_rows', table, columns, rows, constants);
  }

  async lockWorkspace(workspaceId: string): Promise<void> {
    await this.client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(`kept:workspace:${workspaceId}`)]);
  }
}

class PostgresEngine extends PostgresQueryable implements Engine {
  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {
    super(pool);
  }

  override loadTemp(): Promise<void> {
    return Promise.reject(new Error('loadTemp needs a transaction: temporary tables live on one connection'));
  }

  override insertRows(
    table: string,
    columns: readonly TempColumn[],
    rows: Rows,
    constants?: readonly ConstantColumn[],
  ): Promise<void> {
    return this.transaction((tx) => tx.insertRows(table, columns, rows, constants));
  }

  async releaseMemory(): Promise<void> {
    // The server's memory is its own.
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresQueryable(client));
      // A transaction in which a statement failed (and the caller caught it) is aborted: PostgreSQL answers its
      // COMMIT with ROLLBACK, without an error. That must not pass for a commit.
      const commit = await client.query('COMMIT');
      if (commit.command === 'ROLLBACK') throw new Error('transaction rolled back: a statement in it failed');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  session<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(Object.assign(Object.create(tx) as Queryable, { transaction: <R>(inner: (q: Queryable) => Promise<R>) => inner(tx) })));
  }

  async *stream<T = Row>(sql: string, params: readonly SqlValue[] = [], chunkRows = 10_000): AsyncIterable<T[]> {
    const client = await this.pool.connect();
    const cursor = client.query(new Cursor<T>(sql, params as unknown[], { types: typeParsers }));
    try {
      for (;;) {
        const rows = await cursor.read(chunkRows);
        if (rows.length === 0) break;
        yield rows;
      }
    } finally {
      await cursor.close().catch(() => undefined);
      client.release();
    }
  }

  async *streamColumns(sql: string, params: readonly SqlValue[] = []): AsyncIterable<ColumnChunk> {
    for await (const rows of this.stream<Record<string, unknown>>(sql, params, 10_000)) {
      const names = Object.keys(rows[0] ?? {});
      // pg gives text columns as strings (or null) and DOUBLE PRECISION as numbers.
      yield names.map((name) =>
        typeof rows[0]![name] === 'string' || rows.some((r) => r[name] === null) ? rows.map((r) => r[name] as string | null) : Float64Array.from(rows, (r) => Number(r[name])),
      );
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
