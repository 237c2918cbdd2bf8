/**
 * An order and the journeys around it: how it was placed (web/app session, store visit, phone call), the
 * delivery journey (dispatched → maybe delayed → delivered) and sometimes the returns journey
 * (requested → approved → dropped off → received → refunded). Journey events carry
 * `properties: { journey, step, order_id }` and the owning `team`, so step-to-step handoff times can be measured.
 */

import type { CustomerIdentifiers } from '../records.js';
import { HOUR_MS, MINUTE_MS, DAY_MS } from './calendar.js';
import { DEMO_COMPANY, DEMO_STORES } from './company.js';
import type { DemoChannel, DemoTeam, DemoTouchpoint } from './company.js';
import type { PersonIds } from './identities.js';
import type { LifeBuilder } from './life.js';
import type { PlannedOrder } from './orders.js';
import { DEMO_PATTERNS, lateDeliveryShare } from './patterns.js';
import type { Rng } from './prng.js';
import { webSession } from './sessions.js';

/** Rates for what happens to orders after they are placed. */
export const ORDER_OUTCOME_RATES = {
  /** Online and phone orders cancelled before dispatch. */
  cancelled: 0.02,
  /** Delivered orders sent back. */
  returned: 0.1,
} as const;

/** What became of an order, for the tickets and feedback it may cause. */
export interface OrderOutcome {
  orderId: string;
  ids: CustomerIdentifiers;
  channel: DemoChannel;
  orderedAt: number;
  amount: number;
  product: string;
  dispatchedAt: number | undefined;
  /** Share of late deliveries at dispatch time: needed to keep the delivery CSAT mean exact. */
  lateShare: number;
  late: boolean;
  delayedAt: number | undefined;
  deliveredAt: number | undefined;
  returnReceivedAt: number | undefined;
  refundedAt: number | undefined;
}

const ORDER_TOUCHPOINT: Record<DemoChannel, DemoTouchpoint> = {
  web: 'checkout',
  app: 'checkout',
  store: 'store-visit',
  phone: 'support-call',
  email: 'checkout',
  chat: 'live-chat',
};

/** Emits the order, the journey that led to it and what followed. */
export function emitOrder(b: LifeBuilder, rng: Rng, ids: PersonIds, plan: PlannedOrder): OrderOutcome {
  const orderId = b.nextOrderId();
  let channel = plan.channel;
  let orderedAt = plan.at;
  let orderIds: CustomerIdentifiers;
  if (channel === 'store') {
    orderIds = ids.store;
    const store = rng.chance(0.8) ? b.person.homeStore : rng.pick(DEMO_STORES);
    b.event(orderIds, orderedAt - rng.int(5, 40) * MINUTE_MS, 'store_visit', {
      channel,
      touchpoint: 'store-visit',
      team: 'store-ops',
      properties: { store },
    });
  } else if (channel === 'phone') {
    orderIds = ids.phone;
    const seconds = Math.round(rng.logNormal(420, 0.4));
    b.event(orderIds, orderedAt - seconds * 1000, 'phone_call', {
      channel,
      touchpoint: 'support-call',
      team: 'phone-support',
      value: seconds,
      properties: { reason: 'order' },
    });
  } else {
    orderIds = ids.shop;
    const device = rng.pick(b.person.devices);
    channel = device.channel;
    const purchase = { orderId, amount: plan.amount, product: plan.product, category: plan.category };
    orderedAt = webSession(b, rng, ids, device, orderedAt - 6 * MINUTE_MS, purchase);
  }

  const outcome: OrderOutcome = {
    orderId,
    ids: orderIds,
    channel,
    orderedAt,
    amount: plan.amount,
    product: plan.product,
    dispatchedAt: undefined,
    lateShare: 0,
    late: false,
    delayedAt: undefined,
    deliveredAt: undefined,
    returnReceivedAt: undefined,
    refundedAt: undefined,
  };
  let status = 'completed';
  if (channel !== 'store') {
    status = rng.chance(ORDER_OUTCOME_RATES.cancelled) ? 'cancelled' : deliver(b, rng, outcome);
    if (outcome.deliveredAt !== undefined && rng.chance(ORDER_OUTCOME_RATES.returned)) {
      status = returnOrder(b, rng, outcome, outcome.deliveredAt) ?? status;
    }
  }
  b.order({
    source: orderIds.source,
    customerId: orderIds.customerId,
    email: orderIds.email,
    phone: orderIds.phone,
    anonymousId: orderIds.anonymousId,
    orderId,
    orderedAt,
    amount: plan.amount,
    currency: DEMO_COMPANY.currency,
    channel,
    touchpoint: ORDER_TOUCHPOINT[channel],
    status,
    items: plan.items,
    properties: { category: plan.category },
  });
  return outcome;
}

