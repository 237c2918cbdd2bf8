/**
 * Saved rule-based segments and the per-workspace next-best-action rule set. Rules are stored as JSON text and
 * validated by the service (src/core/value/rules.ts) on the way in and out.
 */
import type { Engine, Queryable } from '../engines/engine.js';

export interface SegmentRow {
  segment_id: string;
  name: string;
  description: string | null;
  rule: string;
  created_at: string;
  updated_at: string;
}

export async function listSegments(db: Queryable, workspaceId: string): Promise<SegmentRow[]> {
  return db.query<SegmentRow>(
    `SELECT segment_id, name, description, rule, created_at, updated_at FROM segments WHERE workspace_id = $1 ORDER BY created_at, segment_id`,
    [workspaceId],
  );
}

export async function getSegment(db: Queryable, workspaceId: string, segmentId: string): Promise<SegmentRow | null> {
  const rows = await db.query<SegmentRow>(
    `SELECT segment_id, name, description, rule, created_at, updated_at FROM segments WHERE workspace_id = $1 AND segment_id = $2`,
    [workspaceId, segmentId],
  );
  return rows[0] ?? null;
}

export async function insertSegment(db: Queryable, workspaceId: string, s: { id: string; name: string; description: string | null; rule: string; at: string }): Promise<void> {
  await db.run(
    `INSERT INTO segments (workspace_id, segment_id, name, description, rule, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, CAST($6 AS TIMESTAMPTZ), CAST($6 AS TIMESTAMPTZ))`,
    [workspaceId, s.id, s.name, s.description, s.rule, s.at],
  );
}

/** Returns false when the segment does not exist. */
export async function updateSegment(db: Queryable, workspaceId: string, s: { id: string; name: string; description: string | null; rule: string; at: string }): Promise<boolean> {
  if (!(await getSegment(db, workspaceId, s.id))) return false;
  await db.run(`UPDATE segments SET name = $3, description = $4, rule = $5, updated_at = CAST($6 AS TIMESTAMPTZ) WHERE workspace_id = $1 AND segment_id = $2`, [
    workspaceId,
    s.id,
    s.name,
    s.description,
    s.rule,
    s.at,
  ]);
  return true;
}

/** Returns false when the segment does not exist. */
export async function deleteSegment(db: Queryable, workspaceId: string, segmentId: string): Promise<boolean> {
  if (!(await getSegment(db, workspaceId, segmentId))) return false;
  await db.run(`DELETE FROM segments WHERE workspace_id = $1 AND segment_id = $2`, [workspaceId, segmentId]);
  return true;
}

/** A stored rule set (JSON text) of the given kind, or null when the workspace uses the default. */
export async function readRuleSet(db: Queryable, workspaceId: string, kind: string): Promise<{ rules: string; updatedAt: string } | null> {
  const rows = await db.query<{ rules: string; updated_at: string }>(`SELECT rules, updated_at FROM value_rules WHERE workspace_id = $1 AND kind = $2`, [
    workspaceId,
    kind,
  ]);
  const r = rows[0];
  return r ? { rules: r.rules, updatedAt: r.updated_at } : null;
}

export async function writeRuleSet(engine: Engine, workspaceId: string, kind: string, rules: string, at: string): Promise<void> {
  await engine.transaction(async (tx) => {
    await tx.lockWorkspace(workspaceId);
    // UPDATE-or-INSERT rather than DELETE + INSERT: DuckDB checks the primary key eagerly within a transaction.
    if (await readRuleSet(tx, workspaceId, kind)) {
      await tx.run(`UPDATE value_rules SET rules = $3, updated_at = CAST($4 AS TIMESTAMPTZ) WHERE workspace_id = $1 AND kind = $2`, [workspaceId, kind, rules, at]);
    } else {
      await tx.run(`INSERT INTO value_rules (workspace_id, kind, rules, updated_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))`, [workspaceId, kind, rules, at]);
    }
  });
}
