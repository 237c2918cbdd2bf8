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

/**
 * Rows produced on demand, for bulk loads too large to hold as arrays: `row(i)` is called once per row, in
 * order, and may return the same array each time (it is read before the next call).
 */
export interface RowSource {
  readonly length: number;
  row(index: number): readonly SqlValue[];
}

/** Rows for a bulk load: arrays of values positionally by column, or a {@link RowSource}. */
export type Rows = readonly (readonly SqlValue[])[] | RowSource;

/** Row `index` of `rows`, whichever form they take. */
export function rowAt(rows: Rows, index: number): readonly SqlValue[] {
  return Array.isArray(rows) ? (rows as readonly (readonly SqlValue[])[])[index]! : (rows as RowSource).row(index);
}

/** A column given the same value in every inserted row. */
export interface ConstantColumn {
  name: string;
  value: SqlValue;
}

/** One chunk of {@link Engine.streamColumns}: per column, numbers or texts. */
export type ColumnChunk = (Float64Array | (string | null)[])[];

export interface Queryable {
  readonly kind: EngineKind;
  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; returns the number of rows changed when the engine reports it. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs a write whose outcome the caller does not read. In a DuckDB transaction it is held and sent with the
   * next statement or the commit, in one call (see duckdb-transaction.ts): later statements see it, and its error,
   * if any, comes from that call, failing the transaction.
   */
  write(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * Creates temporary table `table` (replacing one of that name) and bulk-loads `rows` into it, positionally
   * by `columns`. `timestamptz` values are epoch milliseconds. Lives until the connection is released.
   */
  loadTemp(table: string, columns: readonly TempColumn[], rows: Rows): Promise<void>;
  /**
   * Bulk-inserts `rows` into the existing table `table`: `columns` positionally from each row (value conventions
   * as in {@link loadTemp}), plus `constants`, columns given one value for every row. Equivalent to `loadTemp`
   * followed by `INSERT … SELECT`, which is what PostgreSQL does; DuckDB inserts straight from the bulk file,
   * and in a transaction holds the insert as it does a {@link write}.
   */
  insertRows(table: string, columns: readonly TempColumn[], rows: Rows, constants?: readonly ConstantColumn[]): Promise<void>;
  /**
   * Serialises writers of one workspace across processes (Postgres advisory lock held to the end of the
   * transaction). DuckDB has a single writer process, where transactions are already serialised.
   */
  lockWorkspace(workspaceId: string): Promise<void>;
}

/**
 * One connection held for a whole job (see {@link Engine.session}): work on temporary tables runs on it
 * directly, and the job's writes to stored tables go in `transaction`, which commits all or nothing.
 */
export interface Session extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Engine extends Queryable {
  /** Runs `fn` in one transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one connection, holding the writer lock throughout. On DuckDB, statements outside the inner
   * transaction run in their own (temporary tables only, by convention): reading a large temporary table that
   * the same transaction created costs about twice as much as reading a committed one, so a bulk job stages
   * first and opens its transaction only for the writes. PostgreSQL drops temporary tables at commit, so there
   * the whole session is one transaction and the inner one is part of it: all or nothing either way.
   */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>;
  /** Streams a large result in chunks of about `chunkRows` rows, holding bounded memory. */
  stream<T = Row>(sql: string, params?: readonly SqlValue[], chunkRows?: number): AsyncIterable<T[]>;
  /**
   * Streams a result column by column, chunk by chunk: a DOUBLE PRECISION column (never NULL) as a Float64Array,
   * a text column as an array of strings and nulls. DuckDB copies numbers straight out of its vectors, with no
   * conversion per value: the way to read tens of millions of rows (a journey log) in seconds.
   */
  streamColumns(sql: string, params?: readonly SqlValue[]): AsyncIterable<ColumnChunk>;
  /**
   * Hands memory the engine keeps for reuse back to the system, after a heavy computation. DuckDB drops its
   * cached blocks (see duckdb-engine.ts); PostgreSQL has nothing to give back (its memory is the server's).
   */
  releaseMemory(): Promise<void>;
  /** Short description for logs: engine and location (no password). */
  readonly description: string;
  close(): Promise<void>;
}

/** `insertRows` as `loadTemp` into `staging` followed by one INSERT … SELECT (constants bound as parameters). */
export async function insertViaTemp(
  q: Queryable,
  staging: string,
  table: string,
  columns: readonly TempColumn[],
  rows: Rows,
  constants: readonly ConstantColumn[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.loadTemp(staging, columns, rows);
  const names = [...constants.map((c) => quoteIdent(c.name)), ...columns.map((c) => quoteIdent(c.name))];
  const values = [...constants.map((_, i) => `$${i + 1}`), ...columns.map((c) => quoteIdent(c.name))];
  await q.run(
    `INSERT INTO ${quoteIdent(table)} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${quoteIdent(staging)}`,
    constants.map((c) => c.value),
  );
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
