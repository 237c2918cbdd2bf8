/** Customers: one row per customer as a source system knows them. */
import type { CustomerRecord } from '../../core/records.js';
import { LIMITS, type ColumnSpec } from '../fields.js';
import {
  IDENTIFIER_COLUMNS,
  PROPERTIES_COLUMN,
  SHORT_TEXT,
  reject,
  sourceOf,
  str,
  strings,
  time,
  type EntityDefinition,
} from './common.js';
import { zodEntity } from './zod-fields.js';

export const CUSTOMER_COLUMNS = {
  ...IDENTIFIER_COLUMNS,
  customer_id: { ...IDENTIFIER_COLUMNS.customer_id, required: true },
  name: SHORT_TEXT('Full name (or give first_name and last_name).'),
  first_name: SHORT_TEXT('Given name; joined with last_name when name is absent.'),
  last_name: SHORT_TEXT('Family name; joined with first_name when name is absent.'),
  emails: { kind: 'list', doc: "Further email addresses: ';'-separated in CSV, an array in JSON." },
  phones: { kind: 'list', doc: "Further phone numbers: ';'-separated in CSV, an array in JSON." },
  country: SHORT_TEXT('Country, e.g. DE.'),
  created_at: { kind: 'timestamp', zeroIsAbsent: true, doc: 'When the customer was created in the source (1970-01-01T00:00:00Z, a placeholder, counts as not given).' },
  properties: PROPERTIES_COLUMN,
} as const satisfies Record<string, ColumnSpec>;

export const customersDefinition: EntityDefinition<CustomerRecord> = {
  columns: CUSTOMER_COLUMNS,
  hasProperties: true,
  assemble(c, properties, ctx, issues) {
    const customerId = str(c, 'customer_id');
    let name = str(c, 'name');
    if (name === undefined) {
      const first = str(c, 'first_name');
      const last = str(c, 'last_name');
      name = first !== undefined && last !== undefined ? `${first} ${last}` : (first ?? last);
      if (name !== undefined && name.length > LIMITS.text)
        reject(issues, 'name', `longer than ${LIMITS.text} characters`);
    }
    return {
      source: sourceOf(c, customerId, ctx),
      customerId: customerId ?? '',
      email: str(c, 'email'),
      phone: str(c, 'phone'),
      anonymousId: str(c, 'anonymous_id'),
      name,
      extraEmails: strings(c, 'emails'),
      extraPhones: strings(c, 'phones'),
      country: str(c, 'country'),
      createdAt: time(c, 'created_at')?.ms,
      properties,
    };
  },
};

/** zod schema of a customers row (snake_case columns), for the HTTP API documentation. */
export const customersSchema = zodEntity(CUSTOMER_COLUMNS);
