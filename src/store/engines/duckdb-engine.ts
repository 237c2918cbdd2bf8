/**
 * DuckDB adapter: an embedded file, zero set-up. One instance per process (DuckDB allows one writing process per
 * file); a small pool of connections for concurrent reads; transactions serialised by a mutex because DuckDB's
 * optimistic concurrency would otherwise abort one of two writers touching the same table.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBDoubleVector, DuckDBVarCharVector, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DuckDbQueryable, normaliseValue, runTransaction } from './duckdb-queryable.js';
import { CONTINUOUS_CHECKPOINT_THRESHOLD, IdleRowGroupMerger, MERGE_STATEMENTS, mergingSettingsSql, streamSettingsSql } from './duckdb-row-groups.js';
import { bindArgs, forgetPrepared } from './duckdb-statements.js';
import { lockHeldElsewhere, refuseDataFile } from './duckdb-open-checks.js';
import {
  Mutex,
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
/** The memory limit DuckDB is lowered to for a moment to drop its cached blocks (see releaseMemory). */
const RELEASE_DIP = '64MB';
const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';
/**
 * Reads this large (a journey's view or funnel events, the full log of a customer-keyed journey, the stored ids an
 * HTTP server loads for a large table) leave DuckDB holding the blocks and working memory they used, up to twice
 * its memory limit in all, while the caller computes on the rows. Released when such a stream ends, the memory is
 * free before the computation: on the 1M demo's Journeys page asked at once, `kept serve` peaked at 843–888 MB
 * instead of 917–1,114 MB, with the answers as fast (discovery 5.5 s against 5.2 s, within the machine's spread;
 * docs/journeys.md). Discovery's parts (625k events) stay under it.
 */
const RELEASE_AFTER_ROWS = 1_000_000;

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
  /**
   * Checkpoints write only new rows (no merging of part-filled row groups: DuckDB's `max_vacuum_tasks = 0`), and
   * the small row groups they leave are merged once writes have paused this many ms (duckdb-row-groups.ts). For
   * the server, whose commits must not wait out long checkpoints; unset, DuckDB merges at every checkpoint.
   */
  mergeRowGroupsWhenIdleMs?: number;
  /**
   * A column stream that brought at least this many rows releases DuckDB's memory once it ends (see
   * {@link Engine.releaseMemory}). Default {@link RELEASE_AFTER_ROWS}.
   */
  releaseAfterRows?: number;
}

export async function openDuckDb(options: DuckDbOptions): Promise<Engine> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const settings: Record<string, string> = {};
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  if (options.threads) settings.threads = String(options.threads);
  settings.checkpoint_threshold = options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD;
  const mergeWhenIdle = options.path === ':memory:' ? undefined : options.mergeRowGroupsWhenIdleMs;
  const instance = await DuckDBInstance.create(options.path, settings).catch((error: unknown) => {
    throw lockHeldElsewhere(error, options.path) ?? error;
  });
  if (options.path !== ':memory:') await refuseDataFile(instance, options.path);
  if (mergeWhenIdle !== undefined) {
    // Set, not passed to create: DuckDB 1.5.5 ignores `disabled_compression_methods` there (read back as '').
    const connection = await instance.connect();
    try {
      for (const sql of streamSettingsSql(settings.checkpoint_threshold)) await connection.run(sql);
    } finally {
      connection.closeSync();
    }
  }
  return new DuckDbEngine(
    instance,
    options.path,
    options.memoryLimit,
    mergeWhenIdle,
    settings.checkpoint_threshold,
    options.releaseAfterRows ?? RELEASE_AFTER_ROWS,
  );
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

function normaliseRows<T>(rows: Record<string, unknown>[]): T[] {
  for (const row of rows) {
    for (const key in row) row[key] = normaliseValue(row[key]);
  }
  return rows as T[];
}

