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
import type { Engine, EngineKind, SqlValue } from '../engines/engine.js';
import { logFromPackedStream, packSql } from './journey-columns.js';
import { position, readJourneyDictionary, tieBreak, type JourneyDictionary } from './journey-log-parts.js';
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
export async function readJourneyView(
  engine: Engine,
  workspaceId: string,
  property: string,
  steps: readonly DesignedStep[],
  dictionary?: JourneyDictionary,
): Promise<EventLog> {
  const kind = engine.kind;
  const dict = dictionary ?? (await readJourneyDictionary(engine, workspaceId, 'type'));
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
       WHERE ${viewEventsWhere(conditions, caseExpr)}) v
    WINDOW w AS (ORDER BY c, o, tb)
    ORDER BY c, o, tb`;
  const names = steps.map((s) => s.name);
  const shape = { activityNames: names, teams: dict.teams, channels: dict.channels, activityBase: 0 as const, caseIdColumn: true };
  return logFromPackedStream(engine.streamColumns(sql, params), shape, await countViewEvents(engine, workspaceId, property, steps));
}

/**
 * How many events the view will hold, so its columns are sized once. Grown as rows arrive, they were copied at
 * each doubling and trimmed at the end: on the 1M-customer demo (5M events in the order journey's view) the read
 * peaked about 100 MB higher and took longer than this count (~1.4 s) costs. A hint only: rows written between the
 * two statements are still taken.
 */
export async function countViewEvents(engine: Engine, workspaceId: string, property: string, steps: readonly DesignedStep[]): Promise<number> {
  const params: SqlValue[] = [workspaceId];
  const conditions = steps.map((s) => stepCondition(engine.kind, s, params));
  const [row] = await engine.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM events e WHERE ${viewEventsWhere(conditions, jsonText(engine.kind, property))}`,
    params,
  );
  return Number(row?.n ?? 0);
}

/** The events of a view (workspace `$1`): with a customer, a step and the case property. */
const viewEventsWhere = (conditions: readonly string[], caseExpr: string): string =>
  `e.workspace_id = $1 AND e.profile_id IS NOT NULL AND (${conditions.join(' OR ')}) AND ${caseExpr} IS NOT NULL`;

/** What the funnel needs of a journey keyed by an entity id, without the events that match no step. */
export interface FunnelEvents {
  /** Events that match at least one step, by case and time; activity ids are the first matching step. */
  log: EventLog;
  /** Per step, a flag per event of `log`: the step's rule matches it. */
  matches: Uint8Array[];
  /** Per event of `log`: the activity of the case's next event (any event), or null at the end of the case. */
  next: (string | null)[];
  /** Cases of the full log (events with the property), steps or not. */
  cases: number;
}

/** `a` copied into a larger array of the same kind. */
function grown<T extends Uint8Array | Uint32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/**
 * The funnel's input read in SQL: each step rule becomes one bit of a mask, and `lead` over all of the case's
 * events gives the activity that followed each step event. On the 1M-customer demo this brings 5M step events
 * across instead of the 9.1M-event log.
 *
 * The cases and step events are counted first, not beside the read: the two statements at once held DuckDB's
 * working memory together, and the count sizes the columns once, so each chunk is decoded as it arrives instead of
 * all of them being held (5M rows of four doubles and an id on the 1M demo) until the columns were built.
 */
