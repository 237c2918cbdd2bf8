/** `kept journey define FILE.json` through the real CLI: saves a valid journey, replaces it, refuses a bad one with its fields. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DESIGNED_JOURNEYS } from '../../src/core/demo/designed-journeys.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const kept = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, KEPT_LOG_LEVEL: 'warn' } });

describe('kept journey define (CLI)', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kept-journey-define-'));
    db = join(dir, 'k.duckdb');
    await kept('workspace', 'create', 'shop', '--db', db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves a journey named after its file, then replaces it', async () => {
    const file = join(dir, 'Returns Journey.json');
    writeFileSync(file, JSON.stringify(DEMO_DESIGNED_JOURNEYS[1]!.definition));
    const first = JSON.parse((await kept('journey', 'define', file, '--db', db, '--workspace', 'shop', '--json')).stdout) as { id: string; created: boolean; journey: { name: string; steps: unknown[] } };
    expect(first).toMatchObject({ id: 'returns-journey', created: true, journey: { name: 'Returns and refunds' } });
    expect(first.journey.steps).toHaveLength(5);
    const again = await kept('journey', 'define', file, '--db', db, '--workspace', 'shop', '--id', 'returns-journey');
    expect(again.stdout).toContain("replaced journey 'returns-journey' (Returns and refunds, 5 steps) in workspace 'shop'");
  });

  it('refuses an invalid definition, naming each field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'x', owner: 'y', revenue_objective: { description: 'z' }, steps: [{ name: 'only', match: {} }] }));
    const failure = await kept('journey', 'define', file, '--db', db, '--workspace', 'shop').then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('invalid journey definition');
    expect(failure?.stderr).toMatch(/steps\.0\.match: a step needs at least one matching rule/);
    expect(failure?.stderr).toMatch(/steps: /);
  });
});
