/**
 * Designed journeys: the company's definition of a journey (steps, owners, measures, targets) as validated JSON
 * text, one row per journey and workspace. TEXT keeps the DDL portable (ADR 0002); the definition is parsed and
 * validated in src/core/journeys/designed.ts, never queried field by field in SQL.
 */
import type { Migration } from './migration.js';

export const journeys: Migration = {
  version: 2,
  name: 'designed journeys',
  statements: () => [
    `CREATE TABLE designed_journeys (
      workspace_id TEXT NOT NULL,
      journey_id TEXT NOT NULL,
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (workspace_id, journey_id)
    )`,
  ],
};
