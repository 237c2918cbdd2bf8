/** `kept clv` end to end through the real CLI (run from source with tsx) on the CDNOW files. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const DATA = '../shared/data/clv';
const kept = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, KEPT_LOG_LEVEL: 'warn' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
};
const CDNOW = ['--transactions', `${DATA}/btyd_cdnowElog.csv`, '--customer-col', 'sampleid', '--date-col', 'date', '--calibration-end', '1997-09-30'];

describe('kept clv (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-clv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fit: BG/NBD and Gamma-Gamma on the raw CDNOW file (YYYYMMDD dates)', async () => {
    const out = JSON.parse(await kept('clv', 'fit', ...CDNOW, '--amount-col', 'sales', '--json')) as {
      model: string;
      params: Record<string, number>;
      loglik: number;
      n_customers: number;
      fit_ms: number;
      spend: { params: Record<string, number>; loglik: number; n_customers: number };
    };
    expect(out.model).toBe('bgnbd');
    expect(Object.keys(out.params)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(Math.abs(out.loglik - -9582.429)).toBeLessThan(0.01);
    expect(out.n_customers).toBe(2357);
    expect(out.fit_ms).toBeGreaterThan(0);
    expect(out.spend.n_customers).toBe(946);
    expect(Math.abs(out.spend.loglik - -4055.918)).toBeLessThan(0.01);
  });

  it('fit --model paretonbd / mbgnbd', async () => {
    const pareto = JSON.parse(await kept('clv', 'fit', ...CDNOW, '--model', 'paretonbd', '--json')) as { loglik: number; converged: boolean; at_bound: string[] };
    expect(Math.abs(pareto.loglik - -9594.976)).toBeLessThan(0.01);
    expect(pareto).toMatchObject({ converged: true, at_bound: [] });
    const mbg = JSON.parse(await kept('clv', 'fit', ...CDNOW, '--model', 'mbgnbd', '--json')) as { loglik: number };
    expect(Math.abs(mbg.loglik - -9582.136)).toBeLessThan(0.02);
  });

  it('predict: one JSON line per customer with P(alive), purchases, spend and CLV', async () => {
    const lines = (await kept('clv', 'predict', ...CDNOW, '--amount-col', 'sales', '--horizon', '39', '--discount-rate', '0', '--json')).trim().split('\n');
    expect(lines).toHaveLength(2357);
    const rows = lines.map((l) => JSON.parse(l) as { customer: string; p_alive: number; expected_purchases: number; expected_spend: number; clv: number });
    const first = rows.find((r) => r.customer === '1')!;
    expect(first.expected_spend).toBeCloseTo(24.65, 1);
    expect(first.clv).toBeCloseTo(first.expected_spend * first.expected_purchases, 4);
    // The summed 39-week expectations are the holdout forecast (1653.4 at the published parameters).
    expect(rows.reduce((s, r) => s + r.expected_purchases, 0)).toBeCloseTo(1653.4, 0);
  });

  it('validate: report with a recommended model', async () => {
    const report = JSON.parse(await kept('clv', 'validate', ...CDNOW, '--json')) as {
      actual_holdout: number;
      holdout_length: number;
      models: { model: string; loglik: number; predicted_holdout: number; mae_per_customer: number }[];
      recommended: string;
    };
    // Field names as `clv fit` prints them (snake_case, loglik); figures as docs/value-models.md shows them.
    expect(report.actual_holdout).toBe(1882);
    expect(report.holdout_length).toBeCloseTo(39, 0);
    expect(report.models.map((m) => m.model)).toEqual(['bgnbd', 'mbgnbd', 'paretonbd']);
    expect(report.models[0]!.loglik).toBeCloseTo(-9582.43, 1);
    expect(report.models[0]!.predicted_holdout).toBeCloseTo(1653.4, 0);
    expect(report.models[0]!.mae_per_customer).toBeCloseTo(0.7855, 3);
    expect(['bgnbd', 'mbgnbd', 'paretonbd']).toContain(report.recommended);
  });

  it('fit-bgbb on the donations table', async () => {
    const out = JSON.parse(await kept('clv', 'fit-bgbb', '--file', `${DATA}/donations.csv`, '--json')) as { loglik: number; n_customers: number };
    expect(out.n_customers).toBe(11_104);
    expect(Math.abs(out.loglik - -33225.58)).toBeLessThan(0.01);
  });

  it('accepts ISO dates and names the line, field and reason of a bad row', async () => {
    const good = join(dir, 'iso.csv');
    writeFileSync(good, 'customer,at,amount\nA,2025-01-01,10\nA,2025-01-08T10:00:00Z,20\nB,2025-01-02,5\nA,2025-03-01,30\n');
    const out = JSON.parse(await kept('clv', 'fit', '--transactions', good, '--customer-col', 'customer', '--date-col', 'at', '--calibration-end', '2025-02-01', '--json')) as { n_customers: number };
    expect(out.n_customers).toBe(2);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer,at,amount\nA,2025-01-01,10\nB,2025-02-30,5\n');
    await expect(kept('clv', 'fit', '--transactions', bad, '--customer-col', 'customer', '--date-col', 'at', '--json')).rejects.toThrow(/line 3, field at: .*2025-02-30/);
    const badAmount = join(dir, 'bad-amount.csv');
    writeFileSync(badAmount, 'customer,at,amount\nA,2025-01-01,ten\n');
    await expect(kept('clv', 'fit', '--transactions', badAmount, '--customer-col', 'customer', '--date-col', 'at', '--amount-col', 'amount')).rejects.toThrow(/line 2, field amount: amount must be a number/);
  });
});
