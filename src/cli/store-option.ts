/** `--db`: a DuckDB file path or a postgres:// URL; default from the environment (src/config/env.ts). */
import type { KeptConfig } from '../config/env.js';
import type { StoreLocation } from '../store/open-store.js';

/**
 * DuckDB's memory_limit per kind of command; left unset, DuckDB may use 80% of RAM for its buffer pool. The server
 * stays well under 1 GB RSS; the writing commands (`import`, `demo`) spill large staging tables to disk rather
 * than hold them (about 1.1 GB less peak RSS on the 1M-customer demo, see docs/ingestion.md).
 */
export const DUCKDB_MEMORY = { serve: '512MB', write: '1GB' } as const;

export function storeLocation(db: string | undefined, config: KeptConfig, duckdbMemoryLimit?: string): StoreLocation {
  if (db && /^postgres(ql)?:\/\//.test(db)) return { databaseUrl: db };
  if (db) return { duckdbPath: db, duckdbMemoryLimit };
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  return { duckdbPath: config.duckdbPath, duckdbMemoryLimit };
}
