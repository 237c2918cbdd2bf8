/**
 * Timestamp parsing for ingestion. This runs once per imported row (often > 1M rows/s), so the common ISO 8601
 * shapes are parsed by hand from char codes and validated field by field instead of going through `Date.parse`,
 * which is slow and lenient (it silently rolls `2024-02-30` over to March 1st).
 *
 * Accepted:
 * - ISO 8601 date-time with `T`, `t` or a space between date and time; `HH:MM`, `HH:MM:SS`, optional fractional
 *   seconds (`.` or `,`, any number of digits, truncated to milliseconds);
 * - zone `Z`/`z`, `±hh:mm`, `±hhmm` or `±hh` (kept as `utcOffsetMin`, e.g. `+02:00` → 120);
 * - no zone: interpreted as UTC (offset 0). Sources that export local time without a zone must convert first;
 *   guessing the importing machine's zone would make the same file import differently on different servers;
 * - date only `YYYY-MM-DD`: midnight UTC;
 * - epoch seconds (10 digits, optional fraction) or epoch milliseconds (13 digits), as numbers or strings.
 *
 * Years outside 1970–2100 are rejected: they are almost always a wrong unit or a placeholder (`0001-01-01`).
 */

export type TimestampResult = { ok: true; ms: number; utcOffsetMin: number } | { ok: false; reason: string };

const MIN_YEAR = 1970;
const MAX_YEAR = 2100;
const MIN_MS = Date.UTC(MIN_YEAR, 0, 1);
const MAX_MS = Date.UTC(MAX_YEAR + 1, 0, 1) - 1;
/** Longest offset in use anywhere (UTC+14, Line Islands); larger ones are typos. */
const MAX_OFFSET_MIN = 14 * 60;

const C0 = 48; // '0'
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const EPOCH_SECONDS = /^\d{10}(?:\.\d+)?$/;
const EPOCH_MILLIS = /^\d{13}$/;
const EXPECTED = 'expected ISO 8601 (e.g. 2024-05-01T12:30:00Z), YYYY-MM-DD or epoch seconds/milliseconds';

/** Shows a value in a reason without letting a huge cell flood the error report. */
function show(value: string): string {
  return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
}

function fail(reason: string): TimestampResult {
  return { ok: false, reason };
}

/** Two ASCII digits at `i` as a number, or -1 when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - C0;
  const b = s.charCodeAt(i + 1) - C0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function fromEpochMs(ms: number, shown: string): TimestampResult {
  if (ms < MIN_MS || ms > MAX_MS) {
    return fail(`${shown} is outside the years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  return { ok: true, ms, utcOffsetMin: 0 };
}

function parseNumber(n: number): TimestampResult {
  if (!Number.isFinite(n) || n < 0) return fail(`${n} is not a valid epoch timestamp`);
  // Digit count of the integer part decides the unit, the same rule as for strings.
  if (n >= 1e9 && n < 1e10) return fromEpochMs(Math.round(n * 1000), String(n));
  if (n >= 1e12 && n < 1e13 && Number.isInteger(n)) return fromEpochMs(n, String(n));
  return fail(`epoch ${n} must have 10 digits (seconds) or 13 digits (milliseconds)`);
}

/**
 * Parses one timestamp cell or JSON value. Never throws; `reason` names the offending value.
 */
export function parseTimestamp(value: unknown): TimestampResult {
  if (typeof value === 'number') return parseNumber(value);
  if (typeof value !== 'string') return fail(`must be a timestamp string or number, got ${typeof value}`);
  const s = value.trim();
  if (s.length >= 10 && s.charCodeAt(4) === 45 /* - */) return parseIso(s);
  if (EPOCH_MILLIS.test(s)) return fromEpochMs(Number(s), show(s));
  if (EPOCH_SECONDS.test(s)) return fromEpochMs(Math.round(Number(s) * 1000), show(s));
  if (/^\d+$/.test(s)) return fail(`epoch ${show(s)} must have 10 digits (seconds) or 13 digits (milliseconds)`);
  return fail(`unrecognised timestamp ${show(s)}; ${EXPECTED}`);
}

// Module-level rather than a closure in parseIso: tsx/esbuild wrap inner functions in a costly `__name` call.
function unrecognisedIso(s: string): TimestampResult {
  return fail(`unrecognised timestamp ${show(s)}; ${EXPECTED}`);
}

function parseIso(s: string): TimestampResult {
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0 || s.charCodeAt(7) !== 45) return unrecognisedIso(s);
  const year = y1 * 100 + y2;

  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMin = 0;
  const len = s.length;
  if (len > 10) {
    const sep = s.charCodeAt(10);
    if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32 /* space */) return unrecognisedIso(s);
    hour = twoDigits(s, 11);
    minute = twoDigits(s, 14);
    if (len < 16 || hour < 0 || minute < 0 || s.charCodeAt(13) !== 58 /* : */) return unrecognisedIso(s);
    let i = 16;
    if (i < len && s.charCodeAt(i) === 58) {
      second = twoDigits(s, i + 1);
      if (second < 0) return unrecognisedIso(s);
      i += 3;
      const dot = s.charCodeAt(i);
      if (i < len && (dot === 46 /* . */ || dot === 44) /* , */) {
        i++;
        let digits = 0;
        for (let d = s.charCodeAt(i) - C0; i < len && d >= 0 && d <= 9; d = s.charCodeAt(++i) - C0) {
          if (digits < 3) millis = millis * 10 + d;
          digits++;
        }
        if (digits === 0) return unrecognisedIso(s);
        for (; digits < 3; digits++) millis *= 10;
      }
    }
    if (i < len) {
      const z = s.charCodeAt(i);
      if ((z === 90 /* Z */ || z === 122) /* z */ && i + 1 === len) {
        // UTC, offset 0.
      } else if (z === 43 /* + */ || z === 45 /* - */) {
        const oh = twoDigits(s, i + 1);
        let om = 0;
        const rest = len - i - 3;
        if (oh < 0) return unrecognisedIso(s);
        if (rest === 3 && s.charCodeAt(i + 3) === 58) om = twoDigits(s, i + 4);
        else if (rest === 2) om = twoDigits(s, i + 3);
        else if (rest !== 0) return unrecognisedIso(s);
        if (om < 0) return unrecognisedIso(s);
        if (om > 59 || oh * 60 + om > MAX_OFFSET_MIN) return fail(`UTC offset out of range in ${show(s)}`);
        offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
      } else {
        return unrecognisedIso(s);
      }
    }
  }

  if (month < 1 || month > 12) return fail(`month ${month} is out of range in ${show(s)}`);
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day < 1 || day > monthDays) {
    return fail(`not a valid date: ${show(s)} (${MONTH_NAMES[month - 1]} ${year} has ${monthDays} days)`);
  }
  if (hour > 23) return fail(`hour ${hour} is out of range in ${show(s)}`);
  if (minute > 59) return fail(`minute ${minute} is out of range in ${show(s)}`);
  if (second > 59) return fail(`second ${second} is out of range in ${show(s)}`);
  if (year < MIN_YEAR || year > MAX_YEAR) return fail(`year ${year} is outside ${MIN_YEAR}–${MAX_YEAR} in ${show(s)}`);
  // Every component was range-checked above, so Date.UTC cannot roll over: this is the round-trip guarantee
  // without the cost of building a Date and reading its fields back.
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMin * 60_000;
  return { ok: true, ms, utcOffsetMin: offsetMin };
}
