/** Events: things a customer did or that happened to them (page views, logins, deliveries). */
import type { EventRecord } from '../../core/records.js';
import { deriveId } from '../derived-id.js';
import type { ColumnSpec } from '../fields.js';
import {
  IDENTIFIER_COLUMNS,
  PROPERTIES_COLUMN,
  SHORT_TEXT,
  num,
  IDENTIFIER_GROUP,
  requireIdentifier,
  requireOneOf,
  sourceOf,
  str,
  time,
  type EntityDefinition,
} from './common.js';
import { zodEntity } from './zod-fields.js';

export const EVENT_COLUMNS = {
  ...IDENTIFIER_COLUMNS,
  event_id: {
    kind: 'id',
    doc: 'Source id of the event; when absent a deterministic id (h:…) is derived from the row content.',
  },
  occurred_at: { kind: 'timestamp', doc: 'When it happened (required; alias: timestamp).' },
  timestamp: { kind: 'timestamp', doc: 'Alias of occurred_at.' },
  type: SHORT_TEXT('Event type, e.g. page_view (required; alias: event).'),
  event: SHORT_TEXT('Alias of type.'),
  channel: SHORT_TEXT('Channel, e.g. web, app, store.'),
  touchpoint: SHORT_TEXT('Touchpoint in the journey, e.g. checkout.'),
  team: SHORT_TEXT('Team responsible.'),
  value: { kind: 'number', doc: 'Numeric value of the event.' },
  properties: PROPERTIES_COLUMN,
} as const satisfies Record<string, ColumnSpec>;

export const eventsDefinition: EntityDefinition<EventRecord> = {
  columns: EVENT_COLUMNS,
  hasProperties: true,
  headerNeeds: [IDENTIFIER_GROUP, ['occurred_at', 'timestamp'], ['type', 'event']],
  assemble(c, properties, ctx, issues) {
    requireIdentifier(c, issues);
    requireOneOf(c, issues, 'occurred_at', 'timestamp');
    requireOneOf(c, issues, 'type', 'event');
    const at = time(c, 'occurred_at') ?? time(c, 'timestamp');
    const customerId = str(c, 'customer_id');
    return {
      source: sourceOf(c, customerId, ctx),
      customerId,
      email: str(c, 'email'),
      phone: str(c, 'phone'),
      anonymousId: str(c, 'anonymous_id'),
      eventId: str(c, 'event_id'),
      occurredAt: at?.ms ?? 0,
      utcOffsetMin: at?.utcOffsetMin,
      type: str(c, 'type') ?? str(c, 'event') ?? '',
      channel: str(c, 'channel'),
      touchpoint: str(c, 'touchpoint'),
      team: str(c, 'team'),
      value: num(c, 'value'),
      properties,
    };
  },
  finish(r) {
    r.eventId ??= deriveId([
      r.source,
      r.customerId,
      r.email,
      r.phone,
      r.anonymousId,
      r.occurredAt,
      r.utcOffsetMin,
      r.type,
      r.channel,
      r.touchpoint,
      r.team,
      r.value,
      r.properties,
    ]);
  },
};

/** zod schema of an events row (snake_case columns), for the HTTP API documentation. */
export const eventsSchema = zodEntity(EVENT_COLUMNS);
