/**
 * `kept clv …`: customer-value models on a transaction file, without a store.
 *   fit       fit a purchase model (and Gamma-Gamma spend when amounts are given), print parameters
 *   predict   per-customer P(alive), expected purchases, expected spend and CLV (JSON lines with --json)
 *   validate  calibration/holdout report for all purchase models, with a recommended model
 *   fit-bgbb  BG/BB on a recency/frequency table of discrete opportunities
 * The models live in src/core/value (see docs/value-models.md); this file reads files and prints.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { checkReadable, integerOption, numberOption } from '../cli-options.js';
import { bgBbData, fitBgBb } from '../../core/value/bg-bb.js';
import { scoreCustomers } from '../../core/value/clv.js';
import { COUNT_MODELS, fitCountModel, type CountModelName } from '../../core/value/count-models.js';
import { fitGammaGamma, spendData } from '../../core/value/gamma-gamma.js';
import { summariseTransactions, type CustomerSummaries } from '../../core/value/summary.js';
import { validateModels, type ValidationReport } from '../../core/value/validation.js';
import { detectFormat, readRows } from '../../ingest/read-rows.js';
import {
  parseDay,
  readTransactionFile,
  TransactionFileError,
  type TransactionFile,
} from '../../ingest/transactions.js';

const TIME_UNITS: Record<string, number> = { day: 1, week: 7, month: 365.25 / 12 };

interface TransactionOptions {
  transactions: string;
  customerCol: string;
  dateCol: string;
  amountCol?: string;
  calibrationEnd?: string;
  holdoutEnd?: string;
  model: CountModelName;
  timeUnit: string;
  json?: boolean;
}

interface PredictOptions extends TransactionOptions {
  horizon: string;
  discountRate: string;
  steps: string;
}

/** A CSV cell is a string; a JSON Lines value may be a number. Anything else is not a count. */
const cellText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

const round = (v: number, digits = 6) => (Number.isFinite(v) ? Number(v.toPrecision(digits + 4)) : null);

function dayOption(value: string): string {
  if (!parseDay(value).ok) throw new InvalidArgumentError(`expected a date (YYYY-MM-DD or YYYYMMDD), got '${value}'`);
  return value;
}

/** `validate` fits every model on purchase counts alone: it takes neither `--model` nor `--amount-col`. */
function addTransactionOptions(cmd: Command, fits: 'one model' | 'every model' = 'one model'): Command {
  cmd
    .requiredOption('--transactions <file>', 'CSV or JSON Lines file (optionally .gz), one row per transaction')
    .requiredOption('--customer-col <name>', 'column with the customer id')
    .requiredOption(
      '--date-col <name>',
      'column with the transaction date (YYYYMMDD, YYYY-MM-DD, ISO date-time or epoch)',
    )
  if (fits === 'one model') cmd.option('--amount-col <name>', 'column with the transaction amount (enables the Gamma-Gamma spend model and CLV)');
  cmd
    .option(
      '--calibration-end <date>',
      fits === 'one model'
        ? 'last day of the calibration period (default: the last transaction day)'
        : 'last day of the calibration period (required: the holdout is what follows it)',
      dayOption,
    )
    .option('--holdout-end <date>', 'last day of the holdout period (default: the last transaction day)', dayOption);
  if (fits === 'one model') cmd.addOption(new Option('--model <name>', 'purchase model').choices(COUNT_MODELS).default('bgnbd'));
  return cmd
    .addOption(new Option('--time-unit <unit>', 'model time unit').choices(Object.keys(TIME_UNITS)).default('week'))
    .option('--json', 'print JSON');
}

