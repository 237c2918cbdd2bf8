/** Workspace-wide figures for the Overview page: totals, interaction volumes by channel, survey scores. */
import { revenueByCurrency, type CurrencyRevenue } from '../../core/metrics/revenue.js';
import type { Queryable } from '../engines/engine.js';
import { readRollupVolumes } from './event-rollup.js';
import { epochDay } from './sql-fragments.js';

export interface Totals {
  customers: number;
  profiles: number;
  events: number;
  orders: number;
  /** In `currency`, the currency of most orders; never a sum across currencies (see core/metrics/revenue.ts). */
  revenue: number;
  currency: string | null;
  otherCurrencies: CurrencyRevenue[];
  tickets: number;
  feedback: number;
}

export async function readTotals(db: Queryable, workspaceId: string, from: string, to: string): Promise<Totals> {
  const w = [workspaceId];
  const range = [workspaceId, from, to];
  const inRange = (col: string) => `workspace_id = $1 AND ${col} >= CAST($2 AS TIMESTAMPTZ) AND ${col} < CAST($3 AS TIMESTAMPTZ)`;
  const [customers, profiles, events, orders, tickets, feedback] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*) AS n FROM customers WHERE workspace_id = $1`, w),
    db.query<{ n: number }>(`SELECT count(*) AS n FROM profiles WHERE workspace_id = $1 AND merged_into IS NULL`, w),
    readEventCount(db, workspaceId, from, to),
    db.query<{ currency: string; n: number; revenue: number }>(
      `SELECT currency, count(*) AS n, sum(amount) AS revenue FROM orders WHERE ${inRange('ordered_at')} GROUP BY currency`,
      range,
    ),
    db.query<{ n: number }>(`SELECT count(*) AS n FROM tickets WHERE ${inRange('opened_at')}`, range),
    db.query<{ n: number }>(`SELECT count(*) AS n FROM feedback WHERE ${inRange('occurred_at')}`, range),
  ]);
  return {
    customers: customers[0]?.n ?? 0,
    profiles: profiles[0]?.n ?? 0,
    events,
    ...revenueByCurrency(orders.map((o) => ({ currency: o.currency, orders: o.n, revenue: o.revenue }))),
    tickets: tickets[0]?.n ?? 0,
    feedback: feedback[0]?.n ?? 0,
  };
}

/**
 * The last UTC day (days since 1970) with events, from the daily rollup (a few thousand rows, where the events
 * are tens of millions), to default the Overview range to; null when the workspace has none.
 */
export async function readLastEventDay(db: Queryable, workspaceId: string): Promise<number | null> {
  const rows = await db.query<{ day: number | null }>(`SELECT max(day) AS day FROM event_daily WHERE workspace_id = $1`, [workspaceId]);
  const day = rows[0]?.day;
  return day === null || day === undefined ? null : Number(day);
}

const DAY = 86_400_000;
/** Day numbers of a range when it starts and ends on UTC midnights (the rollup then answers exactly). */
function wholeDays(from: string, to: string): { fromDay: number; toDay: number } | null {
  const f = Date.parse(from);
  const t = Date.parse(to);
  return f % DAY === 0 && t % DAY === 0 ? { fromDay: f / DAY, toDay: t / DAY } : null;
}

/** Events in the range: from the daily rollup for whole days, else counted. */
export async function readEventCount(db: Queryable, workspaceId: string, from: string, to: string): Promise<number> {
  const days = wholeDays(from, to);
  const rows = days
    ? await db.query<{ n: number | null }>(`SELECT sum(n) AS n FROM event_daily WHERE workspace_id = $1 AND day >= $2 AND day < $3`, [
        workspaceId,
        days.fromDay,
        days.toDay,
      ])
    : await db.query<{ n: number | null }>(
        `SELECT count(*) AS n FROM events WHERE workspace_id = $1 AND occurred_at >= CAST($2 AS TIMESTAMPTZ) AND occurred_at < CAST($3 AS TIMESTAMPTZ)`,
        [workspaceId, from, to],
      );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Event counts per UTC day and channel (the service rolls days up into weeks or months): from the daily rollup
 * when the range is whole days (the default range is), else from the events themselves.
 */
export async function readDailyVolumes(db: Queryable, workspaceId: string, from: string, to: string) {
  const days = wholeDays(from, to);
  if (days) return readRollupVolumes(db, workspaceId, days.fromDay, days.toDay);
  return db.query<{ day: number; channel: string | null; count: number }>(
    `SELECT ${epochDay(db.kind, 'occurred_at')} AS day, channel, count(*) AS count FROM events
      WHERE workspace_id = $1 AND occurred_at >= CAST($2 AS TIMESTAMPTZ) AND occurred_at < CAST($3 AS TIMESTAMPTZ)
      GROUP BY 1, 2`,
    [workspaceId, from, to],
  );
}

export interface ScoreRow {
  day: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps_n: number;
  csat_sum: number | null;
  csat_n: number;
  ces_sum: number | null;
  ces_n: number;
}

const SCORE_COLUMNS = `count(*) AS responses,
  sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END) AS promoters,
  sum(CASE WHEN nps BETWEEN 7 AND 8 THEN 1 ELSE 0 END) AS passives,
  sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END) AS detractors,
  count(nps) AS nps_n, sum(csat) AS csat_sum, count(csat) AS csat_n, sum(ces) AS ces_sum, count(ces) AS ces_n`;

/** Score ingredients over the range, in total (`byDay` false) or per UTC day. Arithmetic is left to the caller. */
export async function readScores(db: Queryable, workspaceId: string, from: string, to: string, byDay: boolean) {
  const group = byDay ? epochDay(db.kind, 'occurred_at') : 'CAST(NULL AS BIGINT)';
  return db.query<ScoreRow>(
    `SELECT ${group} AS day, ${SCORE_COLUMNS} FROM feedback
      WHERE workspace_id = $1 AND occurred_at >= CAST($2 AS TIMESTAMPTZ) AND occurred_at < CAST($3 AS TIMESTAMPTZ)
        AND (nps IS NOT NULL OR csat IS NOT NULL OR ces IS NOT NULL)
      ${byDay ? 'GROUP BY 1' : ''}`,
    [workspaceId, from, to],
  );
}
