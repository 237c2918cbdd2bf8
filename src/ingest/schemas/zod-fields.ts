/**
 * The column rules of `fields.ts` as zod v4 schemas. They document the HTTP batch API (`z.toJSONSchema(schema,
 * { io: 'input' })`) and are the reference implementation the hand-written hot path is tested against: zod alone
 * validates about 300k event rows/s on a 2-core machine, short of the 500k/s import target.
 *
 * Every schema accepts CSV strings and JSON values alike (coercion), treats blank values as absent, and its issues
 * map back to the same human reasons the hot path gives (see {@link zodReason}).
 */
import { isCurrencyCode } from '../../core/currencies.js';
import { z } from 'zod';
import {
  DECIMAL_NUMBER,
  LIMITS,
  isBlank,
  isPlainObject,
  nestedDeeperThan,
  propertiesProblem,
  reasons,
  type ColumnSpec,
} from '../fields.js';
import type { Properties } from '../../core/records.js';
import { parseTimestamp } from '../timestamps.js';

type Issue = z.core.$ZodIssue;

const blankToUndefined = (value: unknown): unknown => (isBlank(value) ? undefined : value);

function text(max: number, trim: boolean, exactNumbers = false) {
  return z
    .union([z.string(), exactNumbers ? z.int() : z.number()])
    .transform((v) => (trim ? String(v).trim() : String(v)))
    .pipe(z.string().max(max));
}

const decimal = () => z.union([z.number(), z.string().trim().regex(DECIMAL_NUMBER).transform(Number)]).pipe(z.number());

function timestamp(zeroIsAbsent: boolean) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const t = parseTimestamp(value);
    if (t.ok && t.ms !== 0) return { ms: t.ms, utcOffsetMin: t.utcOffsetMin };
    if (t.ok && zeroIsAbsent) return undefined;
    ctx.issues.push({ code: 'custom', message: t.ok ? reasons.zeroEpoch(value) : t.reason, input: value });
    return z.NEVER;
  });
}

function list() {
  const entries = z.array(z.union([z.string(), z.number(), z.null()]));
  return z
    .union([z.string().transform((s) => s.split(';')), entries])
    .transform((parts) => parts.filter((p) => !isBlank(p)).map((p) => String(p).trim()))
    .pipe(z.array(z.string().max(LIMITS.id)))
    .transform((items) => (items.length > 0 ? items : undefined));
}

function properties() {
  const fromJsonText = z
    .string()
    .max(LIMITS.properties)
    .transform((s, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: reasons.badJson((err as Error).message), input: s });
        return z.NEVER;
      }
      // As the hot path: the text's length is its limit, so only the depth is left to check.
      const problem = !isPlainObject(parsed)
        ? reasons.notObject(parsed)
        : nestedDeeperThan(parsed, LIMITS.propertiesDepth)
          ? reasons.tooDeep(LIMITS.propertiesDepth)
          : undefined;
      if (problem === undefined) return parsed as Properties;
      ctx.issues.push({ code: 'custom', message: problem, input: s });
      return z.NEVER;
    });
  const object = z.record(z.string(), z.unknown()).transform((o, ctx) => {
    const problem = propertiesProblem(o);
    if (problem === undefined) return o;
    ctx.issues.push({ code: 'custom', message: problem, input: o });
    return z.NEVER;
  });
  return z.union([fromJsonText, object]);
}

function baseSchema(spec: ColumnSpec) {
  switch (spec.kind) {
    case 'id':
      return text(LIMITS.id, true, true);
    case 'text':
      return text(LIMITS.text, true);
    case 'longText':
      return text(LIMITS.longText, false);
    case 'number':
      return decimal();
    case 'integer': {
      const int = z.number().int().min(spec.min);
      return decimal().pipe(spec.max === undefined ? int : int.max(spec.max));
    }
    case 'enum':
      return z
        .string()
        .trim()
        .toLowerCase()
        .pipe(z.enum(spec.values as [string, ...string[]]));
    case 'timestamp':
      return timestamp(spec.zeroIsAbsent === true);
    case 'currency':
      return z
        .string()
        .trim()
        .refine(isCurrencyCode)
        .transform((s) => s.toUpperCase());
    case 'list':
      return list();
    case 'properties':
      return properties();
  }
}