async function load(opts: TransactionOptions): Promise<{ file: TransactionFile; summaries: CustomerSummaries }> {
  checkReadable('--transactions', opts.transactions);
  const file = await readTransactionFile(opts.transactions, {
    customerCol: opts.customerCol,
    dateCol: opts.dateCol,
    amountCol: opts.amountCol,
  });
  let lastDay = -Infinity;
  for (let i = 0; i < file.rows; i++) lastDay = Math.max(lastDay, file.columns.day[i]!);
  const { calibrationEnd, holdoutEnd } = periods(opts, lastDay);
  const summaries = summariseTransactions(file.columns, {
    calibrationEnd,
    holdoutEnd,
    unitDays: TIME_UNITS[opts.timeUnit]!,
  });
  if (summaries.n === 0)
    throw new TransactionFileError(
      `${opts.transactions}: no customer made a first purchase on or before the calibration end`,
    );
  // With every customer first seen on the calibration end (or only one customer) there is nothing to fit: the
  // optimiser would return its starting values and call them converged.
  if (summaries.n < 2 || !summaries.T.some((t) => t > 0)) {
    throw new TransactionFileError(
      `${opts.transactions}: too little history to fit: ${summaries.n} customer(s), none observed for any time before the calibration end; choose a later --calibration-end`,
    );
  }
  return { file, summaries };
}

const dayText = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The calibration and holdout ends (days), checked against each other and the data. */
function periods(
  opts: TransactionOptions,
  lastDay: number,
): { calibrationEnd: number; holdoutEnd: number | undefined } {
  const calibrationEnd = opts.calibrationEnd ? (parseDay(opts.calibrationEnd) as { day: number }).day : lastDay;
  const holdoutEnd = opts.holdoutEnd ? (parseDay(opts.holdoutEnd) as { day: number }).day : undefined;
  if (holdoutEnd !== undefined && holdoutEnd <= calibrationEnd) {
    throw new TransactionFileError(
      `--holdout-end ${opts.holdoutEnd} must come after --calibration-end ${dayText(calibrationEnd)}`,
    );
  }
  if (calibrationEnd > lastDay) {
    console.error(
      `kept: warning: --calibration-end ${opts.calibrationEnd} is after the last transaction (${dayText(lastDay)}): customers count as observed, without buying, until then`,
    );
  }
  return { calibrationEnd, holdoutEnd };
}

function fitAll(opts: TransactionOptions, s: CustomerSummaries) {
  const started = performance.now();
  const model = fitCountModel(opts.model, { n: s.n, x: s.x, tx: s.tx, T: s.T });
  const fitMs = performance.now() - started;
  const spend = opts.amountCol ? fitGammaGamma(spendData(s.x, s.mx)) : null;
  return { model, fitMs, spend };
}

const roundParams = (p: object) =>
  Object.fromEntries(Object.entries(p as Record<string, number>).map(([k, v]) => [k, round(v, 8)]));

/** The validation report with the field names the other `clv` verbs print (snake_case, `loglik`). */
function validationJson(report: ValidationReport) {
  return {
    customers: report.customers,
    calibration_periods: report.calibrationPeriods,
    holdout_length: report.holdoutLength,
    actual_holdout: report.actualHoldout,
    recommended: report.recommended,
    models: report.models.map((m) => ({
      model: m.model,
      params: roundParams(m.params),
      loglik: round(m.logLikelihood, 8),
      predicted_holdout: m.predictedHoldout,
      mae_per_customer: m.meanAbsoluteError,
      buckets: m.buckets,
      tracking: m.tracking,
    })),
  };
}

