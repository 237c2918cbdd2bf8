/**
 * Designed journeys: how the company means a customer to be handled, step by step, each step with a rule that
 * recognises it in the events, an accountable owner, a success measure and a target time to the next step.
 * The JSON form is validated here (zod) so the API, the CLI and the demo seed share one definition; the
 * functions below turn a definition into funnel steps, a "journey view" of a log (only the events that are
 * steps, renamed to the step) and a sequence model for conformance when the journey brings none.
 */
import { z } from 'zod';
import { NONE, type EventLog } from './event-log.js';
import type { EventView, FunnelStep } from './funnel.js';
import { activityNode, operatorNode, parseTreeJson, type ProcessTree } from './process-tree.js';

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A rule on events; every given field must match (AND); a list means any of its values. */
export const stepMatchSchema = z
  .object({
    type: oneOrMany.optional(),
    channel: oneOrMany.optional(),
    touchpoint: oneOrMany.optional(),
    team: oneOrMany.optional(),
    /** Event `properties` that must equal these values (compared as text). */
    properties: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string()).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'a step needs at least one matching rule' });

export const durationSchema = z.object({ value: z.number().positive(), unit: z.enum(['seconds', 'hours', 'days']) });

export const designedStepSchema = z.object({
  name: z.string().min(1).max(100),
  match: stepMatchSchema,
  owner: z.object({ kind: z.enum(['person', 'team']), name: z.string().min(1).max(100) }),
  success_measure: z.string().min(1).max(300),
  /** Time the step should take to lead to the next one; absent on the last step or where nobody promises one. */
  target_to_next: durationSchema.optional(),
});

/** Case notion: a customer's events cut at pauses longer than the gap, or one case per entity id property. */
export const caseNotionSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('customer'), gap_days: z.number().positive().max(3650).default(30) }),
  z.object({ by: z.literal('property'), property: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/) }),
]);

export const designedJourneySchema = z
  .object({
    name: z.string().min(1).max(200),
    owner: z.string().min(1).max(100),
    revenue_objective: z.object({ description: z.string().min(1).max(300), amount: z.number().nonnegative().optional(), currency: z.string().length(3).optional() }),
    case: caseNotionSchema.default({ by: 'customer', gap_days: 30 }),
    /** Longest time from the first step to a later one for it to count in the funnel. @default 30 days */
    window_days: z.number().positive().max(3650).default(30),
    steps: z.array(designedStepSchema).min(2).max(30),
    /** Process tree over the step names (JSON form of process-tree.ts) for conformance; default: the steps in sequence. */
    model: z.unknown().optional(),
  })
  .superRefine((j, ctx) => {
    const names = new Set<string>();
    for (const [i, s] of j.steps.entries()) {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'name'], message: `duplicate step name '${s.name}'` });
      names.add(s.name);
    }
    if (j.model !== undefined) {
      try {
        parseTreeJson(j.model, 'model');
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['model'], message: (e as Error).message });
      }
    }
  });

export type DesignedJourney = z.infer<typeof designedJourneySchema>;
export type DesignedStep = z.infer<typeof designedStepSchema>;
export type CaseNotion = z.infer<typeof caseNotionSchema>;

const UNIT_S = { seconds: 1, hours: 3600, days: 86_400 } as const;

/** A target duration in seconds. */
export const durationSeconds = (d: { value: number; unit: keyof typeof UNIT_S }): number => d.value * UNIT_S[d.unit];

const asList = (v: string | string[] | undefined): readonly string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/** The event attributes (other than the activity, team and channel columns) the journey's rules read. */
export function attributesNeeded(journey: DesignedJourney): string[] {
  const out = new Set<string>();
  for (const s of journey.steps) {
    if (s.match.touchpoint !== undefined) out.add('touchpoint');
    if (s.match.type !== undefined) out.add('type');
    for (const k of Object.keys(s.match.properties ?? {})) out.add(k);
  }
  return [...out];
}

/**
 * Turns a step's rule into a predicate on an event. The log's activity is the event type or touchpoint
 * (whichever the store was asked for); both also come as attributes `type`/`touchpoint` when the rule needs them.
 */
