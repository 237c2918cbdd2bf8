/**
 * The Value page's large read: every valued customer's run results with their live signals summed up, in one
 * query streamed column by column (`Engine.streamColumns`), so no JavaScript object is made per row, value or
 * ticket. On the 1M-customer demo the row-object reads (results, then five signal queries) took about 28 s and
 * 2–3 GB of heap. The signals are those of value-signals-repository.ts, summed up as `summariseSignals`
 * (core/value/customer-features.ts) does; test/server/value.test.ts checks that both give the same features.
 * Numeric columns are never NULL here: -1 stands for NULL (every column read so is ≥ 0).
 */
import { DEFAULT_REPLY_TARGET_HOURS, type SignalSummary, type ValueRecord } from '../../core/value/customer-features.js';
import type { Engine } from '../engines/engine.js';
import { epochDay, epochMs } from './sql-fragments.js';

const num = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;
const orMinusOne = (expr: string) => num(`COALESCE(${expr}, -1)`);
const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Each profile's latest score of one kind (as readLatestScores): a subquery joined on profile_id. */
const latestScore = (kind: 'nps' | 'csat' | 'ces', k: Engine['kind']) => `
  LEFT JOIN (SELECT profile_id, score, ${epochMs(k, 'scored_at')} AS at FROM (
      SELECT profile_id, ${kind} AS score, occurred_at AS scored_at,
             row_number() OVER (PARTITION BY profile_id ORDER BY occurred_at DESC, feedback_id DESC) AS rn
        FROM feedback WHERE workspace_id = $1 AND profile_id IS NOT NULL AND ${kind} IS NOT NULL) s
     WHERE rn = 1) ${kind} ON ${kind}.profile_id = cv.profile_id`;

export interface ValueReadOptions {
  /** The run's last data day (days since 1970-01-01): recency and tenure are counted to it. */
  lastDay: number;
  /** Start of the recent window (epoch ms). */
  recentFrom: number;
  /** The moment figures are "as of" (epoch ms): a ticket unanswered then is late once its target has passed. */
  asOf: number;
  replyTargetsHours?: Readonly<Record<string, number>> | undefined;
}

/**
 * Calls `visit` with each valued customer of the latest run and their signals, in profile order. Both objects
 * passed are reused for the next customer: copy what is kept.
 */
