/**
 * Support tickets as streams of entries: opened by the customer, a bot greeting on chat, assignment, the first
 * agent reply, maybe a back-and-forth while pending, solved, and auto-closed three days later.
 *
 * The first agent reply is what the promise engine measures against DEMO_REPLY_PROMISE_MS. Whether a ticket
 * breaches is drawn first (rate per team and month, planted pattern 2), then a delay on the right side of the
 * promise, so breach rates are exactly the documented ones.
 */

import type { CustomerIdentifiers } from '../records.js';
import { MINUTE_MS, HOUR_MS, DAY_MS, monthOf } from './calendar.js';
import { AGENT_NAMES } from './catalogue.js';
import { DEMO_REPLY_PROMISE_MS } from './company.js';
import type { DemoTeam, DemoTicketChannel } from './company.js';
import type { PersonIds } from './identities.js';
import type { LifeBuilder } from './life.js';
import { firstReplyBreachRate } from './patterns.js';
import { WeightedTable } from './prng.js';
import type { Rng } from './prng.js';
import { AGENT_REPLIES, BOT_GREETING, CUSTOMER_REPLIES, TICKET_TEXTS } from './texts.js';
import type { TicketReason } from './texts.js';

type Route = readonly [DemoTicketChannel, DemoTeam];

/** Which channel a ticket comes in on and which team handles it, by reason. */
const ROUTES: Record<TicketReason, WeightedTable<Route>> = {
  'where-is-my-order': routes([
    [['chat', 'chat-support'], 0.45],
    [['email', 'fulfilment'], 0.3],
    [['phone', 'phone-support'], 0.25],
  ]),
  'damaged-item': routes([
    [['email', 'fulfilment'], 0.5],
    [['chat', 'chat-support'], 0.3],
    [['phone', 'phone-support'], 0.2],
  ]),
  'refund-status': routes([
    [['email', 'billing'], 0.6],
    [['chat', 'chat-support'], 0.25],
    [['phone', 'phone-support'], 0.15],
  ]),
  'account-access': routes([
    [['email', 'web-support'], 0.6],
    [['chat', 'chat-support'], 0.4],
  ]),
  'product-question': routes([
    [['chat', 'chat-support'], 0.6],
    [['email', 'web-support'], 0.4],
  ]),
  'store-complaint': routes([
    [['store', 'store-ops'], 0.7],
    [['email', 'store-ops'], 0.3],
  ]),
  'billing-query': routes([
    [['email', 'billing'], 0.7],
    [['phone', 'phone-support'], 0.3],
  ]),
};

function routes(entries: readonly (readonly [Route, number])[]): WeightedTable<Route> {
  return new WeightedTable(entries);
}

const PRIORITIES: Record<TicketReason, readonly string[]> = {
  'where-is-my-order': ['normal', 'normal', 'high'],
  'damaged-item': ['high', 'normal'],
  'refund-status': ['normal', 'high'],
  'account-access': ['low', 'normal'],
  'product-question': ['low'],
  'store-complaint': ['normal'],
  'billing-query': ['high', 'urgent'],
};

/** Reasons for tickets that are not caused by a specific order, with their weights. */
export const BACKGROUND_REASONS = new WeightedTable<TicketReason>([
  ['account-access', 0.3],
  ['product-question', 0.35],
  ['store-complaint', 0.15],
  ['billing-query', 0.2],
]);

/** What happened to a ticket, for the feedback it may lead to. */
export interface TicketOutcome {
  team: DemoTeam;
  channel: DemoTicketChannel;
  /** Undefined when the first reply falls after the window. */
  breached: boolean | undefined;
  solvedAt: number | undefined;
  ids: CustomerIdentifiers;
}

