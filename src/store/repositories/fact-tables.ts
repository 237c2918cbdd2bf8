/**
 * Declarative description of each fact table: its columns in load order and how a validated record maps to a
 * row, for the engines' bulk insert. `workspace_id` and `import_id` are the same for every row of a batch: they
 * are not part of the rows but given once, as constant columns of that insert.
 */
import type {
  CustomerRecord,
  EventRecord,
  FeedbackRecord,
  OrderRecord,
  TicketEventRecord,
  Properties,
} from '../../core/records.js';
import type { SqlValue, TempColumn } from '../engines/engine.js';

/** Values every fact row gets from the pipeline rather than from its record. */
export interface RowContext {
  customerKey: string;
  profileId: number;
}

export interface FactTable<R> {
  table: string;
  idColumn: string;
  /** Name of the input field carrying the id, for error messages. */
  idField: string;
  /** Immutable facts are skipped when already stored; mutable ones (orders) are replaced. */
  mutable: boolean;
  /** Columns of {@link toRow}'s values, in order; `workspace_id` and `import_id` come as constants. */
  columns: readonly TempColumn[];
  idOf(record: R): string;
  toRow(record: R, ctx: RowContext): SqlValue[];
}

const json = (p: Properties | undefined): string | null =>
  p && Object.keys(p).length > 0 ? JSON.stringify(p) : null;
const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

const head: TempColumn[] = [
  { name: 'customer_key', type: 'text' },
  { name: 'profile_id', type: 'bigint' },
];

export const eventsTable: FactTable<EventRecord> = {
  table: 'events',
  idColumn: 'event_id',
  idField: 'event_id',
  mutable: false,
  columns: [
    ...head,
    { name: 'event_id', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'utc_offset_min', type: 'smallint' },
    { name: 'type', type: 'text' },
    { name: 'channel', type: 'text' },
    { name: 'touchpoint', type: 'text' },
    { name: 'team', type: 'text' },
    { name: 'value', type: 'double' },
    { name: 'properties', type: 'text' },
  ],
  idOf: (r) => r.eventId ?? '',
  toRow: (r, c) => [
    c.customerKey,
    c.profileId,
    r.eventId ?? '',
    r.occurredAt,
    r.utcOffsetMin ?? 0,
    r.type,
    opt(r.channel),
    opt(r.touchpoint),
    opt(r.team),
    opt(r.value),
    json(r.properties),
  ],
};

export const ordersTable: FactTable<OrderRecord> = {
  table: 'orders',
  idColumn: 'order_id',
  idField: 'order_id',
  mutable: true,
  columns: [
    ...head,
    { name: 'order_id', type: 'text' },
    { name: 'ordered_at', type: 'timestamptz' },
    { name: 'utc_offset_min', type: 'smallint' },
    { name: 'amount', type: 'double' },
    { name: 'currency', type: 'text' },
    { name: 'channel', type: 'text' },
    { name: 'touchpoint', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'items', type: 'integer' },
    { name: 'properties', type: 'text' },
  ],
  idOf: (r) => r.orderId,
  toRow: (r, c) => [
    c.customerKey,
    c.profileId,
    r.orderId,
    r.orderedAt,
    r.utcOffsetMin ?? 0,
    r.amount,
    r.currency,
    opt(r.channel),
    opt(r.touchpoint),
    opt(r.status),
    opt(r.items),
    json(r.properties),
  ],
};

export const ticketEventsTable: FactTable<TicketEventRecord> = {
  table: 'ticket_events',
  idColumn: 'ticket_event_id',
  idField: 'ticket_event_id',
  mutable: false,
  columns: [
    ...head,
    { name: 'ticket_event_id', type: 'text' },
    { name: 'ticket_id', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'utc_offset_min', type: 'smallint' },
    { name: 'kind', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'author_role', type: 'text' },
    { name: 'author', type: 'text' },
    { name: 'team', type: 'text' },
    { name: 'channel', type: 'text' },
    { name: 'subject', type: 'text' },
    { name: 'priority', type: 'text' },
    { name: 'body', type: 'text' },
  ],
  idOf: (r) => r.ticketEventId ?? '',
  toRow: (r, c) => [
    c.customerKey,
    c.profileId,
    r.ticketEventId ?? '',
    r.ticketId,
    r.occurredAt,
    r.utcOffsetMin ?? 0,
    r.kind,
    opt(r.status),
    opt(r.authorRole),
    opt(r.author),
    opt(r.team),
    opt(r.channel),
    opt(r.subject),
    opt(r.priority),
    opt(r.body),
  ],
};

export const feedbackTable: FactTable<FeedbackRecord> = {
  table: 'feedback',
  idColumn: 'feedback_id',
  idField: 'feedback_id',
  mutable: false,
  columns: [
    ...head,
    { name: 'feedback_id', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'utc_offset_min', type: 'smallint' },
    { name: 'source', type: 'text' },
    { name: 'survey', type: 'text' },
    { name: 'nps', type: 'smallint' },
    { name: 'csat', type: 'smallint' },
    { name: 'ces', type: 'smallint' },
    { name: 'stars', type: 'smallint' },
    { name: 'text', type: 'text' },
    { name: 'touchpoint', type: 'text' },
    { name: 'channel', type: 'text' },
    { name: 'team', type: 'text' },
    { name: 'properties', type: 'text' },
  ],
  idOf: (r) => r.feedbackId,
  toRow: (r, c) => [
    c.customerKey,
    c.profileId,
    r.feedbackId,
    r.occurredAt,
    r.utcOffsetMin ?? 0,
    r.feedbackSource,
    opt(r.survey),
    opt(r.nps),
    opt(r.csat),
    opt(r.ces),
    opt(r.stars),
    opt(r.text),
    opt(r.touchpoint),
    opt(r.channel),
    opt(r.team),
    json(r.properties),
  ],
};

/** Tables whose rows carry customer_key/profile_id and must follow merges and unmerges. */
export const PROFILE_TABLES = ['customers', 'events', 'orders', 'ticket_events', 'tickets', 'feedback'] as const;

/**
 * Source customer records. Their id is their own identity key (`ext:<source>:<id>`), which the pipeline computes
 * during identity normalisation and passes as `ctx.customerKey`.
 */
export const customersTable: FactTable<CustomerRecord> = {
  table: 'customers',
  idColumn: 'customer_key',
  idField: 'customer_id',
  mutable: true,
  columns: [
    ...head,
    { name: 'source', type: 'text' },
    { name: 'customer_id', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'email', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'country', type: 'text' },
    { name: 'created_at', type: 'timestamptz' },
    { name: 'properties', type: 'text' },
    { name: 'updated_at', type: 'timestamptz' },
  ],
  // Customers are keyed by their identity key, known only after normalisation: see the pipeline.
  idOf: () => '',
  toRow: (r, c) => [
    c.customerKey,
    c.profileId,
    (r.source ?? 'default').trim().toLowerCase(),
    r.customerId.trim(),
    opt(r.name),
    opt(r.email),
    opt(r.phone),
    opt(r.country),
    opt(r.createdAt),
    json(r.properties),
    Date.now(),
  ],
};
