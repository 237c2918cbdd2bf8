/** Workspaces: every row in Kept belongs to one. Settings are a JSON document (identity rules, currency, …). */
import type { Engine, Queryable } from '../engines/engine.js';

export interface Workspace {
  id: string;
  name: string;
  settings: Record<string, unknown>;
  createdAt: string;
}

type WorkspaceRow = { workspace_id: string; name: string; settings: string; created_at: string };
const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.workspace_id,
  name: r.name,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
  createdAt: r.created_at,
});

export async function listWorkspaces(db: Queryable): Promise<Workspace[]> {
  const rows = await db.query<WorkspaceRow>('SELECT workspace_id, name, settings, created_at FROM workspaces ORDER BY workspace_id');
  return rows.map(toWorkspace);
}

export async function getWorkspace(db: Queryable, id: string): Promise<Workspace | null> {
  const rows = await db.query<WorkspaceRow>(
    'SELECT workspace_id, name, settings, created_at FROM workspaces WHERE workspace_id = $1',
    [id],
  );
  return rows[0] ? toWorkspace(rows[0]) : null;
}

/** Creates the workspace if absent; returns it either way. */
export async function ensureWorkspace(engine: Engine, id: string, name = id, settings: Record<string, unknown> = {}): Promise<Workspace> {
  return engine.transaction(async (tx) => {
    await tx.lockWorkspace(id);
    const existing = await getWorkspace(tx, id);
    if (existing) return existing;
    await tx.run(
      'INSERT INTO workspaces (workspace_id, name, settings, created_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))',
      [id, name, JSON.stringify(settings), new Date().toISOString()],
    );
    return (await getWorkspace(tx, id))!;
  });
}

/** Whether the workspace holds any customer record (the demo's: whether it was filled). */
export async function hasCustomers(db: Queryable, workspaceId: string): Promise<boolean> {
  const rows = await db.query<{ x: number }>('SELECT 1 AS x FROM customers WHERE workspace_id = $1 LIMIT 1', [workspaceId]);
  return rows.length > 0;
}
