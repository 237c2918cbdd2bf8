/**
 * Loads the synthetic demo company straight into the store through the same batch writer as every import
 * (identity resolution included). A person's customer records are always flushed before their other records,
 * so facts link to the profiles their customer records created instead of creating profiles to merge later.
 */
import { generateDemo, type DemoOptions } from '../core/demo/index.js';
import type { IdentityConfig } from '../core/identity/config.js';
import { ENTITIES, type Entity, type Located, type RecordByEntity } from '../core/records.js';
import type { Engine } from '../store/engines/engine.js';
import { finishImport, startImport } from '../store/repositories/import-repository.js';
import { emptyOutcome, prepareBatch } from './batch-writer.js';
import { DEFAULT_BATCH_SIZE } from './import-file.js';
import { ProfileCache } from './identity-step.js';
import { addOutcome, storeBatch } from './store-batch.js';

export interface DemoLoadSummary {
  workspace: string;
  people: number;
  counts: Record<Entity, { stored: number; rejected: number }>;
  profiles_created: number;
  merges: number;
  seconds: number;
  records_per_s: number;
}

type Buffers = { [E in Entity]: Located<RecordByEntity[E]>[] };

export async function loadDemo(
  engine: Engine,
  workspaceId: string,
  options: DemoOptions & { identityConfig: IdentityConfig; batchSize?: number; onProgress?: (people: number) => void },
): Promise<DemoLoadSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const importIds = {} as Record<Entity, number>;
  for (const entity of ENTITIES) importIds[entity] = await startImport(engine, workspaceId, entity, `demo:seed=${options.seed ?? 42}`);
  const cache = engine.kind === 'duckdb' ? new ProfileCache() : undefined;
  const totals = Object.fromEntries(ENTITIES.map((e) => [e, emptyOutcome()])) as Record<Entity, ReturnType<typeof emptyOutcome>>;
  const buffers: Buffers = { customers: [], events: [], orders: [], tickets: [], feedback: [] };
  const lines = Object.fromEntries(ENTITIES.map((e) => [e, 0])) as Record<Entity, number>;

  // Writing is chained: one flush at a time, entities in order within it. The people of the next flush are
  // generated (and their batches prepared) while the previous flush is being written.
  let writing: Promise<void> = Promise.resolve();
  const flushAll = () => {
    const parts = ENTITIES.filter((entity) => buffers[entity].length > 0).map((entity) => {
      const batch = buffers[entity] as Located<RecordByEntity[Entity]>[];
      buffers[entity] = [];
      const ctx = { workspaceId, entity, importId: importIds[entity], identityConfig: options.identityConfig, cache };
      return { entity, ctx, batch, ready: prepareBatch(ctx, batch) };
    });
    writing = writing.then(async () => {
      for (const { entity, ctx, batch, ready } of parts) {
        const outcome = await storeBatch(engine, ctx, batch, ready);
        outcome.warnings = [];
        addOutcome(totals[entity], outcome);
      }
    });
  };

  let people = 0;
  for (const life of generateDemo(options)) {
    people++;
    for (const entity of ENTITIES) {
      const target = buffers[entity] as Located<unknown>[];
      for (const record of life[entity]) target.push({ line: ++lines[entity], record });
    }
    if (ENTITIES.some((e) => buffers[e].length >= batchSize)) {
      await writing;
      flushAll();
      options.onProgress?.(people);
    }
  }
  await writing;
  flushAll();
  await writing;
  options.onProgress?.(people);

  for (const entity of ENTITIES) {
    const t = totals[entity];
    await finishImport(engine, workspaceId, importIds[entity], { read: lines[entity], stored: t.stored + t.updated, skipped: t.skipped, rejected: t.rejected.length }, 'done');
  }
  const seconds = (performance.now() - started) / 1000;
  const records = ENTITIES.reduce((n, e) => n + lines[e], 0);
  return {
    workspace: workspaceId,
    people,
    counts: Object.fromEntries(ENTITIES.map((e) => [e, { stored: totals[e].stored + totals[e].updated, rejected: totals[e].rejected.length }])) as DemoLoadSummary['counts'],
    profiles_created: ENTITIES.reduce((n, e) => n + totals[e].newProfiles, 0),
    merges: ENTITIES.reduce((n, e) => n + totals[e].merges, 0),
    seconds: Math.round(seconds * 100) / 100,
    records_per_s: Math.round(records / seconds),
  };
}
