/**
 * What every entity schema shares: the customer identifier columns, the `properties` column, the typed view of
 * coerced column values, and the shape of an entity definition that `validate.ts` runs.
 */
import type { Properties, RowRejection } from '../../core/records.js';
import type { ColumnSpec, ParsedTimestamp } from '../fields.js';

/** Per-call settings of validation. */
export interface ValidationContext {
  /** 1-based line (or array index) of the row, copied into every rejection. */
  line: number;
  /** Source system of `customer_id` when a row has no `id_source` column (CLI flag); default "default". */
  defaultSource?: string | undefined;
  /** ISO 4217 code used for orders without a `currency` column. */
  defaultCurrency?: string | undefined;
}

/** Rejections collected for one row; `list` stays undefined on the (common) happy path to avoid allocation. */
export interface RowIssues {
  line: number;
  list: RowRejection[] | undefined;
}

/** Records one rejection of `field` for the row. */
export function reject(issues: RowIssues, field: string, reason: string): void {
  (issues.list ??= []).push({ line: issues.line, field, reason });
}

/**
 * Coerced column values by column name: typed values, or a non-undefined marker for a column that was present
 * but invalid (so it is not also reported as missing). Read it through the typed getters below.
 */
export type Columns = Record<string, unknown>;

/** Whether column `k` was given at all (valid or not). */
export const present = (c: Columns, k: string): boolean => c[k] !== undefined;
/** Column `k` as text, or undefined when absent or invalid. */
export function str(c: Columns, k: string): string | undefined {
  const v = c[k];
  return typeof v === 'string' ? v : undefined;
}
/** Column `k` as a number, or undefined when absent or invalid. */
export function num(c: Columns, k: string): number | undefined {
  const v = c[k];
  return typeof v === 'number' ? v : undefined;
}
/** Column `k` as a list of strings, or undefined when absent or invalid. */
export function strings(c: Columns, k: string): string[] | undefined {
  const v = c[k];
  return Array.isArray(v) ? (v as string[]) : undefined;
}
/** Column `k` as a parsed timestamp, or undefined when absent or invalid. */
export function time(c: Columns, k: string): ParsedTimestamp | undefined {
  const v = c[k];
  return typeof v === 'object' && v !== null && 'ms' in v ? (v as ParsedTimestamp) : undefined;
}

/** How an entity's rows become records; see `validate.ts` for the order things run in. */
export interface EntityDefinition<R> {
  /** Accepted columns with their rules, in documentation order (aliases included). */
  columns: Record<string, ColumnSpec>;
  /** Whether `properties`, `properties.<name>` and `prop_<name>` columns apply. */
  hasProperties: boolean;
  /** Builds the record from coerced columns and reports cross-column problems (aliases, identifiers). */
  assemble(c: Columns, properties: Properties | undefined, ctx: ValidationContext, issues: RowIssues): R;
  /** Completes a valid record, e.g. derives a missing id from its content. */
  finish?: ((record: R) => void) | undefined;
  /**
   * Columns every row needs one of, besides those marked `required` (aliases, "at least one identifier"): a CSV
   * header without any of a group fails the file at once instead of rejecting every row.
   */
  headerNeeds?: readonly (readonly string[])[] | undefined;
}

/** The columns of which {@link requireIdentifier} wants one. */
export const IDENTIFIER_GROUP = ['customer_id', 'email', 'phone', 'anonymous_id'] as const;

/** The columns naming the customer, accepted by every entity. */
export const IDENTIFIER_COLUMNS = {
  customer_id: { kind: 'id', doc: "The customer's id in the system named by id_source." },
  id_source: { kind: 'id', doc: 'Source system of customer_id (default: the import --source, else "default").' },
  email: { kind: 'id', doc: 'Email address of the customer.' },
  phone: { kind: 'id', doc: 'Phone number of the customer.' },
  anonymous_id: { kind: 'id', doc: 'Device or cookie id.' },
} as const satisfies Record<string, ColumnSpec>;

/** The `properties` column of the entities that have properties. */
export const PROPERTIES_COLUMN = {
  kind: 'properties',
  doc:
    'Extra attributes as a JSON object (a JSON string in CSV); columns named properties.<name> or prop_<name> ' +
    'are added to it.',
} as const satisfies ColumnSpec;

/** A short text column (up to LIMITS.text = 1,000 characters). */
export const SHORT_TEXT = (doc: string) => ({ kind: 'text', doc }) as const satisfies ColumnSpec;

/** `source` is only meaningful next to a `customer_id`, so it is left out when there is none. */
export function sourceOf(c: Columns, customerId: string | undefined, ctx: ValidationContext): string | undefined {
  return customerId === undefined ? undefined : (str(c, 'id_source') ?? ctx.defaultSource ?? 'default');
}

/** Fact records must name their customer somehow. */
export function requireIdentifier(c: Columns, issues: RowIssues): void {
  if (!IDENTIFIER_GROUP.some((column) => present(c, column))) {
    reject(issues, 'customer_id', `needs at least one of ${IDENTIFIER_GROUP.join(', ')}`);
  }
}

/** A required column that may also be spelled `alias`; reported under the main name. */
export function requireOneOf(c: Columns, issues: RowIssues, column: string, alias: string): void {
  if (!present(c, column) && !present(c, alias)) reject(issues, column, 'required');
}
