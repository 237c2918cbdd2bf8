/**
 * One identifier → profile cache per workspace for the server's writes on DuckDB. With DuckDB the server is the
 * only writer of its file (DuckDB locks it), so what the cache holds cannot be changed behind its back, except by
 * this process: by the batch writer itself (which keeps the cache up to date) and by an unmerge (which must call
 * {@link forgetProfiles}). PostgreSQL has other writers; there every batch looks its identifiers up.
 */
import type { Engine } from '../../store/engines/engine.js';
import { ProfileCache } from '../../ingest/identity-step.js';

const caches = new WeakMap<Engine, Map<string, ProfileCache>>();

export function profileCacheFor(engine: Engine, workspaceId: string): ProfileCache | undefined {
  if (engine.kind !== 'duckdb') return undefined;
  let byWorkspace = caches.get(engine);
  if (!byWorkspace) caches.set(engine, (byWorkspace = new Map<string, ProfileCache>()));
  let cache = byWorkspace.get(workspaceId);
  if (!cache) byWorkspace.set(workspaceId, (cache = new ProfileCache()));
  return cache;
}

/** Drops what is cached for a workspace, after a change of its profiles made outside the batch writer. */
export function forgetProfiles(engine: Engine, workspaceId: string): void {
  caches.get(engine)?.get(workspaceId)?.clear();
}
