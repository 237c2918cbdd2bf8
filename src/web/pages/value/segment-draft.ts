// The segment editor's form state and its translation to and from the API's rule JSON (src/core/value/rules.ts).
// The form edits a flat list of comparisons joined by "all" or "any"; nested rules saved through the API are
// shown read-only (their text) and replaced only if the user edits them here.
import { FEATURE_FIELDS, type FeatureField } from '../../../core/value/features';

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
export const OPS: readonly Op[] = ['>=', '>', '<=', '<', '=', '!=', 'in'];

export interface ConditionDraft {
  field: FeatureField;
  op: Op;
  /** As typed: numbers and booleans are converted on save, `in` splits on commas. */
  value: string;
}

export interface SegmentDraft {
  /** null for a new segment. */
  id: string | null;
  name: string;
  description: string;
  mode: 'all' | 'any';
  conditions: ConditionDraft[];
}

export const FIELD_OPTIONS = (Object.keys(FEATURE_FIELDS) as FeatureField[]).map((field) => ({ field, label: FEATURE_FIELDS[field].label, type: FEATURE_FIELDS[field].type }));

export function emptySegmentDraft(): SegmentDraft {
  return { id: null, name: '', description: '', mode: 'all', conditions: [{ field: 'clvPercentile', op: '>=', value: '80' }] };
}

type Json = { field?: unknown; op?: unknown; value?: unknown; all?: unknown; any?: unknown };

/** A saved rule as a draft, or null when it nests deeper than one all/any level (edit it through the API). */
export function draftFromRule(id: string, name: string, description: string | null, rule: unknown): SegmentDraft | null {
  const r = rule as Json;
  const mode = Array.isArray(r.all) ? 'all' : Array.isArray(r.any) ? 'any' : null;
  const items = (mode ? (r[mode] as Json[]) : [r]) ?? [];
  const conditions: ConditionDraft[] = [];
  for (const c of items) {
    if (typeof c.field !== 'string' || !(c.field in FEATURE_FIELDS) || typeof c.op !== 'string') return null;
    conditions.push({ field: c.field as FeatureField, op: c.op as Op, value: Array.isArray(c.value) ? c.value.join(', ') : String(c.value) });
  }
  return { id, name, description: description ?? '', mode: mode ?? 'all', conditions };
}

function typed(field: FeatureField, text: string): number | string | boolean {
  const t = text.trim();
  const type = FEATURE_FIELDS[field].type;
  if (type === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
  if (type === 'number' && t !== '' && Number.isFinite(Number(t))) return Number(t);
  // Anything else goes as typed: the API says what is wrong with it, next to the field.
  return t;
}

/** The request body for POST/PUT /value/segments. */
export function segmentBody(d: SegmentDraft): { name: string; description?: string; rule: unknown } {
  const comparisons = d.conditions.map((c) => ({
    field: c.field,
    op: c.op,
    value: c.op === 'in' ? c.value.split(',').map((v) => typed(c.field, v)).filter((v) => v !== '') : typed(c.field, c.value),
  }));
  return { name: d.name.trim(), ...(d.description.trim() ? { description: d.description.trim() } : {}), rule: { [d.mode]: comparisons } };
}

export interface FieldError {
  field: string;
  reason: string;
}

/** problem+json `errors` ([{ field: "body.rule.all.0.value", reason }]) with the `body.` prefix removed. */
export function problemFieldErrors(errors: unknown): FieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) => {
    const { field, reason } = (e ?? {}) as { field?: unknown; reason?: unknown };
    return typeof field === 'string' && typeof reason === 'string' ? [{ field: field.replace(/^body\.?/, '') || 'rule', reason }] : [];
  });
}

/**
 * Where an error belongs in the form: `name`, `description`, `condition:<i>` or `rule` (anything else about the
 * rule, e.g. a union that matched no shape).
 */
export function errorSlot(e: FieldError, mode: 'all' | 'any'): string {
  if (e.field === 'name' || e.field === 'description') return e.field;
  const m = new RegExp(`^rule\\.${mode}\\.(\\d+)`).exec(e.field);
  if (m) return `condition:${m[1]}`;
  return 'rule';
}
