/**
 * The `event_daily` rollup (migration 004): every writer of events adds what it inserted, in the same
 * transaction, so the counts always equal `SELECT day, channel, count(*) FROM events`.
 */
import type { Queryable, SqlValue } from '../engines/engine.js';
import { epochDay } from './sql-fragments.js';

const DAY = 86_400_000;

const UPSERT = `ON CONFLICT (workspace_id, day, channel) DO UPDATE SET n = event_daily.n + excluded.n`;

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
    await tx.write(
      `INSERT INTO event_daily (workspace_id, day, channel, n) SELECT $1, day, channel, n FROM (VALUES ${values.join(', ')}) AS c (day, channel, n) ${UPSERT}`,
      [workspaceId, ...rows.flat()],
    );
    return;
  }
  await tx.loadTemp(
    'event_day_counts',
    [
      { name: 'day', type: 'bigint' },
      { name: 'channel', type: 'text' },
      { name: 'n', type: 'bigint' },
    ],
    rows,
  );
  await tx.write(`INSERT INTO event_daily (workspace_id, day, channel, n) SELECT $1, day, channel, n FROM event_day_counts ${UPSERT}`, [workspaceId]);
}

/** Adds every event one import inserted (for a writer that inserts them all in one statement). */
export async function addImportToEventRollup(tx: Queryable, workspaceId: string, importId: number): Promise<void> {
  await tx.write(
    `INSERT INTO event_daily (workspace_id, day, channel, n)
     SELECT workspace_id, ${epochDay(tx.kind, 'occurred_at')}, coalesce(channel, ''), count(*) FROM events
      WHERE workspace_id = $1 AND import_id = $2 GROUP BY 1, 2, 3
     ${UPSERT}`,
    [workspaceId, importId],
  );
}

/** Event counts per day and channel between two day numbers (inclusive start, exclusive end). */
export async function readRollupVolumes(db: Queryable, workspaceId: string, fromDay: number, toDay: number) {
  const rows = await db.query<{ day: number; channel: string; count: number }>(
    `SELECT day, channel, n AS count FROM event_daily WHERE workspace_id = $1 AND day >= $2 AND day < $3`,
    [workspaceId, fromDay, toDay],
  );
  return rows.map((r) => ({ day: Number(r.day), channel: r.channel === '' ? null : r.channel, count: Number(r.count) }));
}
