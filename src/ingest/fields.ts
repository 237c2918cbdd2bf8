/**
 * Column kinds and the hot-path coercion for each: one function that turns a CSV string or a JSON value into the
 * typed value, or says why it cannot. The zod schemas in `schemas/zod-fields.ts` state the same rules for the HTTP
 * API documentation; `test/ingest/equivalence.test.ts` checks both agree on the same inputs.
 */
import { isCurrencyCode } from '../core/currencies.js';
import type { Properties } from '../core/records.js';
import { parseTimestamp } from './timestamps.js';

/** Length limits, in UTF-16 code units (what `string.length` counts). */
export const LIMITS = {
  id: 256,
  text: 1_000,
  longText: 32_768,
  /** Serialised JSON of `properties`. */
  properties: 16 * 1024,
  /**
   * Levels of objects and arrays in `properties`, the outer object being 1. JSON.stringify recurses: a JSON line of
   * 60 KB nested 10,000 deep overflowed the stack and took the whole file (or HTTP batch) down with it.
   */
  propertiesDepth: 32,
} as const;

/** The rules of one column kind; `doc` describes the column in the API documentation. */
export type FieldSpec =
  | { kind: 'id' | 'text' | 'longText' | 'number' | 'timestamp' | 'currency' | 'list' | 'properties'; doc: string }
  | { kind: 'integer'; min: number; max?: number | undefined; doc: string }
  | { kind: 'enum'; values: readonly string[]; doc: string };

/** A column's rules as declared by an entity schema. `required` columns are rejected when absent or empty. */
export type ColumnSpec = FieldSpec & {
  required?: boolean | undefined;
  /** A timestamp column where the zero epoch (a placeholder) means "not given" rather than a bad row. */
  zeroIsAbsent?: boolean | undefined;
};

/** The parsed form of a `timestamp` column. */
export interface ParsedTimestamp {
  ms: number;
  utcOffsetMin: number;
}

/** Why a value was refused. A class (not a result object) so accepted values cost no allocation. */
export class Invalid {
  constructor(readonly reason: string) {}
}

/** Shared: returned for every absent required value. */
const REQUIRED = new Invalid('required');

/** Empty strings, whitespace and JSON null all mean "absent", so optional columns can be left blank. */
export function isBlank(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw !== 'string') return false;
  return raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim().length === 0);
}

/** A value as quoted in a reason: strings in quotes (shortened), other JSON values by kind. */
export function describe(raw: unknown): string {
  if (typeof raw === 'string') return `'${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}'`;
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw);
  if (Array.isArray(raw)) return 'an array';
  return raw === undefined ? 'nothing' : `an ${typeof raw}`;
}

/** Numbers in text: plain decimals only (no hex, `Infinity` or thousands separators, which Number() accepts). */
export const DECIMAL_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The human reasons of rejections, shared by the hot path and the zod issue mapping so both say the same. */
export const reasons = {
  tooLong: (max: number) => `longer than ${max} characters`,
  tooDeep: (max: number) => `nested more than ${max} levels deep`,
  notString: (raw: unknown) => `must be a string, got ${describe(raw)}`,
  notNumber: (raw: unknown) => `must be a number, got ${describe(raw)}`,
  integer(spec: { min: number; max?: number | undefined }, raw: unknown): string {
    if (spec.max !== undefined) return `must be an integer from ${spec.min} to ${spec.max}, got ${describe(raw)}`;
    return spec.min === 0
      ? `must be a non-negative integer, got ${describe(raw)}`
      : `must be an integer of at least ${spec.min}, got ${describe(raw)}`;
  },
  oneOf: (values: readonly string[], raw: unknown) => `must be one of ${values.join(', ')}, got ${describe(raw)}`,
  timestampType: (raw: unknown) => `must be a timestamp string or epoch number, got ${describe(raw)}`,
  /** 1970-01-01T00:00:00Z is what an empty date field becomes in many exports: a placeholder, not a time. */
  zeroEpoch: (raw: unknown) => `${describe(raw)} is the zero epoch (1970-01-01T00:00:00Z), a placeholder rather than a time`,
  currency: (raw: unknown) => `must be a 3-letter ISO 4217 currency code, got ${describe(raw)}`,
  list: (raw: unknown) => `must be text separated by ';' or an array of strings, got ${describe(raw)}`,
  listEntryTooLong: (max: number) => `has an entry longer than ${max} characters`,
  notObject: (raw: unknown) => `must be a JSON object, got ${describe(raw)}`,
  badJson: (message: string) => `must be a JSON object, got invalid JSON (${message})`,
};

function toText(raw: unknown, max: number, trim: boolean): string | Invalid {
  let s: string;
  if (typeof raw === 'string') s = trim ? raw.trim() : raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
  else return new Invalid(reasons.notString(raw));
  return s.length > max ? new Invalid(reasons.tooLong(max)) : s;
}

