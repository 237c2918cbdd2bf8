import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { openEngine } from '../../store/open-store.js';
import type { MigrationOutcome } from '../../store/migrator.js';
import { storeLocation } from '../store-option.js';

export function registerMigrateCommand(program: Command, config: KeptConfig): void {
  program
    .command('migrate')
    .description('bring the store schema up to date (also done on every start)')
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--json', 'print the outcome as JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      // Opening a store migrates it: report what that did (a second run would find nothing left to do).
      let outcomes: MigrationOutcome[] = [];
      const engine = await openEngine(storeLocation(opts.db, config), (done) => (outcomes = done));
      try {
        if (opts.json) console.log(JSON.stringify({ store: engine.description, migrations: outcomes }));
        else for (const o of outcomes) console.log(`${String(o.version).padStart(4, '0')} ${o.name}: ${o.status}`);
      } finally {
        await engine.close();
      }
    });
}
