/**
 * Funnels over a designed journey's ordered steps. Two counts per step, because on real logs they differ a lot
 * when steps happen in varying order:
 * - reached: cases with an event matching the step anywhere (any order, any time);
 * - reached in order: cases that matched steps 1..k one after another, each within the conversion window counted
 *   from the case's step-1 event.
 * Plus the time between consecutive steps (in-order cases) and, for cases that stopped after step k, what they did
 * next: the activity right after their step-k event, or "(end)" when the case ended there.
 */
import { NONE, type EventLog } from './event-log.js';
import { summariseInPlace, type DurationSummary } from './stats.js';

/** One event as a step predicate sees it. */
export interface EventView {
  activity: string;
  time: number;
  resource: string | undefined;
  channel: string | undefined;
  attributes: Readonly<Record<string, string>> | undefined;
}

export interface FunnelStep {
  name: string;
  /** Matches when the event's activity is one of these (fast path; combined with `where` by AND when both given). */
  activities?: readonly string[] | undefined;
  where?: ((event: EventView) => boolean) | undefined;
}

export interface FunnelOptions {
  /** Longest time from the step-1 event to a later step for it to count, in ms. @default Infinity */
  windowMs?: number | undefined;
  /** How many next activities to list after each drop-off. @default 5 */
  topPaths?: number | undefined;
  /**
   * Step matches computed elsewhere (the store, from the rules in SQL): per step, a flag per event of `log`.
   * Then `log` may hold only the events that match some step, with `after` naming what followed each.
   */
  matches?: readonly Uint8Array[] | undefined;
  /** What the case did right after event e: the next event's activity or {@link END_OF_CASE}. Default: read from `log`. */
  after?: ((e: number) => string) | undefined;
}

export interface FunnelStepResult {
  step: string;
  reached: number;
  reachedInOrder: number;
  /** reachedInOrder / reachedInOrder of the previous step (1 for the first step, NaN when the previous is 0). */
  conversion: number;
  /** Time from the previous step's event to this one, in seconds (in-order cases). */
  timeFromPrevious: DurationSummary | undefined;
  /** Cases that reached this step in order but not the next one. */
  droppedAfter: number;
  /** What those cases did next, most frequent first. */
  pathsAfterDrop: { activity: string; count: number }[];
}

export const END_OF_CASE = '(end)';

/** Per step, a per-event match flag (activity ids resolved once, predicates evaluated once per event). */
function matchMatrix(log: EventLog, steps: readonly FunnelStep[]): Uint8Array[] {
  return steps.map((step) => {
    const byActivity = step.activities ? new Set(step.activities) : undefined;
    const activityOk = log.activityNames.map((a) => (byActivity ? byActivity.has(a) : true));
    const out = new Uint8Array(log.activity.length);
    for (let e = 0; e < out.length; e++) {
      if (!activityOk[log.activity[e]!]) continue;
      if (step.where) {
        const r = log.resource?.[e] ?? NONE;
        const ch = log.channel?.[e] ?? NONE;
        const view: EventView = {
          activity: log.activityNames[log.activity[e]!]!,
          time: log.time[e]!,
          resource: r === NONE ? undefined : log.resourceNames?.[r],
          channel: ch === NONE ? undefined : log.channelNames?.[ch],
          attributes: log.attributes?.[e],
        };
        if (!step.where(view)) continue;
      }
      out[e] = 1;
    }
    return out;
  });
}

/**
 * Computes the funnel. For each case every step-1 event is tried as a start and the attempt that gets furthest
 * (earliest on ties) is kept, so a late restart that completes the journey is not hidden by an early abandoned one.
 */
export function funnel(log: EventLog, steps: readonly FunnelStep[], opts: FunnelOptions = {}): FunnelStepResult[] {
  const k = steps.length;
  const windowMs = opts.windowMs ?? Infinity;
  const match = opts.matches ?? matchMatrix(log, steps);
  const reached = new Array<number>(k).fill(0);
  const inOrder = new Array<number>(k).fill(0);
  const gaps: number[][] = steps.map(() => []);
  const next = steps.map(() => new Map<string, number>());
  const positions = new Array<number>(k);
  for (let c = 0; c < log.caseIds.length; c++) {
    const from = log.caseStart[c]!;
    const to = log.caseStart[c + 1]!;
    for (let s = 0; s < k; s++) {
      for (let e = from; e < to; e++) {
        if (match[s]![e]) {
          reached[s]!++;
          break;
        }
      }
    }
    let best = 0;
    let bestPositions: number[] = [];
    for (let start = from; start < to && best < k; start++) {
      if (!match[0]![start]) continue;
      positions[0] = start;
      let depth = 1;
      let e = start + 1;
      while (depth < k && e < to) {
        if (log.time[e]! - log.time[start]! > windowMs) break;
        if (match[depth]![e]) positions[depth++] = e;
        e++;
      }
      if (depth > best) {
        best = depth;
        bestPositions = positions.slice(0, depth);
      }
    }
    for (let s = 0; s < best; s++) {
      inOrder[s]!++;
      if (s > 0) gaps[s]!.push((log.time[bestPositions[s]!]! - log.time[bestPositions[s - 1]!]!) / 1000);
    }
    if (best > 0 && best < k) {
      const last = bestPositions[best - 1]!;
      const after = opts.after ? opts.after(last) : last + 1 < to ? log.activityNames[log.activity[last + 1]!]! : END_OF_CASE;
      const m = next[best - 1]!;
      m.set(after, (m.get(after) ?? 0) + 1);
    }
  }
  return steps.map((step, s) => ({
    step: step.name,
    reached: reached[s]!,
    reachedInOrder: inOrder[s]!,
    conversion: s === 0 ? 1 : inOrder[s - 1]! === 0 ? NaN : inOrder[s]! / inOrder[s - 1]!,
    timeFromPrevious: s === 0 ? undefined : summariseInPlace(Float64Array.from(gaps[s]!.filter((g) => !Number.isNaN(g)))),
    droppedAfter: s < k - 1 ? inOrder[s]! - inOrder[s + 1]! : 0,
    pathsAfterDrop: [...next[s]!.entries()]
      .map(([activity, count]) => ({ activity, count }))
      .sort((a, b) => b.count - a.count || a.activity.localeCompare(b.activity))
      .slice(0, opts.topPaths ?? 5),
  }));
}
