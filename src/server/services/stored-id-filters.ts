/**
 * One set of stored ids per workspace and fact table for the server's writes on DuckDB, read from the table on the
 * first write and then kept up to date by the batch writer (which adds every id it inserts).
 *
 * Sound only while this process is the only writer of those tables: true on DuckDB, which locks its file to one
 * process, and within the server every fact write goes through the batch writer with the set in its context.
 * PostgreSQL may have several writing servers: there every batch asks the database (no set).
 *
 * Writers hold a view of the table's entry rather than a set: while the table is (re)read, the view answers
 * "perhaps" to every id (each batch asks the store, as without a set) and adds what is written to the set being
 * read, so a writer that took the view before a re-read began still adds to the new set. A small table is read
 * before the first write goes on; a large one in the background (reading 2M event ids took 3.5 s, which the first
 * request after a restart used to wait for). Up to {@link COMPACT_FROM} ids the set is a growable
 * {@link StoredIdFilter}; beyond, a {@link CompactIdSet} sized from the table's count (half the bytes per id),
 * read again into a larger one when writes outgrow it. Past {@link MAX_FILTERED_IDS} no set is used.
 */
import type { Engine } from '../../store/engines/engine.js';
import { CompactIdSet, StoredIdFilter, type StoredIds } from '../../ingest/stored-id-filter.js';

/**
 * Most ids a set is read for: a compact set of 16M ids takes 100 MiB. A bigger table goes back to asking the
 * database: slower per batch, but a set's memory stays bounded whatever the table's size (sets are kept per
 * workspace and table for the server's life). Not 20M: the 1M-customer demo's 20.3M events would then take
 * 127 MiB on top of what `kept serve` holds, and under HTTP writes into that demo it went past its 1 GB budget
 * (1,107 MB after 700 batches, against 837 MB asking the store).
 */
export const MAX_FILTERED_IDS = 16_000_000;
/** Tables with more ids get a compact set (4M ids in a growable one take 64 MiB; in a compact one, 25 MiB). */
export const COMPACT_FROM = 4_000_000;
/** Tables of up to this many rows are read before the first write goes on (a few ms to ~50 ms). */
export const READ_BEFORE_WRITING = 100_000;

export interface FilterBounds {
  /** {@link MAX_FILTERED_IDS} */
  limit: number;
  /** {@link COMPACT_FROM} */
  compactFrom: number;
  /** {@link READ_BEFORE_WRITING} */
  readBeforeWriting: number;
}

const DEFAULT_BOUNDS: FilterBounds = { limit: MAX_FILTERED_IDS, compactFrom: COMPACT_FROM, readBeforeWriting: READ_BEFORE_WRITING };
/** A read that failed (the store busy or closing, say) is tried again on a write this long after. */
const RETRY_AFTER_MS = 60_000;
/** A compact set is sized for the table's count and this much growth. */
const COMPACT_HEADROOM = 1.25;

export interface FilteredTable {
  table: string;
  idColumn: string;
}

/**
 * The workspace's identity keys: new customers' keys are then inserted without a lookup. Every identity insert
 * goes through the identity step, which adds the keys to the filter it is given (the server always gives it).
 */
export const IDENTITY_KEYS: FilteredTable = { table: 'identities', idColumn: 'id_key' };

type IdSet = StoredIdFilter | CompactIdSet;

/** The ids of one table in one workspace, as far as this process knows them (exported for tests). */
export class TableIds {
  /** The complete set, when there is one. */
  complete: IdSet | undefined;
  /** What the table is being read into, when it is (first a journal, until the count tells the set's kind). */
  reading: { add(id: string): void } | undefined;
  /** False once the table is over the limit: no set, ever again. */
  usable = true;
  /** When the last read failed (the view then answers "perhaps" to everything until a read succeeds). */
  failedAt: number | undefined;
  /** Resolves when writers may go on after the last (re)read began. */
  ready: Promise<void> = Promise.resolve();
  /** Resolves when the last (re)read is over. */
  built: Promise<void> = Promise.resolve();
  /** What writers hold: answers from the complete set, adds to every set. */
  readonly view: StoredIds = {
    mightContain: (id) => this.complete?.mightContain(id) ?? true,
    add: (id) => {
      this.complete?.add(id);
      this.reading?.add(id);
    },
  };

  constructor(
    private readonly engine: Engine,
    private readonly workspaceId: string,
    private readonly spec: FilteredTable,
    private readonly bounds: FilterBounds,
  ) {}

