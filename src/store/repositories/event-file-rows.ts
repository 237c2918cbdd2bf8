/**
 * The bulk event import's work on the staged, valid rows (`import_valid`, see event-file-staging.ts): grouping
 * rows by identifier combination, finding repeated and already-stored ids, the order combinations are resolved
 * in, and the final insert. Combinations are matched on a 63-bit hash of their values (`h`).
 */
import type { Queryable, SqlValue, TempColumn } from '../engines/engine.js';
import { quoteIdent } from '../engines/engine.js';
import { TUPLE_KEY } from './event-file-staging.js';

export interface IdentifierTuple {
  /** Number of the combination in order of first appearance (from 1): how JavaScript refers to it. */
  seq: number;
  source: string | null;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  anonymousId: string | null;
  rows: number;
  firstPos: number;
  /** Time of the first row. */
  firstMs: number;
  firstEventId: string;
}

/**
 * Groups the valid rows by their identifier values (`import_tuples`), numbered (`seq`, from 1) in order of
 * their first row, so pages are read by range without sorting the whole table again; returns how many. `null`
 * when two combinations share a hash (about one file in a million): the caller then takes the batch pipeline.
 */
export async function groupTuples(tx: Queryable): Promise<number | null> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_tuples AS
     SELECT row_number() OVER (ORDER BY first_pos) AS seq, * FROM (
       SELECT h, ${TUPLE_KEY.join(', ')}, min(pos) AS first_pos, arg_min(occurred_ms, pos) AS first_ms,
         arg_min(event_id, pos) AS first_event_id, count(*) AS n
       FROM import_valid GROUP BY ALL
     ) ORDER BY seq`,
  );
  const [row] = await tx.query<{ n: number; hashes: number }>(`SELECT count(*) AS n, count(DISTINCT h) AS hashes FROM import_tuples`);
  const n = Number(row?.n ?? 0);
  return n === Number(row?.hashes ?? 0) ? n : null;
}

/**
 * Combinations `fromSeq`…`fromSeq + limit - 1` in order of first appearance (`seq` starts at 1).
 *
 * `packed`: the caller knows no value holds a unit or record separator (0x1f, 0x1e; the file's scan tells), so
 * the page comes back as one string, values joined by the one and combinations by the other, read here with
 * indexOf. Handing JavaScript a string per value costs DuckDB's client about 2 µs a combination, most of reading
 * them. An empty text stands for NULL: the identifier columns hold no empty values (the staging turns them into
 * NULL for the rows it converts, validation for the others), and a combination's first event id is never empty.
 */
export async function tuplePage(tx: Queryable, fromSeq: number, limit: number, packed = false): Promise<IdentifierTuple[]> {
  if (packed) return packedTuplePage(tx, fromSeq, limit);
  const rows = await tx.query<{ seq: number; source: string | null; customer_id: string | null; email: string | null; phone: string | null; anonymous_id: string | null; n: number; first_pos: number; first_ms: number; first_event_id: string }>(
    `SELECT seq, ${TUPLE_KEY.join(', ')}, n, first_pos, first_ms, first_event_id FROM import_tuples
     WHERE seq >= $1 AND seq < $2 ORDER BY seq`,
    [fromSeq, fromSeq + limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    source: r.source,
    customerId: r.customer_id,
    email: r.email,
    phone: r.phone,
    anonymousId: r.anonymous_id,
    rows: Number(r.n),
    firstPos: Number(r.first_pos),
    firstMs: Number(r.first_ms),
    firstEventId: r.first_event_id,
  }));
}

const UNIT = '\x1f';
const RECORD = '\x1e';

async function packedTuplePage(tx: Queryable, fromSeq: number, limit: number): Promise<IdentifierTuple[]> {
  const values = [...TUPLE_KEY.map((c) => `coalesce(${c}, '')`), 'seq', 'n', 'first_pos', 'first_ms', 'first_event_id'];
  const [row] = await tx.query<{ packed: string | null; n: number }>(
    `SELECT string_agg(concat_ws(chr(31), ${values.join(', ')}), chr(30) ORDER BY seq) AS packed, count(*) AS n
     FROM import_tuples WHERE seq >= $1 AND seq < $2`,
    [fromSeq, fromSeq + limit],
  );
  const count = Number(row?.n ?? 0);
  if (count === 0) return [];
  // Read with indexOf rather than split: split makes a string of every field, numbers included, and the garbage
  // costs as much as the work. A separator inside a value would shift what follows: the shape is checked.
  const packedText = row!.packed!;
  let at = 0;
  const field = (separator: string): string => {
    let end = packedText.indexOf(separator, at);
    if (end === -1) end = packedText.length;
    const value = packedText.slice(at, end);
    at = end + 1;
    return value;
  };
  const text = (): string | null => {
    const value = field(UNIT);
    return value === '' ? null : value;
  };
  const integer = (): number => {
    const value = Number(field(UNIT));
    if (!Number.isSafeInteger(value)) throw new Error(`packed combinations: a number field is not an integer`);
    return value;
  };
  const tuples = new Array<IdentifierTuple>(count);
  for (let t = 0; t < count; t++) {
    // Properties are evaluated in the order written: the order of the packed fields.
    tuples[t] = {
      source: text(),
      customerId: text(),
      email: text(),
      phone: text(),
      anonymousId: text(),
      seq: integer(),
      rows: integer(),
      firstPos: integer(),
      firstMs: integer(),
      firstEventId: field(RECORD),
    };
  }
  if (at !== packedText.length + 1) throw new Error(`packed combinations: ${packedText.length - at + 1} characters left after ${count} combinations`);
  return tuples;
}

/** A note on a combination, given for each of its rows: a rejection or a warning, with field and reason. */
export interface TupleNote {
  kind: 'rejected' | 'warning';
  field: string;
  reason: string;
}

/** The next page of rows of the combinations in `import_notes`, each with one of its notes, by position. */
export async function rowsOfNotedTuples(
  tx: Queryable,
  after: { pos: number; note: number },
  limit: number,
  x: Exclusions = { dropped: false, duplicates: false, stored: false },
  workspaceId = '',
): Promise<({ pos: number; note: number } & TupleNote)[]> {
  const where = excluding(x, 'v', '$3');
  const rows = await tx.query<{ pos: number; note: number; kind: TupleNote['kind']; field: string; reason: string }>(
    `SELECT v.pos, n.note, n.kind, n.field, n.reason FROM import_valid v JOIN import_notes n ON v.h = n.h
     ${where ? `${where} AND` : 'WHERE'} (v.pos > $1 OR (v.pos = $1 AND n.note > $2)) ORDER BY v.pos, n.note LIMIT ${limit}`,
    x.stored ? [after.pos, after.note, workspaceId] : [after.pos, after.note],
  );
  return rows.map((r) => ({ pos: Number(r.pos), note: Number(r.note), kind: r.kind, field: r.field, reason: r.reason }));
}

/**
 * Repeats of an event id within the file (among rows not in `import_drop`), each with the line of the first:
 * into `import_dups`. Ids are grouped by their hash first, so only colliding ones are compared as strings.
 */
export async function findDuplicates(tx: Queryable, anyDropped: boolean): Promise<number> {
  const usable = anyDropped ? `WHERE h NOT IN (SELECT h FROM import_drop)` : '';
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_dups AS
     WITH candidates AS (SELECT hash(event_id) AS eh FROM import_valid ${usable} GROUP BY eh HAVING count(*) > 1),
          rows AS (SELECT pos, event_id, min(pos) OVER (PARTITION BY event_id) AS first_pos FROM import_valid
                   ${usable ? `${usable} AND` : 'WHERE'} hash(event_id) IN (SELECT eh FROM candidates))
     SELECT pos, event_id, first_pos FROM rows WHERE pos <> first_pos`,
  );
  const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM import_dups`);
  return Number(row?.n ?? 0);
}

export async function duplicatePage(tx: Queryable, afterPos: number, limit: number) {
  const rows = await tx.query<{ pos: number; event_id: string; first_pos: number }>(
    `SELECT pos, event_id, first_pos FROM import_dups WHERE pos > $1 ORDER BY pos LIMIT ${limit}`,
    [afterPos],
  );
  return rows.map((r) => ({ pos: Number(r.pos), eventId: r.event_id, firstPos: Number(r.first_pos) }));
}

/** Whether the workspace has any events yet (if not, no row can be stored already). */
export async function hasEvents(tx: Queryable, workspaceId: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 AS x FROM events WHERE workspace_id = $1 LIMIT 1`, [workspaceId]);
  return rows.length > 0;
}

