/**
 * HTTP batch ingestion: validate every record (per-record errors, never all-or-nothing), resolve identities and
 * store the valid ones. Idempotent on source ids: a retried request stores nothing twice.
 */
import type { IdentityConfig } from '../../core/identity/config.js';
import type { Entity, Located, RecordByEntity } from '../../core/records.js';
import type { Engine } from '../../store/engines/engine.js';
import { writeGroupedBatch } from './write-groups.js';
import { unknownColumnRejections, validateRecord } from '../../ingest/validate.js';

export interface BatchResponse {
  importId: number;
  received: number;
  stored: number;
  updated: number;
  skipped: number;
  rejected: number;
  errors: { index: number; field?: string | undefined; reason: string }[];
  warnings: { index: number; field?: string | undefined; reason: string }[];
}

export async function ingestBatch(
  engine: Engine,
  workspaceId: string,
  entity: Entity,
  records: readonly unknown[],
  options: { identityConfig: IdentityConfig; defaultSource?: string | undefined; defaultCurrency?: string | undefined },
): Promise<BatchResponse> {
  const errors: BatchResponse['errors'] = [];
  const valid: Located<RecordByEntity[Entity]>[] = [];
  records.forEach((values, index) => {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      errors.push({ index, reason: 'each record must be a JSON object' });
      return;
    }
    const result = validateRecord(entity, values as Record<string, unknown>, {
      line: index,
      defaultSource: options.defaultSource,
      defaultCurrency: options.defaultCurrency,
    });
    if (result.ok) valid.push({ line: index, record: result.record });
    else for (const r of result.rejections) errors.push({ index, field: r.field, reason: r.reason });
  });
  // Written together with whatever other requests are waiting for this workspace (see write-groups.ts).
  const invalidRows = new Set(errors.map((e) => e.index)).size;
  const outcome = await writeGroupedBatch(engine, workspaceId, entity, options.identityConfig, valid, records.length, invalidRows);
  const importId = outcome.importId;
  for (const r of outcome.rejected) errors.push({ index: r.line, field: r.field, reason: r.reason });
  errors.sort((a, b) => a.index - b.index);
  const rejected = new Set(errors.map((e) => e.index)).size;
  const warnings = [...unknownFieldWarnings(entity, records), ...outcome.warnings.map((w) => ({ index: w.line, field: w.field, reason: w.reason }))];
  warnings.sort((a, b) => a.index - b.index);
  return {
    importId,
    received: records.length,
    stored: outcome.stored,
    updated: outcome.updated,
    skipped: outcome.skipped,
    rejected,
    errors,
    warnings,
  };
}

/** Fields no column of the entity takes: ignored, with a warning at the first record that has each. */
function unknownFieldWarnings(entity: Entity, records: readonly unknown[]): BatchResponse['warnings'] {
  const firstIndex = new Map<string, number>();
  records.forEach((values, index) => {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return;
    for (const key of Object.keys(values)) if (!firstIndex.has(key)) firstIndex.set(key, index);
  });
  return unknownColumnRejections(entity, [...firstIndex.keys()]).map((u) => ({
    index: firstIndex.get(u.field!)!,
    field: u.field,
    reason: u.reason.replace('unknown column', 'unknown field'),
  }));
}
