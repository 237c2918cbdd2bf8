/**
 * Chooses the engine from configuration (PostgreSQL when a URL is given, else the DuckDB file) and brings the
 * schema up to date.
 */
import type { Engine } from './engines/engine.js';
import { openDuckDb } from './engines/duckdb-engine.js';
import { openPostgres } from './engines/postgres-engine.js';
import { migrate, type MigrationOutcome } from './migrator.js';

export interface StoreLocation {
  databaseUrl?: string | undefined;
  duckdbPath?: string | undefined;
  duckdbMemoryLimit?: string | undefined;
  /** WAL size that triggers a DuckDB checkpoint (see openDuckDb); the engine's default when absent. */
  duckdbCheckpointThreshold?: string | undefined;
  /** Checkpoints without merging row groups, merged after this many ms without writes (see openDuckDb). */
  duckdbMergeRowGroupsWhenIdleMs?: number | undefined;
}

/** `onMigrated` receives what the migrations did on opening (`kept migrate` reports it). */
export async function openEngine(
  location: StoreLocation,
  onMigrated?: (outcomes: MigrationOutcome[]) => void,
): Promise<Engine> {
  const engine = location.databaseUrl
    ? openPostgres({ url: location.databaseUrl })
    : await openDuckDb({
        path: location.duckdbPath ?? ':memory:',
        memoryLimit: location.duckdbMemoryLimit,
        checkpointThreshold: location.duckdbCheckpointThreshold,
        mergeRowGroupsWhenIdleMs: location.duckdbMergeRowGroupsWhenIdleMs,
      });
  try {
    const outcomes = await migrate(engine);
    const failed = outcomes.find((o) => o.status === 'failed');
    if (failed) throw new Error(`migration ${failed.version} (${failed.name}) failed: ${failed.error ?? ''}`);
    onMigrated?.(outcomes);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  return engine;
}
