/**
 * Collects one person's records while their life is simulated: numbers ids per person so they are unique and
 * stable, and drops anything that falls outside the window (a refund due after the window ends simply has not
 * happened yet).
 */

import type {
  CustomerIdentifiers,
  CustomerRecord,
  EventRecord,
  FeedbackRecord,
  OrderRecord,
  TicketEventRecord,
} from '../records.js';
import type { DemoWindow } from './calendar.js';
import type { DemoPerson } from './customer.js';

/** Everything generated for one person. */
export interface CustomerLife {
  customers: CustomerRecord[];
  events: EventRecord[];
  orders: OrderRecord[];
  tickets: TicketEventRecord[];
  feedback: FeedbackRecord[];
}

/** The optional descriptive fields of an event. */
export type EventDetails = Pick<EventRecord, 'channel' | 'touchpoint' | 'team' | 'value' | 'properties'>;
/** A ticket stream entry without the ids and identifiers the builder fills in. */
export type TicketEntry = Omit<TicketEventRecord, 'ticketId' | 'ticketEventId' | keyof CustomerIdentifiers>;
/** A ticket being written: its id, the identifiers on every entry, and how many entries it has. */
export interface TicketStream {
  readonly ticketId: string;
  readonly ids: CustomerIdentifiers;
  entries: number;
}
/** A feedback record without its id and identifiers. */
export type FeedbackEntry = Omit<FeedbackRecord, 'feedbackId' | keyof CustomerIdentifiers>;

/**
 * The records of one person under construction. Records are built with a fixed set of keys (absent optional
 * fields are present as `undefined`), which keeps V8's object shapes stable on this hot path.
 */
export class LifeBuilder implements CustomerLife {
  readonly customers: CustomerRecord[] = [];
  readonly events: EventRecord[] = [];
  readonly orders: OrderRecord[] = [];
  readonly tickets: TicketEventRecord[] = [];
  readonly feedback: FeedbackRecord[] = [];
  readonly person: DemoPerson;
  readonly window: DemoWindow;
  /** The person number used in every id: `e-123-4`, `NW-000123-2`, `T-123-1`, `f-123-7`. */
  private readonly tag: string;
  private eventCount = 0;
  private orderCount = 0;
  private ticketCount = 0;
  private feedbackCount = 0;

  constructor(person: DemoPerson, window: DemoWindow) {
    this.person = person;
    this.window = window;
    this.tag = String(person.index + 1);
  }

  /** Whether `t` lies in [start, end): records outside are dropped. */
  inWindow(t: number): boolean {
    return t >= this.window.startMs && t < this.window.endMs;
  }

  /**
   * Adds an event if it happened inside the window. Records are built field by field with a fixed shape
   * (absent fields are `undefined`) rather than by spreading: this is the hot path of the generator.
   */
  event(ids: CustomerIdentifiers, occurredAt: number, type: string, details: EventDetails): void {
    if (occurredAt < this.window.startMs || occurredAt >= this.window.endMs) return;
    this.events.push({
      eventId: `e-${this.tag}-${++this.eventCount}`,
      source: ids.source,
      customerId: ids.customerId,
      email: ids.email,
      phone: ids.phone,
      anonymousId: ids.anonymousId,
      occurredAt,
      type,
      channel: details.channel,
      touchpoint: details.touchpoint,
      team: details.team,
      value: details.value,
      properties: details.properties,
    });
  }

  /**
   * Reserves the next order id. Ids are taken even for orders later dropped by the window, so an order's id
   * never depends on whether an earlier one fell outside it.
   */
  nextOrderId(): string {
    return `NW-${this.tag.padStart(6, '0')}-${++this.orderCount}`;
  }

  /** Adds an order if it was placed inside the window. */
  order(record: OrderRecord): void {
    if (this.inWindow(record.orderedAt)) this.orders.push(record);
  }

  /** Starts a new ticket stream (numbered `T-…-n`); add its entries with {@link ticketEntry}. */
  openTicketStream(ids: CustomerIdentifiers): TicketStream {
    return { ticketId: `T-${this.tag}-${++this.ticketCount}`, ids, entries: 0 };
  }

  /** Appends an entry to a ticket stream if it happened inside the window. */
  ticketEntry(stream: TicketStream, entry: TicketEntry): void {
    if (!this.inWindow(entry.occurredAt)) return;
    const ids = stream.ids;
    this.tickets.push({
      ticketId: stream.ticketId,
      ticketEventId: `${stream.ticketId}-${++stream.entries}`,
      source: ids.source,
      customerId: ids.customerId,
      email: ids.email,
      phone: ids.phone,
      anonymousId: ids.anonymousId,
      occurredAt: entry.occurredAt,
      kind: entry.kind,
      status: entry.status,
      authorRole: entry.authorRole,
      author: entry.author,
      team: entry.team,
      channel: entry.channel,
      subject: entry.subject,
      priority: entry.priority,
      body: entry.body,
    });
  }

  /** Adds a feedback record if it was given inside the window. */
  addFeedback(ids: CustomerIdentifiers, entry: FeedbackEntry): void {
    if (!this.inWindow(entry.occurredAt)) return;
    this.feedback.push({
      feedbackId: `f-${this.tag}-${++this.feedbackCount}`,
      source: ids.source,
      customerId: ids.customerId,
      email: ids.email,
      phone: ids.phone,
      anonymousId: ids.anonymousId,
      occurredAt: entry.occurredAt,
      feedbackSource: entry.feedbackSource,
      survey: entry.survey,
      nps: entry.nps,
      csat: entry.csat,
      ces: entry.ces,
      stars: entry.stars,
      text: entry.text,
      touchpoint: entry.touchpoint,
      channel: entry.channel,
      team: entry.team,
      properties: entry.properties,
    });
  }

  /** The plain-data result (without builder state), as yielded by `generateDemo`. */
  toLife(): CustomerLife {
    const { customers, events, orders, tickets, feedback } = this;
    return { customers, events, orders, tickets, feedback };
  }
}
