/**
 * Timestamps as they appear in event logs. Wider than the import parser (src/ingest/timestamps.ts): process-mining
 * logs go back decades (any year 1000–9999 is accepted), carry zones such as `+01:00`, `+0100` or `Z`, use a space
 * or `T` before the time, fractions of any length (pandas writes microseconds), slashes (`2011/10/11`), and XES
 * writes `xs:dateTime`. A time without a zone is taken as UTC, so a file reads the same on every machine.
 */

export type LogTimestamp = { ok: true; ms: number } | { ok: false; reason: string };

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz]|UTC|GMT)|([+-])(\d{2}):?(\d{2})?)?$/;
const EPOCH = /^\d{10}(?:\.\d+)?$|^\d{13}$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Parses one timestamp; `reason` explains a failure in a sentence fit for an error report. */
export function parseLogTimestamp(raw: string): LogTimestamp {
  const s = raw.trim();
  if (s === '') return { ok: false, reason: 'missing timestamp' };
  const m = ISO.exec(s);
  if (m) {
    const [, ys, mos, ds, hs, mis, ss, frac, , sign, oh, om] = m;
    const year = Number(ys);
    const month = Number(mos);
    const day = Number(ds);
    const hour = hs === undefined ? 0 : Number(hs);
    const minute = mis === undefined ? 0 : Number(mis);
    const second = ss === undefined ? 0 : Number(ss);
    if (year < 1000 || month < 1 || month > 12) return { ok: false, reason: `'${s}' has no valid month` };
    const maxDay = month === 2 && leap(year) ? 29 : DAYS[month - 1]!;
    if (day < 1 || day > maxDay) return { ok: false, reason: `'${s}' names a day that does not exist` };
    if (hour > 23 || minute > 59 || second > 60) return { ok: false, reason: `'${s}' has an invalid time of day` };
    // Fractions are truncated to milliseconds (pandas' microseconds would otherwise round across a second).
    const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
    let offsetMin = 0;
    if (sign !== undefined) {
      offsetMin = Number(oh) * 60 + (om === undefined ? 0 : Number(om));
      if (offsetMin > 14 * 60) return { ok: false, reason: `'${s}' has a zone offset beyond ±14:00` };
      if (sign === '-') offsetMin = -offsetMin;
    }
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
    return { ok: true, ms: utc - offsetMin * 60_000 };
  }
  if (EPOCH.test(s)) return { ok: true, ms: s.length === 13 ? Number(s) : Math.round(Number(s) * 1000) };
  // Last resort for textual forms (RFC 2822, "Mar 1 2011 10:00 GMT"); only strings with a month name get here
  // meaningfully, and Date.parse's result is accepted only when it is a real date.
  if (/[A-Za-z]{3}/.test(s)) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) return { ok: true, ms: t };
  }
  return { ok: false, reason: `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}' is not a timestamp (expected e.g. 2011-10-11 13:45:40+02:00)` };
}

/** ISO 8601 in UTC with milliseconds, the form both exporters write. */
export function formatLogTimestamp(ms: number): string {
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}
