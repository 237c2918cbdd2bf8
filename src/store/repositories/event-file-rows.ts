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
 * their first row, so pages are read by range without sorting the whole table again. `false` when two
 * combinations share a hash (about one file in a million): the caller then takes the batch pipeline.
 */
export async function groupTuples(tx: Queryable): Promise<boolean> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE import_tuples AS
     SELECT row_number() OVER (ORDER BY first_pos) AS seq, * FROM (
       SELECT h, ${TUPLE_KEY.join(', ')}, min(pos) AS first_pos, arg_min(occurred_ms, pos) AS first_ms,
         arg_min(event_id, pos) AS first_event_id, count(*) AS n
       FROM import_valid GROUP BY ALL
     ) ORDER BY seq`,
  );
  const [row] = await tx.query<{ n: number; hashes: number }>(`SELECT count(*) AS n, count(DISTINCT h) AS hashes FROM import_tuples`);
  return Number(row?.n ?? 0) === Number(row?.hashes ?? 0);
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

/** The next page of rows of the combinations in `import_notes(h, note)`, with the note, by position. */
export async function rowsOfNotedTuples(
  tx: Queryable,
  after: { pos: number; note: number },
  limit: number,
  x: Exclusions = { dropped: false, duplicates: false, stored: false },
  workspaceId = '',
): Promise<{ pos: number; note: number }[]> {
  const where = excluding(x, 'v', '$3');
  const rows = await tx.query<{ pos: number; note: number }>(
    `SELECT v.pos, n.note FROM import_valid v JOIN import_notes n ON v.h = n.h
     ${where ? `${where} AND` : 'WHERE'} (v.pos > $1 OR (v.pos = $1 AND n.note > $2)) ORDER BY v.pos, n.note LIMIT ${limit}`,
    x.stored ? [after.pos, after.note, workspaceId] : [after.pos, after.note],
  );
  return rows.map((r) => ({ pos: Number(r.pos), note: Number(r.note) }));
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

export async function resolvePage(tx: Queryable, afterPos: number, limit: number) {
  const rows = await tx.query<{ seq: number; first_pos: number; first_ms: number; first_event_id: string }>(
    `SELECT seq, first_pos, first_ms, first_event_id FROM import_resolve WHERE first_pos > $1 ORDER BY first_pos LIMIT ${limit}`,
    [afterPos],
  );
  return rows.map((r) => ({ seq: Number(r.seq), firstPos: Number(r.first_pos), firstMs: Number(r.first_ms), firstEventId: r.first_event_id }));
}

/**
 * Loads a small table keyed by combination, given by its `seq` and stored by its hash: `import_notes(h, note)`,
 * `import_drop(h)`, or a chunk of `import_tuple_map(h, profile_id, customer_key)` (appended when `append`).
 */
export async function loadKeyed(
  tx: Queryable,
  table: 'import_notes' | 'import_drop' | 'import_tuple_map',
  rows: readonly (readonly SqlValue[])[],
  append = false,
): Promise<void> {
  const extra: Record<typeof table, TempColumn[]> = {
    import_notes: [{ name: 'note', type: 'integer' }],
    import_drop: [],
    import_tuple_map: [
      { name: 'profile_id', type: 'bigint' },
      { name: 'customer_key', type: 'text' },
    ],
  };
  const columns: TempColumn[] = [{ name: 'seq', type: 'integer' }, ...extra[table]];
  await tx.loadTemp('import_keyed_chunk', columns, rows);
  const select = `SELECT t.h${extra[table].map((c) => `, c.${c.name}`).join('')} FROM import_keyed_chunk c JOIN import_tuples t ON t.seq = c.seq`;
  if (append) await tx.run(`INSERT INTO ${quoteIdent(table)} ${select}`);
  else await tx.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS ${select}`);
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
  for (const t of ['import_stage', 'import_slow_chunk', 'import_slow', 'import_tuples', 'import_drop', 'import_notes', 'import_dups', 'import_resolve', 'import_tuple_map', 'import_keyed_chunk']) {
    await tx.run(`DROP TABLE IF EXISTS ${quoteIdent(t)}`);
  }
}
