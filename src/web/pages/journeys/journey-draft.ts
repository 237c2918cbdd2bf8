// The designed-journey editor's form state and its conversion to and from the API's JSON (docs/journeys.md,
// "Designed journeys"). Inputs stay text while editing; the API validates the result and its problem+json
// `errors` (field paths like `body.steps.1.match`) are shown next to the fields they name.

export type Unit = 'seconds' | 'hours' | 'days';

export interface StepDraft {
  /** Stable React key while steps are added, removed and moved. */
  key: number;
  name: string;
  type: string;
  channel: string;
  touchpoint: string;
  team: string;
  /** One `key=value` per line. */
  properties: string;
  ownerKind: 'team' | 'person';
  ownerName: string;
  successMeasure: string;
  targetValue: string;
  targetUnit: Unit;
}

export interface JourneyDraft {
  id: string;
  name: string;
  owner: string;
  objective: string;
  amount: string;
  currency: string;
  caseBy: 'customer' | 'property';
  gapDays: string;
  caseProperty: string;
  windowDays: string;
  steps: StepDraft[];
  /** A process model given elsewhere (API or file): kept as it is, the editor does not change it. */
  model?: unknown;
}

/** What the API stores and returns for a designed journey (the editor reads every field it edits). */
export interface JourneyJson {
  name: string;
  owner: string;
  revenue_objective: { description: string; amount?: number; currency?: string };
  case?: { by: 'customer'; gap_days?: number } | { by: 'property'; property: string };
  window_days?: number;
  steps: {
    name: string;
    match: {
      type?: string | string[];
      channel?: string | string[];
      touchpoint?: string | string[];
      team?: string | string[];
      properties?: Record<string, string>;
    };
    owner: { kind: 'team' | 'person'; name: string };
    success_measure: string;
    target_to_next?: { value: number; unit: Unit };
  }[];
  model?: unknown;
}

export interface FieldError {
  field: string;
  reason: string;
}

let nextKey = 1;

export function emptyStep(): StepDraft {
  return {
    key: nextKey++,
    name: '',
    type: '',
    channel: '',
    touchpoint: '',
    team: '',
    properties: '',
    ownerKind: 'team',
    ownerName: '',
    successMeasure: '',
    targetValue: '',
    targetUnit: 'hours',
  };
}

export function emptyDraft(): JourneyDraft {
  return {
    id: '',
    name: '',
    owner: '',
    objective: '',
    amount: '',
    currency: '',
    caseBy: 'property',
    gapDays: '30',
    caseProperty: 'order_id',
    windowDays: '30',
    steps: [emptyStep(), emptyStep()],
  };
}

/** A journey id from its name: lower-case slug, as the API requires (`^[a-z0-9][a-z0-9_-]{0,62}$`). */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

const listText = (v: string | string[] | undefined) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v);

/** "a, b" → ["a", "b"]; "a" → "a"; "" → undefined. */
export function parseList(text: string): string | string[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
}

/** Text field → number; empty → undefined; anything else is sent as typed so the API names the field. */
function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function parseProperties(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at < 0) out[line.trim()] = '';
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

export function draftFromJourney(id: string, j: JourneyJson): JourneyDraft {
  return {
    id,
    name: j.name,
    owner: j.owner,
    objective: j.revenue_objective.description,
    amount: j.revenue_objective.amount === undefined ? '' : String(j.revenue_objective.amount),
    currency: j.revenue_objective.currency ?? '',
    caseBy: j.case?.by ?? 'customer',
    gapDays: j.case?.by === 'customer' && j.case.gap_days !== undefined ? String(j.case.gap_days) : '30',
    caseProperty: j.case?.by === 'property' ? j.case.property : '',
    windowDays: String(j.window_days ?? 30),
    steps: j.steps.map((s) => ({
      key: nextKey++,
      name: s.name,
      type: listText(s.match.type),
      channel: listText(s.match.channel),
      touchpoint: listText(s.match.touchpoint),
      team: listText(s.match.team),
      properties: Object.entries(s.match.properties ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
      ownerKind: s.owner.kind,
      ownerName: s.owner.name,
      successMeasure: s.success_measure,
      targetValue: s.target_to_next ? String(s.target_to_next.value) : '',
      targetUnit: s.target_to_next?.unit ?? 'hours',
    })),
    ...(j.model !== undefined ? { model: j.model } : {}),
  };
}

/** The PUT body. Empty optional fields are left out; the API checks the rest. */
export function journeyFromDraft(d: JourneyDraft): Record<string, unknown> {
  const amount = numberOrText(d.amount);
  return {
    name: d.name.trim(),
    owner: d.owner.trim(),
    revenue_objective: {
      description: d.objective.trim(),
      ...(amount !== undefined ? { amount } : {}),
      ...(d.currency.trim() ? { currency: d.currency.trim().toUpperCase() } : {}),
    },
    case:
      d.caseBy === 'customer'
        ? { by: 'customer', gap_days: numberOrText(d.gapDays) ?? 30 }
        : { by: 'property', property: d.caseProperty.trim() },
    window_days: numberOrText(d.windowDays) ?? 30,
    steps: d.steps.map((s) => {
      const target = numberOrText(s.targetValue);
      const match = {
        type: parseList(s.type),
        channel: parseList(s.channel),
        touchpoint: parseList(s.touchpoint),
        team: parseList(s.team),
        properties: parseProperties(s.properties),
      };
      return {
        name: s.name.trim(),
        match: Object.fromEntries(Object.entries(match).filter(([, v]) => v !== undefined)),
        owner: { kind: s.ownerKind, name: s.ownerName.trim() },
        success_measure: s.successMeasure.trim(),
        ...(target !== undefined ? { target_to_next: { value: target, unit: s.targetUnit } } : {}),
      };
    }),
    ...(d.model !== undefined ? { model: d.model } : {}),
  };
}

/** Field errors from problem+json, paths without the `body.` prefix (the service's own checks have none). */
export function fieldErrors(errors: unknown): FieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { field, reason } = e as { field?: unknown; reason?: unknown };
    return typeof field === 'string' && typeof reason === 'string'
      ? [{ field: field.replace(/^body\.?/, '') || '(root)', reason }]
      : [];
  });
}

/** Reasons for `path` and anything below it (`steps.1` also collects `steps.1.match`). */
export function errorsAt(errors: readonly FieldError[], path: string): string[] {
  return errors.filter((e) => e.field === path || e.field.startsWith(`${path}.`)).map((e) => e.reason);
}

/** Moves item `from` to `to` (both in range), returning a new array. */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x!);
  return out;
}
