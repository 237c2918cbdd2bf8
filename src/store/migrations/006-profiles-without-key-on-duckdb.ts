/**
 * DuckDB: `profiles` without its primary key. The key was the one ART index left on a large table (ADR 0002 keeps
 * DuckDB's tables without indexes), and DuckDB treats appends to an indexed table apart: they take the checkpoint
 * lock, so a batch bringing new customers waited out a whole checkpoint. Profile ids come from `profile_id_seq`
 * and are only ever inserted by the identity step, so the key checked nothing the writer does not ensure.
 * Measured, paced at 50k events/s: `npm run bench -- http` p99 161.3 and 166.0 ms with the key, 104.4 and 134.7 ms
 * without (the 50 batches of new customers: 200.0–202.6 against 130.2–188.0 ms). PostgreSQL keeps its key.
 */
import type { Migration } from './migration.js';

export const profilesWithoutKeyOnDuckDb: Migration = {
  version: 6,
  name: 'profiles without a primary key on DuckDB',
  statements: (kind) =>
    kind === 'postgres'
      ? []
      : [
          `CREATE TABLE profiles_unkeyed (
            workspace_id TEXT NOT NULL,
            profile_id BIGINT NOT NULL,
            display_name TEXT,
            merged_into BIGINT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
          )`,
          `INSERT INTO profiles_unkeyed SELECT workspace_id, profile_id, display_name, merged_into, created_at, updated_at FROM profiles`,
          `DROP TABLE profiles`,
          `ALTER TABLE profiles_unkeyed RENAME TO profiles`,
        ],
};
