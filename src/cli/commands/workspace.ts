import { isCurrencyCode } from '../../core/currencies.js';
import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { identityConfigSchema } from '../../core/identity/config.js';
import { openEngine } from '../../store/open-store.js';
import { ensureWorkspace, getWorkspace, listWorkspaces } from '../../store/repositories/workspace-repository.js';
import { workspaceId } from '../cli-options.js';
import { storeLocation } from '../store-option.js';

export function registerWorkspaceCommands(program: Command, config: KeptConfig): void {
  const workspace = program.command('workspace').description('create and list workspaces');
  workspace
    .command('create')
    .description('create a workspace (an existing one is left unchanged)')
    .argument('<id>', 'lower-case id: letters, digits, - and _')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--name <name>', 'display name')
    .option('--country <code>', 'country for phone numbers written without +prefix (ISO 3166 alpha-2)', 'US')
    .option('--currency <code>', 'default currency of orders (ISO 4217)')
    .option('--json', 'print the workspace as JSON')
    .action(
      async (
        id: string,
        opts: { db?: string; name?: string; country: string; currency?: string; json?: boolean },
        cmd: Command,
      ) => {
        workspaceId('workspace id', id);
        const identity = identityConfigSchema.safeParse({ defaultCountry: opts.country.toUpperCase() });
        if (!identity.success) throw new Error(`--country '${opts.country}' is not a supported country code`);
        if (opts.currency !== undefined && !isCurrencyCode(opts.currency))
          throw new Error(`--currency '${opts.currency}' is not an ISO 4217 code`);
        const engine = await openEngine(storeLocation(opts.db, config));
        try {
          const existed = await getWorkspace(engine, id);
          const settings = {
            identity: { defaultCountry: opts.country.toUpperCase() },
            ...(opts.currency ? { defaultCurrency: opts.currency.toUpperCase() } : {}),
          };
          const ws = await ensureWorkspace(engine, id, opts.name ?? id, settings);
          // An existing workspace is left as it is: say which of the options asked for were not applied.
          const ignored = ['name', 'country', 'currency']
            .filter((o) => cmd.getOptionValueSource(o) === 'cli')
            .map((o) => `--${o}`);
          if (existed && !opts.json)
            console.error(
              `kept: workspace '${id}' already exists; left unchanged${ignored.length > 0 ? ` (${ignored.join(', ')} not applied)` : ''}`,
            );
          if (opts.json) console.log(JSON.stringify({ ...ws, created: !existed }));
          else if (!existed) console.log(`created workspace '${id}'`);
        } finally {
          await engine.close();
        }
      },
    );
  workspace
    .command('list')
    .description('list the workspaces (id and name)')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--json', 'print as JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const engine = await openEngine(storeLocation(opts.db, config));
      try {
        const items = await listWorkspaces(engine);
        if (opts.json) console.log(JSON.stringify({ items }));
        else if (items.length === 0) console.error('kept: no workspaces yet: `kept workspace create <id>` or `kept demo`');
        else for (const w of items) console.log(`${w.id}\t${w.name}`);
      } finally {
        await engine.close();
      }
    });
}
