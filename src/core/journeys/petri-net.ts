/**
 * Petri nets (accepting: with an initial and a final marking) and the conversion of a process tree into one,
 * done exactly as PM4Py's `process_tree/variants/to_petri_net.py`: the same places, silent transitions, simple
 * reduction and place names (`source`, `sink`, `p_3`, …). Token-based replay counts tokens on this net and orders
 * some choices by place name, so replaying on the same net is what makes the fitness figures equal PM4Py's.
 */
import type { ProcessTree } from './process-tree.js';

export interface Arc {
  place: number;
  weight: number;
}

export interface Transition {
  name: string;
  /** Activity label; null for a silent (tau) transition. */
  label: string | null;
  inputs: Arc[];
  outputs: Arc[];
}

export interface PetriNet {
  /** Place names; a place is referred to by its index. */
  places: string[];
  transitions: Transition[];
  initialMarking: Map<number, number>;
  finalMarking: Map<number, number>;
}

// Mutable graph used while building; insertion-ordered Sets stand in for PM4Py's sets.
interface Node {
  name: string;
  inArcs: Set<Edge>;
  outArcs: Set<Edge>;
}
interface TNode extends Node {
  label: string | null;
}
interface Edge {
  source: Node;
  target: Node;
}

/** A Petri net under construction, with PM4Py's helper operations. */
export class NetBuilder {
  readonly places = new Set<Node>();
  readonly transitions = new Set<TNode>();
  readonly initial = new Map<Node, number>();
  readonly final = new Map<Node, number>();

  place(name: string): Node {
    const p: Node = { name, inArcs: new Set(), outArcs: new Set() };
    this.places.add(p);
    return p;
  }

  transition(name: string, label: string | null): TNode {
    const t: TNode = { name, label, inArcs: new Set(), outArcs: new Set() };
    this.transitions.add(t);
    return t;
  }

  arc(source: Node, target: Node): void {
    const e: Edge = { source, target };
    source.outArcs.add(e);
    target.inArcs.add(e);
  }

  private detach(n: Node): void {
    for (const e of n.inArcs) e.source.outArcs.delete(e);
    for (const e of n.outArcs) e.target.inArcs.delete(e);
    n.inArcs.clear();
    n.outArcs.clear();
  }

  removeTransition(t: TNode): void {
    this.detach(t);
    this.transitions.delete(t);
  }

  removePlace(p: Node): void {
    this.detach(p);
    this.places.delete(p);
  }

  isPlace(n: Node): boolean {
    return this.places.has(n);
  }

  /** Freezes into the index-based form used by replay. */
  build(): PetriNet {
    const places = [...this.places];
    const index = new Map(places.map((p, i) => [p, i]));
    const arcs = (edges: Set<Edge>, end: 'source' | 'target'): Arc[] => {
      const weights = new Map<number, number>();
      for (const e of edges) {
        const i = index.get(e[end])!;
        weights.set(i, (weights.get(i) ?? 0) + 1);
      }
      return [...weights].map(([place, weight]) => ({ place, weight }));
    };
    const transitions = [...this.transitions].map((t) => ({ name: t.name, label: t.label, inputs: arcs(t.inArcs, 'source'), outputs: arcs(t.outArcs, 'target') }));
    const marking = (m: Map<Node, number>) => new Map([...m].filter(([p]) => index.has(p)).map(([p, n]) => [index.get(p)!, n]));
    return { places: places.map((p) => p.name), transitions, initialMarking: marking(this.initial), finalMarking: marking(this.final) };
  }
}

type Tree = ProcessTree;
const isLoop = (t: Tree): boolean => t.kind === 'operator' && t.operator === '*';
const childrenOf = (t: Tree): Tree[] => (t.kind === 'operator' ? t.children : []);

// The checks below decide whether a silent transition is needed after the source / before the sink.
function firstTerminalChildren(tree: Tree): Tree[] {
  const ch = childrenOf(tree);
  if (ch.length === 0) return [];
  return ch[0]!.kind === 'operator' ? firstTerminalChildren(ch[0]!) : [ch[0]!];
}
function lastTerminalChildren(tree: Tree): Tree[] {
  const ch = childrenOf(tree);
  if (ch.length === 0) return [];
  return ch[ch.length - 1]!.kind === 'operator' ? lastTerminalChildren(ch[ch.length - 1]!) : [ch[ch.length - 1]!];
}
function loopToFirst(tree: Tree): boolean {
  if (isLoop(tree)) return true;
  const ch = childrenOf(tree);
  return ch.length > 0 && (isLoop(ch[0]!) || loopToFirst(ch[0]!));
}
function loopToLast(tree: Tree): boolean {
  if (isLoop(tree)) return true;
  const ch = childrenOf(tree);
  return ch.length > 0 && (isLoop(ch[ch.length - 1]!) || loopToLast(ch[ch.length - 1]!));
}
function terminalLoop(tree: Tree): boolean {
  const ch = childrenOf(tree);
  const last = ch[ch.length - 1];
  return last !== undefined && last.kind === 'operator' && (last.operator === '*' || terminalLoop(last));
}
function initialLoop(tree: Tree): boolean {
  const ch = childrenOf(tree);
  const first = ch[0];
  return first !== undefined && first.kind === 'operator' && (first.operator === '*' || terminalLoop(first));
}
const choiceOrParallel = (t: Tree): boolean => t.kind === 'operator' && (t.operator === 'X' || t.operator === '+');

class Counts {
  places = 0;
  hidden = 0;
}

