/** The `imports` ledger: one row per file or HTTP batch, with its counts, so every stored row is traceable. */
import type { Entity } from '../../core/records.js';
import type { Engine, Queryable } from '../engines/engine.js';

export interface ImportCounts {
  read: number;
  stored: number;
  skipped: number;
  rejected: number;
}

export async function startImport(engine: Engine, workspaceId: string, entity: Entity, origin: string): Promise<number> {
  return engine.transaction((tx) => startImportIn(tx, workspaceId, entity, origin));
}

/** {@link startImport} inside a transaction of the caller's (the import row commits or rolls back with it). */
export async function startImportIn(tx: Queryable, workspaceId: string, entity: Entity, origin: string): Promise<number> {
  // One statement (id drawn and row written together): this runs once per HTTP group, on its critical path.
  const [row] = await tx.query<{ import_id: number }>(
    `INSERT INTO imports (workspace_id, import_id, entity, origin, started_at, status)
     VALUES ($1, nextval('import_id_seq'), $2, $3, CAST($4 AS TIMESTAMPTZ), 'running')
     RETURNING import_id`,
    [workspaceId, entity, origin, new Date().toISOString()],
  );
  return Number(row!.import_id);
}

export async function finishImport(
  engine: Engine | Queryable,
  workspaceId: string,
  importId: number,
  counts: ImportCounts,
  status: 'done' | 'failed',
): Promise<void> {
  await engine.run(
    `UPDATE imports SET finished_at = CAST($3 AS TIMESTAMPTZ), rows_read = $4, rows_stored = $5, rows_skipped = $6,
            rows_rejected = $7, status = $8
      WHERE workspace_id = $1 AND import_id = $2`,
    [workspaceId, importId, new Date().toISOString(), counts.read, counts.stored, counts.skipped, counts.rejected, status],
  );
}

/**
 * Writes a whole import row at once, for a batch written in one transaction: nobody outside can see the row
 * before the commit anyway, so "running" then "done" would be two statements on the write's critical path.
 */
export async function recordImportIn(
  tx: Queryable,
  workspaceId: string,
  importId: number,
  entity: Entity,
  origin: string,
  startedAt: Date,
  counts: ImportCounts,
): Promise<void> {
  await tx.write(
    `INSERT INTO imports (workspace_id, import_id, entity, origin, started_at, finished_at, rows_read, rows_stored, rows_skipped, rows_rejected, status)
     VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ), CAST($6 AS TIMESTAMPTZ), $7, $8, $9, $10, 'done')`,
    [workspaceId, importId, entity, origin, startedAt.toISOString(), new Date().toISOString(), counts.read, counts.stored, counts.skipped, counts.rejected],
  );
}
