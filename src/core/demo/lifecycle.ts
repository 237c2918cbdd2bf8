/**
 * One person's whole year, in the order things cause each other: who they are, what they buy and what happens
 * to those orders, the tickets and feedback that follow, then activity not tied to an order.
 */

import { DAY_MS, HOUR_MS, atLocalTime } from './calendar.js';
import type { DemoWindow } from './calendar.js';
import { createPerson, customerRecords } from './customer.js';
import { orderFeedback, relationshipNps, socialMentions, ticketFeedback } from './feedback.js';
import { personIds } from './identities.js';
import type { PersonIds } from './identities.js';
import { emitOrder } from './journeys.js';
import type { OrderOutcome } from './journeys.js';
import { LifeBuilder } from './life.js';
import type { CustomerLife } from './life.js';
import { planOrders } from './orders.js';
import { Rng } from './prng.js';
import { browsingSessions, newsletterActivity, storeVisits } from './sessions.js';
import { BACKGROUND_REASONS, openTicket } from './tickets.js';

/** How often orders and everyday life lead to tickets. */
export const TICKET_RATES = {
  /** Of late deliveries: "where is my order?". */
  lateDelivery: 0.45,
  /** Of on-time deliveries: "item arrived damaged". */
  damagedItem: 0.015,
  /** Of returns whose refund takes more than `refundPatienceMs`: "where is my refund?". */
  slowRefund: 0.35,
  refundPatienceMs: 3 * DAY_MS,
  /** Tickets per person per year not caused by an order (account, product, store, billing). */
  backgroundPerYear: 0.12,
} as const;

/** Customers who had already stopped buying before the window still browse for this long. */
const LAPSED_ACTIVITY_MS = 45 * DAY_MS;

/** Generates everything about person `index`; depends only on (seed, window, index). */
export function simulatePerson(seed: number, window: DemoWindow, index: number): CustomerLife {
  const rng = Rng.forPerson(seed, index);
  const person = createPerson(rng, window, seed, index);
  const b = new LifeBuilder(person, window);
  for (const record of customerRecords(person, window)) b.customers.push(record);
  const ids = personIds(person);

  for (const plan of planOrders(rng, person, window)) {
    const outcome = emitOrder(b, rng, ids, plan);
    orderTickets(b, rng, ids, outcome);
    orderFeedback(b, rng, ids, outcome);
  }

  const lapsed = person.existing && !person.aliveAtStart;
  const activeUntil = lapsed ? Math.min(window.endMs, person.activeFrom + LAPSED_ACTIVITY_MS) : window.endMs;
  browsingSessions(b, rng, ids, activeUntil);
  storeVisits(b, rng, ids, activeUntil);
  newsletterActivity(b, rng, ids);

  const activeYears = (window.endMs - person.activeFrom) / (365.25 * DAY_MS);
  const background = rng.poisson(TICKET_RATES.backgroundPerYear * activeYears);
  for (let i = 0; i < background; i++) {
    const openedAt = atLocalTime(rng, window, rng.uniform(person.activeFrom, window.endMs), 'chat');
    ticketFeedback(b, rng, openTicket(b, rng, ids, BACKGROUND_REASONS.pick(rng), openedAt));
  }
  relationshipNps(b, rng, ids);
  socialMentions(b, rng);
  return b.toLife();
}

/** Tickets an order causes: late deliveries, damage, and refunds stuck in the slow store-ops → billing handoff. */
function orderTickets(b: LifeBuilder, rng: Rng, ids: PersonIds, o: OrderOutcome): void {
  if (o.late && o.delayedAt !== undefined) {
    if (rng.chance(TICKET_RATES.lateDelivery)) {
      const at = o.delayedAt + Math.floor(rng.exponential(6 * HOUR_MS));
      ticketFeedback(b, rng, openTicket(b, rng, ids, 'where-is-my-order', at, o.orderId));
    }
  } else if (o.deliveredAt !== undefined && rng.chance(TICKET_RATES.damagedItem)) {
    const at = o.deliveredAt + Math.floor(rng.exponential(4 * HOUR_MS));
    ticketFeedback(b, rng, openTicket(b, rng, ids, 'damaged-item', at, o.orderId));
  }
  if (o.returnReceivedAt !== undefined) {
    const refundedAt = o.refundedAt ?? Number.POSITIVE_INFINITY;
    if (refundedAt - o.returnReceivedAt > TICKET_RATES.refundPatienceMs && rng.chance(TICKET_RATES.slowRefund)) {
      const at = o.returnReceivedAt + TICKET_RATES.refundPatienceMs + Math.floor(rng.exponential(12 * HOUR_MS));
      if (at < refundedAt) ticketFeedback(b, rng, openTicket(b, rng, ids, 'refund-status', at, o.orderId));
    }
  }
}
