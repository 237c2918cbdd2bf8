/**
 * Stores a batch so that one bad row cannot take good rows down with it: when the database refuses a batch,
 * it is split in halves and retried until the refusing row stands alone, and that row is rejected with the
 * database's reason. Each stored part is its own transaction, so nothing is ever half written.
 */
import type { Entity, Located, RecordByEntity } from '../core/records.js';
import type { Engine } from '../store/engines/engine.js';
import { emptyOutcome, writeBatch, type BatchContext, type BatchOutcome, type PreparedBatch } from './batch-writer.js';

export function addOutcome(total: BatchOutcome, part: BatchOutcome): BatchOutcome {
  total.stored += part.stored;
  total.updated += part.updated;
  total.skipped += part.skipped;
  total.rejected.push(...part.rejected);
  total.warnings.push(...part.warnings);
  total.blocked += part.blocked;
  total.newProfiles += part.newProfiles;
  total.merges += part.merges;
  return total;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 500);

export async function storeBatch<E extends Entity>(
  engine: Engine,
  ctx: BatchContext,
  batch: readonly Located<RecordByEntity[E]>[],
  /** `prepareBatch(ctx, batch)`, when the caller ran it ahead of time. */
  ready?: PreparedBatch<E>,
): Promise<BatchOutcome> {
  try {
    return await writeBatch(engine, ctx, batch, ready);
  } catch (error) {
    // An unreachable database is not a bad row: stop instead of rejecting everything that follows.
    if (/ECONN|connect|terminat|closed|timeout/i.test(reasonOf(error))) throw error;
    // The cache may hold profiles created by the rolled-back transaction.
    ctx.cache?.clear();
    if (batch.length === 1) {
      const out = emptyOutcome();
      out.rejected.push({ line: batch[0]!.line, reason: `the database refused this row: ${reasonOf(error)}` });
      return out;
    }
    const mid = Math.ceil(batch.length / 2);
    const first = await storeBatch(engine, ctx, batch.slice(0, mid));
    return addOutcome(first, await storeBatch(engine, ctx, batch.slice(mid)));
  }
}
