/**
 * The validated, normalised shape of every record Kept ingests, whatever it came from (CSV, JSONL, HTTP batch,
 * the demo generator). Parsers produce these; the store writes them. Pure types: no I/O here.
 *
 * Conventions:
 * - Timestamps are epoch milliseconds (UTC) in `*At` fields; `utcOffsetMin` keeps the offset the source gave
 *   (so local time of day can be recovered) and is 0 when the source gave `Z` or no zone.
 * - Free-form extra attributes live in `properties` (a JSON-serialisable object).
 * - Every fact record names its customer by one or more identifiers (see {@link CustomerIdentifiers}); identity
 *   resolution turns them into one profile.
 */

/** The kinds of entity `kept import` and `POST /api/v1/{entity}/batch` accept. */
export const ENTITIES = ['customers', 'events', 'orders', 'tickets', 'feedback'] as const;
export type Entity = (typeof ENTITIES)[number];

/** Identifier types, in default priority order (first = strongest). */
export const IDENTIFIER_TYPES = ['customer_id', 'email', 'phone', 'anonymous_id'] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/**
 * How a record names its customer. `customerId` is the id in the source system named by `source`
 * (a CRM id, a shop account id); `anonymousId` is a device or cookie id. At least one must be present on fact
 * records. Values are raw here; identity resolution normalises them.
 */
export interface CustomerIdentifiers {
  source?: string | undefined;
  customerId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  anonymousId?: string | undefined;
}

export type Properties = Record<string, unknown>;

export interface CustomerRecord extends CustomerIdentifiers {
  /** Required: the customer's id in `source` (default source: "default"). */
  customerId: string;
  name?: string | undefined;
  /** Extra emails / phones / anonymous ids the source knows for this customer. */
  extraEmails?: string[] | undefined;
  extraPhones?: string[] | undefined;
  country?: string | undefined;
  createdAt?: number | undefined;
  properties?: Properties | undefined;
}

export interface EventRecord extends CustomerIdentifiers {
  /** Source id; when absent a deterministic id is derived from the content so re-imports stay idempotent. */
  eventId?: string | undefined;
  occurredAt: number;
  utcOffsetMin?: number | undefined;
  type: string;
  channel?: string | undefined;
  touchpoint?: string | undefined;
  team?: string | undefined;
  value?: number | undefined;
  properties?: Properties | undefined;
}

export interface OrderRecord extends CustomerIdentifiers {
  orderId: string;
  orderedAt: number;
  utcOffsetMin?: number | undefined;
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  channel?: string | undefined;
  touchpoint?: string | undefined;
  status?: string | undefined;
  items?: number | undefined;
  properties?: Properties | undefined;
}

export const TICKET_EVENT_KINDS = ['opened', 'message', 'status', 'assigned', 'closed'] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];
export const AUTHOR_ROLES = ['customer', 'agent', 'bot', 'system'] as const;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];

/**
 * One entry in a ticket's stream: it was opened, a message was written, its status changed, it was assigned.
 * Tickets are imported as these streams; the ticket itself (opened, latest status, team) is derived from them.
 */
export interface TicketEventRecord extends CustomerIdentifiers {
  ticketId: string;
  /** Source id of this stream entry; derived from content when absent. */
  ticketEventId?: string | undefined;
  occurredAt: number;
  utcOffsetMin?: number | undefined;
  kind: TicketEventKind;
  /** New status for kind=status/opened/closed (e.g. open, pending, solved, closed). */
  status?: string | undefined;
  authorRole?: AuthorRole | undefined;
  author?: string | undefined;
  team?: string | undefined;
  channel?: string | undefined;
  subject?: string | undefined;
  priority?: string | undefined;
  body?: string | undefined;
}

export const FEEDBACK_SOURCES = ['survey', 'review', 'ticket', 'chat', 'social', 'email'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

export interface FeedbackRecord extends CustomerIdentifiers {
  feedbackId: string;
  occurredAt: number;
  utcOffsetMin?: number | undefined;
  feedbackSource: FeedbackSource;
  /** Survey name or review site, e.g. "post-purchase CSAT", "trustpilot". */
  survey?: string | undefined;
  /** 0–10 */
  nps?: number | undefined;
  /** 1–5 */
  csat?: number | undefined;
  /** 1–7 */
  ces?: number | undefined;
  /** 1–5 */
  stars?: number | undefined;
  text?: string | undefined;
  touchpoint?: string | undefined;
  channel?: string | undefined;
  team?: string | undefined;
  properties?: Properties | undefined;
}

export interface RecordByEntity {
  customers: CustomerRecord;
  events: EventRecord;
  orders: OrderRecord;
  tickets: TicketEventRecord;
  feedback: FeedbackRecord;
}

/** A record as it travels through ingestion: where it came from (1-based line or array index) and its value. */
export interface Located<T> {
  line: number;
  record: T;
}

/** Why one input row was not stored. `field` is absent when the whole row is at fault (e.g. bad quoting). */
export interface RowRejection {
  line: number;
  field?: string | undefined;
  reason: string;
}
