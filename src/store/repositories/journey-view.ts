/**
 * A designed journey's view read straight from the store: only the events that are steps, each named by the
 * first step whose rule matches, one case per value of an entity-id property (order id, ticket id). The step
 * rules become one SQL CASE, so the database filters and names the events and no per-event attributes cross
 * over: on the 1M-customer demo the view of a journey is a few million numbers instead of a 20M-event log with
 * an attribute object per event. Same result as core `journeyView` on the full log (test/store/journey-view).
 *
 * Customer case notions cut a customer's events at pauses measured over all their events, steps or not, so
 * they cannot be read this way; the service reads the full log for those.
 */
import type { DesignedStep } from '../../core/journeys/designed.js';
import type { EventLog } from '../../core/journeys/event-log.js';
import type { ColumnChunk, Engine, EngineKind, SqlValue } from '../engines/engine.js';
import { logFromPackedColumns, packSql } from './journey-columns.js';
import { position, readJourneyDictionary, tieBreak } from './journey-log-parts.js';
import { jsonText } from './journey-repository.js';

const asList = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** The rule of one step as a SQL condition; values become parameters. */
function stepCondition(kind: EngineKind, step: DesignedStep, params: SqlValue[]): string {
  const m = step.match;
  const parts: string[] = [];
  const oneOf = (column: string, values: string[] | undefined) => {
    if (!values) return;
    const marks = values.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    parts.push(`${column} IN (${marks.join(', ')})`);
  };
  oneOf('e.type', asList(m.type));
  oneOf('e.touchpoint', asList(m.touchpoint));
  oneOf('e.channel', asList(m.channel));
  oneOf('e.team', asList(m.team));
  for (const [key, value] of Object.entries(m.properties ?? {})) {
    params.push(value);
    parts.push(`${jsonText(kind, key)} = $${params.length}`);
  }
  // A NULL column makes its IN unknown; COALESCE turns "unknown" into "no match", as the predicate in core does.
  return `COALESCE(${parts.join(' AND ')}, FALSE)`;
}

/**
 * The view of a journey whose cases are keyed by `property`: events ordered by case, time and storage order;
 * activity ids are step indices; `caseProfile` holds each case's customer (of its first step event). Rows cross over as numbers, with the case id only on the first row of each case.
 */
export async function readJourneyView(engine: Engine, workspaceId: string, property: string, steps: readonly DesignedStep[]): Promise<EventLog> {
  const kind = engine.kind;
  const dict = await readJourneyDictionary(engine, workspaceId, 'type');
  const params: SqlValue[] = [workspaceId, JSON.stringify(dict.teams), JSON.stringify(dict.channels)];
  const caseExpr = jsonText(kind, property);
  const conditions = steps.map((s) => stepCondition(kind, s, params));
  const stepIndex = `CASE ${conditions.map((c, i) => `WHEN ${c} THEN ${i}`).join(' ')} END`;
  const time = kind === 'duckdb' ? 'epoch_ms(e.occurred_at)' : 'floor(extract(epoch FROM e.occurred_at) * 1000)';
  const sql = `SELECT CASE WHEN c IS DISTINCT FROM lag(c) OVER w THEN c END AS id, p, t, k FROM (
      SELECT ${caseExpr} AS c, CAST(e.profile_id AS DOUBLE PRECISION) AS p, CAST(${time} AS DOUBLE PRECISION) AS t,
             ${packSql(stepIndex, position(kind, 2, 'e.team'), position(kind, 3, 'e.channel'), dict)} AS k,
             e.occurred_at AS o, ${tieBreak(kind, 'e')} AS tb
        FROM events e
       WHERE e.workspace_id = $1 AND e.profile_id IS NOT NULL AND (${conditions.join(' OR ')}) AND ${caseExpr} IS NOT NULL) v
    WINDOW w AS (ORDER BY c, o, tb)
    ORDER BY c, o, tb`;
  const chunks: ColumnChunk[] = [];
  for await (const columns of engine.streamColumns(sql, params)) chunks.push(columns);
  const names = steps.map((s) => s.name);
  return logFromPackedColumns(chunks, { activityNames: names, teams: dict.teams, channels: dict.channels, activityBase: 0, caseIdColumn: true });
}
