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
 * The ISO 8601 shapes exports use most (all of which `parseTimestamp` accepts): `YYYY-MM-DD`, `T` or a space,
 * `HH:MM:SS`, optional milliseconds, optional `Z` or `±hh:mm`. Fixed positions, so the parts are cut out with
 * `substr` instead of capture groups. Other shapes go to the validator.
 */
const ISO = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d\d\d)?(Z|[+-]\d\d:\d\d)?`;
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
  const plain = (c: string, limit: number) => `(${blank(c)} OR (strlen(${c}) <= ${limit} AND regexp_full_match(${c}, '${KEPT_EDGES}')))`;
  const given = (c: string) => `(${c} IS NOT NULL AND ${c} <> '')`;
  const columns = opts.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const source = [
    `read_csv(${sqlString(opts.path)}`,
    `header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"'`,
    `strict_mode = true, null_padding = false, all_varchar = true`,
    `new_line = ${opts.crlf ? `'\\r\\n'` : `'\\n'`})`,
  ].join(', ');

  const idCols: StagedEventColumn[] = ['customer_id', 'id_source', 'email', 'phone', 'anonymous_id', 'event_id'];
  const textCols: StagedEventColumn[] = ['type', 'channel', 'touchpoint', 'team'];
  // The timestamp's parts are cut out once, one level down (p_…), then checked and combined from there.
  const part = (from: number, length: number) => `TRY_CAST(substr(t, ${from}, ${length}) AS INTEGER)`;
  const parts = [
    `regexp_full_match(t, '${ISO}') AS p_shape`,
    `${part(1, 4)} AS p_y`,
    `${part(6, 2)} AS p_mo`,
    `${part(9, 2)} AS p_d`,
    `${part(12, 2)} AS p_h`,
    `${part(15, 2)} AS p_mi`,
    `${part(18, 2)} AS p_s`,
    `CASE WHEN substr(t, 20, 1) = '.' THEN ${part(21, 3)} ELSE 0 END AS p_ms`,
    `substr(t, CASE WHEN substr(t, 20, 1) = '.' THEN 24 ELSE 20 END) AS p_zone`,
  ].join(', ');
  const oh = `TRY_CAST(substr(p_zone, 2, 2) AS INTEGER)`;
  const om = `TRY_CAST(substr(p_zone, 5, 2) AS INTEGER)`;
  // Days since 1970 from the civil date (Howard Hinnant's days_from_civil): plain integer arithmetic, so an
  // invalid date yields a number that the validity test discards instead of an error.
  const y = `(p_y - CASE WHEN p_mo <= 2 THEN 1 ELSE 0 END)`;
  const yoe = `(${y} % 400)`;
  const doy = `((153 * (p_mo + CASE WHEN p_mo > 2 THEN -3 ELSE 9 END) + 2) // 5 + p_d - 1)`;
  const days = `((${y} // 400) * 146097 + ${yoe} * 365 + ${yoe} // 4 - ${yoe} // 100 + ${doy} - 719468)`;
  const offset = `CASE WHEN p_zone IN ('', 'Z') THEN 0 ELSE (CASE WHEN p_zone[1] = '-' THEN -1 ELSE 1 END) * (${oh} * 60 + ${om}) END`;
  const leap = `(p_y % 4 = 0 AND (p_y % 100 <> 0 OR p_y % 400 = 0))`;
  const monthDays = `CASE WHEN p_mo = 2 AND ${leap} THEN 29 ELSE [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][p_mo] END`;
  const validTime = [
    `p_shape`,
    `p_y BETWEEN 1970 AND 2100`,
    `p_mo BETWEEN 1 AND 12`,
    `p_d BETWEEN 1 AND ${monthDays}`,
    `p_h <= 23`,
    `p_mi <= 59`,
    `p_s <= 59`,
    `(p_zone IN ('', 'Z') OR (${om} <= 59 AND ${oh} * 60 + ${om} <= 840))`,
  ].join(' AND ');
  const ms = `(CAST(${days} AS BIGINT) * 86400000 + p_h * 3600000 + p_mi * 60000 + p_s * 1000 + p_ms - (${offset}) * 60000)`;

  const fast = [
    ...idCols.map((c) => plain(col(c), ID_LIMIT)),
    ...textCols.map((c) => plain(col(c), TEXT_LIMIT)),
    `(${blank(col('value'))} OR (regexp_full_match(${col('value')}, '${DECIMAL}') AND isfinite(TRY_CAST(${col('value')} AS DOUBLE))))`,
    given(col('event_id')),
    given(col('type')),
    blank(col('properties')),
    `(${['customer_id', 'email', 'phone', 'anonymous_id'].map((c) => given(col(c as StagedEventColumn))).join(' OR ')})`,
    `coalesce(${validTime}, false)`,
  ].join(' AND ');

  const raw = opts.header.map((_, i) => `c${i}`).join(', ');
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
       SELECT *, (${fast}) AS fast, ${ms} AS occurred_ms, ${offset} AS utc_offset_min
       FROM (
         SELECT *, ${parts} FROM (SELECT *, ${col('occurred_at')} AS t FROM ${source})
       )
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
