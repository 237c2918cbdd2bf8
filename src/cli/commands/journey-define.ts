/**
 * `kept journey define FILE.json`: saves a designed journey into a workspace, validated exactly as
 * `PUT /api/v1/journeys/designed/:id` validates it (same service), so a file that loads here loads there.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { storeLocation } from '../store-option.js';

const ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The journey id from the file name: `Returns Journey.json` → `returns-journey`. */
export function idFromFile(path: string): string {
  return basename(path)
    .replace(/\.json$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export function registerJourneyDefineCommand(journey: Command, config: KeptConfig): void {
  journey
    .command('define')
    .description('save a designed journey (JSON, see docs/journeys.md) into a workspace')
    .argument('<file>', 'the journey definition, a .json file')
    .option('--id <id>', 'journey id (default: from the file name)')
    .option('--workspace <id>', 'workspace', config.defaultWorkspace)
    .option('--db <path|url>', 'DuckDB file or postgres:// URL')
    .option('--json', 'print the stored journey as JSON')
    .action(async (file: string, opts: { id?: string; workspace: string; db?: string; json?: boolean }) => {
      const id = opts.id ?? idFromFile(file);
      if (!ID.test(id)) throw new Error(`journey id '${id}' must be lower-case letters, digits, - or _ (use --id)`);
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch (error) {
        throw new Error(`${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
      // Loaded here, not at the top: `kept journey discover` on a file needs neither the store nor the server.
      const [{ openEngine }, { getWorkspace }, { JourneyService }] = await Promise.all([
        import('../../store/open-store.js'),
        import('../../store/repositories/workspace-repository.js'),
        import('../../server/services/journey-service.js'),
      ]);
      const engine = await openEngine(storeLocation(opts.db, config));
      try {
        if (!(await getWorkspace(engine, opts.workspace))) throw new Error(`workspace '${opts.workspace}' does not exist`);
        const result = await new JourneyService(engine).putDesigned(opts.workspace, id, body);
        if (!result.ok) {
          const lines = result.error.type === 'bad_request' && result.error.errors ? result.error.errors.map((e) => `  ${e.field ?? ''}: ${e.reason}`) : [];
          throw new Error([`${file}: invalid journey definition`, ...lines].join('\n'));
        }
        const { created, journey: j } = result.value;
        if (opts.json) console.log(JSON.stringify(result.value));
        else console.log(`${created ? 'created' : 'replaced'} journey '${id}' (${j.name}, ${j.steps.length} steps) in workspace '${opts.workspace}'`);
      } finally {
        await engine.close();
      }
    });
}
