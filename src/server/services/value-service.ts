/**
 * Computes customer value for a workspace and stores it: summaries from the store (SQL), the purchase model chosen
 * by holdout error (calibration = everything before the recent window, holdout = the recent window), Gamma-Gamma
 * spend, per-customer P(alive), expected purchases, expected spend and CLV, RFM segments and personas.
 *
 * The recent window (half the data span, 4–26 weeks) doubles as the holdout of the validation and as the
 * "recent" of the silent-churn radar, so "P(alive) before" is the chosen model's P(alive) at the holdout start.
 */
import { scoreCustomers } from '../../core/value/clv.js';
import { countModel, fitCountModel, type CountModelName } from '../../core/value/count-models.js';
import { fitGammaGamma, spendData, type GammaGammaParams } from '../../core/value/gamma-gamma.js';
import { buildPersonas, type Persona } from '../../core/value/personas.js';
import { rfmScores, rfmSegment } from '../../core/value/rfm.js';
import type { CustomerSummaries } from '../../core/value/summary.js';
import { validateSummaries, type ValidationReport } from '../../core/value/validation.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Engine } from '../../store/engines/engine.js';
import {
  readPurchaseSpan,
  readPurchaseSummaries,
  readRepeatPurchasesByDay,
  replaceValueResults,
  type CustomerValueInput,
  type StoreSummaryRow,
} from '../../store/repositories/value-repository.js';

const DAY_MS = 86_400_000;
const UNIT_DAYS = 7;
/** Validation needs enough customers with repeat purchases to fit three models meaningfully. */
const MIN_VALIDATION_CUSTOMERS = 30;

export interface ValueComputeOptions {
  horizonWeeks?: number;
  annualDiscountRate?: number;
  /** Candidate models for the holdout choice. @default BG/NBD and MBG/NBD (see DEFAULT_MODELS) */
  models?: readonly CountModelName[];
  /**
   * Refit the chosen model on all data instead of scoring with the parameters validated on the holdout. Off by
   * default: the holdout vouches for the calibration fit, not for the refit. On the 20k demo the all-data MLE has
   * no heterogeneity in dropout (MBG/NBD a, b → ~10⁶, a/(a+b) ≈ 0.08): the bounded fit stops there in 0.6 s.
   */
  refit?: boolean;
}

/**
 * Pareto/NBD is left out by default: even with its analytic gradient it takes 1.6 s on the 20k demo's 10,408
 * calibration customers and 8.7 s on all 15,832 (BG/NBD, MBG/NBD: 0.4–0.9 s), too slow for a run at start-up.
 * Ask for it with `--models bgnbd,mbgnbd,paretonbd`.
 */
export const DEFAULT_MODELS: readonly CountModelName[] = ['bgnbd', 'mbgnbd'];

/** What a run stores next to the per-customer rows (value_runs.report) and the API serves. */
export interface ValueRunReport {
  computedAt: string;
  currency: string | null;
  model: CountModelName;
  params: Readonly<Record<string, number>>;
  /** Purchase-model parameters from the calibration period (validated on the holdout) or refitted on all data. */
  fittedOn: 'calibration' | 'all';
  logLikelihood: number;
  spend: { params: GammaGammaParams; logLikelihood: number; customers: number } | null;
  horizonWeeks: number;
  annualDiscountRate: number;
  customers: number;
  /** Data span and the recent window, as days since 1970-01-01 (UTC). */
  firstDay: number;
  lastDay: number;
  recentWeeks: number;
  recentFrom: number;
  validation: ValidationReport | null;
  personas: Persona[];
  silhouette: { k: number; silhouette: number }[];
  computeMs: number;
}