/** What is excluded from storing: dropped combinations, repeats, and (when asked) ids already stored. */
export interface Exclusions {
  dropped: boolean;
  duplicates: boolean;
  stored: boolean;
}

function excluding(x: Exclusions, alias: string, workspaceParam: string): string {
  const parts: string[] = [];
  if (x.dropped) parts.push(`${alias}.h NOT IN (SELECT h FROM import_drop)`);
  if (x.duplicates) parts.push(`${alias}.pos NOT IN (SELECT pos FROM import_dups)`);
  if (x.stored) parts.push(`${alias}.event_id NOT IN (SELECT event_id FROM events WHERE workspace_id = ${workspaceParam})`);
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

/** Rows (usable, not repeats) whose event id is already stored: immutable, so skipped. */
export async function countStored(tx: Queryable, workspaceId: string, x: Omit<Exclusions, 'stored'>): Promise<number> {
  const where = excluding({ ...x, stored: false }, 'v', '$1');
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*) AS n FROM import_valid v ${where ? `${where} AND` : 'WHERE'} v.event_id IN (SELECT event_id FROM events WHERE workspace_id = $1)`,
    [workspaceId],
  );
  return Number(row?.n ?? 0);
}

/**
 * The combinations that still have rows to store, in order of their first such row, with that row's time
 * (`import_resolve`). Equal to `import_tuples` when nothing is excluded.
 */
export async function prepareResolveOrder(tx: Queryable, workspaceId: string, x: Exclusions): Promise<void> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_resolve AS
     SELECT t.seq, r.* FROM (
       SELECT h, min(pos) AS first_pos, arg_min(occurred_ms, pos) AS first_ms, arg_min(event_id, pos) AS first_event_id
       FROM import_valid v ${excluding(x, 'v', '$1')} GROUP BY h
     ) r JOIN import_tuples t ON t.h = r.h`,
    x.stored ? [workspaceId] : [],
  );
}

