/**
 * Token-based replay, a faithful port of PM4Py's `conformance/tokenreplay/variants/token_replay.py` (default
 * parameters, as used by `pm4py.fitness_token_based_replay`). Each event fires its transition; a transition that
 * is not enabled is first given a chance through the shortest paths of silent transitions, then fired anyway with
 * its missing tokens counted. At the end PM4Py tries to reach the final marking through silent transitions, and
 * the tokens left over are "remaining".
 *
 *   trace fitness = ½(1 − missing/consumed) + ½(1 − remaining/produced)
 *   log fitness   = the same with every count summed over the log
 *
 * The order of PM4Py's heuristics is kept exactly (places sorted by name, paths by length, recursion limits),
 * because it decides which silent transitions fire and therefore the token counts.
 */
import type { PetriNet, Transition } from './petri-net.js';

/** Tokens per place index; only places holding tokens are keys. */
export type Marking = Map<number, number>;

const MAX_REC_DEPTH = 50;
const MAX_IT_FINAL1 = 5;
const MAX_IT_FINAL2 = 5;
const MAX_REC_DEPTH_HIDTRANSENABL = 2;

export interface TraceReplay {
  fit: boolean;
  fitness: number;
  missing: number;
  consumed: number;
  remaining: number;
  produced: number;
  /** Transitions (indices) that fired without being enabled, in order. */
  forced: number[];
  /** Positions in the trace of the events that fired without being enabled. */
  forcedAt: number[];
  /** The marking just before each forced firing (after PM4Py's silent attempts), to explain the deviation. */
  forcedMarking: Marking[];
  /** Activities of the trace that the model does not have. */
  notInModel: string[];
  /** The marking reached at the end, before the final marking is subtracted. */
  reached: Marking;
}

/** Shortest sequences of silent transitions leading from one place to another (PM4Py's DFS, depth ≤ 50). */
export type SilentPaths = Map<number, Map<number, number[]>>;

export function silentPaths(net: PetriNet): SilentPaths {
  const outOf: number[][] = net.places.map(() => []);
  net.transitions.forEach((t, i) => t.inputs.forEach((a) => outOf[a.place]!.push(i)));
  const paths: SilentPaths = new Map();
  const visit = (from: number, current: number, path: number[], depth: number): void => {
    if (depth > MAX_REC_DEPTH) return;
    let known = paths.get(from);
    if (!known) paths.set(from, (known = new Map<number, number[]>()));
    for (const ti of outOf[current]!) {
      const t = net.transitions[ti]!;
      if (t.label !== null) continue;
      for (const out of t.outputs) {
        const existing = known.get(out.place);
        if (existing === undefined || path.length + 1 < existing.length) {
          const next = [...path, ti];
          known.set(out.place, next);
          visit(from, out.place, next, depth + 1);
        }
      }
    }
  };
  for (let p = 0; p < net.places.length; p++) visit(p, p, [], 0);
  return paths;
}

const tokens = (m: Marking, p: number): number => m.get(p) ?? 0;

function isEnabled(t: Transition, m: Marking): boolean {
  for (const a of t.inputs) if (tokens(m, a.place) < a.weight) return false;
  return true;
}

/** Fires `t` on a copy of `m`; emptied places are dropped so key order matches PM4Py's Counter. */
function execute(t: Transition, m: Marking): Marking {
  const out = new Map(m);
  for (const a of t.inputs) {
    const left = tokens(out, a.place) - a.weight;
    if (left === 0) out.delete(a.place);
    else out.set(a.place, left);
  }
  for (const a of t.outputs) out.set(a.place, tokens(out, a.place) + a.weight);
  return out;
}

const sumWeights = (arcs: Transition['inputs']): number => arcs.reduce((s, a) => s + a.weight, 0);

function sameMarking(a: Marking, b: Marking): boolean {
  if (a.size !== b.size) return false;
  for (const [p, n] of a) if (b.get(p) !== n) return false;
  return true;
}

