/**
 * A small, explainable condition language over {@link CustomerFeatures}, shared by saved segments and
 * next-best-action rules. Conditions are JSON a user can read and edit:
 *
 *   { "all": [ { "field": "clvPercentile", "op": ">=", "value": 80 }, { "field": "serviceFailure", "op": "=", "value": true } ] }
 *
 * `all` / `any` / `not` combine comparisons. A comparison against a missing value (e.g. no NPS response) is
 * false, so "latestNps < 7" never matches a customer who never answered.
 */
import { z } from 'zod';
import { FEATURE_FIELDS, FEATURE_FIELD_NAMES, type CustomerFeatures, type FeatureField } from './features.js';

export const COMPARISONS = ['=', '!=', '<', '<=', '>', '>=', 'in'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: FeatureField; op: Comparison; value: number | string | boolean | (number | string)[] };

const comparisonSchema = z
  .object({
    field: z.enum(FEATURE_FIELD_NAMES as [FeatureField, ...FeatureField[]]),
    op: z.enum(COMPARISONS),
    value: z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.union([z.number(), z.string().max(200)])).max(100)]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const type = FEATURE_FIELDS[c.field].type;
    const values = Array.isArray(c.value) ? c.value : [c.value];
    if (c.op === 'in' !== Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: `'in' takes a list and only 'in' does (field ${c.field})` });
    if (type === 'boolean' && !['=', '!='].includes(c.op)) ctx.addIssue({ code: 'custom', message: `${c.field} is true/false: use = or !=` });
    if (type === 'string' && ['<', '<=', '>', '>='].includes(c.op)) ctx.addIssue({ code: 'custom', message: `${c.field} is text: use =, != or in` });
    if (!values.every((v) => typeof v === type)) ctx.addIssue({ code: 'custom', message: `${c.field} compares with a ${type}` });
  });

// Named: a recursive schema is documented once, as an OpenAPI component, and referred to by that name.
export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(conditionSchema).min(1).max(50) }).strict(),
      z.object({ any: z.array(conditionSchema).min(1).max(50) }).strict(),
      z.object({ not: conditionSchema }).strict(),
      comparisonSchema,
    ]),
  )
  .meta({ id: 'Condition' });

function compare(actual: unknown, op: Comparison, value: unknown): boolean {
  if (actual === null || actual === undefined || (typeof actual === 'number' && Number.isNaN(actual))) return false;
  switch (op) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case '<':
      return (actual as number) < (value as number);
    case '<=':
      return (actual as number) <= (value as number);
    case '>':
      return (actual as number) > (value as number);
    case '>=':
      return (actual as number) >= (value as number);
    case 'in':
      return (value as unknown[]).includes(actual);
  }
}

/** Whether the customer matches the condition. */
export function matches(condition: Condition, f: CustomerFeatures): boolean {
  if ('all' in condition) return condition.all.every((c) => matches(c, f));
  if ('any' in condition) return condition.any.some((c) => matches(c, f));
  if ('not' in condition) return !matches(condition.not, f);
  return compare(f[condition.field], condition.op, condition.value);
}

const OP_WORDS: Record<Comparison, string> = { '=': 'is', '!=': 'is not', '<': '<', '<=': '≤', '>': '>', '>=': '≥', in: 'is one of' };

/** Plain-language rendering, e.g. "CLV percentile ≥ 80 and recent service failure". */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map((x) => wrap(x, describeCondition(x))).join(' and ');
  if ('any' in c) return c.any.map((x) => wrap(x, describeCondition(x))).join(' or ');
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  const label = FEATURE_FIELDS[c.field].label;
  if (typeof c.value === 'boolean' && c.op === '=') return c.value ? label : `no ${label}`;
  if (typeof c.value === 'boolean') return c.value ? `no ${label}` : label;
  return `${label} ${OP_WORDS[c.op]} ${Array.isArray(c.value) ? c.value.join(', ') : String(c.value)}`;
}

const wrap = (c: Condition, text: string) => ('all' in c || 'any' in c ? `(${text})` : text);

/** Formats a feature value for an explanation: money without decimals, probabilities as percentages. */
export function formatFeature(field: FeatureField, value: unknown, currency: string | null): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'number') return JSON.stringify(value);
  if (field === 'clv' || field === 'meanSpend' || field === 'totalSpend') return `${currency ? `${currency} ` : ''}${Math.round(value).toLocaleString('en-GB')}`;
  if (field === 'pAlive' || field === 'pAliveBefore') return `${Math.round(value * 100)} %`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(2);
}

/** Fills `{field}` placeholders of an explanation template with the customer's values. */
export function fillTemplate(template: string, f: CustomerFeatures, currency: string | null): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) =>
    name in FEATURE_FIELDS ? formatFeature(name as FeatureField, f[name as FeatureField], currency) : whole,
  );
}