/**
 * Holds each usable combination's normalised identity keys, as JSON text (`import_tuple_keys(seq, keys)`), so
 * the resolver reads them a page at a time instead of the import holding them for the whole file.
 */
export async function createTupleKeys(tx: Queryable): Promise<void> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE import_tuple_keys (seq INTEGER, keys TEXT)`);
}

export async function addTupleKeys(tx: Queryable, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insertRows('import_tuple_keys', [{ name: 'seq', type: 'integer' }, { name: 'keys', type: 'text' }], rows);
}

/**
 * The next page of combinations to resolve, in order of their first row to store, with that row's time and id
 * and the combination's keys: from `import_resolve` when rows are excluded (see {@link prepareResolveOrder}),
 * else from all combinations. Combinations without keys (unusable) are left out.
 */
export async function resolvePage(tx: Queryable, afterPos: number, limit: number, excluded: boolean) {
  const rows = await tx.query<{ seq: number; first_pos: number; first_ms: number; first_event_id: string; keys: string }>(
    `SELECT r.seq, r.first_pos, r.first_ms, r.first_event_id, k.keys FROM ${excluded ? 'import_resolve' : 'import_tuples'} r
     JOIN import_tuple_keys k ON k.seq = r.seq WHERE r.first_pos > $1 ORDER BY r.first_pos LIMIT ${limit}`,
    [afterPos],
  );
  return rows.map((r) => ({ seq: Number(r.seq), firstPos: Number(r.first_pos), firstMs: Number(r.first_ms), firstEventId: r.first_event_id, keys: r.keys }));
}

const KEYED_COLUMNS = {
  import_notes: [
    { name: 'note', type: 'integer' },
    { name: 'kind', type: 'text' },
    { name: 'field', type: 'text' },
    { name: 'reason', type: 'text' },
  ],
  import_drop: [],
  import_tuple_map: [
    { name: 'profile_id', type: 'bigint' },
    { name: 'customer_key', type: 'text' },
  ],
} satisfies Record<string, TempColumn[]>;

/**
 * Loads a table keyed by combination, given by its `seq` and stored by its hash: `import_notes(h, note, kind,
 * field, reason)`, `import_drop(h)` or `import_tuple_map(h, profile_id, customer_key)`; a page at a time, each
 * appended when `append` (the first creates the table, also when empty).
 */
export async function loadKeyed(
  tx: Queryable,
  table: keyof typeof KEYED_COLUMNS,
  rows: readonly (readonly SqlValue[])[],
  append = false,
): Promise<void> {
  const extra: TempColumn[] = KEYED_COLUMNS[table];
  if (append && rows.length === 0) return;
  await tx.loadTemp('import_keyed_chunk', [{ name: 'seq', type: 'integer' }, ...extra], rows);
  const select = `SELECT t.h${extra.map((c) => `, c.${c.name}`).join('')} FROM import_keyed_chunk c JOIN import_tuples t ON t.seq = c.seq`;
  if (append) await tx.run(`INSERT INTO ${quoteIdent(table)} ${select}`);
  else await tx.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS ${select}`);
}

