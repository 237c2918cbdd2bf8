/**
 * Process discovery on a columnar {@link EventLog}: variants, the directly-follows graph (frequency and waiting
 * time per edge), start and end activities, case durations. Figures match PM4Py's on the same log: a variant is
 * the exact activity sequence of a case; an edge a→b counts every pair of consecutive events in a case; waits are
 * the differences of the two events' timestamps; a case lasts from its first to its last timestamp.
 *
 * Everything is a few linear passes over the typed arrays, and a {@link Discoverer} takes the log in parts (whole
 * cases, one activity numbering), so the store can stream tens of millions of events through it.
 */
import { DfgAccumulator, type DfgEdge } from './dfg.js';
import type { EventLog } from './event-log.js';
import { summariseInPlace, type DurationSummary } from './stats.js';
import { VariantCounter } from './variants.js';

export { directlyFollows, type DfgEdge } from './dfg.js';
export { variantsOf } from './variants.js';

export interface ActivityCount {
  activity: string;
  count: number;
}

export interface Variant {
  activities: string[];
  count: number;
}

export interface Discovery {
  cases: number;
  events: number;
  /** Distinct activities that occur. */
  activities: number;
  /** Events per activity, most frequent first. */
  activityCounts: ActivityCount[];
  /** Number of distinct variants. */
  variants: number;
  /** The most frequent variants (at most `maxVariants`), most frequent first. */
  topVariants: Variant[];
  dfg: DfgEdge[];
  start: ActivityCount[];
  end: ActivityCount[];
  /** Case durations in seconds (cases whose events all lack a timestamp are left out). */
  caseDuration: DurationSummary;
}

export interface DiscoveryOptions {
  /** How many variants to list in `topVariants`. @default 20 */
  maxVariants?: number | undefined;
}

/** Sorted by count descending, then name, so output is stable across runs. */
function byCountThenName(a: ActivityCount, b: ActivityCount): number {
  return b.count - a.count || (a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : 0);
}

function countsToList(counts: Float64Array, names: readonly string[]): ActivityCount[] {
  const out: ActivityCount[] = [];
  for (let a = 0; a < counts.length; a++) if (counts[a]! > 0) out.push({ activity: names[a]!, count: counts[a]! });
  return out.sort(byCountThenName);
}

/** Duration of each case in seconds (last minus first known timestamp); NaN when no event has a timestamp. */
export function caseDurations(log: EventLog): Float64Array {
  const { caseStart, time } = log;
  const nCases = log.caseIds.length;
  const out = new Float64Array(nCases);
  for (let c = 0; c < nCases; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (let e = caseStart[c]!; e < caseStart[c + 1]!; e++) {
      const t = time[e]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    out[c] = min === Infinity ? NaN : (max - min) / 1000;
  }
  return out;
}

/**
 * Discovery over a log given in parts: `add` each part (whole cases, activity ids into the `activityNames` given
 * here), then `result`. Holds counts, one copy of each variant, the waits per edge and one duration per case.
 */
export class Discoverer {
  private readonly perActivity: Float64Array;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly variants = new VariantCounter();
  private readonly dfg: DfgAccumulator;
  private durations = new Float64Array(1024);
  private nDurations = 0;
  private cases = 0;
  private events = 0;

  constructor(private readonly activityNames: readonly string[]) {
    this.perActivity = new Float64Array(activityNames.length);
    this.starts = new Float64Array(activityNames.length);
    this.ends = new Float64Array(activityNames.length);
    this.dfg = new DfgAccumulator(activityNames);
  }

  add(log: EventLog): void {
    const { activity, caseStart } = log;
    const nCases = log.caseIds.length;
    for (let e = 0; e < activity.length; e++) this.perActivity[activity[e]!]!++;
    for (let c = 0; c < nCases; c++) {
      const from = caseStart[c]!;
      const to = caseStart[c + 1]!;
      if (to > from) {
        this.starts[activity[from]!]!++;
        this.ends[activity[to - 1]!]!++;
      }
      this.variants.add(activity, from, to);
    }
    const durations = caseDurations(log);
    for (const d of durations) {
      if (Number.isNaN(d)) continue;
      if (this.nDurations === this.durations.length) {
        const bigger = new Float64Array(this.durations.length * 2);
        bigger.set(this.durations);
        this.durations = bigger;
      }
      this.durations[this.nDurations++] = d;
    }
    this.dfg.add(log);
    this.cases += nCases;
    this.events += activity.length;
  }

  result(opts: DiscoveryOptions = {}): Discovery {
    const names = this.activityNames;
    const topVariants = this.variants
      .byFrequency()
      .slice(0, opts.maxVariants ?? 20)
      .map((v) => ({ activities: Array.from(this.variants.sequence(v), (a) => names[a]!), count: this.variants.count(v) }));
    const activityCounts = countsToList(this.perActivity, names);
    return {
      cases: this.cases,
      events: this.events,
      activities: activityCounts.length,
      activityCounts,
      variants: this.variants.size,
      topVariants,
      dfg: this.dfg.result(),
      start: countsToList(this.starts, names),
      end: countsToList(this.ends, names),
      caseDuration: summariseInPlace(this.durations.slice(0, this.nDurations)),
    };
  }
}

/**
 * Everything the `journey discover` command reports, in one call.
 *
 * @example
 * const d = discover(log);
 * d.variants; // 6 on the running example
 * d.dfg[0];   // { from: 'register request', to: ..., count: ..., wait: { mean, median, p90, ... } }
 */
export function discover(log: EventLog, opts: DiscoveryOptions = {}): Discovery {
  const d = new Discoverer(log.activityNames);
  d.add(log);
  return d.result(opts);
}
