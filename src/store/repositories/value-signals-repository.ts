/**
 * What customers said and how they were served, per profile, for the silent-churn radar, revenue at risk and
 * next-best-action: feedback scores and complaints in a recent window, the latest NPS/CSAT/CES, and tickets.
 * Read live (not stored with a value run) so a complaint filed after the last run still counts.
 */
import type { Queryable } from '../engines/engine.js';

export interface FeedbackSignalRow {
  profile_id: number;
  responses: number;
  /** NPS ≤ 6 responses in the window. */
  detractors: number;
  /** CSAT ≤ 2, stars ≤ 2 or CES ≤ 3 (hard to deal with) responses in the window. */
  low_scores: number;
  /** Written feedback without a score received by email: unsolicited complaints. */
  complaints: number;
  min_nps: number | null;
  mean_csat: number | null;
}

/** Per-profile feedback aggregates since `since` (ISO). */
export async function readFeedbackSignals(db: Queryable, workspaceId: string, since: string): Promise<FeedbackSignalRow[]> {
  return db.query<FeedbackSignalRow>(
    `SELECT profile_id, count(*) AS responses,
            sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS detractors,
            sum(CASE WHEN csat <= 2 OR stars <= 2 OR ces <= 3 THEN 1 ELSE 0 END) AS low_scores,
            sum(CASE WHEN source = 'email' AND nps IS NULL AND csat IS NULL AND ces IS NULL AND stars IS NULL THEN 1 ELSE 0 END) AS complaints,
            min(nps) AS min_nps, avg(csat) AS mean_csat
       FROM feedback
      WHERE workspace_id = $1 AND profile_id IS NOT NULL AND occurred_at >= CAST($2 AS TIMESTAMPTZ)
      GROUP BY profile_id`,
    [workspaceId, since],
  );
}

export interface LatestScoreRow {
  profile_id: number;
  score: number;
  scored_at: string;
}

/** Each profile's latest score of one kind (any time), e.g. their latest NPS. */
export async function readLatestScores(db: Queryable, workspaceId: string, kind: 'nps' | 'csat' | 'ces'): Promise<LatestScoreRow[]> {
  // `kind` is one of three column names fixed above, never user input.
  return db.query<LatestScoreRow>(
    `SELECT profile_id, score, scored_at FROM (
       SELECT profile_id, ${kind} AS score, occurred_at AS scored_at,
              row_number() OVER (PARTITION BY profile_id ORDER BY occurred_at DESC, feedback_id DESC) AS rn
         FROM feedback WHERE workspace_id = $1 AND profile_id IS NOT NULL AND ${kind} IS NOT NULL) s
      WHERE rn = 1`,
    [workspaceId],
  );
}

export interface TicketSignalRow {
  profile_id: number;
  channel: string | null;
  opened_at: string;
  first_agent_reply_at: string | null;
  closed_at: string | null;
}

/** Tickets opened since `since`, and every ticket still open, with what the reply-target check needs. */
export async function readTicketSignals(db: Queryable, workspaceId: string, since: string): Promise<TicketSignalRow[]> {
  return db.query<TicketSignalRow>(
    `SELECT profile_id, channel, opened_at, first_agent_reply_at, closed_at FROM tickets
      WHERE workspace_id = $1 AND profile_id IS NOT NULL AND (opened_at >= CAST($2 AS TIMESTAMPTZ) OR closed_at IS NULL)`,
    [workspaceId, since],
  );
}

/** Display names of some profiles (any source record's name). */
export async function readProfileNames(db: Queryable, workspaceId: string, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const list = ids.map((_, i) => `$${i + 2}`).join(', ');
  const rows = await db.query<{ profile_id: number; name: string }>(
    `SELECT profile_id, max(name) AS name FROM customers WHERE workspace_id = $1 AND profile_id IN (${list}) AND name IS NOT NULL GROUP BY profile_id`,
    [workspaceId, ...ids],
  );
  return new Map(rows.map((r) => [r.profile_id, r.name]));
}