/** Converts a process tree into an accepting Petri net, as PM4Py does. */
export function treeToPetriNet(tree: ProcessTree): PetriNet {
  const net = new NetBuilder();
  const counts = new Counts();
  const newPlace = (): Node => net.place(`p_${++counts.places}`);
  const hidden = (type: string): TNode => net.transition(`${type}_${++counts.hidden}`, null);

  const add = (t: Tree, initialEntity: Node, finalEntity: Node | null): Node => {
    let initialPlace: Node;
    if (!net.isPlace(initialEntity)) {
      initialPlace = newPlace();
      net.arc(initialEntity, initialPlace);
    } else initialPlace = initialEntity;
    let finalPlace: Node;
    if (finalEntity !== null && net.isPlace(finalEntity)) finalPlace = finalEntity;
    else {
      finalPlace = newPlace();
      if (finalEntity !== null) net.arc(finalPlace, finalEntity);
    }
    if (t.kind !== 'operator') {
      const tr = t.kind === 'tau' ? hidden('skip') : net.transition(t.label, t.label);
      net.arc(initialPlace, tr);
      net.arc(tr, finalPlace);
      return finalPlace;
    }
    const ch = t.children;
    switch (t.operator) {
      case 'X':
        for (const c of ch) add(c, initialPlace, finalPlace);
        break;
      case '+': {
        const split = hidden('tauSplit');
        net.arc(initialPlace, split);
        const join = hidden('tauJoin');
        net.arc(join, finalPlace);
        for (const c of ch) add(c, split, join);
        break;
      }
      case 'O': {
        const split = hidden('tauSplit');
        net.arc(initialPlace, split);
        const join = hidden('tauJoin');
        net.arc(join, finalPlace);
        const terminal = newPlace();
        net.arc(terminal, join);
        const first = newPlace();
        net.arc(split, first);
        for (const c of ch) {
          const init = newPlace();
          net.arc(split, init);
          const start = newPlace();
          const end = newPlace();
          const tStart = hidden('inclusiveStart');
          const tLater = hidden('inclusiveLater');
          const tSkip = hidden('inclusiveSkip');
          net.arc(first, tStart);
          net.arc(init, tStart);
          net.arc(tStart, start);
          net.arc(tStart, terminal);
          net.arc(terminal, tLater);
          net.arc(init, tLater);
          net.arc(tLater, start);
          net.arc(tLater, terminal);
          net.arc(terminal, tSkip);
          net.arc(init, tSkip);
          net.arc(tSkip, terminal);
          net.arc(tSkip, end);
          net.arc(end, join);
          add(c, start, end);
        }
        break;
      }
      case '->': {
        let intermediate = initialPlace;
        ch.forEach((c, i) => {
          intermediate = add(c, intermediate, i === ch.length - 1 ? finalPlace : null);
        });
        break;
      }
      case '*': {
        const loopStart = newPlace();
        const initLoop = hidden('init_loop');
        net.arc(initialPlace, initLoop);
        net.arc(initLoop, loopStart);
        const loopBack = hidden('loop');
        if (ch.length === 1) {
          add(ch[0]!, loopStart, finalPlace);
          net.arc(finalPlace, loopBack);
          net.arc(loopBack, loopStart);
        } else {
          const afterDo = add(ch[0]!, loopStart, null);
          let afterRedo: Node | null = null;
          for (let i = 1; i < ch.length; i++) afterRedo = add(ch[i]!, afterDo, afterRedo);
          add({ kind: 'tau' }, afterDo, finalPlace);
          net.arc(afterRedo!, loopBack);
          net.arc(loopBack, loopStart);
        }
        break;
      }
    }
    return finalPlace;
  };

  const source = newPlace();
  source.name = 'source';
  const sink = newPlace();
  sink.name = 'sink';
  net.initial.set(source, 1);
  net.final.set(sink, 1);
  let initialPlace = source;
  if (initialLoop(tree) || firstTerminalChildren(tree).length > 1 || loopToFirst(tree) || choiceOrParallel(tree)) {
    initialPlace = newPlace();
    const tau = hidden('tau');
    net.arc(source, tau);
    net.arc(tau, initialPlace);
  }
  let finalPlace = sink;
  if (terminalLoop(tree) || lastTerminalChildren(tree).length > 1 || loopToLast(tree) || choiceOrParallel(tree)) {
    finalPlace = newPlace();
    const tau = hidden('tau');
    net.arc(finalPlace, tau);
    net.arc(tau, sink);
  }
  add(tree, initialPlace, finalPlace);
  simpleReduction(net);
  for (const p of [...net.places]) {
    if (p.outArcs.size === 0 && !net.final.has(p)) net.removePlace(p);
    if (p.inArcs.size === 0 && !net.initial.has(p)) net.removePlace(p);
  }
  return net.build();
}

/** PM4Py's `apply_simple_reduction`: fuses silent transitions into a lone neighbouring transition. */
function simpleReduction(net: NetBuilder): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of [...net.transitions].filter((x) => x.label === null && x.inArcs.size === 1)) {
      const src = [...t.inArcs][0]!.source;
      const targets = [...t.outArcs].map((a) => a.target);
      if (src.inArcs.size === 1 && src.outArcs.size === 1) {
        const before = [...src.inArcs][0]!.source;
        net.removeTransition(t);
        net.removePlace(src);
        for (const p of targets) net.arc(before, p);
        changed = true;
        break;
      }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of [...net.transitions].filter((x) => x.label === null && x.outArcs.size === 1)) {
      const tgt = [...t.outArcs][0]!.target;
      const sources = [...t.inArcs].map((a) => a.source);
      if (tgt.inArcs.size === 1 && tgt.outArcs.size === 1) {
        const after = [...tgt.outArcs][0]!.target;
        net.removeTransition(t);
        net.removePlace(tgt);
        for (const p of sources) net.arc(p, after);
        changed = true;
        break;
      }
    }
  }
}