export function registerClvCommand(program: Command, _config: KeptConfig): void {
  const clv = program
    .command('clv')
    .description('customer lifetime value: fit purchase and spend models, predict, validate');

  addTransactionOptions(
    clv.command('fit').description('fit a purchase model (and Gamma-Gamma spend with --amount-col)'),
  ).action(async (opts: TransactionOptions) => {
    const { summaries } = await load(opts);
    const { model, fitMs, spend } = fitAll(opts, summaries);
    const out = {
      model: model.model,
      params: roundParams(model.params),
      loglik: round(model.logLikelihood, 8),
      n_customers: summaries.n,
      fit_ms: round(fitMs, 3),
      converged: model.converged,
      at_bound: model.atBound,
      ...(spend
        ? {
            spend: {
              model: 'gammagamma',
              params: roundParams(spend.params),
              loglik: round(spend.logLikelihood, 8),
              n_customers: spend.n,
              converged: spend.converged,
              at_bound: spend.atBound,
            },
          }
        : {}),
    };
    if (opts.json) {
      console.log(JSON.stringify(out));
      return;
    }
    console.log(
      `${model.model}: ${Object.entries(out.params)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(
      `  log-likelihood ${model.logLikelihood.toFixed(3)} · ${summaries.n} customers · ${fitMs.toFixed(1)} ms${model.converged ? '' : ' · NOT CONVERGED'}${model.atBound.length ? ` · at the bound: ${model.atBound.join(', ')}` : ''}`,
    );
    if (spend)
      console.log(
        `gamma-gamma: p ${spend.params.p.toFixed(5)}, q ${spend.params.q.toFixed(5)}, γ ${spend.params.gamma.toFixed(5)} · log-likelihood ${spend.logLikelihood.toFixed(3)} · ${spend.n} repeat buyers`,
      );
  });

  addTransactionOptions(
    clv.command('predict').description('per-customer P(alive), expected purchases, expected spend and CLV'),
  )
    .option('--horizon <units>', 'prediction horizon in time units', '52')
    .option('--discount-rate <rate>', 'annual discount rate for CLV', '0.1')
    .option('--steps <n>', 'discounting steps over the horizon', '12')
    .action(async (opts: PredictOptions) => {
      const horizon = numberOption('--horizon', opts.horizon, 0);
      const rate = numberOption('--discount-rate', opts.discountRate, -1);
      const steps = integerOption('--steps', opts.steps, 1, 10_000);
      const { file, summaries: s } = await load(opts);
      // `kept clv predict … | head` closes the pipe early: that is the reader's choice, not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      const { model, spend } = fitAll(opts, s);
      const unitDays = TIME_UNITS[opts.timeUnit]!;
      const scores = scoreCustomers(model, { n: s.n, x: s.x, tx: s.tx, T: s.T }, s.mx, spend?.params ?? null, {
        horizon,
        annualDiscountRate: rate,
        unitsPerYear: 365.25 / unitDays,
        steps,
      });
      const lines: string[] = [];
      if (!opts.json) lines.push('customer,x,t_x,T,p_alive,expected_purchases,expected_spend,clv');
      for (let i = 0; i < s.n; i++) {
        const row = {
          customer: file.customerIds[s.customer[i]!]!,
          x: s.x[i]!,
          t_x: round(s.tx[i]!),
          T: round(s.T[i]!),
          p_alive: round(scores.pAlive[i]!),
          expected_purchases: round(scores.expectedPurchases[i]!),
          expected_spend: round(scores.expectedSpend[i]!),
          clv: round(scores.clv[i]!),
        };
        lines.push(
          opts.json
            ? JSON.stringify(row)
            : Object.values(row)
                .map((v) => (v === null ? '' : String(v)))
                .join(','),
        );
        if (lines.length >= 4096) {
          process.stdout.write(`${lines.join('\n')}\n`);
          lines.length = 0;
        }
      }
      if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
    });

  addTransactionOptions(
    clv.command('validate').description('calibration/holdout validation of every purchase model'),
    'every model',
  ).action(async (opts: TransactionOptions) => {
    if (!opts.calibrationEnd)
      throw new TransactionFileError('validate needs --calibration-end (the holdout is what follows it)');
    checkReadable('--transactions', opts.transactions);
    const file = await readTransactionFile(opts.transactions, { customerCol: opts.customerCol, dateCol: opts.dateCol });
    let firstDay = Infinity;
    let lastDay = -Infinity;
    for (let i = 0; i < file.rows; i++) {
      firstDay = Math.min(firstDay, file.columns.day[i]!);
      lastDay = Math.max(lastDay, file.columns.day[i]!);
    }
    const { calibrationEnd, holdoutEnd } = periods(opts, lastDay);
    if ((holdoutEnd ?? lastDay) <= calibrationEnd) {
      throw new TransactionFileError(
        `${opts.transactions}: no transaction after --calibration-end ${opts.calibrationEnd} (the last is on ${dayText(lastDay)}): there is no holdout to validate against`,
      );
    }
    if (firstDay >= calibrationEnd) {
      throw new TransactionFileError(
        `${opts.transactions}: no transaction before --calibration-end ${opts.calibrationEnd} (the first is on ${dayText(firstDay)}): nothing to calibrate on`,
      );
    }
    const report = validateModels(file.columns, { calibrationEnd, holdoutEnd, unitDays: TIME_UNITS[opts.timeUnit]! });
    if (opts.json) {
      console.log(JSON.stringify(validationJson(report)));
      return;
    }
    console.log(
      `${report.customers} customers · holdout ${report.holdoutLength.toFixed(1)} ${opts.timeUnit}s · actual repeat purchases in holdout ${report.actualHoldout}`,
    );
    for (const m of report.models) {
      console.log(
        `${m.model.padEnd(10)} log-lik ${m.logLikelihood.toFixed(2)} · predicted ${m.predictedHoldout.toFixed(1)} · MAE/customer ${m.meanAbsoluteError.toFixed(4)}`,
      );
      console.log(
        `           by calibration frequency (actual/predicted mean): ${m.buckets.map((b) => `${b.bucket}: ${b.actual.toFixed(2)}/${b.predicted.toFixed(2)}`).join(' · ')}`,
      );
    }
    console.log(`recommended: ${report.recommended} (lowest holdout error per customer)`);
  });

  clv
    .command('fit-bgbb')
    .description(
      'fit BG/BB on a recency/frequency table of discrete opportunities (columns frequency, recency, periods[, weights])',
    )
    .requiredOption('--file <file>', 'CSV or JSON Lines file')
    .option('--json', 'print JSON')
    .action(async (opts: { file: string; json?: boolean }) => {
      checkReadable('--file', opts.file);
      const cols = {
        x: [] as number[],
        tx: [] as number[],
        n: [] as number[],
        w: [] as number[],
        line: [] as number[],
      };
      for await (const row of readRows(opts.file, detectFormat(opts.file)?.format ?? 'csv')) {
        if ('error' in row) throw new TransactionFileError(`${opts.file}: line ${row.line}: ${row.error}`);
        const num = (field: string, fallback?: number) => {
          const raw = cellText(row.values[field]);
          if (raw === undefined && fallback !== undefined) return fallback;
          const v = Number(raw);
          if (raw === undefined || raw.trim() === '' || !Number.isFinite(v) || v < 0)
            throw new TransactionFileError(
              `${opts.file}: line ${row.line}, field ${field}: must be a non-negative number, got '${raw ?? ''}'`,
            );
          return v;
        };
        cols.x.push(num('frequency'));
        cols.tx.push(num('recency'));
        cols.n.push(num('periods'));
        cols.w.push(num('weights', 1));
        cols.line.push(row.line);
      }
      let data;
      try {
        data = bgBbData(cols.x, cols.tx, cols.n, cols.w);
      } catch (error) {
        throw new TransactionFileError(
          `${opts.file}: ${(error as Error).message.replace(/^row (\d+)/, (_, r: string) => `line ${cols.line[Number(r)]}`)}`,
        );
      }
      if (cols.x.length === 0 || !cols.w.some((w) => w > 0))
        throw new TransactionFileError(`${opts.file}: no customers to fit (no rows, or every weight is 0)`);
      const started = performance.now();
      const fit = fitBgBb(data);
      const out = {
        model: 'bgbb',
        params: roundParams(fit.params),
        loglik: round(fit.logLikelihood, 8),
        n_customers: fit.n,
        fit_ms: round(performance.now() - started, 3),
        converged: fit.converged,
        at_bound: fit.atBound,
      };
      if (opts.json) console.log(JSON.stringify(out));
      else
        console.log(
          `bgbb: ${Object.entries(out.params)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} · log-likelihood ${fit.logLikelihood.toFixed(3)} · ${fit.n} customers`,
        );
    });
}