  /** Whether the table should be read again: the set outgrew its kind or size, or a read failed a while ago. */
  get outgrown(): boolean {
    const set = this.complete;
    if (this.reading) return false;
    if (!set) return this.failedAt !== undefined && Date.now() - this.failedAt > RETRY_AFTER_MS;
    return set instanceof CompactIdSet ? set.overfull : set.size > this.bounds.compactFrom;
  }

  /**
   * Counts the table's ids, then reads them into a set of the right kind: before writers go on for a small table,
   * in the background for a large one. Every id written goes into the journal or the set being read (added after
   * this call) or was committed before the count (added before it: see the wait below), so the read sees it: the
   * finished set lacks no stored id.
   */
  read(): void {
    const { limit, compactFrom, readBeforeWriting } = this.bounds;
    let goOn!: () => void;
    this.ready = new Promise<void>((resolve) => (goOn = resolve));
    // Ids written from now on, until the set they go to exists (its kind depends on the count): a writer may have
    // taken the view before this read began and commit after it began, so from here on every add must reach it.
    const journal: string[] = [];
    this.reading = { add: (id) => journal.push(id) };
    const finish = (set: IdSet | undefined, failed = false) => {
      this.complete = set;
      this.reading = undefined;
      this.failedAt = failed ? Date.now() : undefined;
      if (!set && !failed) this.usable = false;
      goOn();
    };
    this.built = (async () => {
      // A writer may have added ids to the set being replaced and not have committed them yet: the read must not
      // begin before it has. Writers add only inside their transaction, and transactions take turns (first come,
      // first served), so passing through an empty one waits for every transaction open now; any that starts later
      // adds to the journal. (Never called inside a transaction: that would wait for itself.)
      await this.engine.transaction(() => Promise.resolve());
      const [row] = await this.engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${this.spec.table} WHERE workspace_id = $1`, [this.workspaceId]);
      const rows = Number(row?.n ?? 0);
      if (rows > limit) return finish(undefined);
      const set = rows > compactFrom ? new CompactIdSet(Math.ceil(rows * COMPACT_HEADROOM)) : new StoredIdFilter();
      for (const id of journal) set.add(id);
      this.reading = set;
      if (rows > readBeforeWriting) {
        // Writers go on with the view meanwhile; a set being replaced no longer answers.
        this.complete = undefined;
        goOn();
      }
      // Column chunks: less than half the time of row objects (12M event ids: 6.3 s against 14.8 s).
      const chunks = this.engine.streamColumns(`SELECT ${this.spec.idColumn} AS id FROM ${this.spec.table} WHERE workspace_id = $1`, [this.workspaceId]);
      for await (const [ids] of chunks) for (const id of ids as string[]) set.add(id);
      finish(set.size > limit ? undefined : set);
    })().catch(() => finish(undefined, true));
  }
}

const tables = new WeakMap<Engine, Map<string, TableIds>>();

/**
 * What writers of `spec.table` in `workspaceId` use to tell new ids from stored ones (see {@link TableIds.view}),
 * or undefined where no set may be used. The bounds apply from the first call for a table on.
 */
export async function storedIdFilterFor(engine: Engine, workspaceId: string, spec: FilteredTable, bounds = DEFAULT_BOUNDS): Promise<StoredIds | undefined> {
  const entry = entryFor(engine, workspaceId, spec, bounds);
  if (!entry) return undefined;
  if (entry.outgrown) entry.read();
  await entry.ready;
  return entry.usable ? entry.view : undefined;
}

/** The complete set once the current read is over (undefined where none is used): for tests and tools. */
export async function builtStoredIdFilter(engine: Engine, workspaceId: string, spec: FilteredTable, bounds = DEFAULT_BOUNDS): Promise<IdSet | undefined> {
  const entry = entryFor(engine, workspaceId, spec, bounds);
  if (!entry) return undefined;
  await entry.built;
  return entry.usable ? entry.complete : undefined;
}

function entryFor(engine: Engine, workspaceId: string, spec: FilteredTable, bounds: FilterBounds): TableIds | undefined {
  if (engine.kind !== 'duckdb') return undefined;
  let byKey = tables.get(engine);
  if (!byKey) tables.set(engine, (byKey = new Map<string, TableIds>()));
  const key = `${workspaceId}\u0000${spec.table}`;
  let entry = byKey.get(key);
  if (!entry) {
    byKey.set(key, (entry = new TableIds(engine, workspaceId, spec, bounds)));
    entry.read();
  }
  return entry;
}