function toNumber(raw: unknown): number | Invalid {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : new Invalid(reasons.notNumber(raw));
  if (typeof raw === 'string') {
    const s = raw.trim();
    if (DECIMAL_NUMBER.test(s)) {
      const n = Number(s);
      if (Number.isFinite(n)) return n;
    }
  }
  return new Invalid(reasons.notNumber(raw));
}

function toList(raw: unknown): string[] | undefined | Invalid {
  let parts: unknown[];
  if (typeof raw === 'string') parts = raw.split(';');
  else if (Array.isArray(raw)) parts = raw;
  else return new Invalid(reasons.list(raw));
  const list: string[] = [];
  for (const part of parts) {
    if (isBlank(part)) continue;
    const entry = typeof part === 'number' && Number.isFinite(part) ? String(part) : part;
    if (typeof entry !== 'string') return new Invalid(reasons.list(raw));
    const trimmed = entry.trim();
    if (trimmed.length > LIMITS.id) return new Invalid(reasons.listEntryTooLong(LIMITS.id));
    list.push(trimmed);
  }
  return list.length > 0 ? list : undefined;
}

/** True when `value` has objects or arrays more than `max` levels deep. Iterative: the check must not recurse. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, depth] = next;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** True when `text` holds at most `max` opening brackets ({ or [), so JSON parsed from it is at most `max` deep. */
function bracketsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n <= max; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n <= max; i = text.indexOf('[', i + 1)) n++;
  return n <= max;
}

/** Why a properties object is refused (too deep, or too long once serialised), or undefined when it is fine. */
export function propertiesProblem(properties: Properties): string | undefined {
  if (nestedDeeperThan(properties, LIMITS.propertiesDepth)) return reasons.tooDeep(LIMITS.propertiesDepth);
  return JSON.stringify(properties).length > LIMITS.properties ? reasons.tooLong(LIMITS.properties) : undefined;
}

/** `properties` as a JSON string (CSV) or object (JSON), limited by its depth and serialised size. */
function toProperties(raw: unknown): Properties | Invalid {
  if (typeof raw === 'string') {
    if (raw.length > LIMITS.properties) return new Invalid(reasons.tooLong(LIMITS.properties));
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      return new Invalid(reasons.badJson((err as Error).message));
    }
    if (!isPlainObject(parsed)) return new Invalid(reasons.notObject(parsed));
    // Its length is checked above; its depth only where it has enough brackets to be too deep (most rows have few).
    if (bracketsAtMost(raw, LIMITS.propertiesDepth)) return parsed;
    return nestedDeeperThan(parsed, LIMITS.propertiesDepth) ? new Invalid(reasons.tooDeep(LIMITS.propertiesDepth)) : parsed;
  }
  if (!isPlainObject(raw)) return new Invalid(reasons.notObject(raw));
  const problem = propertiesProblem(raw);
  return problem ? new Invalid(problem) : raw;
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Properties {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Coerces one column value. Returns `undefined` for an absent/blank optional value, {@link REQUIRED} for an absent
 * required one, an {@link Invalid} with a human reason, or the typed value (string, number, string[],
 * {@link ParsedTimestamp} or properties object, by kind).
 */
export function coerceField(spec: ColumnSpec, raw: unknown): unknown {
  if (isBlank(raw)) return spec.required ? REQUIRED : undefined;
  switch (spec.kind) {
    case 'id':
      // A JSON number is taken as an id only while it is exact: 12345678901234567890 would arrive changed.
      if (typeof raw === 'number' && !Number.isSafeInteger(raw)) return new Invalid(reasons.notString(raw));
      return toText(raw, LIMITS.id, true);
    case 'text':
      return toText(raw, LIMITS.text, true);
    case 'longText':
      return toText(raw, LIMITS.longText, false);
    case 'number':
      return toNumber(raw);
    case 'integer': {
      const n = toNumber(raw);
      if (n instanceof Invalid) return n;
      const ok = Number.isSafeInteger(n) && n >= spec.min && (spec.max === undefined || n <= spec.max);
      return ok ? n : new Invalid(reasons.integer(spec, raw));
    }
    case 'enum': {
      const s = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      return s !== undefined && spec.values.includes(s) ? s : new Invalid(reasons.oneOf(spec.values, raw));
    }
    case 'timestamp': {
      if (typeof raw !== 'string' && typeof raw !== 'number') return new Invalid(reasons.timestampType(raw));
      const t = parseTimestamp(raw);
      if (t.ok && t.ms === 0) return spec.zeroIsAbsent ? undefined : new Invalid(reasons.zeroEpoch(raw));
      return t.ok ? t : new Invalid(t.reason); // the result doubles as the ParsedTimestamp: no extra object
    }
    case 'currency': {
      const s = typeof raw === 'string' ? raw.trim() : undefined;
      return s !== undefined && isCurrencyCode(s) ? s.toUpperCase() : new Invalid(reasons.currency(raw));
    }
    case 'list':
      return toList(raw);
    case 'properties':
      return toProperties(raw);
  }
}
