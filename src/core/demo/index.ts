/**
 * Deterministic synthetic data for a fictional omnichannel home-goods retailer, Northwind Home: customers known
 * to several systems under messy identifiers, their web/app/store/phone/chat/email activity, orders, support
 * tickets and feedback, with four planted patterns for the analytics to find (see docs/demo-data.md).
 *
 * Pure: no I/O, no clock, no Math.random. The same options always give the same records, and each person is
 * generated from their own seed (seed, index), so output does not depend on batch sizes and memory stays
 * bounded however many customers are asked for.
 */

import { demoWindow } from './calendar.js';
import type { DemoWindow } from './calendar.js';
import type { CustomerLife } from './life.js';
import { simulatePerson } from './lifecycle.js';

export type { CustomerLife } from './life.js';
export type { DemoWindow } from './calendar.js';
export {
  DEMO_CHANNELS,
  DEMO_COMPANY,
  DEMO_EVENT_TYPES,
  DEMO_ID_SOURCES,
  DEMO_JOURNEYS,
  DEMO_PLACEHOLDER_EMAILS,
  DEMO_REPLY_PROMISE_MS,
  DEMO_STORES,
  DEMO_SURVEYS,
  DEMO_TEAMS,
  DEMO_TEST_PHONES,
  DEMO_TOUCHPOINTS,
} from './company.js';
export type { DemoChannel, DemoIdSource, DemoTeam, DemoTicketChannel, DemoTouchpoint } from './company.js';
export {
  DEMO_PATTERNS,
  deliveryCsatMean,
  firstReplyBreachRate,
  lateDeliveryShare,
  silentFadeMultiplier,
} from './patterns.js';
export { IDENTITY_RATES } from './customer.js';
export { PURCHASE_MODEL } from './orders.js';
export { ORDER_OUTCOME_RATES } from './journeys.js';
export { FEEDBACK_RATES } from './feedback.js';
export { TICKET_RATES } from './lifecycle.js';

/** What to generate. */
export interface DemoOptions {
  /** Number of people (each yields 1–3 customer records from different source systems). */
  customers: number;
  /** Any integer; default 42. */
  seed?: number;
  /** First day of the window, ISO date (UTC); default '2025-11-01'. */
  start?: string;
  /** Window length in calendar months; default 12. */
  months?: number;
}

/** Defaults applied to {@link DemoOptions}. */
export const DEMO_DEFAULTS = { seed: 42, start: '2025-11-01', months: 12 } as const;

/** The generation window the options describe: all generated facts fall in [startMs, endMs). */
export function demoWindowFor(opts: Pick<DemoOptions, 'start' | 'months'>): DemoWindow {
  return demoWindow(opts.start ?? DEMO_DEFAULTS.start, opts.months ?? DEMO_DEFAULTS.months);
}

/**
 * Generates the demo company one person at a time: each yielded value holds all records of one person
 * (their source customer records and every event, order, ticket entry and feedback they produced).
 * Nothing is retained between yields, so 1M customers stream in constant memory.
 */
export function* generateDemo(opts: DemoOptions): Generator<CustomerLife> {
  const { seed, window } = prepare(opts);
  for (let index = 0; index < opts.customers; index++) yield simulatePerson(seed, window, index);
}

/**
 * The records of person `index` alone, identical to the `index`-th value of {@link generateDemo} with the same
 * options: lets workers generate disjoint index ranges in parallel.
 */
export function generateDemoPerson(opts: Omit<DemoOptions, 'customers'>, index: number): CustomerLife {
  if (!Number.isInteger(index) || index < 0)
    throw new Error(`demo: index must be a non-negative integer, got ${index}`);
  const { seed, window } = prepare({ ...opts, customers: index + 1 });
  return simulatePerson(seed, window, index);
}

function prepare(opts: DemoOptions): { seed: number; window: DemoWindow } {
  if (!Number.isInteger(opts.customers) || opts.customers < 0) {
    throw new Error(`demo: customers must be a non-negative integer, got ${opts.customers}`);
  }
  const seed = opts.seed ?? DEMO_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new Error(`demo: seed must be an integer, got ${seed}`);
  return { seed: seed >>> 0, window: demoWindowFor(opts) };
}
