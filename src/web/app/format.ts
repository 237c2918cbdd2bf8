// Display formatting. Numbers and dates follow the browser locale; calendar dates (buckets, YYYY-MM-DD)
// are read and shown in UTC so a bucket never slides to the previous day.
import type { Bucket } from './api-types';

const DASH = '—';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function formatInt(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : integer.format(value);
}

/** 1234 → "1,234"; 1234567 → "1.2M". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return Math.abs(value) < 100_000 ? integer.format(value) : compact.format(value);
}

/** A number as stored, up to 4 decimal places: 17.2 → "17.2", 1234 → "1,234". */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return value.toLocaleString(undefined, { maximumFractionDigits: 4 });
}

export function formatDecimal(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return DASH;
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatMoney(
  value: number | null | undefined,
  currency?: string | null,
  opts?: { compact?: boolean },
): string {
  if (value === null || value === undefined) return DASH;
  const base: Intl.NumberFormatOptions =
    opts?.compact && Math.abs(value) >= 100_000
      ? { notation: 'compact', maximumFractionDigits: 1 }
      : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { ...base, style: 'currency', currency }).format(value);
    } catch {
      // Unknown currency code: show the code next to the number instead.
      return `${new Intl.NumberFormat(undefined, base).format(value)} ${currency}`;
    }
  }
  return new Intl.NumberFormat(undefined, base).format(value);
}

/** NPS is an integer in -100..100, shown with its sign. */
export function formatNps(score: number | null | undefined): string {
  if (score === null || score === undefined) return DASH;
  const rounded = Math.round(score);
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

function parse(iso: string): Date {
  // A bare calendar date is midnight UTC; anything with a time is taken as given.
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
}

function isCalendarDate(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T00:00:00(\.000)?Z)?$/.test(iso);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = parse(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: isCalendarDate(iso) ? 'UTC' : undefined,
  });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = parse(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (isCalendarDate(iso)) return formatDate(iso);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatTime(iso: string): string {
  const d = parse(iso);
  if (Number.isNaN(d.getTime()) || isCalendarDate(iso)) return '';
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "3 days ago", "in 2 hours" — for last-seen style figures. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return DASH;
  const d = parse(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const seconds = (d.getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, 'minute');
}

/** Axis label for a time bucket: "Mar 4" for days and weeks, "Mar 2024" for months. */
export function formatBucket(iso: string, bucket: Bucket): string {
  const d = parse(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return bucket === 'month'
    ? d.toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: '2-digit', timeZone: 'UTC' });
}

/** "anonymous_id" → "Anonymous id"; "web_chat" → "Web chat". */
export function humanize(value: string | null | undefined): string {
  if (!value) return DASH;
  const spaced = value.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Orders in the main currency, and a note on the others ('+ 12 in USD'): revenue figures are in the main one. */
export function mainCurrencyOrders(figures: { orders: number; otherCurrencies?: { currency: string; orders: number }[] | undefined }): { orders: number; note: string | null } {
  const others = figures.otherCurrencies ?? [];
  const elsewhere = others.reduce((n, c) => n + c.orders, 0);
  return { orders: figures.orders - elsewhere, note: others.length > 0 ? `+ ${others.map((c) => `${c.orders} in ${c.currency}`).join(', ')}` : null };
}
