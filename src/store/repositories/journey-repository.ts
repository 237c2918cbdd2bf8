/**
 * Events as an event log for process mining: a workspace's events streamed (bounded memory) into the core's
 * columnar {@link EventLog}, one case per customer (profile) or per value of an entity-id property such as
 * `order_id`. Session splitting by gap happens after, in core (`splitCasesByGap`), so the SQL stays one scan.
 */
import { EventLogBuilder, type EventLog } from '../../core/journeys/event-log.js';
import type { Engine, EngineKind, Queryable, SqlValue } from '../engines/engine.js';
import { logFromPackedStream, packSql } from './journey-columns.js';
import { position, readJourneyDictionary, tieBreak, type JourneyDictionary } from './journey-log-parts.js';

/** Event columns a step rule may read besides team and channel; anything else is a key of `properties`. */
const EVENT_COLUMNS = new Set(['type', 'touchpoint']);
const SAFE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

export interface JourneyLogQuery {
  /** Which event column names the activity. */
  activity: 'type' | 'touchpoint';
  caseBy: { by: 'customer' } | { by: 'property'; property: string };
  /** Extra per-event attributes: `type`, `touchpoint` or property names. */
  attributes?: readonly string[] | undefined;
  /** The workspace's dictionary for `activity`, when the caller has it (it costs a scan of the events). */
  dictionary?: JourneyDictionary | undefined;
}

/** A JSON property as text; the key is checked against SAFE_KEY, so inlining it cannot inject SQL. */
export function jsonText(kind: EngineKind, key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`unsafe property name: ${key}`);
  return kind === 'duckdb' ? `json_extract_string(e.properties, '$."${key}"')` : `(CAST(e.properties AS JSON) ->> '${key}')`;
}

const epochMs = (kind: EngineKind, column: string): string =>
  kind === 'duckdb' ? `epoch_ms(${column})` : `CAST(floor(extract(epoch FROM ${column}) * 1000) AS DOUBLE PRECISION)`;

/** Above this many distinct (activity, team, channel) combinations the rows carry the strings themselves. */
const MAX_COMBOS = 2000;

interface LogRow {
  c?: string;
  p: number;
  t: number;
  k?: number;
  a?: string;
  team?: string | null;
  channel?: string | null;
  [attribute: string]: unknown;
}

/**
 * The log without per-event attributes, read as numbers (journey-columns.ts): several times faster than rows of
 * strings and a number per case (`caseProfile`) instead of a case attribute object. `caseExpr` keys cases by an
 * entity id; undefined keys them by customer.
 */
async function readPackedLog(
  engine: Engine,
  workspaceId: string,
  activity: 'type' | 'touchpoint',
  caseExpr: string | undefined,
  dictionary: JourneyDictionary | undefined,
): Promise<EventLog> {
  const kind = engine.kind;
  const dict = dictionary ?? (await readJourneyDictionary(engine, workspaceId, activity));
  const columns = `CAST(e.profile_id AS DOUBLE PRECISION) AS p, CAST(${epochMs(kind, 'e.occurred_at')} AS DOUBLE PRECISION) AS t,
      ${packSql(position(kind, 2, `e.${activity}`), position(kind, 3, 'e.team'), position(kind, 4, 'e.channel'), dict)} AS k`;
  const where = `e.workspace_id = $1 AND e.profile_id IS NOT NULL AND e.${activity} IS NOT NULL`;
  const sql =
    caseExpr === undefined
      ? `SELECT ${columns} FROM events e WHERE ${where} ORDER BY e.profile_id, e.occurred_at, ${tieBreak(kind, 'e')}`
      : `SELECT CASE WHEN c IS DISTINCT FROM lag(c) OVER w THEN c END AS id, p, t, k FROM (
           SELECT ${caseExpr} AS c, ${columns}, e.occurred_at AS o, ${tieBreak(kind, 'e')} AS tb
             FROM events e WHERE ${where} AND ${caseExpr} IS NOT NULL) v
         WINDOW w AS (ORDER BY c, o, tb)
         ORDER BY c, o, tb`;
  const params = [workspaceId, JSON.stringify(dict.activities), JSON.stringify(dict.teams), JSON.stringify(dict.channels)];
  const shape = { activityNames: dict.activities, teams: dict.teams, channels: dict.channels, activityBase: 1, caseIdColumn: caseExpr !== undefined } as const;
  // By customer, the log has exactly the dictionary's events (an activity imported since only leaves it short);
  // by property, fewer: the columns then grow as rows come.
  return logFromPackedStream(engine.streamColumns(sql, params), shape, caseExpr === undefined ? dict.events : 0);
}

