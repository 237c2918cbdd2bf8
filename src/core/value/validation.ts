/**
 * Calibration/holdout validation, so a user can trust or reject a model on their own data: fit each model on the
 * calibration period, then compare with what customers actually did in the holdout period —
 * in total, by calibration-frequency bucket (0, 1, …, 6, 7+), and week by week as a cumulative tracking curve.
 * The recommended model is the one with the lowest mean absolute error per customer in the holdout (total error
 * alone can look good while individual predictions are poor).
 */
import { fitCountModel, type CountModelName, type FittedCountModel } from './count-models.js';
import { cumulativeRepeatTransactions, summariseTransactions, type CustomerSummaries, type SummaryOptions, type TransactionColumns } from './summary.js';

export interface FrequencyBucket {
  /** "0" … "6", "7+". */
  bucket: string;
  customers: number;
  /** Mean holdout purchases per customer in the bucket. */
  actual: number;
  predicted: number;
}

export interface TrackingPoint {
  /** Period number since the first transaction in the data (1-based: week 1 is the first week). */
  period: number;
  actual: number;
  expected: number;
}

export interface ModelValidation {
  model: CountModelName;
  params: Readonly<Record<string, number>>;
  logLikelihood: number;
  /** Σ E[Y(holdout) | calibration history] over customers. */
  predictedHoldout: number;
  /** Mean |E[Y] − x*| per customer. */
  meanAbsoluteError: number;
  buckets: FrequencyBucket[];
  tracking: TrackingPoint[];
}

export interface ValidationReport {
  customers: number;
  calibrationPeriods: number;
  holdoutLength: number;
  actualHoldout: number;
  models: ModelValidation[];
  /** Model with the lowest holdout mean absolute error. */
  recommended: CountModelName;
}

const TOP_BUCKET = 7;

function bucketsFor(s: CustomerSummaries, predicted: Float64Array): FrequencyBucket[] {
  const count = new Float64Array(TOP_BUCKET + 1);
  const actual = new Float64Array(TOP_BUCKET + 1);
  const pred = new Float64Array(TOP_BUCKET + 1);
  for (let i = 0; i < s.n; i++) {
    const b = Math.min(s.x[i]!, TOP_BUCKET);
    count[b]! += 1;
    actual[b]! += s.xStar[i]!;
    pred[b]! += predicted[i]!;
  }
  return Array.from(count, (c, b) => ({ bucket: b === TOP_BUCKET ? `${TOP_BUCKET}+` : String(b), customers: c, actual: c ? actual[b]! / c : 0, predicted: c ? pred[b]! / c : 0 }));
}

/** Expected cumulative repeat purchases per period: Σ over customers of E[X(time since birth)], by birth day. */
function expectedTracking(model: FittedCountModel, s: CustomerSummaries, start: number, periods: number): Float64Array {
  const births = new Map<number, number>();
  for (let i = 0; i < s.n; i++) births.set(s.birthDay[i]!, (births.get(s.birthDay[i]!) ?? 0) + 1);
  const out = new Float64Array(periods);
  for (let k = 0; k < periods; k++) {
    const endDay = start + (k + 1) * s.unitDays;
    let sum = 0;
    for (const [birth, customers] of births) if (birth < endDay) sum += customers * model.expected((endDay - birth) / s.unitDays);
    out[k] = sum;
  }
  return out;
}

export function validateModels(t: TransactionColumns, opts: SummaryOptions & { models?: readonly CountModelName[] | undefined }): ValidationReport {
  const s = summariseTransactions(t, opts);
  if (s.n === 0) throw new Error('no customer made a first purchase in the calibration period');
  let start = Infinity;
  for (let i = 0; i < s.n; i++) start = Math.min(start, s.birthDay[i]!);
  const periods = Math.ceil((s.holdoutEnd + 1 - start) / s.unitDays);
  const actualTracking = cumulativeRepeatTransactions(t, periods, s.unitDays).cumulative;
  return validateSummaries(s, { start, cumulative: actualTracking }, opts.models);
}

/**
 * The same report from summaries computed elsewhere (e.g. in SQL by the store) and the actual cumulative repeat
 * purchases per period since `start` (the first purchase day in the data), as {@link cumulativeRepeatTransactions}
 * gives them.
 */
export function validateSummaries(
  s: CustomerSummaries,
  actual: { start: number; cumulative: Float64Array },
  models: readonly CountModelName[] = ['bgnbd', 'mbgnbd', 'paretonbd'],
): ValidationReport {
  if (s.n === 0) throw new Error('no customer made a first purchase in the calibration period');
  let actualHoldout = 0;
  for (let i = 0; i < s.n; i++) actualHoldout += s.xStar[i]!;
  const data = { n: s.n, x: s.x, tx: s.tx, T: s.T };
  const { start, cumulative: actualTracking } = actual;
  const periods = actualTracking.length;
  const results = models.map((name): ModelValidation => {
    const model = fitCountModel(name, data);
    const predicted = new Float64Array(s.n);
    let total = 0;
    let absError = 0;
    for (let i = 0; i < s.n; i++) {
      predicted[i] = model.conditionalExpected(s.holdoutLength, s.x[i]!, s.tx[i]!, s.T[i]!);
      total += predicted[i]!;
      absError += Math.abs(predicted[i]! - s.xStar[i]!);
    }
    const expected = expectedTracking(model, s, start, periods);
    return {
      model: name,
      params: model.params,
      logLikelihood: model.logLikelihood,
      predictedHoldout: total,
      meanAbsoluteError: absError / s.n,
      buckets: bucketsFor(s, predicted),
      tracking: Array.from(expected, (e, k) => ({ period: k + 1, actual: actualTracking[k]!, expected: e })),
    };
  });
  const recommended = results.reduce((best, m) => (m.meanAbsoluteError < best.meanAbsoluteError ? m : best)).model;
  let calibrationPeriods = 0;
  for (let i = 0; i < s.n; i++) calibrationPeriods = Math.max(calibrationPeriods, s.T[i]!);
  return { customers: s.n, calibrationPeriods, holdoutLength: s.holdoutLength, actualHoldout, models: results, recommended };
}
