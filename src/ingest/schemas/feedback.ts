/** Feedback: survey answers, reviews and other voice-of-customer items with their scores. */
import { FEEDBACK_SOURCES, type FeedbackRecord, type FeedbackSource } from '../../core/records.js';
import type { ColumnSpec } from '../fields.js';
import {
  IDENTIFIER_COLUMNS,
  PROPERTIES_COLUMN,
  SHORT_TEXT,
  num,
  IDENTIFIER_GROUP,
  requireIdentifier,
  sourceOf,
  str,
  time,
  type EntityDefinition,
} from './common.js';
import { zodEntity } from './zod-fields.js';

export const FEEDBACK_COLUMNS = {
  ...IDENTIFIER_COLUMNS,
  feedback_id: { kind: 'id', required: true, doc: 'Source id of the feedback item.' },
  occurred_at: { kind: 'timestamp', required: true, doc: 'When it was given.' },
  source: { kind: 'enum', values: FEEDBACK_SOURCES, required: true, doc: 'Where the feedback came from.' },
  survey: SHORT_TEXT('Survey name or review site, e.g. post-purchase CSAT, trustpilot.'),
  nps: { kind: 'integer', min: 0, max: 10, doc: 'Net Promoter score, 0–10.' },
  csat: { kind: 'integer', min: 1, max: 5, doc: 'Customer satisfaction, 1–5.' },
  ces: { kind: 'integer', min: 1, max: 7, doc: 'Customer effort score, 1–7.' },
  stars: { kind: 'integer', min: 1, max: 5, doc: 'Review stars, 1–5.' },
  text: { kind: 'longText', doc: 'Verbatim comment.' },
  touchpoint: SHORT_TEXT('Touchpoint the feedback is about.'),
  channel: SHORT_TEXT('Channel the feedback is about.'),
  team: SHORT_TEXT('Team the feedback is about.'),
  properties: PROPERTIES_COLUMN,
} as const satisfies Record<string, ColumnSpec>;

export const feedbackDefinition: EntityDefinition<FeedbackRecord> = {
  columns: FEEDBACK_COLUMNS,
  hasProperties: true,
  headerNeeds: [IDENTIFIER_GROUP],
  assemble(c, properties, ctx, issues) {
    requireIdentifier(c, issues);
    const at = time(c, 'occurred_at');
    const customerId = str(c, 'customer_id');
    return {
      source: sourceOf(c, customerId, ctx),
      customerId,
      email: str(c, 'email'),
      phone: str(c, 'phone'),
      anonymousId: str(c, 'anonymous_id'),
      feedbackId: str(c, 'feedback_id') ?? '',
      occurredAt: at?.ms ?? 0,
      utcOffsetMin: at?.utcOffsetMin,
      // Enum coercion only lets listed values through.
      feedbackSource: (str(c, 'source') ?? 'survey') as FeedbackSource,
      survey: str(c, 'survey'),
      nps: num(c, 'nps'),
      csat: num(c, 'csat'),
      ces: num(c, 'ces'),
      stars: num(c, 'stars'),
      text: str(c, 'text'),
      touchpoint: str(c, 'touchpoint'),
      channel: str(c, 'channel'),
      team: str(c, 'team'),
      properties,
    };
  },
};

/** zod schema of a feedback row (snake_case columns), for the HTTP API documentation. */
export const feedbackSchema = zodEntity(FEEDBACK_COLUMNS);
