/**
 * Loads the latest value run of a workspace with live service signals and turns them into per-customer features
 * (src/core/value/customer-features.ts): the common input of segments, the radar, revenue at risk and
 * next-best-action.
 */
import {
  buildFeatures,
  emptySignals,
  featureOf,
  finishFeatures,
  type FeatureOptions,
  type FeatureSet,
  type SignalRecord,
  type ValueRecord,
} from '../../core/value/customer-features.js';
import { FeatureTable } from '../../core/value/feature-table.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Engine, Queryable } from '../../store/engines/engine.js';
import { readJourneyDataVersion } from '../../store/repositories/journey-repository.js';
import {
  readCustomerValues,
  readLatestValueRun,
  type CustomerValueRow,
} from '../../store/repositories/value-repository.js';
import {
  readFeedbackSignals,
  readLatestScores,
  readTicketSignals,
} from '../../store/repositories/value-signals-repository.js';
import { forEachValuedCustomer } from '../../store/repositories/value-columns.js';
import { oneAtATime } from './heavy-work.js';
import { JourneyCache } from './journey-log-cache.js';
import type { ValueRunReport } from './value-service.js';

const DAY_MS = 86_400_000;

export interface LoadedValue extends FeatureSet {
  run: ValueRunReport;
}

export const notComputed = (workspaceId: string): AppError => ({
  type: 'not_found',
  detail: `customer value has not been computed for workspace '${workspaceId}': run \`kept value compute --workspace ${workspaceId}\``,
});

export async function loadRun(db: Queryable, workspaceId: string): Promise<ValueRunReport | null> {
  const run = await readLatestValueRun(db, workspaceId);
  return run ? (run.report as ValueRunReport) : null;
}

const toRecord = (r: CustomerValueRow, lastDay: number): ValueRecord => ({
  profileId: r.profile_id,
  clv: r.clv,
  pAlive: r.p_alive,
  pAliveBefore: r.p_alive_before,
  expectedPurchases: r.expected_purchases_52w,
  orders: r.orders,
  recencyDays: lastDay - Math.floor(Date.parse(r.last_order_at) / DAY_MS),
  tenureDays: lastDay - Math.floor(Date.parse(r.first_order_at) / DAY_MS),
  meanSpend: r.mean_spend,
  totalSpend: r.total_spend,
  pastRate: r.past_rate,
  recentOrders: r.recent_orders,
  rfmR: r.rfm_r,
  rfmF: r.rfm_f,
  rfmM: r.rfm_m,
  segment: r.segment,
  persona: r.persona,
});

async function readSignals(db: Queryable, workspaceId: string, since: string): Promise<Map<number, SignalRecord>> {
  const [feedback, nps, csat, ces, tickets] = await Promise.all([
    readFeedbackSignals(db, workspaceId, since),
    readLatestScores(db, workspaceId, 'nps'),
    readLatestScores(db, workspaceId, 'csat'),
    readLatestScores(db, workspaceId, 'ces'),
    readTicketSignals(db, workspaceId, since),
  ]);
  const out = new Map<number, SignalRecord>();
  const of = (id: number) => {
    let s = out.get(id);
    if (!s) out.set(id, (s = emptySignals()));
    return s;
  };
  for (const f of feedback)
    Object.assign(of(f.profile_id), { detractors: f.detractors, lowScores: f.low_scores, complaints: f.complaints });
  for (const r of nps) of(r.profile_id).latestNps = { score: r.score, at: Date.parse(r.scored_at) };
  for (const r of csat) of(r.profile_id).latestCsat = { score: r.score, at: Date.parse(r.scored_at) };
  for (const r of ces) of(r.profile_id).latestCes = { score: r.score, at: Date.parse(r.scored_at) };
  for (const t of tickets) {
    of(t.profile_id).tickets.push({
      channel: t.channel,
      openedAt: Date.parse(t.opened_at),
      firstReplyAt: t.first_agent_reply_at ? Date.parse(t.first_agent_reply_at) : null,
      closedAt: t.closed_at ? Date.parse(t.closed_at) : null,
    });
  }
  return out;
}

