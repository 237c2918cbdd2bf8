/**
 * Customer value in the store: per-customer purchase summaries computed in SQL from `orders` (the inputs of the
 * value models, keyed by profile), and the stored results of a value run (`customer_value`, `value_runs`).
 *
 * Summaries follow BTYD's conventions exactly as `summariseTransactions` in src/core/value does, so the two can be
 * compared: a customer's orders on one UTC day are one transaction (amounts summed), the first day is the birth and
 * not counted, calibration includes its end day. Cancelled orders are not purchases and are left out.
 */
import type { ColumnType, Engine, Queryable } from '../engines/engine.js';
import { epochDay } from './sql-fragments.js';

/** Orders that count as purchases. */
const PURCHASES = `workspace_id = $1 AND profile_id IS NOT NULL AND (status IS NULL OR status <> 'cancelled')`;

/** One row per (profile, UTC day) with the day's spend: the transaction unit of the models. */
const purchaseDays = (db: Queryable) =>
  `SELECT profile_id, ${epochDay(db.kind, 'ordered_at')} AS day, sum(amount) AS amount FROM orders WHERE ${PURCHASES} GROUP BY 1, 2`;

export interface StoreSummaryRow {
  profile_id: number;
  /** Day (since 1970-01-01, UTC) of the first purchase. */
  birth: number;
  /** Repeat purchase days up to and including the calibration end. */
  x: number;
  /** Last purchase day up to and including the calibration end. */
  last_cal: number;
  /** Purchase days after the calibration end, up to and including the holdout end. */
  x_star: number;
  /** Spend on the repeat calibration days. */
  repeat_spend: number;
  /** Spend on all calibration days, the first included. */
  cal_spend: number;
  /** Purchase days on or after `recentFrom`. */
  recent: number;
}

/**
 * Per-profile summaries for customers whose first purchase is on or before `calibrationEnd` (days since the epoch,
 * UTC), ordered by profile id. `recentFrom` splits each customer's history for the silent-churn radar.
 */
export async function readPurchaseSummaries(
  db: Queryable,
  workspaceId: string,
  days: { calibrationEnd: number; holdoutEnd: number; recentFrom?: number | undefined },
): Promise<StoreSummaryRow[]> {
  return db.query<StoreSummaryRow>(
    `WITH d AS (${purchaseDays(db)}),
          b AS (SELECT profile_id, min(day) AS birth FROM d GROUP BY profile_id)
     SELECT d.profile_id, b.birth,
            sum(CASE WHEN d.day > b.birth AND d.day <= $2 THEN 1 ELSE 0 END) AS x,
            max(CASE WHEN d.day <= $2 THEN d.day END) AS last_cal,
            sum(CASE WHEN d.day > $2 AND d.day <= $3 THEN 1 ELSE 0 END) AS x_star,
            sum(CASE WHEN d.day > b.birth AND d.day <= $2 THEN d.amount ELSE 0 END) AS repeat_spend,
            sum(CASE WHEN d.day <= $2 THEN d.amount ELSE 0 END) AS cal_spend,
            sum(CASE WHEN d.day >= $4 THEN 1 ELSE 0 END) AS recent
       FROM d JOIN b ON d.profile_id = b.profile_id
      WHERE b.birth <= $2
      GROUP BY d.profile_id, b.birth
      ORDER BY d.profile_id`,
    [workspaceId, days.calibrationEnd, days.holdoutEnd, days.recentFrom ?? days.calibrationEnd + 1],
  );
}

/** First and last purchase day in the workspace (null without purchases) and the currency most orders use. */
export async function readPurchaseSpan(db: Queryable, workspaceId: string): Promise<{ first: number | null; last: number | null; currency: string | null }> {
  const rows = await db.query<{ first: number | null; last: number | null; currency: string | null }>(
    `SELECT min(${epochDay(db.kind, 'ordered_at')}) AS first, max(${epochDay(db.kind, 'ordered_at')}) AS last, max(currency) AS currency
       FROM orders WHERE ${PURCHASES}`,
    [workspaceId],
  );
  return rows[0] ?? { first: null, last: null, currency: null };
}

/** Repeat purchase days (first purchases excluded) per day: the actual line of the validation tracking chart. */
export async function readRepeatPurchasesByDay(db: Queryable, workspaceId: string): Promise<{ day: number; n: number }[]> {
  return db.query<{ day: number; n: number }>(
    `WITH d AS (${purchaseDays(db)}),
          b AS (SELECT profile_id, min(day) AS birth FROM d GROUP BY profile_id)
     SELECT d.day, count(*) AS n FROM d JOIN b ON d.profile_id = b.profile_id WHERE d.day > b.birth GROUP BY d.day ORDER BY d.day`,
    [workspaceId],
  );
}

