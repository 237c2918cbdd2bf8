/**
 * The fictional company the demo data describes, as constants that the docs (docs/demo-data.md), the tests and
 * later analytics can refer to by name instead of repeating string literals.
 */

/** Who the demo company is. Everything is British: GB phone formats, GBP, Europe/London local time. */
export const DEMO_COMPANY = {
  name: 'Northwind Home',
  /** Reserved `.example` TLD so no generated address can reach a real mailbox. */
  domain: 'northwind.example',
  country: 'GB',
  currency: 'GBP',
  timeZone: 'Europe/London',
} as const;

/** Channels customers use, on events, orders, tickets and feedback. */
export const DEMO_CHANNELS = ['web', 'app', 'store', 'phone', 'email', 'chat'] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

/** Teams that own touchpoints, handle tickets and appear on journey events. */
export const DEMO_TEAMS = [
  'web-support',
  'store-ops',
  'phone-support',
  'chat-support',
  'fulfilment',
  'billing',
] as const;
export type DemoTeam = (typeof DEMO_TEAMS)[number];

/** Touchpoints: the places in the customer experience that events and feedback are attached to. */
export const DEMO_TOUCHPOINTS = [
  'homepage',
  'search',
  'product-page',
  'basket',
  'checkout',
  'account',
  'delivery',
  'returns',
  'store-visit',
  'support-call',
  'live-chat',
  'newsletter',
] as const;
export type DemoTouchpoint = (typeof DEMO_TOUCHPOINTS)[number];

/** Source systems that hold customer records; they become `source` on identifiers. */
export const DEMO_ID_SOURCES = ['crm', 'shop', 'loyalty', 'social'] as const;
export type DemoIdSource = (typeof DEMO_ID_SOURCES)[number];

const HOUR_MS = 3_600_000;

/**
 * The first-reply promise per ticket channel, in ms: a ticket breaches when its first *agent* message (bot
 * messages do not count) comes later than this after it was opened.
 */
export const DEMO_REPLY_PROMISE_MS = {
  chat: 1 * HOUR_MS,
  email: 24 * HOUR_MS,
  phone: 4 * HOUR_MS,
  store: 24 * HOUR_MS,
} as const;
export type DemoTicketChannel = keyof typeof DEMO_REPLY_PROMISE_MS;

/** Survey names, as they appear in `FeedbackRecord.survey`. */
export const DEMO_SURVEYS = {
  postPurchase: 'post-purchase CSAT',
  delivery: 'delivery CSAT',
  nps: 'relationship NPS',
  ces: 'post-support CES',
  chatRating: 'post-chat rating',
  ownReviews: 'northwind reviews',
  trustpilot: 'trustpilot',
} as const;

/** The steps of each journey, in order; journey events carry `properties: { journey, step, order_id }`. */
export const DEMO_JOURNEYS = {
  purchase: ['add_to_cart', 'checkout_started', 'checkout_completed'],
  delivery: ['delivery_dispatched', 'delivery_delayed', 'delivery_delivered'],
  returns: ['return_requested', 'return_approved', 'return_dropped_off', 'return_received', 'refund_issued'],
} as const;

/** Every event `type` the generator emits. */
export const DEMO_EVENT_TYPES = [
  'page_view',
  'search',
  'login',
  ...DEMO_JOURNEYS.purchase,
  ...DEMO_JOURNEYS.delivery,
  ...DEMO_JOURNEYS.returns,
  'store_visit',
  'phone_call',
  'chat_started',
  'email_opened',
  'email_clicked',
] as const;

/**
 * Placeholder emails store staff type when a customer will not give one. Shared by many unrelated people, so
 * identity resolution must refuse to merge on them.
 */
export const DEMO_PLACEHOLDER_EMAILS = [
  'noreply@northwind.example',
  'none@northwind.example',
  'no.email@northwind.example',
] as const;

/** Test phone numbers typed into loyalty sign-ups; like the placeholder emails they must not link people. */
export const DEMO_TEST_PHONES = ['07123 456789', '01234 567890', '07777 777777'] as const;

/** Stores, for store visits, store orders and loyalty home stores. */
export const DEMO_STORES = [
  'London Oxford Street',
  'London Westfield',
  'Manchester Arndale',
  'Leeds Trinity',
  'Birmingham Bullring',
  'Bristol Cabot Circus',
  'Glasgow Buchanan',
  'Edinburgh St James',
  'Cardiff St Davids',
  'Newcastle Eldon Square',
  'Nottingham Victoria',
  'Brighton Churchill Square',
] as const;
