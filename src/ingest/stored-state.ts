/**
 * What the store already holds of a batch's ids, for the batch writer: which ids repeat an earlier one of the
 * batch, which are stored by an earlier import and which by this one. Asked of the database in one statement, or,
 * with a stored-id filter (DuckDB server), answered in memory for every id the filter rules out.
 */
import type { Queryable, RowSource, SqlValue } from '../store/engines/engine.js';
import type { FactTable } from '../store/repositories/fact-tables.js';
import type { BatchContext } from './batch-writer.js';
import type { StoredIds } from './stored-id-filter.js';

/** A prepared record: only its id matters here. */
interface WithId {
  readonly id: string;
}

/** What the store already holds of each prepared id. */
export const NEW = 0;
export const STORED_EARLIER = 1;
export const STORED_BY_THIS_IMPORT = 2;
/** The id appeared earlier in the batch: `first[pos]` tells where. */
export const REPEATED = 3;

/** Parses `n[:m][=]` items separated by commas, calling `item(n, m, equals)` (m is -1 when absent). */
function parseItems(text: string, item: (n: number, m: number, equals: boolean) => void): void {
  let n = 0;
  let m = -1;
  let equals = false;
  let afterColon = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c === 44) {
      if (i > 0) item(n, afterColon ? m : -1, equals);
      n = 0;
      m = -1;
      equals = false;
      afterColon = false;
    } else if (c === 61) equals = true;
    else if (c === 58) {
      afterColon = true;
      m = 0;
    } else if (afterColon) m = m * 10 + (c - 48);
    else n = n * 10 + (c - 48);
  }
}

/**
 * Looks the batch's ids up, in one statement over the loaded ids: which repeat an id earlier in the batch, and
 * which are already stored (by an earlier import, or by this one). The answers come back as two strings
 * (`pos:firstPos,…` and `pos[=],…`) rather than a row per id: on a re-import every id is stored, and decoding
 * a result row per id would cost more than the lookup. With a stored-id filter, see {@link filteredState}.
 */
export async function storedState(tx: Queryable, ctx: BatchContext, spec: FactTable<unknown>, prepared: readonly WithId[]) {
  if (ctx.storedIds) return filteredState(tx, ctx, spec, prepared, ctx.storedIds);
  const state = new Uint8Array(prepared.length);
  const first = new Map<number, number>();
  const positions = Array.from({ length: prepared.length }, (_, i) => i);
  const { repeats, hits } = await lookUp(tx, ctx, spec, prepared, positions);
  parseItems(repeats, (pos, firstPos) => {
    state[pos] = REPEATED;
    first.set(pos, firstPos);
  });
  parseItems(hits, (pos, _, equals) => {
    state[pos] = Math.max(state[pos]!, equals ? STORED_BY_THIS_IMPORT : STORED_EARLIER);
  });
  return { state, first };
}

/**
 * {@link storedState} with the ids the table may hold known in memory: repeats are found in JavaScript, and only
 * the ids the filter cannot rule out (retries, and rarely a fingerprint collision) are looked up in the store —
 * usually none, which saves a scan of the id column that grows with the table.
 */
async function filteredState(tx: Queryable, ctx: BatchContext, spec: FactTable<unknown>, prepared: readonly WithId[], filter: StoredIds) {
  const state = new Uint8Array(prepared.length);
  const first = new Map<number, number>();
  const firstPos = new Map<string, number>();
  const candidates: number[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const id = prepared[i]!.id;
    const seen = firstPos.get(id);
    if (seen !== undefined) {
      state[i] = REPEATED;
      first.set(i, seen);
      continue;
    }
    firstPos.set(id, i);
    if (filter.mightContain(id)) candidates.push(i);
  }
  if (candidates.length > 0) {
    const { hits } = await lookUp(tx, ctx, spec, prepared, candidates);
    parseItems(hits, (pos, _, equals) => (state[pos] = equals ? STORED_BY_THIS_IMPORT : STORED_EARLIER));
  }
  return { state, first };
}

/** Loads the ids at `positions` (with their positions) and runs the lookup described at {@link storedState}. */
async function lookUp(tx: Queryable, ctx: BatchContext, spec: FactTable<unknown>, prepared: readonly WithId[], positions: readonly number[]) {
  const row: SqlValue[] = [0, ''];
  const rows: RowSource = {
    length: positions.length,
    row(i) {
      row[0] = positions[i]!;
      row[1] = prepared[positions[i]!]!.id;
      return row;
    },
  };
  await tx.loadTemp('batch_ids', [{ name: 'pos', type: 'integer' }, { name: 'id', type: 'text' }], rows);
  const result = await tx.query<{ repeats: string | null; hits: string | null }>(
    `WITH firsts AS (SELECT id, min(pos) AS pos FROM batch_ids GROUP BY id)
     SELECT
       (SELECT string_agg(CAST(b.pos AS VARCHAR) || ':' || CAST(f.pos AS VARCHAR), ',')
          FROM batch_ids b JOIN firsts f ON f.id = b.id WHERE b.pos <> f.pos) AS repeats,
       (SELECT string_agg(CAST(f.pos AS VARCHAR) || CASE WHEN t.import_id = $2 THEN '=' ELSE '' END, ',')
          FROM firsts f JOIN ${spec.table} t ON t.${spec.idColumn} = f.id
         WHERE t.workspace_id = $1) AS hits`,
    [ctx.workspaceId, ctx.importId],
  );
  return { repeats: result[0]?.repeats ?? '', hits: result[0]?.hits ?? '' };
}

