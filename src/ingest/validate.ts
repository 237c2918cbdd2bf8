/**
 * Per-entity validation, shared by `kept import` (CSV strings) and the HTTP batch API (JSON values): one row of
 * snake_case columns in, one normalised record (see `core/records.ts`) or the list of reasons it was refused out.
 *
 * Order of work for one row: coerce each known column (collecting every bad column, not just the first), gather
 * `properties.<name>` / `prop_<name>` columns, report missing required columns, let the entity assemble the
 * record and check cross-column rules, then derive missing ids. Unknown columns are ignored here; see
 * {@link unknownColumns} for reporting them once per file.
 */
import type { Entity, Properties, RecordByEntity, RowRejection } from '../core/records.js';
import { Invalid, coerceField, isBlank, propertiesProblem, type ColumnSpec } from './fields.js';
import { ImportInputError } from './import-error.js';
import {
  reject,
  type Columns,
  type EntityDefinition,
  type RowIssues,
  type ValidationContext,
} from './schemas/common.js';
import { customersDefinition, customersSchema } from './schemas/customers.js';
import { eventsDefinition, eventsSchema } from './schemas/events.js';
import { feedbackDefinition, feedbackSchema } from './schemas/feedback.js';
import { ordersDefinition, ordersSchema } from './schemas/orders.js';
import { ticketsDefinition, ticketsSchema } from './schemas/tickets.js';
import { zodField, zodReason } from './schemas/zod-fields.js';

export type { ValidationContext } from './schemas/common.js';

export type ValidationResult<R> = { ok: true; record: R } | { ok: false; rejections: RowRejection[] };

type Definitions = { [E in Entity]: EntityDefinition<RecordByEntity[E]> };

const DEFINITIONS: Definitions = {
  customers: customersDefinition,
  events: eventsDefinition,
  orders: ordersDefinition,
  tickets: ticketsDefinition,
  feedback: feedbackDefinition,
};

/** zod schemas of each entity's row, for documenting and checking the HTTP batch API. */
export const ENTITY_SCHEMAS = {
  customers: customersSchema,
  events: eventsSchema,
  orders: ordersSchema,
  tickets: ticketsSchema,
  feedback: feedbackSchema,
} as const;

/** Lookup tables built once per entity: a Map, so a column named `constructor` cannot hit the prototype. */
interface Compiled {
  columns: Map<string, ColumnSpec>;
  required: [string, ColumnSpec][];
}

const COMPILED = Object.fromEntries(
  Object.entries(DEFINITIONS).map(([entity, def]) => {
    const columns = new Map(Object.entries(def.columns));
    return [entity, { columns, required: [...columns].filter(([, spec]) => spec.required) }];
  }),
) as Record<Entity, Compiled>;

/** Turns one raw value into its typed value, `undefined` (absent) or an {@link Invalid}. */
type Coerce = (spec: ColumnSpec, raw: unknown) => unknown;

/** `properties.<name>` and `prop_<name>` columns name one property each. */
function propertyName(column: string): string | undefined {
  if (column.startsWith('properties.') && column.length > 11) return column.slice(11);
  if (column.startsWith('prop_') && column.length > 5) return column.slice(5);
  return undefined;
}

function run<E extends Entity>(
  entity: E,
  values: Record<string, unknown>,
  ctx: ValidationContext,
  coerce: Coerce,
): ValidationResult<RecordByEntity[E]> {
  const def: EntityDefinition<RecordByEntity[E]> = DEFINITIONS[entity];
  const compiled = COMPILED[entity];
  const c: Columns = {};
  const issues: RowIssues = { line: ctx.line, list: undefined };
  let extra: Properties | undefined;
  for (const key in values) {
    const spec = compiled.columns.get(key);
    if (spec !== undefined) {
      const value = coerce(spec, values[key]);
      if (value === undefined) continue;
      if (value instanceof Invalid) reject(issues, key, value.reason);
      c[key] = value; // an Invalid stays as a marker: present, so not reported as missing too
    } else if (def.hasProperties) {
      const name = propertyName(key);
      const raw = values[key];
      if (name !== undefined && !isBlank(raw)) (extra ??= {})[name] = raw;
    }
  }
  for (const [column, spec] of compiled.required) {
    if (c[column] !== undefined) continue;
    const value = coerce(spec, undefined);
    if (value instanceof Invalid) reject(issues, column, value.reason);
  }
  let properties = c.properties instanceof Invalid ? undefined : (c.properties as Properties | undefined);
  if (extra !== undefined) {
    properties = properties === undefined ? extra : { ...properties, ...extra };
    // The columns' values may be objects in JSON input: the merged object is checked for depth too.
    const problem = propertiesProblem(properties);
    if (problem !== undefined) reject(issues, 'properties', `${problem} (with the properties.* columns)`);
  }
  const record = def.assemble(c, properties, ctx, issues);
  if (issues.list !== undefined) return { ok: false, rejections: issues.list };
  def.finish?.(record);
  return { ok: true, record };
}

