import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { identityConfigSchema } from '../../core/identity/config.js';
import { openEngine } from '../../store/open-store.js';
import { ensureWorkspace, getWorkspace, listWorkspaces } from '../../store/repositories/workspace-repository.js';
import { storeLocation } from '../store-option.js';

export function registerWorkspaceCommands(program: Command, config: KeptConfig): void {
  const workspace = program.command('workspace').description('create and list workspaces');
  workspace
    .command('create')
    .argument('<id>', 'lower-case id: letters, digits, - and _')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--name <name>', 'display name')
    .option('--country <code>', 'country for phone numbers written without +prefix (ISO 3166 alpha-2)', 'US')
    .option('--currency <code>', 'default currency of orders (ISO 4217)')
    .option('--json', 'print the workspace as JSON')
    .action(async (id: string, opts: { db?: string; name?: string; country: string; currency?: string; json?: boolean }) => {
      if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(id)) throw new Error(`workspace id '${id}' must be lower-case letters, digits, - or _`);
      const identity = identityConfigSchema.safeParse({ defaultCountry: opts.country.toUpperCase() });
      if (!identity.success) throw new Error(`--country '${opts.country}' is not a supported country code`);
      if (opts.currency && !/^[A-Za-z]{3}$/.test(opts.currency)) throw new Error(`--currency '${opts.currency}' is not an ISO 4217 code`);
      const engine = await openEngine(storeLocation(opts.db, config));
      try {
        const existed = await getWorkspace(engine, id);
        const settings = { identity: { defaultCountry: opts.country.toUpperCase() }, ...(opts.currency ? { defaultCurrency: opts.currency.toUpperCase() } : {}) };
        const ws = await ensureWorkspace(engine, id, opts.name ?? id, settings);
        if (opts.json) console.log(JSON.stringify({ ...ws, created: !existed }));
        else console.log(existed ? `workspace '${id}' already exists` : `created workspace '${id}'`);
      } finally {
        await engine.close();
      }
    });
  workspace
    .command('list')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--json', 'print as JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const engine = await openEngine(storeLocation(opts.db, config));
      try {
        const items = await listWorkspaces(engine);
        if (opts.json) console.log(JSON.stringify({ items }));
        else for (const w of items) console.log(`${w.id}\t${w.name}`);
      } finally {
        await engine.close();
      }
    });
}
