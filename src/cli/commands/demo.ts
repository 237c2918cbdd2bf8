import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { loadDemo } from '../../ingest/load-demo.js';
import { openEngine } from '../../store/open-store.js';
import { ensureWorkspace, getWorkspace } from '../../store/repositories/workspace-repository.js';
import { WorkspaceDirectory } from '../../server/workspace-context.js';
import { storeLocation } from '../store-option.js';
import type { Engine } from '../../store/engines/engine.js';

/** Demo workspace settings: the company is British, so national phone numbers are read as GB numbers. */
export const DEMO_SETTINGS = { identity: { defaultCountry: 'GB' }, defaultCurrency: 'GBP' };

export async function createDemoWorkspace(
  engine: Engine,
  workspaceId: string,
  options: { customers: number; seed: number; quiet?: boolean },
) {
  if (await getWorkspace(engine, workspaceId)) {
    const rows = await engine.query<{ n: number }>('SELECT count(*) AS n FROM customers WHERE workspace_id = $1', [workspaceId]);
    if ((rows[0]?.n ?? 0) > 0) throw new Error(`workspace '${workspaceId}' already has data; choose another --workspace or --db`);
  }
  await ensureWorkspace(engine, workspaceId, 'Northwind Home (demo)', DEMO_SETTINGS);
  const ws = (await new WorkspaceDirectory(engine).get(workspaceId))!;
  return loadDemo(engine, workspaceId, {
    customers: options.customers,
    seed: options.seed,
    identityConfig: ws.identity,
    onProgress: (people) => {
      if (!options.quiet && process.stderr.isTTY) process.stderr.write(`\r  ${people.toLocaleString('en-GB')} / ${options.customers.toLocaleString('en-GB')} people`);
    },
  });
}

export function registerDemoCommand(program: Command, config: KeptConfig): void {
  program
    .command('demo')
    .description('create a deterministic synthetic company (Northwind Home) in a workspace')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--workspace <id>', 'workspace to create', 'demo')
    .option('--customers <n>', 'number of people', '20000')
    .option('--seed <n>', 'random seed', '42')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { db?: string; workspace: string; customers: string; seed: string; json?: boolean }) => {
      const customers = Number(opts.customers);
      if (!Number.isInteger(customers) || customers < 1) throw new Error(`--customers must be a positive integer, got '${opts.customers}'`);
      const engine = await openEngine(storeLocation(opts.db, config));
      try {
        const summary = await createDemoWorkspace(engine, opts.workspace, { customers, seed: Number(opts.seed), quiet: opts.json });
        if (process.stderr.isTTY && !opts.json) process.stderr.write('\n');
        if (opts.json) console.log(JSON.stringify(summary));
        else {
          console.log(`demo workspace '${summary.workspace}' in ${engine.description}: ${summary.people.toLocaleString('en-GB')} people`);
          for (const [entity, c] of Object.entries(summary.counts)) console.log(`  ${entity.padEnd(10)} ${c.stored.toLocaleString('en-GB')} stored${c.rejected ? `, ${c.rejected} rejected` : ''}`);
          console.log(`  ${summary.profiles_created.toLocaleString('en-GB')} profiles, ${summary.merges} merges, ${summary.seconds} s (${summary.records_per_s.toLocaleString('en-GB')} records/s)`);
        }
      } finally {
        await engine.close();
      }
    });
}
