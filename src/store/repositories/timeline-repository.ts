/**
 * A profile's cross-channel timeline: events, orders, ticket stream entries and feedback in one keyset-paged
 * list, newest first. Each source is limited before the union, so a page costs the same at any history length.
 */
import type { Queryable, SqlValue } from '../engines/engine.js';

export const TIMELINE_KINDS = ['event', 'order', 'ticket', 'feedback'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineRow {
  kind: TimelineKind;
  id: string;
  ts: string;
  channel: string | null;
  touchpoint: string | null;
  team: string | null;
  /** event type, order status, ticket entry kind, feedback source */
  label: string | null;
  /** event properties JSON, ticket message body, feedback text */
  text: string | null;
  /** event value, order amount, feedback score */
  value: number | null;
  /** ticket id, order currency, feedback survey */
  ref: string | null;
  /** ticket status, feedback score kind */
  extra: string | null;
}

export interface TimelineCursor {
  at: string;
  kind: TimelineKind;
  id: string;
}

const SOURCES: Record<TimelineKind, { table: string; at: string; id: string; select: string }> = {
  event: {
    table: 'events',
    at: 'occurred_at',
    id: 'event_id',
    select: `'event' AS kind, event_id AS id, occurred_at AS ts, channel, touchpoint, team, type AS label,
             properties AS text, value, CAST(NULL AS TEXT) AS ref, CAST(NULL AS TEXT) AS extra`,
  },
  order: {
    table: 'orders',
    at: 'ordered_at',
    id: 'order_id',
    select: `'order' AS kind, order_id AS id, ordered_at AS ts, channel, touchpoint, CAST(NULL AS TEXT) AS team,
             status AS label, properties AS text, CAST(amount AS DOUBLE PRECISION) AS value, currency AS ref,
             CAST(items AS TEXT) AS extra`,
  },
  ticket: {
    table: 'ticket_events',
    at: 'occurred_at',
    id: 'ticket_event_id',
    select: `'ticket' AS kind, ticket_event_id AS id, occurred_at AS ts, channel, CAST(NULL AS TEXT) AS touchpoint, team,
             kind AS label, COALESCE(body, subject) AS text, CAST(NULL AS DOUBLE PRECISION) AS value, ticket_id AS ref,
             COALESCE(status, author_role) AS extra`,
  },
  feedback: {
    table: 'feedback',
    at: 'occurred_at',
    id: 'feedback_id',
    select: `'feedback' AS kind, feedback_id AS id, occurred_at AS ts, channel, touchpoint, team, source AS label, text,
             CAST(COALESCE(nps, csat, ces, stars) AS DOUBLE PRECISION) AS value, survey AS ref,
             CASE WHEN nps IS NOT NULL THEN 'nps' WHEN csat IS NOT NULL THEN 'csat' WHEN ces IS NOT NULL THEN 'ces'
                  WHEN stars IS NOT NULL THEN 'stars' ELSE NULL END AS extra`,
  },
};

export async function readTimeline(
  db: Queryable,
  workspaceId: string,
  profileId: number,
  options: { kinds: readonly TimelineKind[]; channel: string | null; cursor: TimelineCursor | null; limit: number },
): Promise<TimelineRow[]> {
  const params: SqlValue[] = [workspaceId, profileId, options.limit];
  let channelCond = '';
  if (options.channel) {
    params.push(options.channel);
    channelCond = ` AND channel = $${params.length}`;
  }
  let cursorParams: [number, number, number] | null = null;
  if (options.cursor) {
    params.push(options.cursor.at, options.cursor.kind, options.cursor.id);
    cursorParams = [params.length - 2, params.length - 1, params.length];
  }
  const parts = options.kinds.map((kind) => {
    const s = SOURCES[kind];
    let cond = `workspace_id = $1 AND profile_id = $2${channelCond}`;
    if (cursorParams) {
      const [a, k, i] = cursorParams;
      // Keyset: strictly after the cursor in (at DESC, kind DESC, id DESC) order.
      cond += ` AND (${s.at} < CAST($${a} AS TIMESTAMPTZ) OR (${s.at} = CAST($${a} AS TIMESTAMPTZ) AND ('${kind}' < $${k} OR ('${kind}' = $${k} AND ${s.id} < $${i}))))`;
    }
    return `(SELECT ${s.select} FROM ${s.table} WHERE ${cond} ORDER BY ${s.at} DESC, ${s.id} DESC LIMIT $3)`;
  });
  if (parts.length === 0) return [];
  return db.query<TimelineRow>(
    `SELECT * FROM (${parts.join(' UNION ALL ')}) t ORDER BY ts DESC, kind DESC, id DESC LIMIT $3`,
    params,
  );
}
