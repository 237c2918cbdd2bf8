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
 */

/** DuckDB's default number of merge ("vacuum") tasks a checkpoint may schedule. */
export const DEFAULT_VACUUM_TASKS = 100;

/**
 * The string compressions left out of the stream's checkpoints: choosing among them (hashing every string for a
 * dictionary, training FSST) is half of a checkpoint's time. 15,000-row appends to a 2M-row events-like table,
 * each checkpointed: median 21 ms with them, 11 ms without. The merge puts them back (strings of merged row groups
 * are compressed as usual).
 */
export const STREAM_DISABLED_COMPRESSION = 'dictionary,fsst,dict_fsst';

/** The settings of a store written as a stream (see the module comment). */
export const STREAM_SETTINGS: Record<string, string> = {
  max_vacuum_tasks: '0',
  disabled_compression_methods: STREAM_DISABLED_COMPRESSION,
};

/**
 * Statements that merge the small row groups: merging and all compressions back on, a change for the checkpoint to
 * write (a checkpoint with nothing to write does nothing; creating and dropping a table leaves nothing behind), the
 * checkpoint, and the stream's settings again. Run with no write transaction open: a checkpoint that another transaction's reads depend on
 * skips merging (DuckDB then makes a "concurrent" checkpoint), and the next pause tries again.
 */
export const MERGE_ROW_GROUPS_SQL = [
  `SET max_vacuum_tasks = ${DEFAULT_VACUUM_TASKS}`,
  `RESET disabled_compression_methods`,
  `CREATE TABLE kept_row_group_merge (x INTEGER)`,
  `DROP TABLE kept_row_group_merge`,
  `CHECKPOINT`,
  ...Object.entries(STREAM_SETTINGS).map(([name, value]) => `SET ${name} = '${value}'`),
];

/**
 * Runs `merge` once writes have paused for `idleMs` after any write. A merge that fails is tried again after the
 * next write and pause, not in a loop.
 */
export class IdleRowGroupMerger {
  private lastWrite = 0;
  private pending = false;
  private running = false;
  private readonly timer: NodeJS.Timeout;
  /** Merges run (diagnostics and tests). */
  merges = 0;

  constructor(
    private readonly idleMs: number,
    private readonly merge: () => Promise<void>,
  ) {
    this.timer = setInterval(() => void this.tick(), Math.max(10, Math.min(1000, Math.round(idleMs / 2))));
    // A pending merge never keeps the process alive.
    this.timer.unref();
  }

  /** A write transaction ended. */
  noteWrite(): void {
    this.lastWrite = performance.now();
    this.pending = true;
  }

  private async tick(): Promise<void> {
    if (!this.pending || this.running || performance.now() - this.lastWrite < this.idleMs) return;
    this.running = true;
    this.pending = false;
    try {
      await this.merge();
      this.merges++;
    } catch {
      // Left to the next pause (see above).
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
