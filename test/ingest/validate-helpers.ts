/** Shared helpers of the validation tests (not a test file itself). */
import type { Entity, RecordByEntity, RowRejection } from '../../src/core/records.js';
import { validateRecord, type ValidationContext } from '../../src/ingest/validate.js';

/** The context the helpers validate with: rejections carry line 7. */
export const ctx: ValidationContext = { line: 7 };

/** The record of a row that must be valid. */
export function recordOf<E extends Entity>(entity: E, values: Record<string, unknown>, c = ctx): RecordByEntity[E] {
  const result = validateRecord(entity, values, c);
  if (!result.ok) throw new Error(`unexpected rejections: ${JSON.stringify(result.rejections)}`);
  return result.record;
}

/** The rejections of a row that must be invalid. */
export function rejectionsOf(entity: Entity, values: Record<string, unknown>): RowRejection[] {
  const result = validateRecord(entity, values, ctx);
  if (result.ok) throw new Error(`expected rejections, got ${JSON.stringify(result.record)}`);
  return result.rejections;
}

/** The reason given for `field` of an invalid row. */
export const reasonFor = (entity: Entity, values: Record<string, unknown>, field: string): string | undefined =>
  rejectionsOf(entity, values).find((r) => r.field === field)?.reason;