/**
 * Validates one row of `entity` and maps it to its record. `values` are column → value, either CSV strings or
 * JSON values (numbers, arrays, objects where the column allows them); empty strings and null mean absent.
 * Every problem in the row is reported, each as a {@link RowRejection} on `ctx.line`.
 */
export function validateRecord<E extends Entity>(
  entity: E,
  values: Record<string, unknown>,
  ctx: ValidationContext,
): ValidationResult<RecordByEntity[E]> {
  return run(entity, values, ctx, coerceField);
}

function zodCoerce(spec: ColumnSpec, raw: unknown): unknown {
  const result = zodField(spec).safeParse(raw);
  return result.success ? result.data : new Invalid(zodReason(spec, result.error.issues, raw));
}

/**
 * Same contract as {@link validateRecord}, with every column checked by its zod schema instead of the hand-written
 * coercion: the reference the fast path is tested against. About 3× slower; prefer `validateRecord`.
 */
export function validateRecordWithZod<E extends Entity>(
  entity: E,
  values: Record<string, unknown>,
  ctx: ValidationContext,
): ValidationResult<RecordByEntity[E]> {
  return run(entity, values, ctx, zodCoerce);
}

/** The columns `entity` accepts (aliases included), in documentation order. */
export function knownColumns(entity: Entity): string[] {
  return Object.keys(DEFINITIONS[entity].columns);
}

/**
 * Header names that `entity` does not use (blank names from e.g. a trailing delimiter are not reported).
 * Validation ignores such columns; report them once per file, and treat them as errors in strict mode.
 */
export function unknownColumns(entity: Entity, header: readonly string[]): string[] {
  const { columns } = COMPILED[entity];
  const { hasProperties } = DEFINITIONS[entity];
  return header.filter(
    (name) => name.trim() !== '' && !columns.has(name) && !(hasProperties && propertyName(name) !== undefined),
  );
}

/**
 * The columns a CSV header lacks that every row needs (a required column, or any of a group such as an
 * identifier): each as its name, or its group's names (`a, b or c`). Empty when the header has what rows need.
 */
export function missingColumns(entity: Entity, header: readonly string[]): string[] {
  const present = new Set(header);
  const groups = [...COMPILED[entity].required.map(([column]) => [column]), ...(DEFINITIONS[entity].headerNeeds ?? [])];
  const alternatives = (group: readonly string[]) =>
    group.length === 1 ? group[0]! : `${group.slice(0, -1).join(', ')} or ${group.at(-1)!}`;
  return groups.filter((group) => !group.some((column) => present.has(column))).map(alternatives);
}

/** Refuses a file whose header lacks a column every row needs, naming what is missing (see {@link missingColumns}). */
export function checkHeaderColumns(entity: Entity, header: readonly string[]): void {
  const missing = missingColumns(entity, header);
  if (missing.length === 0) return;
  throw new ImportInputError(
    `the header lacks columns every ${entity} row needs: ${missing.join('; ')}. Nothing was imported (columns found: ${header.join(', ')})`,
  );
}

/** {@link unknownColumns} as rejections on line 1 (the header), ready for an import report. */
export function unknownColumnRejections(entity: Entity, header: readonly string[]): RowRejection[] {
  const unknown = unknownColumns(entity, header);
  if (unknown.length === 0) return [];
  const expected = knownColumns(entity).join(', ');
  const extra = DEFINITIONS[entity].hasProperties ? ', or properties.<name> / prop_<name>' : '';
  return unknown.map((field) => ({
    line: 1,
    field,
    reason: `unknown column, ignored; expected one of ${expected}${extra}`,
  }));
}