/** Store rows → the core's summary columns (row i ↔ rows[i]). */
export function toSummaries(rows: readonly StoreSummaryRow[], calibrationEnd: number, holdoutEnd: number): CustomerSummaries {
  const n = rows.length;
  const s: CustomerSummaries = {
    n,
    customer: Int32Array.from(rows, (_, i) => i),
    birthDay: Int32Array.from(rows, (r) => r.birth),
    x: Float64Array.from(rows, (r) => r.x),
    tx: Float64Array.from(rows, (r) => (r.last_cal - r.birth) / UNIT_DAYS),
    T: Float64Array.from(rows, (r) => (calibrationEnd - r.birth) / UNIT_DAYS),
    xStar: Float64Array.from(rows, (r) => r.x_star),
    mx: Float64Array.from(rows, (r) => (r.x > 0 ? r.repeat_spend / r.x : 0)),
    holdoutLength: (holdoutEnd - calibrationEnd) / UNIT_DAYS,
    unitDays: UNIT_DAYS,
    calibrationEnd,
    holdoutEnd,
  };
  return s;
}

/** Cumulative repeat purchases per week since `start`, from per-day counts. */
function cumulativeByWeek(perDay: readonly { day: number; n: number }[], start: number, periods: number): Float64Array {
  const perWeek = new Float64Array(periods);
  for (const { day, n } of perDay) {
    const k = Math.floor((day - start) / UNIT_DAYS);
    if (k >= 0 && k < periods) perWeek[k]! += n;
  }
  for (let k = 1; k < periods; k++) perWeek[k]! += perWeek[k - 1]!;
  return perWeek;
}

async function validate(engine: Engine, workspaceId: string, firstDay: number, lastDay: number, recentFrom: number, models: readonly CountModelName[]): Promise<{ report: ValidationReport | null; before: Map<number, StoreSummaryRow>; calibration: CustomerSummaries | null }> {
  const rows = await readPurchaseSummaries(engine, workspaceId, { calibrationEnd: recentFrom - 1, holdoutEnd: lastDay });
  const before = new Map(rows.map((r) => [r.profile_id, r]));
  const repeatBuyers = rows.filter((r) => r.x > 0).length;
  if (rows.length < MIN_VALIDATION_CUSTOMERS || repeatBuyers === 0) return { report: null, before, calibration: null };
  const s = toSummaries(rows, recentFrom - 1, lastDay);
  const periods = Math.ceil((lastDay + 1 - firstDay) / UNIT_DAYS);
  const cumulative = cumulativeByWeek(await readRepeatPurchasesByDay(engine, workspaceId), firstDay, periods);
  return { report: validateSummaries(s, { start: firstDay, cumulative }, models), before, calibration: s };
}

