/**
 * Keeps DuckDB's checkpoints short under a stream of small writes, and merges what they leave when the writes
 * pause (docs/adr/0018-server-checkpoints-small-and-merges-when-idle.md).
 *
 * A checkpoint blocks the commit that triggers it, and inserts into a table wait while the checkpoint writes that
 * table. Its cost grows with the rows written since the last one, plus any "vacuum": merging the table's last,
 * part-filled row groups into fuller ones, which rewrites up to a whole row group (122,880 rows) of every table
 * written. Under HTTP batches that merge made every few checkpoints a 400–600 ms stall. With merging turned off
 * (`max_vacuum_tasks = 0`) a checkpoint writes only the new rows, so frequent small checkpoints stay short; the
 * price is row groups as small as what each checkpoint wrote (larger files, slower scans: measured in the ADR),
 * which {@link IdleRowGroupMerger} undoes once the writes stop for a moment. The stream's checkpoints also leave
 * out the costliest string compressions ({@link STREAM_DISABLED_COMPRESSION}); the merge compresses as usual.
 * Writes that never pause get DuckDB's own behaviour back after a while ({@link CONTINUOUS_WRITE_PERIODS}).
 */

import { literalOf } from './duckdb-statements.js';

/** DuckDB's default number of merge ("vacuum") tasks a checkpoint may schedule. */
const DEFAULT_VACUUM_TASKS = 100;

/**
 * The string compressions left out of the stream's checkpoints: choosing among them (hashing every string for a
 * dictionary, training FSST) is half of a checkpoint's time. 15,000-row appends to a 2M-row events-like table,
 * each checkpointed: median 21 ms with them, 11 ms without. The merge puts them back (strings of merged row groups
 * are compressed as usual).
 */
const STREAM_DISABLED_COMPRESSION = 'dictionary,fsst,dict_fsst';

/** The settings of a store written as a stream (see the module comment). */
const STREAM_SETTINGS: Record<string, string> = {
  max_vacuum_tasks: '0',
  disabled_compression_methods: STREAM_DISABLED_COMPRESSION,
};

/**
 * Where writes go on without a pause, the merge never comes and small row groups pile up. After
 * {@link CONTINUOUS_WRITE_PERIODS} idle periods' worth of writing without one, the store goes back to DuckDB's own
 * way (merging at each checkpoint, all compressions, checkpoints at this size: ADR 0013's, with its ~0.5 s stalls)
 * until the next pause.
 */
export const CONTINUOUS_CHECKPOINT_THRESHOLD = '64MB';
const CONTINUOUS_WRITE_PERIODS = 12;

/** A setting's value as a SQL string literal (a string always has one). */
const quoted = (value: string) => literalOf(value)!;

/** Statements that give the store the stream's settings, with checkpoints at `threshold`. */
export function streamSettingsSql(threshold: string): string[] {
  return [...Object.entries(STREAM_SETTINGS).map(([name, value]) => `SET ${name} = ${quoted(value)}`), `SET checkpoint_threshold = ${quoted(threshold)}`];
}

/** Statements that give the store DuckDB's own merging and compressions, with checkpoints at `threshold`. */
export function mergingSettingsSql(threshold: string): string[] {
  return [`SET max_vacuum_tasks = ${DEFAULT_VACUUM_TASKS}`, `RESET disabled_compression_methods`, `SET checkpoint_threshold = ${quoted(threshold)}`];
}

/**
 * What merges the small row groups, run between {@link mergingSettingsSql} and {@link streamSettingsSql} (the
 * latter whatever happens): a change for the checkpoint to write (a checkpoint with nothing to write does nothing;
 * creating and dropping a table leaves nothing behind, and a table left by a crash between the two is replaced),
 * then the checkpoint. DuckDB refuses a `CHECKPOINT` while any other transaction is open, reads included: the
 * engine runs these only when no statement is running, and holds new ones back meanwhile.
 */
export const MERGE_STATEMENTS = [
  `CREATE OR REPLACE TABLE kept_row_group_merge (x INTEGER)`,
  `DROP TABLE IF EXISTS kept_row_group_merge`,
  `CHECKPOINT`,
];

/**
 * Runs `merge` once writes have paused for `idleMs` (and once after the store is opened: what an earlier process
 * left unmerged), and `continuous` once writes have gone on for {@link CONTINUOUS_WRITE_PERIODS} × `idleMs` without
 * such a pause (the merge then ends that state). `merge` answers false when it cannot run yet (statements are
 * running): it is tried again at the next tick. One that fails is tried again after the next write and pause, not
 * in a loop; its error is kept in `lastError`.
 */
export class IdleRowGroupMerger {
  private lastWrite = performance.now();
  /** When the writes not yet merged began. */
  private since = performance.now();
  private pending = true;
  private running = false;
  /** Writes went on without a pause: DuckDB merges at its checkpoints until the next merge here. */
  continuous = false;
  private readonly timer: NodeJS.Timeout;
  /** Merges run (diagnostics and tests). */
  merges = 0;
  /** Why the last merge failed, if it did. */
  lastError: unknown;

  constructor(
    private readonly idleMs: number,
    private readonly merge: () => Promise<boolean>,
    private readonly goContinuous: () => Promise<void>,
  ) {
    this.timer = setInterval(() => void this.tick(), Math.max(10, Math.min(1000, Math.round(idleMs / 2))));
    // A pending merge never keeps the process alive.
    this.timer.unref();
  }

  /** Writes asked for and not yet ended (waiting for the writers' lock or running): no pause while there are any. */
  private writing = 0;

  /** A write is asked for. */
  writeStarts(): void {
    if (this.writing++ === 0 && !this.pending) this.since = performance.now();
    this.pending = true;
  }

  /** A write ended (committed, rolled back or failed). */
  writeEnds(): void {
    this.writing--;
    this.lastWrite = performance.now();
  }

  private async tick(): Promise<void> {
    if (!this.pending || this.running) return;
    const now = performance.now();
    if (this.writing === 0 && now - this.lastWrite >= this.idleMs) {
      await this.runStep(async () => {
        try {
          if (!(await this.merge())) return;
        } catch (error) {
          // The merge restores the stream's settings whatever happens.
          this.pending = false;
          this.continuous = false;
          throw error;
        }
        this.pending = false;
        this.merges++;
        this.continuous = false;
      });
    } else if (!this.continuous && now - this.since >= CONTINUOUS_WRITE_PERIODS * this.idleMs) {
      await this.runStep(async () => {
        await this.goContinuous();
        this.continuous = true;
      });
    }
  }

  private async runStep(step: () => Promise<void>): Promise<void> {
    this.running = true;
    try {
      await step();
    } catch (error) {
      // Left to the next pause (see above).
      this.lastError = error;
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