/**
 * Streams the workspace's events ordered by case and time into an {@link EventLog}. Every case gets the case
 * attribute `profile_id` (the customer), which friction uses to find the customer's feedback. Events without a
 * profile, without the activity column or (by property) without the property are left out.
 *
 * Converting strings dominates the read (three text columns cost ~5× the numbers on DuckDB), so the activity,
 * team and channel come as one small integer: the index of their combination in a dictionary read first and
 * joined in as a VALUES list. An import landing between the two statements can only leave its new combinations
 * out, and it changes the data version, so a cached log built that way is replaced at the next request.
 */
export async function readJourneyLog(engine: Engine, workspaceId: string, q: JourneyLogQuery): Promise<EventLog> {
  const kind = engine.kind;
  const byCustomer = q.caseBy.by === 'customer';
  const caseExpr = q.caseBy.by === 'customer' ? 'CAST(profile_id AS TEXT)' : jsonText(kind, q.caseBy.property);
  const attributes = [...new Set(q.attributes ?? [])];
  if (attributes.length === 0) return readPackedLog(engine, workspaceId, q.activity, byCustomer ? undefined : caseExpr, q.dictionary);
  const attrSelect = attributes.map((a, i) => `, ${EVENT_COLUMNS.has(a) ? `e.${a}` : jsonText(kind, a)} AS x${i}`).join('');
  const where = `e.workspace_id = $1 AND e.profile_id IS NOT NULL AND e.${q.activity} IS NOT NULL AND ${caseExpr} IS NOT NULL`;
  const combos = await engine.query<{ a: string; team: string; channel: string }>(
    `SELECT DISTINCT e.${q.activity} AS a, COALESCE(e.team, '') AS team, COALESCE(e.channel, '') AS channel FROM events e WHERE ${where}`,
    [workspaceId],
  );
  const coded = combos.length <= MAX_COMBOS;
  const params: SqlValue[] = [workspaceId];
  let join = '';
  if (coded && combos.length > 0) {
    const values = combos.map((c, i) => {
      params.push(c.a, c.team, c.channel);
      const n = params.length;
      return `(CAST($${n - 2} AS TEXT), CAST($${n - 1} AS TEXT), CAST($${n} AS TEXT), ${i})`;
    });
    join = ` JOIN (VALUES ${values.join(', ')}) AS d(a, team, channel, k)
      ON e.${q.activity} = d.a AND COALESCE(e.team, '') = d.team AND COALESCE(e.channel, '') = d.channel`;
  }
  const columns = coded ? 'd.k AS k' : `e.${q.activity} AS a, e.team AS team, e.channel AS channel`;
  const sql = `SELECT ${byCustomer ? '' : `${caseExpr} AS c, `}e.profile_id AS p, ${epochMs(kind, 'e.occurred_at')} AS t, ${columns}${attrSelect}
      FROM events e${join}
     WHERE ${where}
     ORDER BY ${byCustomer ? 'e.profile_id' : '1'}, e.occurred_at, ${tieBreak(kind, 'e')}`;
  const builder = new EventLogBuilder();
  let lastCase = '';
  let lastProfile = NaN;
  let caseId = '';
  for await (const rows of engine.stream<LogRow>(sql, params, 20_000)) {
    for (const r of rows) {
      let attrs: Record<string, string> | undefined;
      for (let i = 0; i < attributes.length; i++) {
        const v = r[`x${i}`];
        // Extracted JSON values arrive as text (or numbers on some engines); nothing else is selected.
        if (v !== null && v !== undefined) (attrs ??= {})[attributes[i]!] = String(v as string | number);
      }
      const p = Number(r.p);
      if (byCustomer) {
        if (p !== lastProfile) caseId = String(p);
      } else caseId = r.c!;
      const combo = coded ? combos[Number(r.k)]! : { a: r.a!, team: r.team ?? '', channel: r.channel ?? '' };
      builder.add(caseId, combo.a, Number(r.t), { resource: combo.team, channel: combo.channel, attributes: attrs });
      if (caseId !== lastCase || p !== lastProfile) {
        builder.setCaseAttributes(caseId, { profile_id: String(p) });
        lastCase = caseId;
        lastProfile = p;
      }
    }
  }
  return builder.build();
}

/**
 * A fingerprint of the workspace's event data: it changes with every import (started or finished) and every
 * merge or unmerge (which move events between profiles), so cached mining results can be checked cheaply.
 */