/** Fits, scores and stores customer value for the workspace. */
export async function computeValue(engine: Engine, workspaceId: string, opts: ValueComputeOptions = {}): Promise<Result<ValueRunReport, AppError>> {
  const started = performance.now();
  const horizonWeeks = opts.horizonWeeks ?? 52;
  const annualDiscountRate = opts.annualDiscountRate ?? 0.1;
  const span = await readPurchaseSpan(engine, workspaceId);
  if (span.first === null || span.last === null) return err({ type: 'bad_request', detail: `workspace '${workspaceId}' has no orders to model` });
  const { first: firstDay, last: lastDay } = span;
  const spanWeeks = (lastDay - firstDay + 1) / UNIT_DAYS;
  const recentWeeks = Math.min(26, Math.max(4, Math.round(spanWeeks / 2)));
  const recentFrom = lastDay - recentWeeks * UNIT_DAYS + 1;

  const { report: validation, before } = await validate(engine, workspaceId, firstDay, lastDay, recentFrom, opts.models ?? DEFAULT_MODELS);
  const model: CountModelName = validation?.recommended ?? (opts.models ?? DEFAULT_MODELS)[0]!;

  const rows = await readPurchaseSummaries(engine, workspaceId, { calibrationEnd: lastDay, holdoutEnd: lastDay, recentFrom });
  if (rows.length < 3) return err({ type: 'bad_request', detail: `workspace '${workspaceId}' has too few customers with orders (${rows.length}) to model` });
  const s = toSummaries(rows, lastDay, lastDay);
  const data = { n: s.n, x: s.x, tx: s.tx, T: s.T };
  const validated = validation?.models.find((m) => m.model === model);
  const fitted =
    validated && !opts.refit ? { ...countModel(model, validated.params), logLikelihood: validated.logLikelihood } : fitCountModel(model, data);
  const fittedOn: 'calibration' | 'all' = validated && !opts.refit ? 'calibration' : 'all';
  const spendInput = spendData(s.x, s.mx);
  const spendFit = spendInput.n >= 10 ? fitGammaGamma(spendInput) : null;
  const scores = scoreCustomers(fitted, data, s.mx, spendFit?.params ?? null, { horizon: horizonWeeks, annualDiscountRate });

  const orders = Float64Array.from(rows, (r) => r.x + 1);
  const recency = Float64Array.from(rows, (r) => lastDay - r.last_cal);
  const tenure = Float64Array.from(rows, (r) => lastDay - r.birth);
  const total = Float64Array.from(rows, (r) => r.cal_spend);
  const rfm = rfmScores(recency, orders, total);
  const money = (v: number) => `${span.currency ? `${span.currency} ` : ''}${Math.round(v).toLocaleString('en-GB')}`;
  const personas = buildPersonas(
    {
      n: rows.length,
      ordersPerMonth: Float64Array.from(rows, (_, i) => orders[i]! / (Math.max(tenure[i]!, 30) / 30.44)),
      recencyDays: recency,
      meanSpend: Float64Array.from(rows, (_, i) => total[i]! / orders[i]!),
      tenureDays: tenure,
    },
    { money },
  );
  const personaName = new Map(personas.personas.map((p) => [p.cluster, p.name]));

  const computedAt = new Date().toISOString();
  const computedMs = Date.parse(computedAt);
  const values: CustomerValueInput[] = rows.map((r, i) => {
    const pastOrders = r.x + 1 - r.recent;
    const pastWeeks = (recentFrom - r.birth) / UNIT_DAYS;
    const prior = before.get(r.profile_id);
    const priorT = (recentFrom - 1 - r.birth) / UNIT_DAYS;
    const clv = scores.clv[i]!;
    const spend = scores.expectedSpend[i]!;
    return {
      profile_id: r.profile_id,
      model,
      frequency: r.x,
      recency: s.tx[i]!,
      age: s.T[i]!,
      orders: orders[i]!,
      total_spend: total[i]!,
      mean_spend: total[i]! / orders[i]!,
      first_order_at: r.birth * DAY_MS,
      last_order_at: r.last_cal * DAY_MS,
      // Rate from the first purchase on: the first one starts the clock, so it is not counted.
      past_rate: pastWeeks > 0 && pastOrders > 1 ? (pastOrders - 1) / pastWeeks : 0,
      recent_orders: r.recent,
      p_alive: scores.pAlive[i]!,
      p_alive_before: prior ? fitted.probabilityAlive(prior.x, (prior.last_cal - prior.birth) / UNIT_DAYS, priorT) : null,
      expected_purchases_52w: scores.expectedPurchases[i]!,
      expected_spend: Number.isFinite(spend) ? spend : null,
      clv: Number.isFinite(clv) ? clv : null,
      rfm_r: rfm.r[i]!,
      rfm_f: rfm.f[i]!,
      rfm_m: rfm.m[i]!,
      segment: rfmSegment(rfm.r[i]!, rfm.f[i]!),
      cluster: personas.assignment[i]!,
      persona: personaName.get(personas.assignment[i]!) ?? null,
      computed_at: computedMs,
    };
  });
  const report: ValueRunReport = {
    computedAt,
    currency: span.currency,
    model,
    params: fitted.params,
    fittedOn,
    logLikelihood: fitted.logLikelihood,
    spend: spendFit ? { params: spendFit.params, logLikelihood: spendFit.logLikelihood, customers: spendFit.n } : null,
    horizonWeeks,
    annualDiscountRate,
    customers: rows.length,
    firstDay,
    lastDay,
    recentWeeks,
    recentFrom,
    validation,
    personas: personas.personas,
    silhouette: personas.silhouette,
    computeMs: 0,
  };
  report.computeMs = Math.round(performance.now() - started);
  await replaceValueResults(engine, workspaceId, computedAt, model, values, report);
  return ok(report);
}