/** The delivery journey; fills in the outcome and returns the order status at the end of the window. */
function deliver(b: LifeBuilder, rng: Rng, o: OrderOutcome): string {
  const dispatchedAt = o.orderedAt + Math.floor(rng.logNormal(20 * HOUR_MS, 0.5));
  o.dispatchedAt = dispatchedAt;
  o.lateShare = lateDeliveryShare(b.window, dispatchedAt);
  o.late = rng.chance(o.lateShare);
  journeyEvent(b, o, 'delivery', 'delivery_dispatched', dispatchedAt, 'fulfilment', o.channel, 'delivery');
  let deliveredAt: number;
  if (o.late) {
    o.delayedAt = dispatchedAt + Math.floor(rng.logNormal(30 * HOUR_MS, 0.3));
    journeyEvent(b, o, 'delivery', 'delivery_delayed', o.delayedAt, 'fulfilment', o.channel, 'delivery');
    deliveredAt = o.delayedAt + Math.floor(rng.logNormal(2.5 * DAY_MS, 0.3));
  } else {
    deliveredAt = dispatchedAt + Math.floor(rng.logNormal(28 * HOUR_MS, 0.35));
  }
  journeyEvent(b, o, 'delivery', 'delivery_delivered', deliveredAt, 'fulfilment', o.channel, 'delivery');
  if (!b.inWindow(deliveredAt)) return b.inWindow(dispatchedAt) ? 'dispatched' : 'placed';
  o.deliveredAt = deliveredAt;
  return 'delivered';
}

/**
 * The returns journey. Every step but the refund takes minutes or hours; the store-ops → billing handoff
 * (return_received → refund_issued) takes days: planted pattern 3. Returns the new order status, if any.
 */
function returnOrder(b: LifeBuilder, rng: Rng, o: OrderOutcome, deliveredAt: number): string | undefined {
  const requestedAt = deliveredAt + HOUR_MS + Math.floor(rng.exponential(4 * DAY_MS));
  // Returns are accepted for 30 days after delivery.
  if (!b.inWindow(requestedAt) || requestedAt - deliveredAt > 30 * DAY_MS) return undefined;
  const delays = DEMO_PATTERNS.returnsStepDelays;
  const approvedAt = after(rng, requestedAt, delays.return_approved);
  const droppedAt = after(rng, approvedAt, delays.return_dropped_off);
  const receivedAt = after(rng, droppedAt, delays.return_received);
  const refundedAt = after(rng, receivedAt, delays.refund_issued);
  const requestChannel: DemoChannel = o.channel === 'app' ? 'app' : 'web';

  journeyEvent(b, o, 'returns', 'return_requested', requestedAt, 'web-support', requestChannel, 'returns');
  journeyEvent(b, o, 'returns', 'return_approved', approvedAt, delays.return_approved.team, 'email', 'returns');
  journeyEvent(b, o, 'returns', 'return_dropped_off', droppedAt, delays.return_dropped_off.team, 'store', 'returns');
  journeyEvent(b, o, 'returns', 'return_received', receivedAt, delays.return_received.team, 'store', 'returns');
  journeyEvent(b, o, 'returns', 'refund_issued', refundedAt, delays.refund_issued.team, 'email', 'returns', o.amount);
  if (b.inWindow(receivedAt)) o.returnReceivedAt = receivedAt;
  if (b.inWindow(refundedAt)) {
    o.refundedAt = refundedAt;
    return 'refunded';
  }
  return b.inWindow(receivedAt) ? 'returned' : 'return_requested';
}

/** `from` plus a log-normal step delay. */
function after(rng: Rng, from: number, delay: { medianMs: number; sigma: number }): number {
  return from + Math.floor(rng.logNormal(delay.medianMs, delay.sigma));
}

function journeyEvent(
  b: LifeBuilder,
  o: OrderOutcome,
  journey: string,
  step: string,
  at: number,
  team: DemoTeam,
  channel: DemoChannel,
  touchpoint: DemoTouchpoint,
  value?: number,
): void {
  b.event(o.ids, at, step, {
    channel,
    touchpoint,
    team,
    value,
    properties: { journey, step, order_id: o.orderId },
  });
}