/** Opens a ticket at `openedAt` and writes its whole stream (entries after the window are dropped). */
export function openTicket(
  b: LifeBuilder,
  rng: Rng,
  ids: PersonIds,
  reason: TicketReason,
  openedAt: number,
  orderId?: string,
): TicketOutcome {
  const [channel, team] = ROUTES[reason].pick(rng);
  const ticketIds = identifiersFor(b, rng, ids, channel);
  const texts = TICKET_TEXTS[reason];
  const stream = b.openTicketStream(ticketIds);
  const agent = `${rng.pick(AGENT_NAMES)} (${team})`;
  const isChat = channel === 'chat';

  b.ticketEntry(stream, {
    occurredAt: openedAt,
    kind: 'opened',
    status: 'open',
    authorRole: 'customer',
    author: `${b.person.firstName} ${b.person.lastName}`,
    team,
    channel,
    subject: rng.pick(texts.subjects),
    priority: rng.pick(PRIORITIES[reason]),
    body: rng.pick(texts.bodies).replace('{o}', orderId ?? 'my order'),
  });
  if (isChat) {
    b.event(ticketIds, openedAt, 'chat_started', { channel, touchpoint: 'live-chat', team, properties: { reason } });
    b.ticketEntry(stream, {
      occurredAt: openedAt + 3_000,
      kind: 'message',
      authorRole: 'bot',
      author: 'nori-bot',
      team,
      channel,
      body: BOT_GREETING,
    });
  } else if (channel === 'phone') {
    const seconds = Math.round(rng.logNormal(360, 0.5));
    b.event(ticketIds, openedAt, 'phone_call', {
      channel,
      touchpoint: 'support-call',
      team,
      value: seconds,
      properties: { reason },
    });
  }

  const promise = DEMO_REPLY_PROMISE_MS[channel];
  const breach = rng.chance(firstReplyBreachRate(team, monthOf(b.window, openedAt)));
  // Late replies land 5 %–several promises late; on-time ones skew early but never reach the promise.
  const firstDelay = breach
    ? Math.floor(promise * (1.05 + rng.exponential(0.8)))
    : Math.floor(30_000 + (0.95 * promise - 30_000) * Math.pow(rng.next(), 1.5));
  const firstReplyAt = openedAt + firstDelay;
  const assignedAt = openedAt + Math.floor(Math.min(firstDelay / 2, 10 * MINUTE_MS));
  b.ticketEntry(stream, {
    occurredAt: assignedAt,
    kind: 'assigned',
    authorRole: 'system',
    author: agent,
    team,
    channel,
  });
  b.ticketEntry(stream, {
    occurredAt: firstReplyAt,
    kind: 'message',
    authorRole: 'agent',
    author: agent,
    team,
    channel,
    body: rng.pick(AGENT_REPLIES.first),
  });

  let t = firstReplyAt;
  if (rng.chance(0.6)) {
    t += 5_000;
    b.ticketEntry(stream, {
      occurredAt: t,
      kind: 'message',
      authorRole: 'agent',
      author: agent,
      team,
      channel,
      body: rng.pick(AGENT_REPLIES.followUp),
    });
    b.ticketEntry(stream, {
      occurredAt: t + 1_000,
      kind: 'status',
      status: 'pending',
      authorRole: 'agent',
      author: agent,
      team,
      channel,
    });
    t += Math.floor(rng.exponential(isChat ? 3 * MINUTE_MS : 5 * HOUR_MS)) + 2_000;
    b.ticketEntry(stream, {
      occurredAt: t,
      kind: 'message',
      authorRole: 'customer',
      team,
      channel,
      body: rng.pick(CUSTOMER_REPLIES),
    });
  }
  t += 30_000 + Math.floor(rng.exponential(isChat ? 3 * MINUTE_MS : 2 * HOUR_MS));
  b.ticketEntry(stream, {
    occurredAt: t,
    kind: 'message',
    authorRole: 'agent',
    author: agent,
    team,
    channel,
    body: rng.pick(AGENT_REPLIES.closing),
  });
  const solvedAt = t + MINUTE_MS;
  b.ticketEntry(stream, {
    occurredAt: solvedAt,
    kind: 'status',
    status: 'solved',
    authorRole: 'agent',
    author: agent,
    team,
    channel,
  });
  b.ticketEntry(stream, {
    occurredAt: solvedAt + 3 * DAY_MS,
    kind: 'closed',
    status: 'closed',
    authorRole: 'system',
    author: 'auto-close',
    team,
    channel,
  });

  return {
    team,
    channel,
    breached: b.inWindow(firstReplyAt) ? breach : undefined,
    solvedAt: b.inWindow(solvedAt) ? solvedAt : undefined,
    ids: ticketIds,
  };
}

/** How the customer is known on each ticket channel. */
function identifiersFor(b: LifeBuilder, rng: Rng, ids: PersonIds, channel: DemoTicketChannel): CustomerIdentifiers {
  switch (channel) {
    case 'chat':
      // Logged-in shoppers chat from their account; others give an email in the pre-chat form.
      return ids.shopAccount && rng.chance(0.6)
        ? { source: ids.shopAccount.source, customerId: ids.shopAccount.customerId, email: ids.email.email }
        : ids.email;
    case 'email':
      // Some write from their work address, which only the CRM's extra emails connect to them.
      return b.person.workEmail !== undefined && rng.chance(0.4) ? { email: b.person.workEmail } : ids.email;
    case 'phone':
      return ids.phone;
    case 'store':
      return ids.store;
  }
}
