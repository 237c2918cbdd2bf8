/** `--db`: a DuckDB file path or a postgres:// URL; default from the environment (src/config/env.ts). */
import type { KeptConfig } from '../config/env.js';
import type { StoreLocation } from '../store/open-store.js';

/** What a command asks of an embedded DuckDB; PostgreSQL ignores it. */
export interface DuckDbTuning {
  /** DuckDB's memory_limit; left unset, DuckDB may use 80% of RAM for its buffer pool. */
  memoryLimit?: string;
  /** WAL size that triggers a checkpoint; the engine's default (256MB, sized for bulk writes) when unset. */
  checkpointThreshold?: string;
}

/**
 * DuckDB settings per kind of command.
 * - `memoryLimit`: the server stays well under 1 GB RSS (256MB: its reads of millions of rows run as fast as at
 *   512MB and peak lower, docs/adr/0016); the writing commands (`import`, `demo`) spill large
 *   staging tables to disk rather than hold them (about 1.1 GB less peak RSS on the 1M-customer demo, see
 *   docs/ingestion.md).
 * - `checkpointThreshold`: rows committed since the last checkpoint stay in DuckDB's memory, uncompressed and
 *   outside memory_limit. Under sustained HTTP writes they grew to ~400 MB before a 256MB WAL triggered a
 *   checkpoint, taking the server past 1 GB RSS; the server checkpoints at 64MB (docs/adr/0013).
 */
export const DUCKDB_TUNING = {
  serve: { memoryLimit: '256MB', checkpointThreshold: '64MB' },
  write: { memoryLimit: '1GB' },
} as const satisfies Record<string, DuckDbTuning>;

export function storeLocation(db: string | undefined, config: KeptConfig, tuning: DuckDbTuning = {}): StoreLocation {
  const duckdb = { duckdbMemoryLimit: tuning.memoryLimit, duckdbCheckpointThreshold: tuning.checkpointThreshold };
  if (db && /^postgres(ql)?:\/\//.test(db)) return { databaseUrl: db };
  if (db) return { duckdbPath: db, ...duckdb };
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  return { duckdbPath: config.duckdbPath, ...duckdb };
}