/**
 * Features are kept between requests for workspaces up to this many valued customers: the Value page asks for
 * five views of the same features at once, and building them reads every customer's value and signals (about
 * half a second on the 20k demo). Larger workspaces are still shared by the requests made while they load.
 */
const CACHED_CUSTOMERS = 250_000;

const caches = new WeakMap<Engine, JourneyCache>();
const isEngine = (db: Queryable): db is Engine => 'releaseMemory' in db && 'session' in db;

/**
 * The latest run, its rows and every customer's features; not_found when value was never computed. On an engine
 * (not inside a transaction) the result is reused until the run or the workspace's data changes: a new run, an
 * import (HTTP writes record one too), a merge or an unmerge.
 */
export async function loadValue(db: Queryable, workspaceId: string): Promise<Result<LoadedValue, AppError>> {
  const run = await loadRun(db, workspaceId);
  if (!run) return err(notComputed(workspaceId));
  if (!isEngine(db)) return ok(await buildLoaded(db, workspaceId, run));
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new JourneyCache(db, 2)));
  const version = `${run.computedAt}|${await readJourneyDataVersion(db, workspaceId)}`;
  const { value } = await cache.get(
    `value:${workspaceId}`,
    version,
    () => oneAtATime(db, () => buildLoaded(db, workspaceId, run)),
    (v) => v.features.length <= CACHED_CUSTOMERS,
  );
  return ok(value);
}

/** The run's feature options: the recent window and "as of" (the day after the data ends). */
const featureOptions = (run: Pick<ValueRunReport, 'recentFrom' | 'lastDay' | 'recentWeeks'>): FeatureOptions => ({
  recentFrom: run.recentFrom * DAY_MS,
  asOf: (run.lastDay + 1) * DAY_MS,
  radar: { recentWeeks: run.recentWeeks },
});

/**
 * Every valued customer's features, read in one query column by column (see value-columns.ts): what an engine
 * uses. {@link featuresByRows} gives the same result (test/store/value-repository.test.ts).
 */
export async function featuresByColumns(
  engine: Engine,
  workspaceId: string,
  run: Pick<ValueRunReport, 'recentFrom' | 'lastDay' | 'recentWeeks'> & Partial<Pick<ValueRunReport, 'customers'>>,
): Promise<FeatureSet> {
  const opts = featureOptions(run);
  // In columns: a million customers' features as objects would take the server past 1 GB (feature-table.ts). Sized
  // for the run's customers (the rows it stored) up front: grown as they arrive, then trimmed, the columns were
  // copied at their peak, while the query still held its sorted rows (~100 MB more on the 1M-customer demo).
  const table = new FeatureTable(run.customers);
  await forEachValuedCustomer(engine, workspaceId, { lastDay: run.lastDay, recentFrom: opts.recentFrom, asOf: opts.asOf }, (v, s) => table.add(featureOf(v, s, opts)));
  return finishFeatures(table.rows(), opts);
}

/** The same from row reads (results, then each signal): inside a transaction, which may see its own writes. */
export async function featuresByRows(db: Queryable, workspaceId: string, run: Pick<ValueRunReport, 'recentFrom' | 'lastDay' | 'recentWeeks'>): Promise<FeatureSet> {
  const opts = featureOptions(run);
  const [rows, signals] = await Promise.all([
    readCustomerValues(db, workspaceId),
    readSignals(db, workspaceId, new Date(opts.recentFrom).toISOString()),
  ]);
  return buildFeatures(rows.map((r) => toRecord(r, run.lastDay)), signals, opts);
}

async function buildLoaded(db: Queryable, workspaceId: string, run: ValueRunReport): Promise<LoadedValue> {
  // On the 1M-customer demo the row reads took ~28 s and 2–3 GB of heap; the column read a fraction of both.
  return { run, ...(isEngine(db) ? await featuresByColumns(db, workspaceId, run) : await featuresByRows(db, workspaceId, run)) };
}