const cache = new WeakMap<ColumnSpec, z.ZodType>();

/** The zod schema of one column: blank → absent, then the kind's coercion; absent fails only when required. */
export function zodField(spec: ColumnSpec): z.ZodType {
  let schema = cache.get(spec);
  if (schema === undefined) {
    // Enums are documented as plain strings (they are trimmed and lower-cased first), so list the values here.
    const doc = spec.kind === 'enum' ? `${spec.doc} One of: ${spec.values.join(', ')}.` : spec.doc;
    const base = baseSchema(spec).meta({ description: doc });
    schema = z.preprocess(blankToUndefined, spec.required ? base : base.optional());
    cache.set(spec, schema);
  }
  return schema;
}

/**
 * A whole entity's columns as one zod object, for API documentation and request validation. Loose: unknown
 * columns and `properties.<name>` / `prop_<name>` columns pass through. Cross-column rules (aliases, "at least
 * one identifier") are enforced by `validateRecord`, not expressible here.
 */
export function zodEntity(columns: Record<string, ColumnSpec>) {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(columns)) shape[name] = zodField(spec);
  return z.looseObject(shape);
}

/** The issue that says most about the failure, looking inside unions. */
function mostSpecific(issues: readonly Issue[]): Issue | undefined {
  const flat: Issue[] = [];
  const visit = (list: readonly Issue[]) => {
    for (const issue of list) {
      if (issue.code === 'invalid_union') for (const branch of issue.errors) visit(branch);
      else flat.push(issue);
    }
  };
  visit(issues);
  return (
    flat.find((i) => i.code === 'custom') ??
    flat.find((i) => i.code === 'too_big' || i.code === 'too_small') ??
    flat.find((i) => i.code === 'invalid_type' && i.expected === 'int') ??
    flat[0]
  );
}

/** Maps a column's zod issues to the same human reason the hot path gives for `raw`. */
export function zodReason(spec: ColumnSpec, issues: readonly Issue[], raw: unknown): string {
  if (isBlank(raw)) return 'required';
  // A currency's list check is a refinement (a custom issue): its reason is the column's, named after the raw value.
  if (spec.kind === 'currency') return reasons.currency(raw);
  const issue = mostSpecific(issues);
  if (issue?.code === 'custom') return issue.message;
  const tooBig = issue?.code === 'too_big';
  switch (spec.kind) {
    case 'id':
      // Numbers are taken only while exact (safe integers): the hot path calls any other number not a string.
      return typeof raw !== 'number' && tooBig ? reasons.tooLong(LIMITS.id) : reasons.notString(raw);
    case 'text':
      return tooBig ? reasons.tooLong(LIMITS.text) : reasons.notString(raw);
    case 'longText':
      return tooBig ? reasons.tooLong(LIMITS.longText) : reasons.notString(raw);
    case 'number':
      return reasons.notNumber(raw);
    case 'integer': {
      const notInteger =
        tooBig || issue?.code === 'too_small' || (issue?.code === 'invalid_type' && issue.expected === 'int');
      return notInteger ? reasons.integer(spec, raw) : reasons.notNumber(raw);
    }
    case 'enum':
      return reasons.oneOf(spec.values, raw);
    case 'timestamp':
      return reasons.timestampType(raw);
    case 'list':
      return tooBig ? reasons.listEntryTooLong(LIMITS.id) : reasons.list(raw);
    case 'properties':
      return tooBig ? reasons.tooLong(LIMITS.properties) : reasons.notObject(raw);
  }
}
