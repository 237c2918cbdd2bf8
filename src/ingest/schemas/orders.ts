/** Orders: purchases, with refunds as negative amounts. */
import type { OrderRecord } from '../../core/records.js';
import type { ColumnSpec } from '../fields.js';
import {
  IDENTIFIER_COLUMNS,
  PROPERTIES_COLUMN,
  SHORT_TEXT,
  num,
  reject,
  IDENTIFIER_GROUP,
  requireIdentifier,
  sourceOf,
  str,
  time,
  type EntityDefinition,
} from './common.js';
import { zodEntity } from './zod-fields.js';

/** The store keeps amounts as NUMERIC(18, 4): 14 digits before the decimal point. */
const MAX_AMOUNT = 1e14;
const MAX_AMOUNT_TEXT = '100,000,000,000,000';

export const ORDER_COLUMNS = {
  ...IDENTIFIER_COLUMNS,
  order_id: { kind: 'id', required: true, doc: 'Source id of the order.' },
  ordered_at: { kind: 'timestamp', required: true, doc: 'When the order was placed.' },
  amount: { kind: 'number', required: true, doc: `Order total; negative for refunds. Kept to 4 decimal places; less than ${MAX_AMOUNT_TEXT} either way.` },
  currency: { kind: 'currency', doc: 'ISO 4217 code, e.g. EUR (default: the import --currency).' },
  channel: SHORT_TEXT('Sales channel, e.g. web, store.'),
  touchpoint: SHORT_TEXT('Touchpoint in the journey.'),
  status: SHORT_TEXT('Order status, e.g. paid, shipped, refunded.'),
  items: { kind: 'integer', min: 0, max: 2_147_483_647, doc: 'Number of items (non-negative integer).' },
  properties: PROPERTIES_COLUMN,
} as const satisfies Record<string, ColumnSpec>;

export const ordersDefinition: EntityDefinition<OrderRecord> = {
  columns: ORDER_COLUMNS,
  hasProperties: true,
  headerNeeds: [IDENTIFIER_GROUP],
  assemble(c, properties, ctx, issues) {
    requireIdentifier(c, issues);
    const at = time(c, 'ordered_at');
    const customerId = str(c, 'customer_id');
    // A present-but-invalid currency was reported already; only a missing one falls back to the default.
    let currency = str(c, 'currency');
    if (c.currency === undefined) {
      currency = ctx.defaultCurrency?.toUpperCase();
      if (currency === undefined) reject(issues, 'currency', 'required (no currency column and no default currency)');
    }
    const amount = num(c, 'amount');
    if (amount !== undefined && !(Math.abs(amount) < MAX_AMOUNT)) reject(issues, 'amount', `must be less than ${MAX_AMOUNT_TEXT} either way, got ${amount}`);
    return {
      source: sourceOf(c, customerId, ctx),
      customerId,
      email: str(c, 'email'),
      phone: str(c, 'phone'),
      anonymousId: str(c, 'anonymous_id'),
      orderId: str(c, 'order_id') ?? '',
      orderedAt: at?.ms ?? 0,
      utcOffsetMin: at?.utcOffsetMin,
      amount: amount ?? 0,
      currency: currency ?? '',
      channel: str(c, 'channel'),
      touchpoint: str(c, 'touchpoint'),
      status: str(c, 'status'),
      items: num(c, 'items'),
      properties,
    };
  },
};

/** zod schema of an orders row (snake_case columns), for the HTTP API documentation. */
export const ordersSchema = zodEntity(ORDER_COLUMNS);
