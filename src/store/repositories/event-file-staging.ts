/**
 * DuckDB's side of the bulk event import (`src/ingest/bulk-event-import.ts`): the file is read by `read_csv` on
 * DuckDB's threads into a staging table, and every row that is *plainly* valid — trimmed values within their
 * limits, an ISO 8601 timestamp, a plain decimal, an event id, no properties — is converted in SQL. Everything
 * else (a few rows of most files) is handed back to the JavaScript validator, which gives the exact reason or
 * the exact conversion. The SQL rules below accept a strict subset of what validation accepts and convert those
 * values exactly as it does (see test/store/event-file-staging.test.ts); anything they are unsure of goes back.
 *
 * Rows are numbered by `rowid` of the staging table, which DuckDB fills in file order (insertion order is
 * preserved); the caller only uses this path when records and physical lines correspond one to one.
 */
import type { Queryable } from '../engines/engine.js';

/** Columns the SQL path converts itself; a file with other known columns (aliases, prop_…) takes the full path. */
export const STAGED_EVENT_COLUMNS = [
  'customer_id',
  'id_source',
  'email',
  'phone',
  'anonymous_id',
  'event_id',
  'occurred_at',
  'type',
  'channel',
  'touchpoint',
  'team',
  'value',
  'properties',
] as const;
export type StagedEventColumn = (typeof STAGED_EVENT_COLUMNS)[number];

const ID_LIMIT = 256;
const TEXT_LIMIT = 1_000;

/**
 * Printable ASCII at both ends: nothing `trim()` would remove (one regular expression per value is much cheaper
 * than testing code points). A value with a space, control or non-ASCII character at an end goes to the validator.
 */
const KEPT_EDGES = '[!-~](?:.*[!-~])?';

/**
 * Whether `trim()` leaves the value `c` as it is, as cheaply as the file allows. In a file without tab, vertical
 * tab or form feed bytes (the scan tells), an ASCII value (as many bytes as characters) keeps its edges unless it
 * starts or ends with a space: the only other ASCII characters `trim()` removes are line ends, which an unquoted
 * CSV value cannot hold. Two prefix tests cost a fraction of a regular expression; other values take the
 * regular expression, which stays on the safe side (printable ASCII at both ends).
 */
function keptEdges(c: string, noTabs: boolean): string {
  const regex = `regexp_full_match(${c}, '${KEPT_EDGES}')`;
  if (!noTabs) return regex;
  return `(CASE WHEN strlen(${c}) = length(${c}) THEN NOT (starts_with(${c}, ' ') OR ends_with(${c}, ' ')) ELSE ${regex} END)`;
}
/**
 * The ISO 8601 shapes exports use most (all of which `parseTimestamp` accepts): `YYYY-MM-DD`, `T` or a space,
 * `HH:MM:SS`, optional milliseconds, optional `Z` or `±hh:mm`, with every field in its range (years 1970–2100,
 * offsets up to ±14:00) checked by the expression itself, in one pass. Days beyond the month's end are left to
 * DuckDB's cast, which refuses them; within these shapes and ranges the cast reads the value exactly as
 * `parseTimestamp` does (a value without a zone is UTC, the session's time zone). Other shapes go to the validator.
 */
const ISO = String.raw`(?:19[7-9]\d|20\d\d|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d\d\d)?(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)?`;
const DECIMAL = String.raw`^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$`;

/** Rows of the staged file, by `pos` (0-based record number: line = pos + 2). */
export interface StagedSlowRow {
  pos: number;
  values: Record<string, string>;
}

/** Column layout of `import_valid`, for loading the rows the validator accepted. */
export const VALID_COLUMNS = [
  { name: 'pos', type: 'bigint' },
  { name: 'source', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'phone', type: 'text' },
  { name: 'anonymous_id', type: 'text' },
  { name: 'event_id', type: 'text' },
  { name: 'occurred_ms', type: 'bigint' },
  { name: 'utc_offset_min', type: 'smallint' },
  { name: 'type', type: 'text' },
  { name: 'channel', type: 'text' },
  { name: 'touchpoint', type: 'text' },
  { name: 'team', type: 'text' },
  { name: 'value', type: 'double' },
  { name: 'properties', type: 'text' },
] as const;

