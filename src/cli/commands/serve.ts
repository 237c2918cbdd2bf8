import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { buildApp } from '../../server/app.js';
import type { Engine } from '../../store/engines/engine.js';
import { openEngine } from '../../store/open-store.js';
import { getWorkspace, hasCustomers } from '../../store/repositories/workspace-repository.js';
import { DUCKDB_TUNING, storeLocation } from '../store-option.js';
import { createDemoWorkspace } from '../../ingest/demo-workspace.js';
import { computeValue } from '../../server/services/value-service.js';
import { integerOption, workspaceId as checkedWorkspace } from '../cli-options.js';

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
  workspace?: string;
}

/**
 * `prepare` runs before the server opens the store, on a store of its own opened with the writing commands'
 * settings: a bulk write such as the demo is written as `kept demo` writes it, not as the server's stream of small
 * writes (docs/adr/0018).
 */
async function serve(config: KeptConfig, opts: ServeOptions, prepare?: (engine: Engine) => Promise<void>) {
  // Checked before anything is opened or built: a bad port should not wait for a demo to be created first.
  const port = opts.port !== undefined ? integerOption('--port', opts.port, 0, 65_535) : config.port;
  const defaultWorkspace = checkedWorkspace('--workspace', opts.workspace ?? config.defaultWorkspace);
  if (prepare) {
    const writer = await openEngine(storeLocation(opts.db, config, DUCKDB_TUNING.write));
    try {
      await prepare(writer);
    } finally {
      await writer.close();
    }
  }
  const engine = await openEngine(storeLocation(opts.db, config, DUCKDB_TUNING.serve));
  if (!(await getWorkspace(engine, defaultWorkspace))) {
    console.error(
      `kept: warning: the default workspace '${defaultWorkspace}' does not exist yet; requests without ?workspace= answer 404 until it does`,
    );
  }
  const app = await buildApp({ engine, defaultWorkspace, webRoot: WEB_ROOT, logLevel: config.logLevel, heavyWaitMs: config.heavyWaitS * 1000 });
  const host = opts.host ?? config.host;
  const shutdown = async () => {
    await app.close();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port, host });
  // The port bound, which differs from the one asked for when that was 0 (any free port).
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  console.log(`Kept is serving ${engine.description} on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}`);
}

export function registerServeCommands(program: Command, config: KeptConfig): void {
  const common = (c: Command) =>
    c
      .option('--db <path|url>', 'DuckDB file or postgres:// URL')
      .option('--port <n>', `port (default ${config.port})`)
      .option('--host <host>', `interface (default ${config.host})`)
      .option('--workspace <id>', 'default workspace', config.defaultWorkspace);
  common(program.command('serve').description('serve the API and dashboard')).action((opts: ServeOptions) =>
    serve(config, opts),
  );
  common(
    program
      .command('start')
      .description('create the demo workspace if absent, then serve (what `npm start` runs)')
      .option('--customers <n>', 'size of the demo company when it is created', '20000'),
  ).action((opts: ServeOptions & { customers: string }) => {
    const customers = integerOption('--customers', opts.customers, 1);
    return serve(config, opts, async (engine) => {
      const workspaceId = opts.workspace ?? config.defaultWorkspace;
      // A workspace without customers counts as absent: a creation that stopped half-way is finished now.
      if (await hasCustomers(engine, workspaceId)) return;
      console.log(
        `Creating the demo workspace '${workspaceId}' (${customers.toLocaleString('en-GB')} customers, once)…`,
      );
      const summary = await createDemoWorkspace(engine, workspaceId, { customers, seed: 42 });
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`  done in ${summary.seconds} s`);
      // Customer value is a batch computation: run it once here so the Value page has figures straight away.
      const value = await computeValue(engine, workspaceId);
      console.log(
        value.ok
          ? `  customer value computed in ${(value.value.computeMs / 1000).toFixed(1)} s`
          : `  customer value not computed: ${value.error.detail}`,
      );
    });
  });
}
