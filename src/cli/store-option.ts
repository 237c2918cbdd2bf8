/** `--db`: a DuckDB file path or a postgres:// URL; default from the environment (src/config/env.ts). */
import type { KeptConfig } from '../config/env.js';
import type { StoreLocation } from '../store/open-store.js';

/** What a command asks of an embedded DuckDB; PostgreSQL ignores it. */
export interface DuckDbTuning {
  /** DuckDB's memory_limit; left unset, DuckDB may use 80% of RAM for its buffer pool. */
  memoryLimit?: string;
  /** WAL size that triggers a checkpoint; the engine's default (256MB, sized for bulk writes) when unset. */
  checkpointThreshold?: string;
  /** Checkpoints without merging row groups, merged in pauses between writes (see DuckDbOptions). */
  mergeRowGroupsWhenIdleMs?: number;
}

/**
 * DuckDB settings per kind of command.
 * - `memoryLimit`: the server stays well under 1 GB RSS (256MB: its reads of millions of rows run as fast as at
 *   512MB and peak lower, docs/adr/0016); the writing commands (`import`, `demo`) spill large
 *   staging tables to disk rather than hold them (about 1.1 GB less peak RSS on the 1M-customer demo, see
 *   docs/ingestion.md).
 * - `checkpointThreshold` and `mergeRowGroupsWhenIdleMs`: a checkpoint blocks the commit that triggers it, for a
 *   time that grows with the rows written since the last one. The server checkpoints at 8MB of WAL (about 60,000
 *   HTTP events) without merging row groups, and merges them after 5 s without writes (docs/adr/0018), so a
 *   commit waits tens of ms, not the ~0.5 s of a 64MB checkpoint with merging. Rows committed since the last
 *   checkpoint also stay in DuckDB's memory, outside memory_limit (docs/adr/0013): little at 8MB.
 */
export const DUCKDB_TUNING = {
  serve: { memoryLimit: '256MB', checkpointThreshold: '8MB', mergeRowGroupsWhenIdleMs: 5000 },
  write: { memoryLimit: '1GB' },
} as const satisfies Record<string, DuckDbTuning>;

export function storeLocation(db: string | undefined, config: KeptConfig, tuning: DuckDbTuning = {}): StoreLocation {
  const duckdb = {
    duckdbMemoryLimit: tuning.memoryLimit,
    duckdbCheckpointThreshold: tuning.checkpointThreshold,
    duckdbMergeRowGroupsWhenIdleMs: tuning.mergeRowGroupsWhenIdleMs,
  };
  if (db && /^postgres(ql)?:\/\//.test(db)) return { databaseUrl: db };
  if (db) return { duckdbPath: db, ...duckdb };
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  return { duckdbPath: config.duckdbPath, ...duckdb };
}
