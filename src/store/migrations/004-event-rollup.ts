/**
 * Daily event counts per channel, kept up to date by every insert of events (events are immutable and a merge
 * changes neither their day nor their channel), so the Overview reads a few thousand rows instead of scanning
 * tens of millions of events. `channel` is '' for events without one: NULLs never conflict in a key.
 */
import { epochDay } from '../repositories/sql-fragments.js';
import type { Migration } from './migration.js';

export const eventRollup: Migration = {
  version: 4,
  name: 'daily event counts per channel',
  statements: (kind) => [
    `CREATE TABLE event_daily (
      workspace_id TEXT NOT NULL,
      day BIGINT NOT NULL,
      channel TEXT NOT NULL,
      n BIGINT NOT NULL,
      PRIMARY KEY (workspace_id, day, channel)
    )`,
    `INSERT INTO event_daily (workspace_id, day, channel, n)
     SELECT workspace_id, ${epochDay(kind, 'occurred_at')}, coalesce(channel, ''), count(*) FROM events GROUP BY 1, 2, 3`,
  ],
};
