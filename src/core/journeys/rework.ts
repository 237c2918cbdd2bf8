/**
 * Where a process loops and where it changes hands: rework (an activity repeated within a case), self-loops
 * (a→a), back-and-forth (a→b→a), and handoffs between resources/teams or channels with the delay they add.
 * These are the "disconnections" of a journey: each repetition or handoff is a place where time and goodwill leak.
 */
import { NONE, type EventLog } from './event-log.js';
import type { DurationSummary } from './stats.js';
import { PairIndex } from './dfg.js';
import { WaitStore } from './wait-store.js';

export interface ReworkActivity {
  activity: string;
  /** Cases in which the activity occurs more than once. */
  casesWithRework: number;
  /** Occurrences beyond the first, summed over cases. */
  repeats: number;
  /** Directly repeated occurrences (a→a). */
  selfLoops: number;
}

export interface BackAndForth {
  /** The pattern a→b→a. */
  a: string;
  b: string;
  count: number;
  cases: number;
}

export interface Rework {
  /** Cases with at least one repeated activity. */
  casesWithRework: number;
  activities: ReworkActivity[];
  backAndForth: BackAndForth[];
}

/**
 * Rework per activity and a→b→a patterns over a log given in parts (whole cases, activity ids into the names
 * given here): `add` each part, then `result`.
 */
export class ReworkAccumulator {
  private readonly seenIn: Float64Array; // last case that counted the activity once
  private readonly reworkCaseOf: Float64Array; // last case counted as rework for the activity
  private readonly casesWithRework: Float64Array;
  private readonly repeats: Float64Array;
  private readonly selfLoops: Float64Array;
  private readonly pingPong = new Map<number, { count: number; cases: number; lastCase: number }>();
  private reworkCases = 0;
  /** Cases seen in earlier parts: case numbers stay unique across parts. */
  private caseBase = 0;

  constructor(private readonly activityNames: readonly string[]) {
    const n = activityNames.length;
    this.seenIn = new Float64Array(n).fill(-1);
    this.reworkCaseOf = new Float64Array(n).fill(-1);
    this.casesWithRework = new Float64Array(n);
    this.repeats = new Float64Array(n);
    this.selfLoops = new Float64Array(n);
  }

  add(log: EventLog): void {
    const { activity, caseStart } = log;
    const nAct = this.activityNames.length;
    const nCases = log.caseIds.length;
    for (let k = 0; k < nCases; k++) {
      const c = this.caseBase + k;
      let caseHasRework = false;
      const from = caseStart[k]!;
      const to = caseStart[k + 1]!;
      for (let e = from; e < to; e++) {
        const a = activity[e]!;
        if (this.seenIn[a] === c) {
          this.repeats[a]!++;
          caseHasRework = true;
          if (this.reworkCaseOf[a] !== c) {
            this.reworkCaseOf[a] = c;
            this.casesWithRework[a]!++;
          }
        } else this.seenIn[a] = c;
        if (e > from && activity[e - 1] === a) this.selfLoops[a]!++;
        if (e - 2 >= from && activity[e - 2] === a && activity[e - 1] !== a) {
          const key = a * nAct + activity[e - 1]!;
          let p = this.pingPong.get(key);
          if (!p) this.pingPong.set(key, (p = { count: 0, cases: 0, lastCase: -1 }));
          p.count++;
          if (p.lastCase !== c) {
            p.lastCase = c;
            p.cases++;
          }
        }
      }
      if (caseHasRework) this.reworkCases++;
    }
    this.caseBase += nCases;
  }

  result(): Rework {
    const names = this.activityNames;
    const nAct = names.length;
    const activities: ReworkActivity[] = [];
    for (let a = 0; a < nAct; a++) {
      if (this.repeats[a]! > 0) {
        activities.push({ activity: names[a]!, casesWithRework: this.casesWithRework[a]!, repeats: this.repeats[a]!, selfLoops: this.selfLoops[a]! });
      }
    }
    activities.sort((x, y) => y.repeats - x.repeats || x.activity.localeCompare(y.activity));
    const backAndForth = [...this.pingPong.entries()]
      .map(([key, p]) => ({ a: names[Math.floor(key / nAct)]!, b: names[key % nAct]!, count: p.count, cases: p.cases }))
      .sort((x, y) => y.count - x.count || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
    return { casesWithRework: this.reworkCases, activities, backAndForth };
  }
}

/** Rework per activity and a→b→a patterns, most frequent first. */
export function rework(log: EventLog): Rework {
  const acc = new ReworkAccumulator(log.activityNames);
  acc.add(log);
  return acc.result();
}

export interface Handoff {
  from: string;
  to: string;
  count: number;
  /** Time from the last event of `from` to the first event of `to`, in seconds. */
  delay: DurationSummary;
}

export interface HandoffReport {
  dimension: 'resource' | 'channel';
  /** Consecutive event pairs (both with a value) whose values differ. */
  handoffs: number;
  /** Consecutive event pairs with a value on both sides. */
  transitions: number;
  pairs: Handoff[];
}

/**
 * Handoffs along `dimension` over a log given in parts (whole cases; resource or channel ids into the `names`
 * given here): each pair of consecutive events in a case whose resource (or channel) differs. Events without a
 * value are skipped over, so "Ann → (unknown) → Bob" counts as one handoff Ann → Bob.
 */
export class HandoffAccumulator {
  private readonly index: PairIndex;
  private readonly counts: number[] = [];
  private readonly waits: WaitStore[] = [];
  private handoffCount = 0;
  private transitions = 0;

  constructor(
    readonly dimension: 'resource' | 'channel',
    private readonly names: readonly string[],
  ) {
    this.index = new PairIndex(names.length);
  }

  add(log: EventLog): void {
    const values = this.dimension === 'resource' ? log.resource : log.channel;
    if (!values) return;
    for (let c = 0; c < log.caseIds.length; c++) {
      let prev = -1;
      for (let e = log.caseStart[c]!; e < log.caseStart[c + 1]!; e++) {
        if (values[e] === NONE) continue;
        if (prev >= 0) {
          this.transitions++;
          const a = values[prev]!;
          const b = values[e]!;
          if (a !== b) {
            this.handoffCount++;
            const i = this.index.index(a, b);
            if (i === this.counts.length) {
              this.counts.push(0);
              this.waits.push(new WaitStore());
            }
            this.counts[i]!++;
            this.waits[i]!.push(log.time[e]! - log.time[prev]!);
          }
        }
        prev = e;
      }
    }
  }

  result(): HandoffReport {
    const pairs = this.counts.map((count, i) => ({
      from: this.names[this.index.from(i)]!,
      to: this.names[this.index.to(i)]!,
      count,
      delay: this.waits[i]!.summary(),
    }));
    pairs.sort((x, y) => y.count - x.count || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
    return { dimension: this.dimension, handoffs: this.handoffCount, transitions: this.transitions, pairs };
  }
}

/** {@link HandoffAccumulator} on one log; undefined when the log has no such column. */
export function handoffs(log: EventLog, dimension: 'resource' | 'channel'): HandoffReport | undefined {
  const names = dimension === 'resource' ? log.resourceNames : log.channelNames;
  if (!(dimension === 'resource' ? log.resource : log.channel) || !names) return undefined;
  const acc = new HandoffAccumulator(dimension, names);
  acc.add(log);
  return acc.result();
}