export async function readJourneyDataVersion(db: Queryable, workspaceId: string): Promise<string> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT (SELECT count(*) FROM imports WHERE workspace_id = $1) AS imports,
            (SELECT count(finished_at) FROM imports WHERE workspace_id = $1) AS finished,
            (SELECT max(import_id) FROM imports WHERE workspace_id = $1) AS last_import,
            (SELECT count(*) FROM profile_merges WHERE workspace_id = $1) AS merges,
            (SELECT count(unmerged_at) FROM profile_merges WHERE workspace_id = $1) AS unmerges`,
    [workspaceId],
  );
  const r = rows[0] ?? {};
  return ['imports', 'finished', 'last_import', 'merges', 'unmerges'].map((k) => String((r[k] as string | number | null | undefined) ?? '')).join(':');
}

/** Columns of {@link readFeedbackScores}; NaN where a score is absent. */
export interface FeedbackScoreColumns {
  p: Float64Array;
  t: Float64Array;
  nps: Float64Array;
  csat: Float64Array;
  ces: Float64Array;
  stars: Float64Array;
}

const orNaN = (column: string) => `COALESCE(CAST(${column} AS DOUBLE PRECISION), CAST('NaN' AS DOUBLE PRECISION))`;

/** Concatenates column chunks of numbers. */
async function numberColumns(chunks: AsyncIterable<unknown[]>, width: number): Promise<Float64Array[]> {
  const parts: Float64Array[][] = [];
  let n = 0;
  for await (const chunk of chunks) {
    parts.push(chunk as Float64Array[]);
    n += (chunk[0] as Float64Array).length;
  }
  // Each part's column is let go once copied: the parts and the columns are never all held at once (for the 2.3M
  // scored feedback rows of the 1M-customer demo, 110 MB each way).
  const empty = new Float64Array(0);
  return Array.from({ length: width }, (_, c) => {
    const out = new Float64Array(n);
    let at = 0;
    for (const part of parts) {
      out.set(part[c]!, at);
      at += part[c]!.length;
      part[c] = empty;
    }
    return out;
  });
}

/**
 * Scored feedback (NPS, CSAT, CES or stars) per customer in time order, for the friction's downstream effect:
 * typed columns (2.3M rows on the 1M-customer demo), NaN for an absent score.
 */
export async function readFeedbackScores(engine: Engine, workspaceId: string): Promise<FeedbackScoreColumns> {
  const sql = `SELECT CAST(profile_id AS DOUBLE PRECISION) AS p, CAST(${epochMs(engine.kind, 'occurred_at')} AS DOUBLE PRECISION) AS t,
       ${orNaN('nps')} AS nps, ${orNaN('csat')} AS csat, ${orNaN('ces')} AS ces, ${orNaN('stars')} AS stars FROM feedback
     WHERE workspace_id = $1 AND profile_id IS NOT NULL
       AND (nps IS NOT NULL OR csat IS NOT NULL OR ces IS NOT NULL OR stars IS NOT NULL)
     ORDER BY profile_id, occurred_at`;
  const [p, t, nps, csat, ces, stars] = await numberColumns(engine.streamColumns(sql, [workspaceId]), 6);
  return { p: p!, t: t!, nps: nps!, csat: csat!, ces: ces!, stars: stars! };
}

/** When customer value was last computed for the workspace (null: never): part of the friction cache key. */
export async function readValueRunStamp(db: Queryable, workspaceId: string): Promise<string | null> {
  const rows = await db.query<{ at: string | null }>(`SELECT CAST(max(computed_at) AS VARCHAR) AS at FROM value_runs WHERE workspace_id = $1`, [workspaceId]);
  return rows[0]?.at ?? null;
}

/** Columns of {@link readCustomerValueBrief}, sorted by profile; NaN where `p_alive_before` is unknown. */
export interface CustomerValueColumns {
  p: Float64Array;
  clv: Float64Array;
  pAlive: Float64Array;
  pAliveBefore: Float64Array;
}

/** CLV and P(alive) per customer from the latest value run (customers without a CLV left out). */
export async function readCustomerValueBrief(engine: Engine, workspaceId: string): Promise<CustomerValueColumns> {
  const sql = `SELECT CAST(profile_id AS DOUBLE PRECISION) AS p, CAST(clv AS DOUBLE PRECISION) AS clv, CAST(p_alive AS DOUBLE PRECISION) AS pa,
       ${orNaN('p_alive_before')} AS pb FROM customer_value
     WHERE workspace_id = $1 AND clv IS NOT NULL ORDER BY profile_id`;
  const [p, clv, pAlive, pAliveBefore] = await numberColumns(engine.streamColumns(sql, [workspaceId]), 4);
  return { p: p!, clv: clv!, pAlive: pAlive!, pAliveBefore: pAliveBefore! };
}
