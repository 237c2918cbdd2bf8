/**
 * When a person buys and for how much: a BG/NBD-style process, so CLV and churn models have the heterogeneity
 * they are built for.
 *
 * - Each person buys as a Poisson process with their own rate λ ~ Gamma(shape, scale) per month.
 * - After each purchase they "die" (stop buying for good) with their own probability p ~ Beta(a, b), scaled
 *   up for unhappy people so churn and satisfaction are related.
 * - Order values are log-normal around a personal median that is itself log-normal across people.
 * - New customers' first order is at sign-up; existing customers may already be inactive when the window opens.
 * - The silent-fade segment buys often and at high value, never dies, and fades from the window's midpoint.
 */

import type { DemoWindow } from './calendar.js';
import { DAY_MS, atLocalTime } from './calendar.js';
import type { DayProfile } from './calendar.js';
import { CATALOGUE, CATEGORIES } from './catalogue.js';
import type { Category } from './catalogue.js';
import type { DemoChannel } from './company.js';
import type { DemoPerson } from './customer.js';
import { DEMO_PATTERNS, silentFadeMultiplier } from './patterns.js';
import type { Rng } from './prng.js';

/** Parameters of the purchase process for everyone outside the silent-fade segment. */
export const PURCHASE_MODEL = {
  /** λ ~ Gamma(shape, scale), orders per month: mean 0.9 × 0.32 ≈ 0.29. */
  rateShape: 0.9,
  rateScale: 0.32,
  /** p ~ Beta(a, b) (mean ≈ 0.13), multiplied by exp(-dropoutHappinessEffect × happiness): unhappy people churn. */
  dropoutA: 1.2,
  dropoutB: 8,
  dropoutHappinessEffect: 0.8,
  /** Personal median order value ~ LogNormal(median, sigma), in GBP. */
  medianOrderValue: 42,
  medianOrderValueSigma: 0.45,
  /** Spread of single orders around the personal median. */
  orderValueSigma: 0.4,
} as const;

const MONTH_MS = 30.4375 * DAY_MS;

/** One planned purchase, before the journey that leads to it is generated. */
export interface PlannedOrder {
  at: number;
  channel: DemoChannel;
  amount: number;
  items: number;
  category: Category;
  product: string;
}

const DAY_PROFILE_BY_CHANNEL: Record<DemoChannel, DayProfile> = {
  web: 'online',
  app: 'online',
  store: 'store',
  phone: 'office',
  email: 'inbox',
  chat: 'chat',
};

/** Plans this person's purchases inside the window, in time order. */
export function planOrders(rng: Rng, person: DemoPerson, window: DemoWindow): PlannedOrder[] {
  const fade = person.silentFade;
  const m = PURCHASE_MODEL;
  const perMonth = fade
    ? rng.gamma(
        DEMO_PATTERNS.silentFade.rateShape,
        DEMO_PATTERNS.silentFade.ordersPerMonth / DEMO_PATTERNS.silentFade.rateShape,
      )
    : rng.gamma(m.rateShape, m.rateScale);
  const dropout = fade
    ? 0
    : Math.min(0.9, rng.beta(m.dropoutA, m.dropoutB) * Math.exp(-m.dropoutHappinessEffect * person.happiness));
  const medianValue = fade
    ? rng.logNormal(DEMO_PATTERNS.silentFade.medianOrderValue, 0.2)
    : rng.logNormal(m.medianOrderValue, m.medianOrderValueSigma);
  const favourite = rng.pick(CATEGORIES);

  const orders: PlannedOrder[] = [];
  if (person.existing && !person.aliveAtStart) return orders;
  let t = person.activeFrom;
  if (!person.existing) {
    orders.push(plannedOrder(rng, person, window, t, favourite, medianValue));
    if (rng.chance(dropout)) return orders;
  }
  if (perMonth <= 0) return orders;
  const meanGapMs = MONTH_MS / perMonth;
  for (;;) {
    t += rng.exponential(meanGapMs);
    if (t >= window.endMs) break;
    // Thinning: a candidate purchase at the full rate is kept with probability multiplier(t).
    if (fade && !rng.chance(silentFadeMultiplier(window, t))) continue;
    orders.push(plannedOrder(rng, person, window, t, favourite, medianValue));
    if (rng.chance(dropout)) break;
  }
  return orders;
}

/** One purchase around `t`: channel, value, size and what was bought. */
function plannedOrder(
  rng: Rng,
  person: DemoPerson,
  window: DemoWindow,
  t: number,
  favourite: Category,
  medianValue: number,
): PlannedOrder {
  const channel = person.orderChannels.pick(rng);
  const category = rng.chance(0.5) ? favourite : rng.pick(CATEGORIES);
  const amount = Math.max(3.5, Math.round(rng.logNormal(medianValue, PURCHASE_MODEL.orderValueSigma) * 100) / 100);
  return {
    at: atLocalTime(rng, window, t, DAY_PROFILE_BY_CHANNEL[channel]),
    channel,
    amount,
    items: 1 + rng.poisson(0.3 + amount / 120),
    category,
    product: rng.pick(CATALOGUE[category]),
  };
}

/** The time-of-day profile for activity on `channel`. */
export function dayProfileFor(channel: DemoChannel): DayProfile {
  return DAY_PROFILE_BY_CHANNEL[channel];
}
