/** Reads the CDNOW reference files from ../shared/data/clv (never copied into the repo). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TransactionColumns } from '../../../src/core/value/summary.js';

export const CLV_DATA = join(import.meta.dirname, '../../../../shared/data/clv');

function csv(name: string): string[][] {
  return readFileSync(join(CLV_DATA, name), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
}

/** btyd_cdnowSummary_cbs.csv: cust, x, t_x, T_cal, x_star, m_x at full precision. */
export function cdnowSummary(): { cust: number[]; x: number[]; tx: number[]; T: number[]; xStar: number[]; mx: number[] } {
  const rows = csv('btyd_cdnowSummary_cbs.csv').map((r) => r.map(Number));
  return {
    cust: rows.map((r) => r[0]!),
    x: rows.map((r) => r[1]!),
    tx: rows.map((r) => r[2]!),
    T: rows.map((r) => r[3]!),
    xStar: rows.map((r) => r[4]!),
    mx: rows.map((r) => r[5]!),
  };
}

/** btyd_cdnowElog.csv as transaction columns keyed by the sample id (the summary's `cust`). */
export function cdnowTransactions(): { columns: TransactionColumns; ids: string[] } {
  const rows = csv('btyd_cdnowElog.csv');
  const index = new Map<string, number>();
  const ids: string[] = [];
  const customer = new Int32Array(rows.length);
  const day = new Int32Array(rows.length);
  const amount = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    let k = index.get(r[1]!);
    if (k === undefined) {
      k = ids.length;
      index.set(r[1]!, k);
      ids.push(r[1]!);
    }
    const d = r[2]!;
    customer[i] = k;
    day[i] = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / 86_400_000;
    amount[i] = Number(r[4]);
  });
  return { columns: { customer, day, amount, customers: ids.length }, ids };
}

export function cdnowTracking(): number[] {
  return csv('btyd_cdnowSummary_cu_tracking.csv').map((r) => Number(r[1]));
}

export const CALIBRATION_END = Date.UTC(1997, 8, 30) / 86_400_000;

/** Relative difference |a − b| / |b|. */
export const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