/** Replays traces on one net; silent paths are computed once. */
export class TokenReplayer {
  readonly paths: SilentPaths;
  /** Label → transition; like PM4Py's dict, the last transition with a label wins. */
  private readonly byLabel = new Map<string, number>();

  constructor(readonly net: PetriNet) {
    this.paths = silentPaths(net);
    net.transitions.forEach((t, i) => {
      if (t.label !== null) this.byLabel.set(t.label, i);
    });
  }

  hasActivity(label: string): boolean {
    return this.byLabel.has(label);
  }

  private byName(places: Iterable<number>): number[] {
    const names = this.net.places;
    return [...places].sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  }

  /** Silent paths from marked places to `targets`, shortest first (stable, as Python's sorted). */
  private pathsTo(m: Marking, targets: Iterable<number>): number[][] {
    const out: number[][] = [];
    const to = this.byName(targets);
    for (const p1 of this.byName(m.keys())) {
      const known = this.paths.get(p1);
      if (!known) continue;
      for (const p2 of to) {
        const path = known.get(p2);
        if (path) out.push(path);
      }
    }
    return out.sort((a, b) => a.length - b.length);
  }

  private enableHidden(m: Marking, fired: number[], visited: Set<number>, groups: number[][], t: number): Marking {
    const target = this.net.transitions[t]!;
    const next = new Array<number>(groups.length).fill(0);
    for (let z = 0; z < 10_000_000; z++) {
      const g = z % groups.length;
      const group = groups[g]!;
      let changed = false;
      for (let k = next[g]!; k < group.length; k++) {
        const t3 = group[next[g]!]!;
        if (t3 !== t && isEnabled(this.net.transitions[t3]!, m) && !visited.has(t3)) {
          m = execute(this.net.transitions[t3]!, m);
          fired.push(t3);
          visited.add(t3);
          changed = true;
        }
        next[g]!++;
        if (isEnabled(target, m)) break;
      }
      if (isEnabled(target, m) || !changed) break;
    }
    return m;
  }

  /** PM4Py's `apply_hidden_trans`: tries to enable `t` by firing silent transitions; appends them to `fired`. */
  private applyHidden(t: number, m: Marking, fired: number[], depth: number, visited: Set<number>): Marking {
    if (depth >= MAX_REC_DEPTH_HIDTRANSENABL || visited.has(t)) return m;
    const target = this.net.transitions[t]!;
    visited.add(t);
    const atStart = m;
    const lacking = target.inputs.filter((a) => tokens(m, a.place) < a.weight).map((a) => a.place);
    let groups = this.pathsTo(m, lacking);
    if (groups.length > 0) {
      m = this.enableHidden(m, fired, visited, groups, t);
      if (!isEnabled(target, m)) {
        groups = this.pathsTo(m, lacking);
        for (const group of groups) {
          for (const t4 of group) {
            if (t4 === t || visited.has(t4)) continue;
            const tr4 = this.net.transitions[t4]!;
            if (!isEnabled(tr4, m)) m = this.applyHidden(t4, m, fired, depth + 1, visited);
            if (isEnabled(tr4, m)) {
              m = execute(tr4, m);
              fired.push(t4);
              visited.add(t4);
            }
          }
        }
      }
      if (!isEnabled(target, m) && !sameMarking(atStart, m)) m = this.applyHidden(t, m, fired, depth + 1, visited);
    }
    return m;
  }

