#!/usr/bin/env node
// Entry point for `npx kept`: runs the compiled CLI (built by `npm ci` via the prepare script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('kept: the CLI is not built yet. Run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
await import(main);
