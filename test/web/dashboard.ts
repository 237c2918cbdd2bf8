/**
 * The set-up every dashboard browser test shares: a demo workspace in a temporary DuckDB file, the real server
 * serving the built dashboard on a free port, and Debian's Chromium. In CI a missing browser is a failure, not a
 * skip: .ci/run installs it.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { createDemoWorkspace } from '../../src/ingest/demo-workspace.js';
import { buildApp } from '../../src/server/app.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';
import { CHROMIUM_PATH, launchBrowser } from './browser.js';

const WEB_ROOT = join(import.meta.dirname, '../../dist/web');
export const SHOTS = join(import.meta.dirname, '../../test-results');

/** Whether browser tests run here; says why when they are skipped. */
export function browserTestsRun(what: string): boolean {
  const have = existsSync(CHROMIUM_PATH);
  if (!have && !process.env.CI)
    console.warn(`[kept] ${what} skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return have || Boolean(process.env.CI);
}

export interface Dashboard {
  engine: Engine;
  app: FastifyInstance;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

/** Starts the server on a fresh demo workspace (`prepare` runs before serving) and the browser. */
export async function startDashboard(
  name: string,
  demo: { customers: number; seed: number },
  prepare?: (engine: Engine) => Promise<void>,
): Promise<Dashboard> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) execSync('npx vite build', { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), `kept-${name}-`));
  const engine = await openEngine({ duckdbPath: join(dir, `${name}.duckdb`) });
  await createDemoWorkspace(engine, 'demo', { ...demo, quiet: true });
  await prepare?.(engine);
  const app = await buildApp({ engine, defaultWorkspace: 'demo', webRoot: WEB_ROOT, logLevel: 'warn' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
  return {
    engine,
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
