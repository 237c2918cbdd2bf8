/**
 * The four patterns planted in the demo data, with every parameter in one place. docs/demo-data.md states the
 * same numbers and the tests in test/core/demo check them statistically, so change all three together.
 *
 * "Second half" always means from `window.midMs`: the start of calendar month floor(months / 2), i.e. month 7
 * (0-based 6) of the default 12-month window.
 */

import type { DemoWindow } from './calendar.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEK_MS } from './calendar.js';
import { DEMO_REPLY_PROMISE_MS, DEMO_SURVEYS } from './company.js';
import type { DemoTeam } from './company.js';

/** The numbers behind the planted patterns. */
export const DEMO_PATTERNS = {
  /**
   * 1. Delivery CSAT declines. The expected score of a 'delivery CSAT' response (1–5, touchpoint 'delivery')
   * is `baselineMean` until midMs, then falls linearly by `declinePerWeek` per week of response time.
   * Late deliveries become more common at the same time and score lower, but the overall mean is exactly the
   * line above (the late/on-time split is mean-preserving).
   */
  decliningTouchpoint: {
    touchpoint: 'delivery',
    survey: DEMO_SURVEYS.delivery,
    baselineMean: 4.2,
    declinePerWeek: 0.05,
    lateShareBefore: 0.06,
    lateShareAtEnd: 0.3,
    /** Mean score gap between late and on-time deliveries. */
    latePenalty: 1.5,
  },
  /**
   * 2. chat-support breaches its 1-hour first-reply promise more each month: in calendar month k (0-based) a
   * chat ticket's first agent reply is late with probability first + k * monthlyIncrease (4 %, 7 %, … 37 %).
   * Every other team breaches its own channel promise at `otherTeamsBreachRate`, flat.
   */
  breachingTeam: {
    team: 'chat-support' as DemoTeam,
    channel: 'chat',
    promiseMs: DEMO_REPLY_PROMISE_MS.chat,
    firstMonthBreachRate: 0.04,
    monthlyIncrease: 0.03,
    maxBreachRate: 0.9,
    otherTeamsBreachRate: 0.06,
  },
  /**
   * 3. The returns journey hands off from store-ops (return_received) to billing (refund_issued) with a delay
   * of days; every other step takes minutes or hours. Delays are log-normal: median and sigma of the log.
   */
  slowHandoff: {
    journey: 'returns',
    fromStep: 'return_received',
    fromTeam: 'store-ops' as DemoTeam,
    toStep: 'refund_issued',
    toTeam: 'billing' as DemoTeam,
    medianMs: 4 * DAY_MS,
    sigma: 0.35,
  },
  /** Median delay before each returns step (after the previous one); the refund step is the planted handoff. */
  returnsStepDelays: {
    return_approved: { team: 'web-support', medianMs: 20 * MINUTE_MS, sigma: 0.6 },
    return_dropped_off: { team: 'store-ops', medianMs: 18 * HOUR_MS, sigma: 0.5 },
    return_received: { team: 'store-ops', medianMs: 2 * HOUR_MS, sigma: 0.5 },
    refund_issued: { team: 'billing', medianMs: 4 * DAY_MS, sigma: 0.35 },
  },
  /**
   * 4. A quiet, valuable segment fading away: `share` of all customers, existing before the window, buying
   * often (gamma-distributed rate with mean `ordersPerMonth`) at a high order value, who never churn outright.
   * From midMs their purchase rate falls linearly from 100 % to 0 % at the end of the window, so their
   * second-half order count is half the first half's. Their scores stay good (CSAT and stars 4–5, NPS 7–10,
   * CES 5–7). They are not marked in the data.
   */
  silentFade: {
    share: 0.04,
    ordersPerMonth: 1.0,
    rateShape: 16,
    medianOrderValue: 160,
  },
} as const;

/** Expected delivery CSAT (1–5) for a response given at `t`. */
export function deliveryCsatMean(window: DemoWindow, t: number): number {
  const p = DEMO_PATTERNS.decliningTouchpoint;
  if (t < window.midMs) return p.baselineMean;
  return p.baselineMean - (p.declinePerWeek * (t - window.midMs)) / WEEK_MS;
}

/** Share of deliveries that arrive late, for an order dispatched at `t`: flat, then rising to the end. */
export function lateDeliveryShare(window: DemoWindow, t: number): number {
  const p = DEMO_PATTERNS.decliningTouchpoint;
  if (t < window.midMs) return p.lateShareBefore;
  const progress = Math.min(1, (t - window.midMs) / (window.endMs - window.midMs));
  return p.lateShareBefore + (p.lateShareAtEnd - p.lateShareBefore) * progress;
}

/** Probability that `team` misses its first-reply promise on a ticket opened in calendar month `month`. */
export function firstReplyBreachRate(team: DemoTeam, month: number): number {
  const p = DEMO_PATTERNS.breachingTeam;
  if (team !== p.team) return p.otherTeamsBreachRate;
  return Math.min(p.maxBreachRate, p.firstMonthBreachRate + p.monthlyIncrease * Math.max(0, month));
}

/** Purchase-rate multiplier for the silent-fade segment at `t`: 1 until midMs, then linearly down to 0. */
export function silentFadeMultiplier(window: DemoWindow, t: number): number {
  if (t < window.midMs) return 1;
  return Math.max(0, (window.endMs - t) / (window.endMs - window.midMs));
}