export async function readFunnelEvents(
  engine: Engine,
  workspaceId: string,
  property: string,
  steps: readonly DesignedStep[],
  dictionary?: JourneyDictionary,
): Promise<FunnelEvents> {
  const kind = engine.kind;
  const dict = dictionary ?? (await readJourneyDictionary(engine, workspaceId, 'type'));
  const caseExpr = jsonText(kind, property);
  const countParams: SqlValue[] = [workspaceId];
  const anyStep = steps.map((s) => stepCondition(kind, s, countParams)).join(' OR ');
  const [counted] = await engine.query<{ cases: number | string; n: number | string }>(
    `SELECT count(DISTINCT ${caseExpr}) AS cases, count(*) FILTER (WHERE ${caseExpr} IS NOT NULL AND (${anyStep})) AS n
       FROM events e WHERE e.workspace_id = $1 AND e.profile_id IS NOT NULL`,
    countParams,
  );
  const params: SqlValue[] = [workspaceId, JSON.stringify(dict.activities)];
  const mask = steps.map((s, i) => `CASE WHEN ${stepCondition(kind, s, params)} THEN ${2 ** i} ELSE 0 END`).join(' + ');
  const timeSql = kind === 'duckdb' ? 'epoch_ms(e.occurred_at)' : 'floor(extract(epoch FROM e.occurred_at) * 1000)';
  const sql = `SELECT CASE WHEN c IS DISTINCT FROM lag(c) OVER w THEN c END AS id, p, t, m, nx FROM (
      SELECT c, p, t, m, o, tb, CAST(COALESCE(lead(a) OVER (PARTITION BY c ORDER BY o, tb), 0) AS DOUBLE PRECISION) AS nx FROM (
        SELECT ${caseExpr} AS c, CAST(e.profile_id AS DOUBLE PRECISION) AS p, CAST(${timeSql} AS DOUBLE PRECISION) AS t,
               CAST(${mask} AS DOUBLE PRECISION) AS m, ${position(kind, 2, 'e.type')} AS a, e.occurred_at AS o, ${tieBreak(kind, 'e')} AS tb
          FROM events e
         WHERE e.workspace_id = $1 AND e.profile_id IS NOT NULL AND ${caseExpr} IS NOT NULL) x) y
     WHERE m > 0
    WINDOW w AS (ORDER BY c, o, tb)
    ORDER BY c, o, tb`;
  // A hint: rows written between the two statements are still taken (the columns grow).
  let capacity = Number(counted?.n ?? 0);
  let activity = new Uint32Array(capacity);
  let times = new Float64Array(capacity);
  let matches = steps.map(() => new Uint8Array(capacity));
  // Sized once too: grown by push, the array's spare capacity and copies cost the heap tens of MB at 5M events.
  const next: (string | null)[] = new Array<string | null>(capacity);
  const caseIds: string[] = [];
  const caseProfile: number[] = [];
  const starts: number[] = [];
  let j = 0;
  for await (const columns of engine.streamColumns(sql, params)) {
    const [id, p, t, m, nx] = columns as [(string | null)[], Float64Array, Float64Array, Float64Array, Float64Array];
    if (j + p.length > capacity) {
      // By an eighth, not double: a count a few rows short (rows written meanwhile) must not double 5M-row columns.
      capacity = Math.max(j + p.length, Math.ceil(capacity * 1.125));
      activity = grown(activity, capacity);
      times = grown(times, capacity);
      matches = matches.map((flags) => grown(flags, capacity));
    }
    for (let i = 0; i < p.length; i++, j++) {
      if (id[i] !== null) {
        caseIds.push(id[i]!);
        caseProfile.push(p[i]!);
        starts.push(j);
      }
      let first = -1;
      for (let s = 0; s < steps.length; s++) {
        if (Math.floor(m[i]! / 2 ** s) % 2 === 1) {
          matches[s]![j] = 1;
          if (first < 0) first = s;
        }
      }
      activity[j] = first;
      times[j] = t[i]!;
      // nx is the 1-based position of the next event's activity; 0 at the end of the case.
      next[j] = nx[i]! > 0 ? dict.activities[nx[i]! - 1]! : null;
    }
  }
  // Fewer rows than counted (deleted meanwhile): the columns end where the rows did.
  if (j < capacity) {
    activity = activity.subarray(0, j);
    times = times.subarray(0, j);
    matches = matches.map((flags) => flags.subarray(0, j));
    next.length = j;
  }
  starts.push(j);
  const log: EventLog = {
    caseIds,
    caseStart: Uint32Array.from(starts),
    activity,
    activityNames: steps.map((s) => s.name),
    time: times,
    caseProfile: Float64Array.from(caseProfile),
  };
  return { log, matches, next, cases: Number(counted?.cases ?? 0) };
}