  /** Replays one trace (activity labels in order). */
  replay(trace: readonly string[]): TraceReplay {
    const { net } = this;
    const fm = net.finalMarking;
    let m: Marking = new Map(net.initialMarking);
    let missing = 0;
    let consumed = 0;
    let produced = [...net.initialMarking.values()].reduce((s, n) => s + n, 0);
    let fired: number[] = [];
    const forced: number[] = [];
    const forcedAt: number[] = [];
    const forcedMarking: Marking[] = [];
    const notInModel: string[] = [];
    const count = (tr: Transition): void => {
      consumed += sumWeights(tr.inputs);
      produced += sumWeights(tr.outputs);
    };
    trace.forEach((activity, pos) => {
      const mapped = this.byLabel.get(activity);
      if (mapped === undefined) {
        notInModel.push(activity);
        return;
      }
      // Prefer an enabled transition with the label (duplicate labels), else the mapped one.
      let t = net.transitions.findIndex((x) => x.label === activity && isEnabled(x, m));
      if (t < 0) t = mapped;
      const tr = net.transitions[t]!;
      if (!isEnabled(tr, m)) {
        const newFired = [...fired];
        const newM = this.applyHidden(t, m, newFired, 0, new Set());
        for (let j = fired.length; j < newFired.length; j++) count(net.transitions[newFired[j]!]!);
        m = newM;
        fired = newFired;
      }
      if (!isEnabled(tr, m)) {
        forced.push(t);
        forcedAt.push(pos);
        forcedMarking.push(m);
        m = new Map(m);
        for (const a of tr.inputs) {
          const have = tokens(m, a.place);
          if (have < a.weight) {
            missing += a.weight - have;
            m.set(a.place, have + a.weight);
          }
        }
      }
      count(tr);
      if (isEnabled(tr, m)) {
        m = execute(tr, m);
        fired.push(t);
      }
    });
    m = this.reachFinal(m, fm, count);
    const reached = new Map(m);
    let lackingAtEnd = 0;
    for (const [p, n] of fm) lackingAtEnd += Math.max(0, n - tokens(m, p));
    let remaining = 0;
    for (const [p, n] of m) remaining += fm.has(p) ? Math.max(0, n - fm.get(p)!) : n;
    const fit = missing === 0 && remaining === 0;
    for (const n of fm.values()) consumed += n;
    missing += lackingAtEnd;
    const fitness = consumed > 0 && produced > 0 ? 0.5 * (1 - missing / consumed) + 0.5 * (1 - remaining / produced) : 1;
    return { fit, fitness, missing, consumed, remaining, produced, forced, forcedAt, forcedMarking, notInModel, reached };
  }

  /** PM4Py's two attempts to reach the final marking through silent transitions. */
  private reachFinal(m: Marking, fm: Marking, count: (t: Transition) => void): Marking {
    const reachedFinal = (): boolean => [...fm.keys()].every((p) => m.has(p));
    for (let i = 0; i < MAX_IT_FINAL1 && !reachedFinal(); i++) {
      for (const group of this.pathsTo(m, fm.keys())) {
        for (const ti of group) {
          const t = this.net.transitions[ti]!;
          if (isEnabled(t, m)) {
            m = execute(t, m);
            count(t);
          }
        }
        if (reachedFinal()) break;
      }
    }
    if (!reachedFinal() && fm.size === 1) {
      const sink = [...fm.keys()][0]!;
      const connections: number[][] = [];
      for (const p of m.keys()) {
        const path = this.paths.get(p)?.get(sink);
        if (path) connections.push(path);
      }
      connections.sort((a, b) => a.length - b.length);
      for (let i = 0; i < MAX_IT_FINAL2; i++) {
        for (const path of connections) {
          for (const ti of path) {
            const t = this.net.transitions[ti]!;
            if (!isEnabled(t, m)) break;
            m = execute(t, m);
            count(t);
          }
        }
      }
    }
    return m;
  }

  /**
   * Visible activities the marking enables, directly or after silent transitions (PM4Py's
   * `get_visible_transitions_eventually_enabled_by_marking`), for explaining deviations.
   */
  eventuallyEnabled(m: Marking, limit = 1000): string[] {
    const out = new Set<string>();
    const seen = new Set<string>();
    const queue: Marking[] = [m];
    while (queue.length > 0 && seen.size < limit) {
      const cur = queue.shift()!;
      const key = [...cur].sort((a, b) => a[0] - b[0]).join(';');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const t of this.net.transitions) {
        if (!isEnabled(t, cur)) continue;
        if (t.label !== null) out.add(t.label);
        else queue.push(execute(t, cur));
      }
    }
    return [...out];
  }
}