class DuckDbEngine implements Engine {
  readonly kind = 'duckdb' as const;
  private readonly idle: DuckDBConnection[] = [];
  private readonly writers = new Mutex();
  private closed = false;
  /** Present when small row groups are merged in pauses between writes (DuckDbOptions.mergeRowGroupsWhenIdleMs). */
  readonly rowGroupMerger: IdleRowGroupMerger | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly path: string,
    private readonly memoryLimit?: string | undefined,
    mergeRowGroupsWhenIdleMs?: number,
    private readonly checkpointThreshold = DEFAULT_CHECKPOINT_THRESHOLD,
    private readonly releaseAfterRows = RELEASE_AFTER_ROWS,
  ) {
    if (mergeRowGroupsWhenIdleMs !== undefined) {
      this.rowGroupMerger = new IdleRowGroupMerger(
        mergeRowGroupsWhenIdleMs,
        () => this.mergeRowGroups(),
        () => this.underWritersLock(mergingSettingsSql(CONTINUOUS_CHECKPOINT_THRESHOLD)),
      );
    }
  }

  /** Runs a write under the writers' lock, noting it for the row group merger. */
  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    this.rowGroupMerger?.writeStarts();
    try {
      return await this.writers.lock(fn);
    } finally {
      this.rowGroupMerger?.writeEnds();
    }
  }

  /**
   * The row group merger's merge (duckdb-row-groups.ts): with no write running or starting meanwhile (the writers'
   * lock) and no other statement either, since DuckDB refuses a checkpoint beside any open transaction; statements
   * that start meanwhile wait for it. False when statements are running: tried again later.
   */
  private mergeRowGroups(): Promise<boolean> {
    return this.writers.lock(async () => {
      const ran = await this.alone(async (connection) => {
        try {
          for (const sql of [...mergingSettingsSql(this.checkpointThreshold), ...MERGE_STATEMENTS]) await connection.run(sql);
        } finally {
          for (const sql of streamSettingsSql(this.checkpointThreshold)) await connection.run(sql);
        }
      });
      return ran || this.closed;
    });
  }

  /** Runs `statements` with no write running or starting meanwhile (the row group merger's; duckdb-row-groups.ts). */
  private underWritersLock(statements: readonly string[]): Promise<void> {
    return this.writers.lock(async () => {
      if (this.closed) return;
      await this.withConnection(async (q) => {
        for (const sql of statements) await q.run(sql);
      });
    });
  }

  /** Connections handed out and not yet released. */
  private active = 0;
  /** While memory is released or row groups are merged, new statements wait for it (see {@link alone}). */
  private releasing: Promise<void> | undefined;
  /** A release asked for while statements ran: it is made when the last of them ends. */
  private releaseWanted = false;
  /** Releases made (diagnostics and tests). */
  releases = 0;

  get description(): string {
    return `duckdb:${this.path}`;
  }

  private async acquire(): Promise<DuckDBConnection> {
    while (this.releasing) await this.releasing;
    if (this.closed) throw new Error('store is closed');
    this.active++;
    try {
      return this.idle.pop() ?? (await this.connect());
    } catch (error) {
      this.active--;
      throw error;
    }
  }

  private async connect(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    // Day/week buckets of TIMESTAMPTZ follow the session time zone: Kept reports in UTC on both engines.
    await connection.run(`SET TimeZone = 'UTC'`);
    return connection;
  }

  private release(connection: DuckDBConnection, counted = true): void {
    if (counted) this.active--;
    if (!this.closed && this.idle.length < MAX_IDLE_CONNECTIONS) this.idle.push(connection);
    else {
      forgetPrepared(connection);
      connection.closeSync();
    }
    if (this.active === 0 && this.releaseWanted && !this.releasing && !this.closed) void this.releaseMemory().catch(() => undefined);
  }

  private async withConnection<T>(fn: (q: DuckDbQueryable) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await fn(new DuckDbQueryable(connection));
    } finally {
      this.release(connection);
    }
  }

  /**
   * DuckDB keeps the blocks a large query read (up to its memory limit) and its allocator keeps what was freed, so
   * after journey discovery on the 1M demo `kept serve` held ~950 MB. Lowering the limit for a moment and raising
   * it again drops the cached blocks and hands their memory back (measured on that demo: 610 → 217 MB RSS in a
   * process doing only the reads; the blocks are read again from the file when next needed). The dip runs only
   * when no statement is running, and statements that start meanwhile wait for it (a few ms), so none meets the
   * low limit; asked for while statements run, it waits until the last of them ends. (Until 2026-11-24 it was then
   * skipped: on the 1M demo's Value page other reads were nearly always running, so DuckDB kept ~400 MB it no
   * longer needed while the friction ranking and the features were computed beside it.)
   */
  async releaseMemory(): Promise<void> {
    if (this.closed) return;
    const ran = await this.alone(async (connection) => {
      this.releaseWanted = false;
      this.releases++;
      const restore = this.memoryLimit ? `SET memory_limit = '${this.memoryLimit.replaceAll("'", "''")}'` : 'RESET memory_limit';
      await connection.run(`SET memory_limit = '${RELEASE_DIP}'; ${restore}`);
    });
    if (!ran && !this.closed) this.releaseWanted = true;
  }

  /**
   * Runs `fn` on a connection of its own while no other statement runs, holding new ones back until it is done
   * (they wait in {@link acquire}); false, without running it, when statements are running or the store is closed.
   */
  private async alone(fn: (connection: DuckDBConnection) => Promise<void>): Promise<boolean> {
    if (this.closed || this.active > 0 || this.releasing) return false;
    let done!: () => void;
    this.releasing = new Promise<void>((resolve) => (done = resolve));
    let connection: DuckDBConnection | undefined;
    try {
      connection = this.idle.pop() ?? (await this.connect());
      await fn(connection);
      return true;
    } finally {
      if (connection) this.release(connection, false);
      this.releasing = undefined;
      done();
    }
  }

  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.withConnection((q) => q.query<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.writing(() => this.withConnection((q) => q.run(sql, params)));
  }

  async write(sql: string, params?: readonly SqlValue[]): Promise<void> {
    await this.run(sql, params);
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
    return this.writing(() => this.withConnection((q) => runTransaction(q, fn)));
  }

  session<T>(fn: (s: Session) => Promise<T>): Promise<T> {
    // The session is the connection's queryable with `transaction` added (a derived object: the queryable's
    // methods run on the same connection).
    return this.writing(() =>
      this.withConnection((q) => fn(Object.assign(Object.create(q) as DuckDbQueryable, { transaction: <R>(inner: (tx: Queryable) => Promise<R>) => runTransaction(q, inner) }))),
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
    let rows = 0;
    try {
      const result = await connection.stream(sql, ...bindArgs(params));
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        rows += chunk.rowCount;
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
      // Asked for directly, once the connection is back. (Only flagging it for `release` to make, so that it is made
      // once however many large streams end meanwhile, peaked higher on the 1M demo's Journeys page, funnel first:
      // 915–986 MB against 808–874 MB over three and two runs, for a reason not pinned down. The second release
      // this may cause, after the next statement, costs a few ms.)
      if (rows >= this.releaseAfterRows) void this.releaseMemory().catch(() => undefined);
    }
  }

  close(): Promise<void> {
    this.rowGroupMerger?.stop();
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
