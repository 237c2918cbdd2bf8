/**
 * One {@link StoredIdFilter} per workspace and fact table for the server's writes on DuckDB, built lazily from the
 * table on the first write and then kept up to date by the batch writer (which adds every id it inserts).
 *
 * Sound only while this process is the only writer of those tables: true on DuckDB, which locks its file to one
 * process, and within the server every fact write goes through the batch writer with the filter in its context.
 * PostgreSQL may have several writing servers: there every batch asks the database (no filter).
 */
import type { Engine } from '../../store/engines/engine.js';
import { StoredIdFilter } from '../../ingest/stored-id-filter.js';

/**
 * Most ids one filter holds (at most 16M slots, 128 MiB). A bigger table goes back to asking the database:
 * slower per batch, but the server's memory stays bounded whatever the workspace's size.
 */
export const MAX_FILTERED_IDS = 8_000_000;

interface Entry {
  /** Resolves to the filter once built, or to undefined when it cannot be used (too large, build failed). */
  ready: Promise<StoredIdFilter | undefined>;
  filter: StoredIdFilter | undefined;
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

/** The filter of `spec.table` in `workspaceId`, built on first use; undefined where it must not be used. */
export async function storedIdFilterFor(engine: Engine, workspaceId: string, spec: FilteredTable, limit = MAX_FILTERED_IDS): Promise<StoredIdFilter | undefined> {
  if (engine.kind !== 'duckdb') return undefined;
  let byKey = filters.get(engine);
  if (!byKey) filters.set(engine, (byKey = new Map<string, Entry>()));
  const key = `${workspaceId}\u0000${spec.table}`;
  let entry = byKey.get(key);
  if (!entry) {
    const created: Entry = { filter: undefined, ready: Promise.resolve(undefined) };
    created.ready = build(engine, workspaceId, spec, limit).then(
      (filter) => (created.filter = filter),
      () => undefined,
    );
    byKey.set(key, (entry = created));
  }
  const filter = await entry.ready;
  // Writes keep adding ids: past the bound, stop using (and holding) the filter for good.
  if (filter && filter.size > limit) {
    entry.filter = undefined;
    entry.ready = Promise.resolve(undefined);
    return undefined;
  }
  return filter;
}

/**
 * Reads every stored id of the table. Writers of this workspace wait for the build (they all ask for the filter
 * before writing), so nothing is inserted between the read and the first use without being added.
 */
async function build(engine: Engine, workspaceId: string, spec: FilteredTable, limit: number): Promise<StoredIdFilter | undefined> {
  const filter = new StoredIdFilter();
  const ids = engine.stream<{ id: string }>(`SELECT ${spec.idColumn} AS id FROM ${spec.table} WHERE workspace_id = $1`, [workspaceId], 50_000);
  for await (const chunk of ids) {
    for (const row of chunk) filter.add(row.id);
    if (filter.size > limit) return undefined;
  }
  return filter;
}

