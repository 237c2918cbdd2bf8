/**
 * Process discovery on a columnar {@link EventLog}: variants, the directly-follows graph (frequency and waiting
 * time per edge), start and end activities, case durations. Figures match PM4Py's on the same log: a variant is
 * the exact activity sequence of a case; an edge a→b counts every pair of consecutive events in a case; waits are
 * the differences of the two events' timestamps; a case lasts from its first to its last timestamp.
 *
 * Everything is a few linear passes over the typed arrays, so it scales to tens of millions of events.
 */
import type { EventLog } from './event-log.js';
import { summariseInPlace, type DurationSummary } from './stats.js';

export interface ActivityCount {
  activity: string;
  count: number;
}

export interface Variant {
  activities: string[];
  count: number;
}

export interface DfgEdge {
  from: string;
  to: string;
  count: number;
  /** Waiting time between the two events, in seconds (pairs with an unknown timestamp are left out). */
  wait: DurationSummary;
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

function countsToList(counts: Uint32Array, names: readonly string[]): ActivityCount[] {
  const out: ActivityCount[] = [];
  for (let a = 0; a < counts.length; a++) if (counts[a]! > 0) out.push({ activity: names[a]!, count: counts[a]! });
  return out.sort(byCountThenName);
}

/** Two independent 32-bit hashes of the case's activity sequence, combined into one exact-in-a-double number. */
function variantHash(activity: Uint32Array, from: number, to: number): number {
  let h1 = 0x811c9dc5 ^ (to - from);
  let h2 = 0x9747b28c;
  for (let e = from; e < to; e++) {
    const a = activity[e]!;
    h1 = Math.imul(h1 ^ a, 0x01000193);
    h2 = Math.imul(h2 + a + 0x9e3779b9, 0x85ebca6b) ^ (h2 >>> 13);
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function sameSequence(activity: Uint32Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (activity[s1 + i] !== activity[s2 + i]) return false;
  return true;
}

/**
 * Groups cases by variant. Returns, per variant, one representative case and the count; `variantOf[c]` is the
 * variant index of case c. Hash buckets are checked element by element, so collisions cannot merge variants.
 */
export function variantsOf(log: EventLog): { representative: number[]; count: number[]; variantOf: Uint32Array } {
  const { activity, caseStart } = log;
  const nCases = log.caseIds.length;
  const buckets = new Map<number, number[]>();
  const representative: number[] = [];
  const count: number[] = [];
  const variantOf = new Uint32Array(nCases);
  for (let c = 0; c < nCases; c++) {
    const from = caseStart[c]!;
    const to = caseStart[c + 1]!;
    const h = variantHash(activity, from, to);
    let bucket = buckets.get(h);
    if (bucket === undefined) {
      bucket = [];
      buckets.set(h, bucket);
    }
    let found = -1;
    for (const v of bucket) {
      const r = representative[v]!;
      if (sameSequence(activity, caseStart[r]!, caseStart[r + 1]!, from, to)) {
        found = v;
        break;
      }
    }
    if (found < 0) {
      found = representative.length;
      representative.push(c);
      count.push(0);
      bucket.push(found);
    }
    count[found]!++;
    variantOf[c] = found;
  }
  return { representative, count, variantOf };
}

/** Maps an (a, b) activity pair to a dense edge index: a flat table for usual alphabets, a Map for huge ones. */
class EdgeIndex {
  private readonly table: Int32Array | undefined;
  private readonly map: Map<number, number> | undefined;
  readonly pairs: number[] = [];

  constructor(private readonly nAct: number) {
    if (nAct <= 2048) this.table = new Int32Array(nAct * nAct).fill(-1);
    else this.map = new Map();
  }

  get size(): number {
    return this.pairs.length;
  }

  /** Index of the edge, creating it on first sight. */
  index(a: number, b: number): number {
    const key = a * this.nAct + b;
    if (this.table) {
      let i = this.table[key]!;
      if (i < 0) {
        i = this.pairs.length;
        this.table[key] = i;
        this.pairs.push(key);
      }
      return i;
    }
    let i = this.map!.get(key);
    if (i === undefined) {
      i = this.pairs.length;
      this.map!.set(key, i);
      this.pairs.push(key);
    }
    return i;
  }

  from(i: number): number {
    return Math.floor(this.pairs[i]! / this.nAct);
  }

  to(i: number): number {
    return this.pairs[i]! % this.nAct;
  }
}

/** Directly-follows graph with frequency and waiting-time statistics per edge, most frequent edge first. */
export function directlyFollows(log: EventLog): DfgEdge[] {
  const { activity, caseStart, time, activityNames } = log;
  const nCases = log.caseIds.length;
  const edges = new EdgeIndex(activityNames.length);
  // Pass 1: counts and how many timed waits each edge has, to lay waits out contiguously per edge.
  let counts = new Uint32Array(64);
  let timed = new Uint32Array(64);
  for (let c = 0; c < nCases; c++) {
    const to = caseStart[c + 1]!;
    for (let e = caseStart[c]! + 1; e < to; e++) {
      const i = edges.index(activity[e - 1]!, activity[e]!);
      if (i >= counts.length) {
        const bigger = new Uint32Array(counts.length * 2);
        bigger.set(counts);
        counts = bigger;
        const biggerTimed = new Uint32Array(timed.length * 2);
        biggerTimed.set(timed);
        timed = biggerTimed;
      }
      counts[i]!++;
      if (!Number.isNaN(time[e]! - time[e - 1]!)) timed[i]!++;
    }
  }
  const nEdges = edges.size;
  const offset = new Uint32Array(nEdges + 1);
  for (let i = 0; i < nEdges; i++) offset[i + 1] = offset[i]! + timed[i]!;
  const waits = new Float64Array(offset[nEdges]!);
  const cursor = offset.slice(0, nEdges);
  // Pass 2: the waits themselves, in seconds.
  for (let c = 0; c < nCases; c++) {
    const to = caseStart[c + 1]!;
    for (let e = caseStart[c]! + 1; e < to; e++) {
      const w = (time[e]! - time[e - 1]!) / 1000;
      if (Number.isNaN(w)) continue;
      const i = edges.index(activity[e - 1]!, activity[e]!);
      waits[cursor[i]!++] = w;
    }
  }
  const out: DfgEdge[] = [];
  for (let i = 0; i < nEdges; i++) {
    out.push({
      from: activityNames[edges.from(i)]!,
      to: activityNames[edges.to(i)]!,
      count: counts[i]!,
      wait: summariseInPlace(waits.subarray(offset[i]!, offset[i + 1]!)),
    });
  }
  return out.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
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
 * Everything the `journey discover` command reports, in one call.
 *
 * @example
 * const d = discover(log);
 * d.variants; // 6 on the running example
 * d.dfg[0];   // { from: 'register request', to: ..., count: ..., wait: { mean, median, p90, ... } }
 */
export function discover(log: EventLog, opts: DiscoveryOptions = {}): Discovery {
  const { activity, caseStart, activityNames } = log;
  const nCases = log.caseIds.length;
  const nAct = activityNames.length;
  const perActivity = new Uint32Array(nAct);
  for (let e = 0; e < activity.length; e++) perActivity[activity[e]!]!++;
  const starts = new Uint32Array(nAct);
  const ends = new Uint32Array(nAct);
  for (let c = 0; c < nCases; c++) {
    if (caseStart[c + 1]! > caseStart[c]!) {
      starts[activity[caseStart[c]!]!]!++;
      ends[activity[caseStart[c + 1]! - 1]!]!++;
    }
  }
  const variants = variantsOf(log);
  const order = variants.count.map((_, v) => v).sort((a, b) => variants.count[b]! - variants.count[a]! || a - b);
  const topVariants = order.slice(0, opts.maxVariants ?? 20).map((v) => {
    const r = variants.representative[v]!;
    const acts: string[] = [];
    for (let e = caseStart[r]!; e < caseStart[r + 1]!; e++) acts.push(activityNames[activity[e]!]!);
    return { activities: acts, count: variants.count[v]! };
  });
  const durations = caseDurations(log).filter((d) => !Number.isNaN(d));
  const activityCounts = countsToList(perActivity, activityNames);
  return {
    cases: nCases,
    events: activity.length,
    activities: activityCounts.length,
    activityCounts,
    variants: variants.count.length,
    topVariants,
    dfg: directlyFollows(log),
    start: countsToList(starts, activityNames),
    end: countsToList(ends, activityNames),
    caseDuration: summariseInPlace(durations),
  };
}
