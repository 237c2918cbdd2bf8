import type { Migration } from './migration.js';
import { initial } from './001-initial.js';
import { journeys } from './002-journeys.js';
import { value } from './003-value.js';
import { eventRollup } from './004-event-rollup.js';
import { eventRollupDeltas } from './005-event-rollup-deltas.js';
import { profilesWithoutKeyOnDuckDb } from './006-profiles-without-key-on-duckdb.js';

/** Every migration, in order. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [initial, journeys, value, eventRollup, eventRollupDeltas, profilesWithoutKeyOnDuckDb];