/**
 * Points the combinations of profiles merged away during the import at the profiles that absorbed them:
 * `pairs` are (merged profile, survivor).
 */
export async function followMerges(tx: Queryable, pairs: readonly (readonly SqlValue[])[]): Promise<void> {
  if (pairs.length === 0) return;
  await tx.loadTemp('import_merged', [{ name: 'from_id', type: 'bigint' }, { name: 'into_id', type: 'bigint' }], pairs);
  await tx.run(`UPDATE import_tuple_map SET profile_id = m.into_id FROM import_merged m WHERE import_tuple_map.profile_id = m.from_id`);
}

/**
 * Inserts every valid row whose combination was given a profile (`import_tuple_map(h, profile_id,
 * customer_key)`) and that is not excluded, into `events`; returns how many.
 */
export async function insertStagedEvents(tx: Queryable, workspaceId: string, importId: number, x: Exclusions): Promise<number> {
  const params: SqlValue[] = [workspaceId, importId];
  return tx.run(
    `INSERT INTO events (workspace_id, import_id, customer_key, profile_id, event_id, occurred_at, utc_offset_min, type, channel, touchpoint, team, value, properties)
     SELECT $1, $2, m.customer_key, m.profile_id, v.event_id, make_timestamptz(v.occurred_ms * 1000), v.utc_offset_min, v.type,
       v.channel, v.touchpoint, v.team, v.value, v.properties
     FROM import_valid v JOIN import_tuple_map m ON m.h = v.h
     ${excluding(x, 'v', '$1')}`,
    params,
  );
}

/** Drops every table of the bulk path (they are temporary, but a long-lived connection should not keep them). */
export async function dropStaging(tx: Queryable): Promise<void> {
  await tx.run(`DROP VIEW IF EXISTS import_valid`);
  for (const t of ['import_stage', 'import_slow_chunk', 'import_slow', 'import_tuples', 'import_drop', 'import_notes', 'import_dups', 'import_resolve', 'import_tuple_map', 'import_keyed_chunk', 'import_tuple_keys', 'import_merged']) {
    await tx.run(`DROP TABLE IF EXISTS ${quoteIdent(t)}`);
  }
}