export interface StageOptions {
  path: string;
  /** Header names in file order (trimmed); unknown ones are read but ignored. */
  header: readonly string[];
  crlf: boolean;
  /** The file holds no tab, vertical tab or form feed byte: a cheaper test of values' edges applies. */
  noTabs?: boolean | undefined;
  /** `id_source` for rows with a customer_id and no id_source of their own. */
  defaultSource: string;
}

/** The identifier columns whose combination is resolved once (see event-file-rows.ts). */
export const TUPLE_KEY = ['source', 'customer_id', 'email', 'phone', 'anonymous_id'];

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Reads the file into `import_stage` with the fast-path conversion; returns the number of records. */
export async function stageEventFile(tx: Queryable, opts: StageOptions): Promise<number> {
  const position = new Map<string, number>();
  opts.header.forEach((name, i) => position.set(name, i));
  const col = (name: StagedEventColumn) => (position.has(name) ? `c${position.get(name)!}` : 'CAST(NULL AS VARCHAR)');
  const blank = (c: string) => `(${c} IS NULL OR ${c} = '')`;
  const plain = (c: string, limit: number) => `(${blank(c)} OR (strlen(${c}) <= ${limit} AND ${keptEdges(c, opts.noTabs === true)}))`;
  const given = (c: string) => `(${c} IS NOT NULL AND ${c} <> '')`;
  const columns = opts.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const source = [
    `read_csv(${sqlString(opts.path)}`,
    `header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"'`,
    // CRLF files (every line, as the scan checked) leave the newline to DuckDB: in strict mode, new_line = '\r\n'
    // reads no record at all (DuckDB 1.5), which sent every CRLF file to the slower batch path.
    `strict_mode = true, null_padding = false, all_varchar = true${opts.crlf ? ')' : `, new_line = '\\n')`}`,
  ].join(', ');

  const idCols: StagedEventColumn[] = ['customer_id', 'id_source', 'email', 'phone', 'anonymous_id', 'event_id'];
  const textCols: StagedEventColumn[] = ['type', 'channel', 'touchpoint', 'team'];
  // Only rows of the right shape are cast; the offset is read off the value's end when it has one.
  const t = col('occurred_at');
  const shaped = `regexp_full_match(${t}, '${ISO}')`;
  const offset = `CASE WHEN strlen(${t}) IN (19, 23) OR ends_with(${t}, 'Z') THEN 0
    ELSE (CASE WHEN substr(${t}, -6, 1) = '-' THEN -1 ELSE 1 END) * (TRY_CAST(substr(${t}, -5, 2) AS INTEGER) * 60 + TRY_CAST(substr(${t}, -2, 2) AS INTEGER)) END`;
  const ms = `epoch_ms(CASE WHEN ${shaped} THEN TRY_CAST(${t} AS TIMESTAMPTZ) END)`;

  const fast = [
    ...idCols.map((c) => plain(col(c), ID_LIMIT)),
    ...textCols.map((c) => plain(col(c), TEXT_LIMIT)),
    `(${blank(col('value'))} OR (regexp_full_match(${col('value')}, '${DECIMAL}') AND isfinite(TRY_CAST(${col('value')} AS DOUBLE))))`,
    given(col('event_id')),
    given(col('type')),
    blank(col('properties')),
    `(${['customer_id', 'email', 'phone', 'anonymous_id'].map((c) => given(col(c as StagedEventColumn))).join(' OR ')})`,
    // The zero epoch (a placeholder) is refused by the validator, with its reason: leave it to the slow path.
    `occurred_ms IS NOT NULL AND occurred_ms <> 0`,
  ].join(' AND ');

  // The raw timestamp is only read for the validator's rows: not kept for the others.
  const raw = opts.header.map((name, i) => (name === 'occurred_at' ? `CASE WHEN NOT fast THEN c${i} END AS c${i}` : `c${i}`)).join(', ');
  const sourceExpr = `CASE WHEN ${given(col('customer_id'))} THEN coalesce(NULLIF(${col('id_source')}, ''), ${sqlString(opts.defaultSource)}) END`;
  const keyColumns = [sourceExpr, ...(['customer_id', 'email', 'phone', 'anonymous_id'] as const).map((c) => `NULLIF(${col(c)}, '')`)];
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_stage AS
     SELECT ${raw}, fast,
       CASE WHEN fast THEN occurred_ms END AS occurred_ms,
       CASE WHEN fast THEN utc_offset_min END AS utc_offset_min,
       CASE WHEN fast THEN ${sourceExpr} END AS source,
       CASE WHEN fast THEN ${hash63(keyColumns)} END AS h
     FROM (
       SELECT *, (${fast}) AS fast, CASE WHEN occurred_ms IS NOT NULL THEN ${offset} END AS utc_offset_min
       FROM (SELECT *, ${ms} AS occurred_ms FROM ${source})
     )`,
  );
  // Row ids follow insertion (file) order but start wherever the table's storage does (inside a transaction,
  // at 2^55): positions are taken relative to the first. They must be dense, or line numbers would be wrong.
  const [row] = await tx.query<{ n: number; base: string | null; span: number | null }>(
    `SELECT count(*) AS n, CAST(min(rowid) AS VARCHAR) AS base, max(rowid) - min(rowid) + 1 AS span FROM import_stage`,
  );
  const records = Number(row?.n ?? 0);
  if (records > 0 && Number(row?.span) !== records) throw new Error(`staged row ids are not dense (${row?.span} for ${records})`);
  const base = /^\d+$/.test(row?.base ?? '') ? row!.base! : '0';

  // The rows the validator accepts are added to `import_slow`, in the layout of the converted plain rows.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_slow (${VALID_COLUMNS.map((c) => `${c.name} ${SQL_TYPES[c.type]}`).join(', ')}, h BIGINT)`,
  );
  // All valid rows: a view, so the plain ones are converted as they are read instead of being copied again.
  // `h`, the hash of the identifier values, matches rows to their combination on one integer.
  await tx.run(
    `CREATE OR REPLACE TEMP VIEW import_valid AS
     SELECT rowid - ${base} AS pos, source,
       ${col('customer_id')} AS customer_id, ${col('email')} AS email, ${col('phone')} AS phone, ${col('anonymous_id')} AS anonymous_id,
       ${col('event_id')} AS event_id, occurred_ms, CAST(utc_offset_min AS SMALLINT) AS utc_offset_min, ${col('type')} AS type,
       ${col('channel')} AS channel, ${col('touchpoint')} AS touchpoint, ${col('team')} AS team,
       CAST(${col('value')} AS DOUBLE) AS value, CAST(NULL AS VARCHAR) AS properties, h
     FROM import_stage WHERE fast
     UNION ALL
     SELECT * FROM import_slow`,
  );
  return records;
}

