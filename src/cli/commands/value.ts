/**
 * `kept value compute`: fits the customer-value model on a workspace's orders (model chosen by holdout error),
 * scores every customer and stores P(alive), expected purchases, CLV, RFM segment and persona
 * (src/server/services/value-service.ts; docs/value-models.md).
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { COUNT_MODELS, type CountModelName } from '../../core/value/count-models.js';
import { computeValue, DEFAULT_MODELS } from '../../server/services/value-service.js';
import { openEngine } from '../../store/open-store.js';
import { getWorkspace } from '../../store/repositories/workspace-repository.js';
import { UsageError } from '../cli-options.js';
import { storeLocation } from '../store-option.js';

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

export function registerValueCommand(program: Command, config: KeptConfig): void {
  const value = program
    .command('value')
    .description('customer value on a workspace: CLV, P(alive), segments, personas');
  value
    .command('compute')
    .description('fit, validate and score every customer; store the results for the API and dashboard')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--workspace <id>', 'workspace', config.defaultWorkspace)
    .option('--horizon <weeks>', 'CLV horizon in weeks', positive('--horizon'), 52)
    .option(
      '--discount-rate <rate>',
      'annual discount rate for CLV',
      (v) => {
        const n = Number(v);
        if (!(n > -1) || !Number.isFinite(n)) throw new InvalidArgumentError('--discount-rate must be a number > -1');
        return n;
      },
      0.1,
    )
    .addOption(
      new Option('--models <list>', `candidate models, comma-separated (${COUNT_MODELS.join(', ')})`).default(
        DEFAULT_MODELS.join(','),
      ),
    )
    .option(
      '--refit',
      'refit the chosen model on all data (default: score with the parameters validated on the holdout)',
    )
    .option('--json', 'print the run summary as JSON')
    .action(
      async (opts: {
        db?: string;
        workspace: string;
        horizon: number;
        discountRate: number;
        models: string;
        refit?: boolean;
        json?: boolean;
      }) => {
        const models = opts.models
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '');
        const bad = models.filter((m) => !(COUNT_MODELS as readonly string[]).includes(m));
        if (bad.length > 0)
          throw new UsageError(
            `--models: unknown model(s) ${bad.map((m) => `'${m}'`).join(', ')}; choose from ${COUNT_MODELS.join(', ')}`,
          );
        if (models.length === 0) throw new UsageError(`--models needs at least one of ${COUNT_MODELS.join(', ')}`);
        const engine = await openEngine(storeLocation(opts.db, config));
        try {
          if (!(await getWorkspace(engine, opts.workspace)))
            throw new UsageError(`workspace '${opts.workspace}' does not exist`);
          const result = await computeValue(engine, opts.workspace, {
            horizonWeeks: opts.horizon,
            annualDiscountRate: opts.discountRate,
            models: models as CountModelName[],
            refit: opts.refit,
          });
          if (!result.ok) throw new Error(result.error.detail);
          const r = result.value;
          const chosen = r.validation?.models.find((m) => m.model === r.model);
          if (opts.json) {
            console.log(
              JSON.stringify({
                workspace: opts.workspace,
                model: r.model,
                params: r.params,
                fitted_on: r.fittedOn,
                customers: r.customers,
                holdout_weeks: r.recentWeeks,
                validation:
                  r.validation?.models.map((m) => ({
                    model: m.model,
                    loglik: m.logLikelihood,
                    predicted: m.predictedHoldout,
                    mae: m.meanAbsoluteError,
                  })) ?? null,
                actual_holdout: r.validation?.actualHoldout ?? null,
                personas: r.personas.map((p) => ({ name: p.name, customers: p.size })),
                compute_ms: r.computeMs,
              }),
            );
            return;
          }
          console.log(
            `customer value for '${opts.workspace}': ${r.customers.toLocaleString('en-GB')} customers, model ${r.model}, ${(r.computeMs / 1000).toFixed(1)} s`,
          );
          if (r.validation && chosen) {
            console.log(
              `  holdout ${r.recentWeeks} weeks: actual ${r.validation.actualHoldout} repeat purchases, predicted ${chosen.predictedHoldout.toFixed(0)} (MAE/customer ${chosen.meanAbsoluteError.toFixed(3)})`,
            );
          }
          console.log(`  ${r.personas.length} personas: ${r.personas.map((p) => `${p.name} (${p.size})`).join(' · ')}`);
        } finally {
          await engine.close();
        }
      },
    );
}
