/**
 * Time for the demo: the generation window, calendar months within it, and UK local time of day (people shop in
 * the evening and phone during office hours, in Europe/London time, while records carry UTC epoch ms).
 */

import type { Rng } from './prng.js';
import { WeightedTable } from './prng.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** The half-open interval [startMs, endMs) that all generated facts fall in, split into calendar months. */
export interface DemoWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly months: number;
  /** `months + 1` boundaries: monthStarts[k] is the start of month k (0-based), the last one equals endMs. */
  readonly monthStarts: readonly number[];
  /** Start of month `floor(months / 2)`: where the planted "second half" trends begin. */
  readonly midMs: number;
  /** British Summer Time intervals [from, to) overlapping the window, in UTC ms. */
  readonly summerTime: readonly (readonly [number, number])[];
}

/** Builds the window from an ISO date (`2025-11-01`) or date-time; months are calendar months in UTC. */
export function demoWindow(start: string, months: number): DemoWindow {
  const startMs = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(start) ? `${start}T00:00:00Z` : start);
  if (!Number.isFinite(startMs)) throw new Error(`demo: start must be an ISO date, got ${JSON.stringify(start)}`);
  if (!Number.isInteger(months) || months < 1)
    throw new Error(`demo: months must be a positive integer, got ${months}`);
  const origin = new Date(startMs);
  const monthStarts: number[] = [];
  for (let k = 0; k <= months; k++) {
    monthStarts.push(
      Date.UTC(
        origin.getUTCFullYear(),
        origin.getUTCMonth() + k,
        origin.getUTCDate(),
        origin.getUTCHours(),
        origin.getUTCMinutes(),
        origin.getUTCSeconds(),
      ),
    );
  }
  const summerTime: [number, number][] = [];
  const firstYear = origin.getUTCFullYear() - 4; // existing customers signed up before the window
  for (let year = firstYear; year <= origin.getUTCFullYear() + Math.ceil(months / 12) + 1; year++) {
    summerTime.push([lastSundayUtc(year, 2) + HOUR_MS, lastSundayUtc(year, 9) + HOUR_MS]);
  }
  return {
    startMs,
    endMs: monthStarts[months],
    months,
    monthStarts,
    midMs: monthStarts[Math.floor(months / 2)],
    summerTime,
  };
}

/** Midnight UTC of the last Sunday of `month` (0-based): when UK clocks change (at 01:00 UTC). */
function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return lastDay.getTime() - lastDay.getUTCDay() * DAY_MS;
}

/** Calendar month (0-based) of `t` within the window; -1 before it, `months` after it. */
export function monthOf(window: DemoWindow, t: number): number {
  const starts = window.monthStarts;
  if (t < window.startMs) return -1;
  for (let k = 1; k < starts.length; k++) if (t < starts[k]) return k - 1;
  return window.months;
}

/** UK offset from UTC at `t`: 60 minutes during British Summer Time, else 0. */
export function ukOffsetMs(window: DemoWindow, t: number): number {
  for (const [from, to] of window.summerTime) if (t >= from && t < to) return HOUR_MS;
  return 0;
}

/** When in the (UK local) day different kinds of activity happen: weights for hours 0..23. */
export const DAY_PROFILES = {
  /** Browsing and buying online: lunchtime bump, evening peak. */
  online: hourTable([
    1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4.5, 5.5, 5, 4.5, 4.5, 5, 5.5, 6.5, 8, 8.5, 7.5, 5, 2.5,
  ]),
  /** Store opening hours, busiest early afternoon and at weekends' pace. */
  store: hourTable([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 7, 7, 6.5, 6, 5.5, 4.5, 3, 1.5, 0, 0, 0, 0]),
  /** Contact centre hours for phone calls. */
  office: hourTable([0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 7, 6.5, 5, 5.5, 6, 5.5, 5, 3, 1, 0, 0, 0, 0, 0]),
  /** Live chat is staffed 08:00–22:00. */
  chat: hourTable([0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 5, 5, 5.5, 5, 4.5, 4.5, 4.5, 5, 5.5, 6, 6, 4.5, 2, 0]),
  /** Emails get opened from breakfast to bedtime. */
  inbox: hourTable([0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 2, 5, 6, 5, 4, 3.5, 4, 3.5, 3, 3, 3, 3.5, 4, 4.5, 4.5, 4, 3, 1.5]),
} as const;
export type DayProfile = keyof typeof DAY_PROFILES;

function hourTable(weights: readonly number[]): WeightedTable<number> {
  return new WeightedTable(weights.map((w, hour) => [hour, w] as const));
}

/**
 * Moves `t` to a plausible UK local time of day on the same local date, drawn from `profile`. The instant can
 * move by up to a day, so callers filter the final record against the window anyway.
 */
export function atLocalTime(rng: Rng, window: DemoWindow, t: number, profile: DayProfile): number {
  const offset = ukOffsetMs(window, t);
  const localDayStart = Math.floor((t + offset) / DAY_MS) * DAY_MS;
  const hour = DAY_PROFILES[profile].pick(rng);
  return localDayStart + hour * HOUR_MS + Math.floor(rng.next() * HOUR_MS) - offset;
}