/** A 63-bit hash (the sign bit cleared), so that it fits BIGINT and round-trips through text. */
const hash63 = (values: readonly string[]) => `CAST(hash(${values.join(', ')}) & CAST(9223372036854775807 AS UBIGINT) AS BIGINT)`;

const SQL_TYPES: Record<string, string> = { bigint: 'BIGINT', text: 'VARCHAR', smallint: 'SMALLINT', double: 'DOUBLE' };

/** The next page of rows the SQL rules did not accept, after `afterPos`, raw as read (NULL as ''). */
export async function slowRows(tx: Queryable, header: readonly string[], afterPos: number, limit: number): Promise<StagedSlowRow[]> {
  const cols = header.map((_, i) => `c${i}`).join(', ');
  const rows = await tx.query<Record<string, string | null> & { pos: number }>(
    `SELECT pos, ${cols} FROM (SELECT rowid - (SELECT min(rowid) FROM import_stage) AS pos, * FROM import_stage WHERE NOT fast)
     WHERE pos > $1 ORDER BY pos LIMIT ${limit}`,
    [afterPos],
  );
  return rows.map((r) => {
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = r[`c${i}`] ?? ''));
    return { pos: Number(r.pos), values };
  });
}

/** Adds the rows validation accepted (loaded into `import_slow_chunk`) to the valid rows. */
export async function addSlowChunk(tx: Queryable): Promise<void> {
  await tx.run(`INSERT INTO import_slow SELECT *, ${hash63(TUPLE_KEY)} FROM import_slow_chunk`);
}
