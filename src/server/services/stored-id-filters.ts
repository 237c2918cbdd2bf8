/**
 * One {@link StoredIdFilter} per workspace and fact table for the server's writes on DuckDB, built from the table on
 * the first write and then kept up to date by the batch writer (which adds every id it inserts).
 *
 * Sound only while this process is the only writer of those tables: true on DuckDB, which locks its file to one
 * process, and within the server every fact write goes through the batch writer with the filter in its context.
 * PostgreSQL may have several writing servers: there every batch asks the database (no filter).
 *
 * A large table is read in the background: reading 2M event ids took 3.5 s, which the first request after a
 * restart used to wait for. Meanwhile writers get the filter being built behind {@link StoredIds} that answers
 * "perhaps" to every id, so each batch asks the store, as without a filter, and what they write is added.
 */
import type { Engine } from '../../store/engines/engine.js';
import { StoredIdFilter, type StoredIds } from '../../ingest/stored-id-filter.js';

/**
 * Most ids one filter holds (at most 16M slots, 128 MiB). A bigger table goes back to asking the database:
 * slower per batch, but the server's memory stays bounded whatever the workspace's size.
 */
export const MAX_FILTERED_IDS = 8_000_000;

/**
 * Tables of up to this many rows are read before the first write goes on (a few ms to ~50 ms); larger ones in
 * the background.
 */
export const READ_BEFORE_WRITING = 100_000;

export interface FilterBounds {
  /** Most ids a filter holds ({@link MAX_FILTERED_IDS}). */
  limit: number;
  /** Largest table read before writers go on ({@link READ_BEFORE_WRITING}). */
  readBeforeWriting: number;
}

const DEFAULT_BOUNDS: FilterBounds = { limit: MAX_FILTERED_IDS, readBeforeWriting: READ_BEFORE_WRITING };

interface Entry {
  /** Resolves once writers can go on: the table is read, or is being read in the background, or cannot be used. */
  ready: Promise<void>;
  /** The filter once complete; undefined while it is built or when it cannot be used (too large, read failed). */
  filter: StoredIdFilter | undefined;
  /** While the table is read in the background: what writers get meanwhile. */
  building: StoredIds | undefined;
  /** Resolves when the filter is complete or given up. */
  built: Promise<void>;
}

const filters = new WeakMap<Engine, Map<string, Entry>>();

export interface FilteredTable {
  table: string;
  idColumn: string;
}

/**
 * The workspace's identity keys: new customers' keys are then inserted without a lookup. Every identity insert
 * goes through the identity step, which adds the keys to the filter it is given (the server always gives it).
 */
export const IDENTITY_KEYS: FilteredTable = { table: 'identities', idColumn: 'id_key' };

/**
 * What writers of `spec.table` in `workspaceId` use to tell new ids from stored ones: the filter, the filter being
 * built (every answer "perhaps"), or undefined where no filter may be used.
 */
export async function storedIdFilterFor(engine: Engine, workspaceId: string, spec: FilteredTable, bounds = DEFAULT_BOUNDS): Promise<StoredIds | undefined> {
  const entry = entryFor(engine, workspaceId, spec, bounds);
  if (!entry) return undefined;
  await entry.ready;
  const filter = entry.filter;
  // Writes keep adding ids: past the bound, stop using (and holding) the filter for good.
  if (filter && filter.size > bounds.limit) {
    entry.filter = undefined;
    return undefined;
  }
  return filter ?? entry.building;
}

/** The complete filter, once it is built (undefined where none is used): for tests and tools. */
export async function builtStoredIdFilter(engine: Engine, workspaceId: string, spec: FilteredTable, bounds = DEFAULT_BOUNDS): Promise<StoredIdFilter | undefined> {
  const entry = entryFor(engine, workspaceId, spec, bounds);
  if (!entry) return undefined;
  await entry.built;
  return entry.filter;
}

/** The entry of the table, its build started on first use (with the bounds of that first use). */
function entryFor(engine: Engine, workspaceId: string, spec: FilteredTable, bounds: FilterBounds): Entry | undefined {
  if (engine.kind !== 'duckdb') return undefined;
  let byKey = filters.get(engine);
  if (!byKey) filters.set(engine, (byKey = new Map<string, Entry>()));
  const key = `${workspaceId}\u0000${spec.table}`;
  let entry = byKey.get(key);
  if (!entry) byKey.set(key, (entry = startBuild(engine, workspaceId, spec, bounds)));
  return entry;
}

/**
 * Counts the table's ids first: too many, and no filter is used; a few, and writers wait for the read; else it
 * runs in the background. Writers ask for the filter before writing, so every write after the count either goes
 * through the filter being built (which records what it adds) or happened before the read began (so the read
 * sees it): the finished filter lacks no stored id.
 */
function startBuild(engine: Engine, workspaceId: string, spec: FilteredTable, { limit, readBeforeWriting }: FilterBounds): Entry {
  const filter = new StoredIdFilter();
  let goOn!: () => void;
  const writersGoOn = new Promise<void>((resolve) => (goOn = resolve));
  const read = async () => {
    const ids = engine.stream<{ id: string }>(`SELECT ${spec.idColumn} AS id FROM ${spec.table} WHERE workspace_id = $1`, [workspaceId], 50_000);
    for await (const chunk of ids) {
      for (const row of chunk) filter.add(row.id);
      if (filter.size > limit) return false;
    }
    return true;
  };
  const entry: Entry = { filter: undefined, building: undefined, ready: writersGoOn, built: Promise.resolve() };
  const finish = (complete: boolean) => {
    entry.filter = complete ? filter : undefined;
    entry.building = undefined;
    goOn();
  };
  entry.built = (async () => {
    const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${spec.table} WHERE workspace_id = $1`, [workspaceId]);
    const rows = Number(row?.n ?? 0);
    if (rows > limit) return finish(false);
    if (rows > readBeforeWriting) {
      entry.building = { mightContain: () => true, add: (id) => filter.add(id) };
      goOn();
    }
    finish(await read());
  })().catch(() => finish(false));
  return entry;
}
