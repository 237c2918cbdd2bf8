/**
 * The storage port. Two adapters implement it: DuckDB (embedded default) and PostgreSQL (server mode).
 * Repositories write one portable SQL against it; what differs between the engines (parameter and result types,
 * bulk load through the DuckDB appender or Postgres COPY, locking) stays inside the adapters.
 *
 * SQL conventions every repository follows so the same text runs on both engines:
 * - positional parameters `$1, $2, …`; timestamps passed as ISO strings and cast: `CAST($1 AS TIMESTAMPTZ)`;
 * - results come back normalised: BIGINT/NUMERIC → number, TIMESTAMPTZ → ISO-8601 string (UTC), NULL → null.
 */
export type SqlValue = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

export type EngineKind = 'duckdb' | 'postgres';

/** Column types a bulk-loaded temporary table may have. Timestamps are given as epoch milliseconds. */
export type ColumnType = 'text' | 'bigint' | 'integer' | 'smallint' | 'double' | 'timestamptz' | 'boolean';

export interface TempColumn {
  name: string;
  type: ColumnType;
}

export interface Queryable {
  readonly kind: EngineKind;
  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows changed when the engine reports it. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Creates temporary table `table` (replacing one of that name) and bulk-loads `rows` into it, positionally
   * by `columns`. `timestamptz` values are epoch milliseconds. Lives until the connection is released.
   */
  loadTemp(table: string, columns: readonly TempColumn[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /**
   * Serialises writers of one workspace across processes (Postgres advisory lock held to the end of the
   * transaction). DuckDB has a single writer process, where transactions are already serialised.
   */
  lockWorkspace(workspaceId: string): Promise<void>;
}

export interface Engine extends Queryable {
  /** Runs `fn` in one transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Streams a large result in chunks of about `chunkRows` rows, holding bounded memory. */
  stream<T = Row>(sql: string, params?: readonly SqlValue[], chunkRows?: number): AsyncIterable<T[]>;
  /** Short description for logs: engine and location (no password). */
  readonly description: string;
  close(): Promise<void>;
}

/** Quotes an identifier we generate ourselves (temp table names, column names from code). */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier: ${name}`);
  return `"${name}"`;
}

export function sqlType(kind: EngineKind, type: ColumnType): string {
  switch (type) {
    case 'text':
      return 'TEXT';
    case 'bigint':
      return 'BIGINT';
    case 'integer':
      return 'INTEGER';
    case 'smallint':
      return 'SMALLINT';
    case 'double':
      return kind === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
    case 'timestamptz':
      return 'TIMESTAMPTZ';
    case 'boolean':
      return 'BOOLEAN';
  }
}

/** A promise-chain mutex: one holder at a time, FIFO. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
