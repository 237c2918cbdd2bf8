/** Creates the demo workspace (Northwind Home) and fills it from the deterministic generator. */
import { loadDemo } from './load-demo.js';
import { seedDemoJourneys } from './demo-journeys.js';
import type { Engine } from '../store/engines/engine.js';
import { ensureWorkspace, hasCustomers } from '../store/repositories/workspace-repository.js';
import { WorkspaceDirectory } from '../store/repositories/workspace-settings.js';

/** Demo workspace settings: the company is British, so national phone numbers are read as GB numbers. */
export const DEMO_SETTINGS = { identity: { defaultCountry: 'GB' }, defaultCurrency: 'GBP' };

export async function createDemoWorkspace(
  engine: Engine,
  workspaceId: string,
  options: { customers: number; seed: number; quiet?: boolean },
) {
  if (await hasCustomers(engine, workspaceId)) throw new Error(`workspace '${workspaceId}' already has data; choose another --workspace or --db`);
  await ensureWorkspace(engine, workspaceId, 'Northwind Home (demo)', DEMO_SETTINGS);
  const ws = (await new WorkspaceDirectory(engine).get(workspaceId))!;
  const summary = await loadDemo(engine, workspaceId, {
    customers: options.customers,
    seed: options.seed,
    identityConfig: ws.identity,
    onProgress: (people) => {
      if (!options.quiet && process.stderr.isTTY) process.stderr.write(`\r  ${people.toLocaleString('en-GB')} / ${options.customers.toLocaleString('en-GB')} people`);
    },
  });
  await seedDemoJourneys(engine, workspaceId);
  return summary;
}

