/**
 * Where a process loops and where it changes hands: rework (an activity repeated within a case), self-loops
 * (a→a), back-and-forth (a→b→a), and handoffs between resources/teams or channels with the delay they add.
 * These are the "disconnections" of a journey: each repetition or handoff is a place where time and goodwill leak.
 */
import { NONE, type EventLog } from './event-log.js';
import { summariseInPlace, type DurationSummary } from './stats.js';

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

/** Rework per activity and a→b→a patterns, most frequent first. */
export function rework(log: EventLog): Rework {
  const { activity, caseStart, activityNames } = log;
  const nAct = activityNames.length;
  const seenIn = new Int32Array(nAct).fill(-1); // last case that counted the activity once
  const reworkCaseOf = new Int32Array(nAct).fill(-1); // last case counted as rework for the activity
  const casesWithRework = new Uint32Array(nAct);
  const repeats = new Uint32Array(nAct);
  const selfLoops = new Uint32Array(nAct);
  const pingPong = new Map<number, { count: number; cases: number; lastCase: number }>();
  let reworkCases = 0;
  for (let c = 0; c < log.caseIds.length; c++) {
    let caseHasRework = false;
    const from = caseStart[c]!;
    const to = caseStart[c + 1]!;
    for (let e = from; e < to; e++) {
      const a = activity[e]!;
      if (seenIn[a] === c) {
        repeats[a]!++;
        caseHasRework = true;
        if (reworkCaseOf[a] !== c) {
          reworkCaseOf[a] = c;
          casesWithRework[a]!++;
        }
      } else seenIn[a] = c;
      if (e > from && activity[e - 1] === a) selfLoops[a]!++;
      if (e - 2 >= from && activity[e - 2] === a && activity[e - 1] !== a) {
        const key = a * nAct + activity[e - 1]!;
        let p = pingPong.get(key);
        if (!p) pingPong.set(key, (p = { count: 0, cases: 0, lastCase: -1 }));
        p.count++;
        if (p.lastCase !== c) {
          p.lastCase = c;
          p.cases++;
        }
      }
    }
    if (caseHasRework) reworkCases++;
  }
  const activities: ReworkActivity[] = [];
  for (let a = 0; a < nAct; a++) {
    if (repeats[a]! > 0) activities.push({ activity: activityNames[a]!, casesWithRework: casesWithRework[a]!, repeats: repeats[a]!, selfLoops: selfLoops[a]! });
  }
  activities.sort((x, y) => y.repeats - x.repeats || x.activity.localeCompare(y.activity));
  const backAndForth = [...pingPong.entries()]
    .map(([key, p]) => ({ a: activityNames[Math.floor(key / nAct)]!, b: activityNames[key % nAct]!, count: p.count, cases: p.cases }))
    .sort((x, y) => y.count - x.count || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  return { casesWithRework: reworkCases, activities, backAndForth };
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
 * Handoffs along `dimension`: each pair of consecutive events in a case whose resource (or channel) differs.
 * Events without a value are skipped over, so "Ann → (unknown) → Bob" counts as one handoff Ann → Bob.
 * Returns undefined when the log has no such column.
 */
export function handoffs(log: EventLog, dimension: 'resource' | 'channel'): HandoffReport | undefined {
  const values = dimension === 'resource' ? log.resource : log.channel;
  const names = dimension === 'resource' ? log.resourceNames : log.channelNames;
  if (!values || !names) return undefined;
  const n = names.length;
  const byPair = new Map<number, number[]>();
  let handoffCount = 0;
  let transitions = 0;
  for (let c = 0; c < log.caseIds.length; c++) {
    let prev = -1;
    for (let e = log.caseStart[c]!; e < log.caseStart[c + 1]!; e++) {
      if (values[e] === NONE) continue;
      if (prev >= 0) {
        transitions++;
        const a = values[prev]!;
        const b = values[e]!;
        if (a !== b) {
          handoffCount++;
          const key = a * n + b;
          let waits = byPair.get(key);
          if (!waits) byPair.set(key, (waits = []));
          waits.push((log.time[e]! - log.time[prev]!) / 1000);
        }
      }
      prev = e;
    }
  }
  const pairs = [...byPair.entries()].map(([key, waits]) => ({
    from: names[Math.floor(key / n)]!,
    to: names[key % n]!,
    count: waits.length,
    delay: summariseInPlace(Float64Array.from(waits.filter((w) => !Number.isNaN(w)))),
  }));
  pairs.sort((x, y) => y.count - x.count || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  return { dimension, handoffs: handoffCount, transitions, pairs };
}