export async function forEachValuedCustomer(
  engine: Engine,
  workspaceId: string,
  opts: ValueReadOptions,
  visit: (v: ValueRecord, s: SignalSummary) => void,
): Promise<void> {
  const k = engine.kind;
  const targets = opts.replyTargetsHours ?? DEFAULT_REPLY_TARGET_HOURS;
  const fallback = targets.default ?? 24;
  // The reply-target hours of a ticket's channel (missedReplyTarget's lookup), from the constants above.
  const hours = `CASE ${Object.entries(targets)
    .filter(([channel]) => channel !== 'default')
    .map(([channel, h]) => `WHEN channel = ${sqlText(channel)} THEN ${Number(h)}`)
    .join(' ')} ELSE ${Number(fallback)} END`;
  const due = `${epochMs(k, 'opened_at')} + (${hours}) * 3600000`;
  const missed = `CASE WHEN first_agent_reply_at IS NOT NULL THEN (CASE WHEN ${epochMs(k, 'first_agent_reply_at')} > ${due} THEN 1 ELSE 0 END)
                       ELSE (CASE WHEN ${Number(opts.asOf)} > ${due} THEN 1 ELSE 0 END) END`;
  // Named c0, c1, …: PostgreSQL would name several of them alike, and its rows are objects keyed by name.
  const columns = [
    num('cv.profile_id'), num('COALESCE(cv.clv, 0)'), num('cv.p_alive'), orMinusOne('cv.p_alive_before'),
    num('cv.expected_purchases_52w'), num('cv.orders'), num(`${opts.lastDay} - ${epochDay(k, 'cv.last_order_at')}`),
    num(`${opts.lastDay} - ${epochDay(k, 'cv.first_order_at')}`), num('cv.mean_spend'), num('cv.total_spend'), num('cv.past_rate'),
    num('cv.recent_orders'), num('cv.rfm_r'), num('cv.rfm_f'), num('cv.rfm_m'), 'cv.segment', 'cv.persona',
    num('COALESCE(fb.detractors, 0)'), num('COALESCE(fb.low_scores, 0)'), num('COALESCE(fb.complaints, 0)'),
    orMinusOne('nps.score'), orMinusOne('nps.at'), orMinusOne('csat.score'), orMinusOne('csat.at'), orMinusOne('ces.score'), orMinusOne('ces.at'),
    num('COALESCE(tk.recent, 0)'), num('COALESCE(tk.missed, 0)'), num('COALESCE(tk.open, 0)'),
  ];
  const sql = `SELECT ${columns.map((c, i) => `${c} AS c${i}`).join(', ')}
    FROM customer_value cv
    LEFT JOIN (SELECT profile_id,
                      sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS detractors,
                      sum(CASE WHEN csat <= 2 OR stars <= 2 OR ces <= 3 THEN 1 ELSE 0 END) AS low_scores,
                      sum(CASE WHEN source = 'email' AND nps IS NULL AND csat IS NULL AND ces IS NULL AND stars IS NULL THEN 1 ELSE 0 END) AS complaints
                 FROM feedback
                WHERE workspace_id = $1 AND profile_id IS NOT NULL AND occurred_at >= CAST($2 AS TIMESTAMPTZ)
                GROUP BY profile_id) fb ON fb.profile_id = cv.profile_id
    ${latestScore('nps', k)}
    ${latestScore('csat', k)}
    ${latestScore('ces', k)}
    LEFT JOIN (SELECT profile_id,
                      sum(CASE WHEN opened_at >= CAST($2 AS TIMESTAMPTZ) THEN 1 ELSE 0 END) AS recent,
                      sum(CASE WHEN opened_at >= CAST($2 AS TIMESTAMPTZ) THEN ${missed} ELSE 0 END) AS missed,
                      sum(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) AS open
                 FROM tickets
                WHERE workspace_id = $1 AND profile_id IS NOT NULL AND (opened_at >= CAST($2 AS TIMESTAMPTZ) OR closed_at IS NULL)
                GROUP BY profile_id) tk ON tk.profile_id = cv.profile_id
   WHERE cv.workspace_id = $1
   ORDER BY cv.profile_id`;
  const v: ValueRecord = { profileId: 0, clv: 0, pAlive: 0, pAliveBefore: null, expectedPurchases: 0, orders: 0, recencyDays: 0, tenureDays: 0, meanSpend: 0, totalSpend: 0, pastRate: 0, recentOrders: 0, rfmR: 0, rfmF: 0, rfmM: 0, segment: '', persona: null };
  const s: SignalSummary = { detractors: 0, lowScores: 0, complaints: 0, latestNps: null, latestCsat: null, latestCes: null, recentTickets: 0, missedReplyTargets: 0, openTickets: 0 };
  const latest = (scores: Float64Array, times: Float64Array, r: number) => (scores[r]! < 0 ? null : { score: scores[r]!, at: times[r]! });
  for await (const c of engine.streamColumns(sql, [workspaceId, new Date(opts.recentFrom).toISOString()])) {
    const rows = c[0]?.length ?? 0;
    const n = c as Float64Array[];
    const t = c as (string | null)[][];
    for (let r = 0; r < rows; r++) {
      v.profileId = n[0]![r]!;
      v.clv = n[1]![r]!;
      v.pAlive = n[2]![r]!;
      v.pAliveBefore = n[3]![r]! < 0 ? null : n[3]![r]!;
      v.expectedPurchases = n[4]![r]!;
      v.orders = n[5]![r]!;
      v.recencyDays = n[6]![r]!;
      v.tenureDays = n[7]![r]!;
      v.meanSpend = n[8]![r]!;
      v.totalSpend = n[9]![r]!;
      v.pastRate = n[10]![r]!;
      v.recentOrders = n[11]![r]!;
      v.rfmR = n[12]![r]!;
      v.rfmF = n[13]![r]!;
      v.rfmM = n[14]![r]!;
      v.segment = t[15]![r] ?? '';
      v.persona = t[16]![r] ?? null;
      s.detractors = n[17]![r]!;
      s.lowScores = n[18]![r]!;
      s.complaints = n[19]![r]!;
      s.latestNps = latest(n[20]!, n[21]!, r);
      s.latestCsat = latest(n[22]!, n[23]!, r);
      s.latestCes = latest(n[24]!, n[25]!, r);
      s.recentTickets = n[26]![r]!;
      s.missedReplyTargets = n[27]![r]!;
      s.openTickets = n[28]![r]!;
      visit(v, s);
    }
  }
}
