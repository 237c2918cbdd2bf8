/**
 * The directly-follows graph: for every pair of consecutive events a→b in a case, how often it occurs and the
 * waiting times between the two events. Counted by an accumulator so a log can arrive in parts (whole cases, one
 * activity numbering), which is how the store streams a 20M-event workspace through in bounded memory.
 */
import type { EventLog } from './event-log.js';
import type { DurationSummary } from './stats.js';
import { WaitStore } from './wait-store.js';

export interface DfgEdge {
  from: string;
  to: string;
  count: number;
  /** Waiting time between the two events, in seconds (pairs with an unknown timestamp are left out). */
  wait: DurationSummary;
}

/** Maps an (a, b) pair of ids to a dense index: a flat table for usual alphabets, a Map for huge ones. */
export class PairIndex {
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

  /** Index of the pair, creating it on first sight. */
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

export class DfgAccumulator {
  private readonly edges: PairIndex;
  private readonly counts: number[] = [];
  private readonly waits: WaitStore[] = [];

  constructor(private readonly activityNames: readonly string[]) {
    this.edges = new PairIndex(activityNames.length);
  }

  add(log: EventLog): void {
    const { activity, caseStart, time } = log;
    const nCases = log.caseIds.length;
    for (let c = 0; c < nCases; c++) {
      const to = caseStart[c + 1]!;
      for (let e = caseStart[c]! + 1; e < to; e++) {
        const i = this.edges.index(activity[e - 1]!, activity[e]!);
        if (i === this.counts.length) {
          this.counts.push(0);
          this.waits.push(new WaitStore());
        }
        this.counts[i]!++;
        this.waits[i]!.push(time[e]! - time[e - 1]!);
      }
    }
  }

  /** The edges, most frequent first (ties by names). */
  result(): DfgEdge[] {
    const out = this.counts.map((count, i) => ({
      from: this.activityNames[this.edges.from(i)]!,
      to: this.activityNames[this.edges.to(i)]!,
      count,
      wait: this.waits[i]!.summary(),
    }));
    return out.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  }
}

/** Directly-follows graph with frequency and waiting-time statistics per edge, most frequent edge first. */
export function directlyFollows(log: EventLog): DfgEdge[] {
  const acc = new DfgAccumulator(log.activityNames);
  acc.add(log);
  return acc.result();
}
