/** `--db`: a DuckDB file path or a postgres:// URL; default from the environment (src/config/env.ts). */
import type { KeptConfig } from '../config/env.js';
import type { StoreLocation } from '../store/open-store.js';

export function storeLocation(db: string | undefined, config: KeptConfig, duckdbMemoryLimit?: string): StoreLocation {
  if (db && /^postgres(ql)?:\/\//.test(db)) return { databaseUrl: db };
  if (db) return { duckdbPath: db, duckdbMemoryLimit };
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  return { duckdbPath: config.duckdbPath, duckdbMemoryLimit };
}
