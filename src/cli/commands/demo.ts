import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { createDemoWorkspace } from '../../ingest/demo-workspace.js';
import { computeValue } from '../../server/services/value-service.js';
import { openEngine } from '../../store/open-store.js';
import { integerOption, workspaceId } from '../cli-options.js';
import { DUCKDB_TUNING, storeLocation } from '../store-option.js';

export function registerDemoCommand(program: Command, config: KeptConfig): void {
  program
    .command('demo')
    .description('create a deterministic synthetic company (Northwind Home) in a workspace')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--workspace <id>', 'workspace to create', config.defaultWorkspace)
    .option('--customers <n>', 'number of people', '20000')
    .option('--seed <n>', 'random seed', '42')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { db?: string; workspace: string; customers: string; seed: string; json?: boolean }) => {
      const customers = integerOption('--customers', opts.customers, 1);
      const seed = integerOption('--seed', opts.seed, -(2 ** 31), 2 ** 31 - 1);
      workspaceId('--workspace', opts.workspace);
      const engine = await openEngine(storeLocation(opts.db, config, DUCKDB_TUNING.write));
      try {
        const summary = await createDemoWorkspace(engine, opts.workspace, { customers, seed, quiet: opts.json });
        // So the Value page has figures without a separate `kept value compute`.
        const value = await computeValue(engine, opts.workspace);
        if (!value.ok && !opts.json) console.error(`customer value not computed: ${value.error.detail}`);
        if (process.stderr.isTTY && !opts.json) process.stderr.write('\n');
        if (opts.json)
          console.log(
            JSON.stringify({
              ...summary,
              value_computed: value.ok,
              ...(value.ok ? {} : { value_error: value.error.detail }),
            }),
          );
        else {
          console.log(
            `demo workspace '${summary.workspace}' in ${engine.description}: ${summary.people.toLocaleString('en-GB')} people`,
          );
          for (const [entity, c] of Object.entries(summary.counts))
            console.log(
              `  ${entity.padEnd(10)} ${c.stored.toLocaleString('en-GB')} stored${c.rejected ? `, ${c.rejected} rejected` : ''}`,
            );
          console.log(
            `  ${summary.profiles_created.toLocaleString('en-GB')} profiles, ${summary.merges} merges, ${summary.seconds} s (${summary.records_per_s.toLocaleString('en-GB')} records/s)`,
          );
        }
      } finally {
        await engine.close();
      }
    });
}
