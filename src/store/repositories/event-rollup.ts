/**
 * The `event_daily` rollup (migrations 004 and 005): every writer of events inserts the counts of what it inserted,
 * in the same transaction, so the sums per day and channel always equal `SELECT day, channel, count(*) FROM
 * events`. Rows are deltas: a day and channel may have several, and readers sum them. From time to time a writer
 * folds a workspace's rows back into one per day and channel, in its transaction.
 */
import type { Queryable, SqlValue } from '../engines/engine.js';
import { epochDay } from './sql-fragments.js';

const DAY = 86_400_000;

/** A writer folds its workspace's rows after this many additions (per process; a fold changes no sum). */
export const FOLD_EVERY = 512;
const additions = new Map<string, number>();

/** Counts per (day, channel) of events about to be or just inserted, from their times (epoch ms) and channels. */
export class EventDayCounts {
  private readonly counts = new Map<string, number>();
  add(occurredAtMs: number, channel: string | null | undefined): void {
    const key = `${Math.floor(occurredAtMs / DAY)}\u0000${channel ?? ''}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  rows(): SqlValue[][] {
    return [...this.counts].map(([key, n]) => {
      const cut = key.indexOf('\u0000');
      return [Number(key.slice(0, cut)), key.slice(cut + 1), n];
    });
  }
}

/** Up to this many (day, channel) counts go in one statement as parameters; more through a temporary table. */
const INLINE_ROWS = 100;

export async function addToEventRollup(tx: Queryable, workspaceId: string, counts: EventDayCounts): Promise<void> {
  const rows = counts.rows();
  if (rows.length === 0) return;
  if (rows.length <= INLINE_ROWS) {
    // A batch spans a few days and channels: one statement instead of a load and an insert.
    const values = rows.map((_, i) => `(CAST($${3 * i + 2} AS BIGINT), CAST($${3 * i + 3} AS TEXT), CAST($${3 * i + 4} AS BIGINT))`);
    await tx.write(`INSERT INTO event_daily (workspace_id, day, channel, n) SELECT $1, day, channel, n FROM (VALUES ${values.join(', ')}) AS c (day, channel, n)`, [
      workspaceId,
      ...rows.flat(),
    ]);
  } else await insertCounts(tx, workspaceId, rows);
  const added = (additions.get(workspaceId) ?? 0) + 1;
  additions.set(workspaceId, added % FOLD_EVERY);
  if (added >= FOLD_EVERY) await foldEventRollup(tx, workspaceId);
}

async function insertCounts(tx: Queryable, workspaceId: string, rows: SqlValue[][]): Promise<void> {
  await tx.loadTemp(
    'event_day_counts',
    [
      { name: 'day', type: 'bigint' },
      { name: 'channel', type: 'text' },
      { name: 'n', type: 'bigint' },
    ],
    rows,
  );
  await tx.write(`INSERT INTO event_daily (workspace_id, day, channel, n) SELECT $1, day, channel, n FROM event_day_counts`, [workspaceId]);
}

/** Adds every event one import inserted (for a writer that inserts them all in one statement), then folds. */
export async function addImportToEventRollup(tx: Queryable, workspaceId: string, importId: number): Promise<void> {
  await tx.write(
    `INSERT INTO event_daily (workspace_id, day, channel, n)
     SELECT workspace_id, ${epochDay(tx.kind, 'occurred_at')}, coalesce(channel, ''), count(*) FROM events
      WHERE workspace_id = $1 AND import_id = $2 GROUP BY 1, 2, 3`,
    [workspaceId, importId],
  );
  await foldEventRollup(tx, workspaceId);
}

/** Replaces a workspace's rows by one per day and channel holding their sum (the sums are unchanged). */
export async function foldEventRollup(tx: Queryable, workspaceId: string): Promise<void> {
  const sums = await tx.query<{ day: number; channel: string; n: number }>(
    `SELECT day, channel, sum(n) AS n FROM event_daily WHERE workspace_id = $1 GROUP BY day, channel`,
    [workspaceId],
  );
  await tx.run(`DELETE FROM event_daily WHERE workspace_id = $1`, [workspaceId]);
  if (sums.length > 0) await insertCounts(tx, workspaceId, sums.map((r) => [Number(r.day), r.channel, Number(r.n)]));
}

/** Event counts per day and channel between two day numbers (inclusive start, exclusive end). */
export async function readRollupVolumes(db: Queryable, workspaceId: string, fromDay: number, toDay: number) {
  const rows = await db.query<{ day: number; channel: string; count: number }>(
    `SELECT day, channel, sum(n) AS count FROM event_daily WHERE workspace_id = $1 AND day >= $2 AND day < $3 GROUP BY day, channel`,
    [workspaceId, fromDay, toDay],
  );
  return rows.map((r) => ({ day: Number(r.day), channel: r.channel === '' ? null : r.channel, count: Number(r.count) }));
}
