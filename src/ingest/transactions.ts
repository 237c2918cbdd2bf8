/**
 * Reads a transaction file (CSV or JSON Lines, optionally gzipped) into the columns the value models summarise:
 * a dense customer index, a day number and an optional amount per row. Used by `kept clv`.
 *
 * Dates may be `YYYYMMDD` (the CDNOW/BTYD files), ISO `YYYY-MM-DD`, ISO date-times (the calendar day in the
 * timestamp's own zone) or epoch seconds/milliseconds. A bad row stops the read with an error naming its line,
 * field and reason: a model fitted on silently dropped purchases would be wrong without anyone noticing.
 */
import type { TransactionColumns } from '../core/value/summary.js';
import { detectFormat, readRowBatches } from './read-rows.js';
import { parseTimestamp } from './timestamps.js';

export class TransactionFileError extends Error {}

export interface TransactionColumnsSpec {
  customerCol: string;
  dateCol: string;
  amountCol?: string | undefined;
}

export interface TransactionFile {
  columns: TransactionColumns;
  /** Customer id of each dense index. */
  customerIds: string[];
  rows: number;
}

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a date cell, or a reason it is not a date. */
export function parseDay(value: unknown): { ok: true; day: number } | { ok: false; reason: string } {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text === 'string' && /^\d{8}$/.test(text)) {
    const y = Number(text.slice(0, 4));
    const m = Number(text.slice(4, 6));
    const d = Number(text.slice(6, 8));
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    if (m < 1 || m > 12 || back.getUTCDate() !== d || back.getUTCMonth() !== m - 1) return { ok: false, reason: `'${text}' is not a valid YYYYMMDD date` };
    return { ok: true, day: ms / DAY_MS };
  }
  const parsed = parseTimestamp(text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  // The calendar day where the purchase happened, not the UTC day.
  return { ok: true, day: Math.floor((parsed.ms + parsed.utcOffsetMin * 60_000) / DAY_MS) };
}

export async function readTransactionFile(path: string, spec: TransactionColumnsSpec): Promise<TransactionFile> {
  const detected = detectFormat(path);
  const format = detected?.format ?? 'csv';
  const ids = new Map<string, number>();
  const customerIds: string[] = [];
  let customer = new Int32Array(1 << 16);
  let day = new Int32Array(1 << 16);
  let amount = spec.amountCol ? new Float64Array(1 << 16) : undefined;
  let rows = 0;
  const grow = () => {
    const size = customer.length * 2;
    const c = new Int32Array(size);
    c.set(customer);
    customer = c;
    const d = new Int32Array(size);
    d.set(day);
    day = d;
    if (amount) {
      const a = new Float64Array(size);
      a.set(amount);
      amount = a;
    }
  };
  const onHeader = (columns: string[]) => {
    for (const col of [spec.customerCol, spec.dateCol, spec.amountCol]) {
      if (col !== undefined && !columns.includes(col)) throw new TransactionFileError(`${path}: no column '${col}' (columns: ${columns.join(', ')})`);
    }
  };
  for await (const batch of readRowBatches(path, format, { onHeader })) {
    for (const row of batch) {
      if ('error' in row) throw new TransactionFileError(`${path}: line ${row.line}: ${row.error}`);
      const v = row.values;
      const fail = (field: string, reason: string) => new TransactionFileError(`${path}: line ${row.line}, field ${field}: ${reason}`);
      const rawId = v[spec.customerCol];
      const id = typeof rawId === 'string' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : '';
      if (id === '') throw fail(spec.customerCol, 'missing customer id (a string or number)');
      const dayResult = parseDay(v[spec.dateCol]);
      if (!dayResult.ok) throw fail(spec.dateCol, dayResult.reason);
      if (rows === customer.length) grow();
      const key = id;
      let k = ids.get(key);
      if (k === undefined) {
        k = customerIds.length;
        ids.set(key, k);
        customerIds.push(key);
      }
      customer[rows] = k;
      day[rows] = dayResult.day;
      if (amount && spec.amountCol) {
        const raw = v[spec.amountCol];
        const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (!Number.isFinite(value)) throw fail(spec.amountCol, `amount must be a number, got '${String(raw)}'`);
        amount[rows] = value;
      }
      rows++;
    }
  }
  if (rows === 0) throw new TransactionFileError(`${path}: no transactions`);
  return {
    columns: { customer: customer.slice(0, rows), day: day.slice(0, rows), amount: amount?.slice(0, rows), customers: customerIds.length },
    customerIds,
    rows,
  };
}
