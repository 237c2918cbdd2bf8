/** Tickets, imported as their streams: one row per opened/message/status/assigned/closed entry. */
import { AUTHOR_ROLES, TICKET_EVENT_KINDS, type AuthorRole, type TicketEventKind } from '../../core/records.js';
import type { TicketEventRecord } from '../../core/records.js';
import { deriveId } from '../derived-id.js';
import type { ColumnSpec } from '../fields.js';
import {
  IDENTIFIER_COLUMNS,
  SHORT_TEXT,
  IDENTIFIER_GROUP,
  requireIdentifier,
  sourceOf,
  str,
  time,
  type EntityDefinition,
} from './common.js';
import { zodEntity } from './zod-fields.js';

export const TICKET_COLUMNS = {
  ...IDENTIFIER_COLUMNS,
  ticket_id: { kind: 'id', required: true, doc: 'Source id of the ticket the entry belongs to.' },
  ticket_event_id: {
    kind: 'id',
    doc: 'Source id of this stream entry; when absent a deterministic id (h:…) is derived from the row content.',
  },
  occurred_at: { kind: 'timestamp', required: true, doc: 'When the entry happened.' },
  kind: { kind: 'enum', values: TICKET_EVENT_KINDS, required: true, doc: 'What happened to the ticket.' },
  status: SHORT_TEXT('New status for opened/status/closed entries, e.g. open, pending, solved.'),
  author_role: { kind: 'enum', values: AUTHOR_ROLES, doc: 'Who wrote or did it.' },
  author: SHORT_TEXT('Name or id of the author.'),
  team: SHORT_TEXT('Team the ticket is with.'),
  channel: SHORT_TEXT('Channel, e.g. email, chat, phone.'),
  subject: SHORT_TEXT('Ticket subject.'),
  priority: SHORT_TEXT('Priority, e.g. low, normal, urgent.'),
  body: { kind: 'longText', doc: 'Message text.' },
} as const satisfies Record<string, ColumnSpec>;

export const ticketsDefinition: EntityDefinition<TicketEventRecord> = {
  columns: TICKET_COLUMNS,
  hasProperties: false,
  headerNeeds: [IDENTIFIER_GROUP],
  assemble(c, _properties, ctx, issues) {
    requireIdentifier(c, issues);
    const at = time(c, 'occurred_at');
    const customerId = str(c, 'customer_id');
    return {
      source: sourceOf(c, customerId, ctx),
      customerId,
      email: str(c, 'email'),
      phone: str(c, 'phone'),
      anonymousId: str(c, 'anonymous_id'),
      ticketId: str(c, 'ticket_id') ?? '',
      ticketEventId: str(c, 'ticket_event_id'),
      occurredAt: at?.ms ?? 0,
      utcOffsetMin: at?.utcOffsetMin,
      // Enum coercion only lets listed values through.
      kind: (str(c, 'kind') ?? 'opened') as TicketEventKind,
      status: str(c, 'status'),
      authorRole: str(c, 'author_role') as AuthorRole | undefined,
      author: str(c, 'author'),
      team: str(c, 'team'),
      channel: str(c, 'channel'),
      subject: str(c, 'subject'),
      priority: str(c, 'priority'),
      body: str(c, 'body'),
    };
  },
  finish(r) {
    r.ticketEventId ??= deriveId([
      r.source,
      r.customerId,
      r.email,
      r.phone,
      r.anonymousId,
      r.ticketId,
      r.occurredAt,
      r.utcOffsetMin,
      r.kind,
      r.status,
      r.authorRole,
      r.author,
      r.team,
      r.channel,
      r.subject,
      r.priority,
      r.body,
    ]);
  },
};

/** zod schema of a tickets row (snake_case columns), for the HTTP API documentation. */
export const ticketsSchema = zodEntity(TICKET_COLUMNS);