export function stepPredicate(step: DesignedStep): (e: EventView) => boolean {
  const m = step.match;
  const types = asList(m.type);
  const channels = asList(m.channel);
  const touchpoints = asList(m.touchpoint);
  const teams = asList(m.team);
  const props = Object.entries(m.properties ?? {});
  return (e) => {
    const a = e.attributes;
    if (types && !types.includes(a?.type ?? e.activity)) return false;
    if (touchpoints && !touchpoints.includes(a?.touchpoint ?? '')) return false;
    if (channels && !channels.includes(e.channel ?? '')) return false;
    if (teams && !teams.includes(e.resource ?? '')) return false;
    for (const [k, v] of props) if (a?.[k] !== v) return false;
    return true;
  };
}

/** Funnel steps for core `funnel()`. */
export const funnelSteps = (journey: DesignedJourney): FunnelStep[] => journey.steps.map((s) => ({ name: s.name, where: stepPredicate(s) }));

function viewOf(log: EventLog, e: number): EventView {
  const r = log.resource?.[e] ?? NONE;
  const ch = log.channel?.[e] ?? NONE;
  return {
    activity: log.activityNames[log.activity[e]!]!,
    time: log.time[e]!,
    resource: r === NONE ? undefined : log.resourceNames?.[r],
    channel: ch === NONE ? undefined : log.channelNames?.[ch],
    attributes: log.attributes?.[e],
  };
}

/**
 * The journey as it actually ran: only events that match a step (the first step whose rule matches), renamed
 * to the step's name, keeping time, team and channel and the case attributes. Cases without any step are
 * dropped, so discovery, conformance and friction on the view speak the designed journey's vocabulary.
 * Activity ids equal step indices.
 */
export function journeyView(log: EventLog, journey: DesignedJourney): EventLog {
  const preds = journey.steps.map(stepPredicate);
  const n = log.activity.length;
  const stepOf = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let e = 0; e < n; e++) {
    const v = viewOf(log, e);
    const s = preds.findIndex((p) => p(v));
    if (s >= 0) {
      stepOf[e] = s;
      kept++;
    }
  }
  const activity = new Uint32Array(kept);
  const time = new Float64Array(kept);
  const resource = log.resource ? new Int32Array(kept) : undefined;
  const channel = log.channel ? new Int32Array(kept) : undefined;
  const caseIds: string[] = [];
  const caseAttributes: (Readonly<Record<string, string>> | undefined)[] = [];
  const caseProfile: number[] = [];
  const starts: number[] = [0];
  let j = 0;
  for (let c = 0; c < log.caseIds.length; c++) {
    const before = j;
    for (let e = log.caseStart[c]!; e < log.caseStart[c + 1]!; e++) {
      if (stepOf[e]! < 0) continue;
      activity[j] = stepOf[e]!;
      time[j] = log.time[e]!;
      if (resource) resource[j] = log.resource![e]!;
      if (channel) channel[j] = log.channel![e]!;
      j++;
    }
    if (j > before) {
      caseIds.push(log.caseIds[c]!);
      caseAttributes.push(log.caseAttributes?.[c]);
      caseProfile.push(log.caseProfile?.[c] ?? NaN);
      starts.push(j);
    }
  }
  return {
    caseIds,
    caseStart: Uint32Array.from(starts),
    activity,
    activityNames: journey.steps.map((s) => s.name),
    time,
    resource,
    resourceNames: log.resourceNames,
    channel,
    channelNames: log.channelNames,
    caseAttributes: log.caseAttributes ? caseAttributes : undefined,
    caseProfile: log.caseProfile ? Float64Array.from(caseProfile) : undefined,
  };
}

/** The journey's conformance model: its own process tree, or its steps in sequence. */
export function journeyModel(journey: DesignedJourney): { tree: ProcessTree; derived: boolean } {
  if (journey.model !== undefined) return { tree: parseTreeJson(journey.model, 'model'), derived: false };
  return { tree: operatorNode('->', journey.steps.map((s) => activityNode(s.name))), derived: true };
}