/** A stored per-customer result of a value run. */
export interface CustomerValueRow {
  profile_id: number;
  model: string;
  frequency: number;
  recency: number;
  age: number;
  orders: number;
  total_spend: number;
  mean_spend: number;
  first_order_at: string;
  last_order_at: string;
  /** Purchase days per week before the recent window. */
  past_rate: number;
  recent_orders: number;
  p_alive: number;
  /** P(alive) at the start of the recent window, from the same model. */
  p_alive_before: number | null;
  expected_purchases_52w: number;
  expected_spend: number | null;
  clv: number | null;
  rfm_r: number;
  rfm_f: number;
  rfm_m: number;
  segment: string;
  cluster: number | null;
  persona: string | null;
  computed_at: string;
}

const VALUE_COLUMNS: readonly { name: keyof CustomerValueRow; type: ColumnType }[] = [
  { name: 'profile_id', type: 'bigint' },
  { name: 'model', type: 'text' },
  { name: 'frequency', type: 'integer' },
  { name: 'recency', type: 'double' },
  { name: 'age', type: 'double' },
  { name: 'orders', type: 'integer' },
  { name: 'total_spend', type: 'double' },
  { name: 'mean_spend', type: 'double' },
  { name: 'first_order_at', type: 'timestamptz' },
  { name: 'last_order_at', type: 'timestamptz' },
  { name: 'past_rate', type: 'double' },
  { name: 'recent_orders', type: 'integer' },
  { name: 'p_alive', type: 'double' },
  { name: 'p_alive_before', type: 'double' },
  { name: 'expected_purchases_52w', type: 'double' },
  { name: 'expected_spend', type: 'double' },
  { name: 'clv', type: 'double' },
  { name: 'rfm_r', type: 'smallint' },
  { name: 'rfm_f', type: 'smallint' },
  { name: 'rfm_m', type: 'smallint' },
  { name: 'segment', type: 'text' },
  { name: 'cluster', type: 'smallint' },
  { name: 'persona', type: 'text' },
  { name: 'computed_at', type: 'timestamptz' },
];

/** Values to store for one customer; timestamps as epoch milliseconds (the bulk-load convention). */
export type CustomerValueInput = Omit<CustomerValueRow, 'first_order_at' | 'last_order_at' | 'computed_at'> & {
  first_order_at: number;
  last_order_at: number;
  computed_at: number;
};

/**
 * Replaces the workspace's results and records the run, in one transaction: readers see the previous run or the
 * new one, never a mix.
 */
export async function replaceValueResults(
  engine: Engine,
  workspaceId: string,
  computedAt: string,
  model: string,
  rows: readonly CustomerValueInput[],
  report: unknown,
): Promise<void> {
  await engine.transaction(async (tx) => {
    await tx.lockWorkspace(workspaceId);
    await tx.run(`DELETE FROM customer_value WHERE workspace_id = $1`, [workspaceId]);
    await tx.insertRows(
      'customer_value',
      VALUE_COLUMNS,
      { length: rows.length, row: (i) => VALUE_COLUMNS.map((c) => rows[i]![c.name]) },
      [{ name: 'workspace_id', value: workspaceId }],
    );
    await tx.run(`DELETE FROM value_runs WHERE workspace_id = $1`, [workspaceId]);
    await tx.run(`INSERT INTO value_runs (workspace_id, computed_at, model, report) VALUES ($1, CAST($2 AS TIMESTAMPTZ), $3, $4)`, [
      workspaceId,
      computedAt,
      model,
      JSON.stringify(report),
    ]);
  });
}

/** The latest run's report (parsed JSON) or null when value was never computed for the workspace. */
export async function readLatestValueRun(db: Queryable, workspaceId: string): Promise<{ computedAt: string; model: string; report: unknown } | null> {
  const rows = await db.query<{ computed_at: string; model: string; report: string }>(
    `SELECT computed_at, model, report FROM value_runs WHERE workspace_id = $1 ORDER BY computed_at DESC LIMIT 1`,
    [workspaceId],
  );
  const r = rows[0];
  return r ? { computedAt: r.computed_at, model: r.model, report: JSON.parse(r.report) as unknown } : null;
}

const SELECT_VALUE = `SELECT profile_id, model, frequency, recency, age, orders, total_spend, mean_spend, first_order_at, last_order_at,
  past_rate, recent_orders, p_alive, p_alive_before, expected_purchases_52w, expected_spend, clv, rfm_r, rfm_f, rfm_m, segment,
  cluster, persona, computed_at FROM customer_value`;

export async function readCustomerValues(db: Queryable, workspaceId: string): Promise<CustomerValueRow[]> {
  return db.query<CustomerValueRow>(`${SELECT_VALUE} WHERE workspace_id = $1 ORDER BY profile_id`, [workspaceId]);
}

export async function readCustomerValue(db: Queryable, workspaceId: string, profileId: number): Promise<CustomerValueRow | null> {
  const rows = await db.query<CustomerValueRow>(`${SELECT_VALUE} WHERE workspace_id = $1 AND profile_id = $2`, [workspaceId, profileId]);
  return rows[0] ?? null;
}
