/** Designed journeys per workspace: the definition is stored as JSON text and validated by the caller. */
import type { Engine, Queryable } from '../engines/engine.js';

export interface DesignedJourneyRow {
  journey_id: string;
  name: string;
  definition: string;
  updated_at: string;
}

export async function listDesignedJourneys(db: Queryable, workspaceId: string): Promise<DesignedJourneyRow[]> {
  return db.query<DesignedJourneyRow>(
    `SELECT journey_id, name, definition, updated_at FROM designed_journeys WHERE workspace_id = $1 ORDER BY journey_id`,
    [workspaceId],
  );
}

export async function getDesignedJourney(db: Queryable, workspaceId: string, journeyId: string): Promise<DesignedJourneyRow | null> {
  const rows = await db.query<DesignedJourneyRow>(
    `SELECT journey_id, name, definition, updated_at FROM designed_journeys WHERE workspace_id = $1 AND journey_id = $2`,
    [workspaceId, journeyId],
  );
  return rows[0] ?? null;
}

/** Creates or replaces a journey; returns true when it already existed. DELETE + INSERT, as elsewhere (ADR 0002). */
export async function putDesignedJourney(
  engine: Engine,
  workspaceId: string,
  journeyId: string,
  name: string,
  definition: string,
): Promise<boolean> {
  return engine.transaction(async (tx) => {
    await tx.lockWorkspace(workspaceId);
    const removed = await tx.query<{ n: number }>(
      `SELECT count(*) AS n FROM designed_journeys WHERE workspace_id = $1 AND journey_id = $2`,
      [workspaceId, journeyId],
    );
    await tx.run(`DELETE FROM designed_journeys WHERE workspace_id = $1 AND journey_id = $2`, [workspaceId, journeyId]);
    await tx.run(
      `INSERT INTO designed_journeys (workspace_id, journey_id, name, definition, updated_at) VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ))`,
      [workspaceId, journeyId, name, definition, new Date().toISOString()],
    );
    return (removed[0]?.n ?? 0) > 0;
  });
}

/** Deletes a journey; returns false when there was none. */
export async function deleteDesignedJourney(db: Queryable, workspaceId: string, journeyId: string): Promise<boolean> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM designed_journeys WHERE workspace_id = $1 AND journey_id = $2`,
    [workspaceId, journeyId],
  );
  if ((rows[0]?.n ?? 0) === 0) return false;
  await db.run(`DELETE FROM designed_journeys WHERE workspace_id = $1 AND journey_id = $2`, [workspaceId, journeyId]);
  return true;
}
