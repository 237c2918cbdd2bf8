/**
 * Bad usage of the verbs other than `import` (test/cli/import-cli.test.ts) found by a user's audit: each is one line
 * on stderr naming the option or file and the reason, with a non-zero exit code, before any work is done; and
 * what a verb did is said (migrations applied, options not applied to an existing workspace).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const CDNOW = [
  '--transactions',
  '../shared/data/clv/btyd_cdnowElog.csv',
  '--customer-col',
  'sampleid',
  '--date-col',
  'date',
];

const keptWith = async (env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, KEPT_LOG_LEVEL: 'warn', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};
const kept = (...args: string[]) => keptWith({}, ...args);

describe('kept verbs: bad usage and what was done', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-usage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows help even when the environment is invalid, with a warning naming the setting; other verbs stop', async () => {
    const help = await keptWith({ KEPT_PORT: 'abc' }, 'serve', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: kept serve');
    expect(help.stderr).toContain('KEPT_PORT');
    const serve = await keptWith({ KEPT_PORT: 'abc' }, 'workspace', 'list', '--db', join(dir, 'none.duckdb'));
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('KEPT_PORT');
    expect(existsSync(join(dir, 'none.duckdb'))).toBe(false);
  });

  it("lists in import's help the columns every row of each entity needs", async () => {
    const help = await kept('import', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}events +customer_id, email, phone or anonymous_id; occurred_at or timestamp; type or event$/m);
    expect(help.stdout).toMatch(/^ {2}customers +customer_id$/m);
  });

  it('names a bad option value of value compute, start, serve and demo, before opening anything', async () => {
    const db = join(dir, 'never.duckdb');
    const cases: [string[], RegExp][] = [
      [
        ['value', 'compute', '--db', db, '--models', 'foo'],
        /^kept: --models: unknown model\(s\) 'foo'; choose from bgnbd/,
      ],
      [['value', 'compute', '--db', db, '--models', ''], /^kept: --models needs at least one of/],
      [
        ['start', '--db', db, '--customers', 'abc'],
        /^kept: --customers must be a whole number of at least 1, got 'abc'/,
      ],
      [['serve', '--db', db, '--port', 'abc'], /^kept: --port must be a whole number from 0 to 65,535, got 'abc'/],
      [['demo', '--db', db, '--workspace', 'BAD'], /^kept: --workspace 'BAD' must be 1–63 lower-case letters/],
      [
        ['clv', 'predict', ...CDNOW, '--horizon', 'Infinity'],
        /^kept: --horizon must be a number greater than 0, got 'Infinity'/,
      ],
      [['clv', 'predict', ...CDNOW, '--steps', '100000000'], /^kept: --steps must be a whole number from 1 to 10,000/],
    ];
    for (const [args, message] of cases) {
      const r = await kept(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toMatch(message);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('refuses to fit or validate CLV on periods with nothing to fit or to hold out', async () => {
    const early = await kept('clv', 'fit', ...CDNOW, '--calibration-end', '1997-01-01', '--json');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/too little history to fit: 18 customer\(s\), none observed/);
    expect(early.stdout).toBe('');
    const backwards = await kept(
      'clv',
      'validate',
      ...CDNOW,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1997-06-01',
    );
    expect(backwards.stderr).toMatch(/--holdout-end 1997-06-01 must come after --calibration-end 1997-09-30/);
    const late = await kept('clv', 'validate', ...CDNOW, '--calibration-end', '1998-09-30');
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/no transaction after --calibration-end 1998-09-30 \(the last is on 1998-06-30\)/);
  });

  it('names the log or model file a journey verb cannot use', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'case,activity,timestamp\n');
    expect((await kept('journey', 'discover', '--log', empty)).stderr).toMatch(/--log .*empty\.csv: no events to mine/);
    expect((await kept('journey', 'discover', '--log', dir)).stderr).toMatch(/: is a directory, not a file/);
    const model = join(dir, 'model.json');
    writeFileSync(model, 'nope\n');
    const bad = await kept(
      'journey',
      'conform',
      '--log',
      '../shared/data/journey/running_example_broken.csv',
      '--model',
      model,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--model .*model\.json: Unexpected token/);
  });

  it('says what migrate applied, and which options were not applied to an existing workspace', async () => {
    const db = join(dir, 'store.duckdb');
    expect((await kept('migrate', '--db', db)).stdout).toMatch(/^0001 initial data spine: applied$/m);
    expect((await kept('migrate', '--db', db)).stdout).toMatch(/^0001 initial data spine: already-applied$/m);
    expect((await kept('workspace', 'create', 'acme', '--db', db)).stdout).toMatch(/created workspace 'acme'/);
    const again = await kept('workspace', 'create', 'acme', '--db', db, '--country', 'FR');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/workspace 'acme' already exists; left unchanged \(--country not applied\)/);
    const badCurrency = await kept('workspace', 'create', 'beta', '--db', db, '--currency', 'ABC');
    expect(badCurrency.code).not.toBe(0);
    expect(badCurrency.stderr).toMatch(/--currency 'ABC' is not an ISO 4217 code/);
    expect((await kept('workspace', 'create', 'beta', '--db', db, '--currency', 'chf')).code).toBe(0);
    expect((await kept('value', 'compute', '--db', db, '--workspace', 'nope')).stderr).toMatch(
      /workspace 'nope' does not exist/,
    );
  });
});
