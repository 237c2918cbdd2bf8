/**
 * BPMN 2.0 import. A block-structured diagram (every split gateway closed by a matching join, loops as an
 * exclusive join … exclusive split with a way back) is reduced to the equivalent process tree, so a journey drawn
 * in BPMN replays exactly like the same model given as a `.ptml` tree. A diagram that is not block-structured is
 * converted directly to a Petri net (one place per sequence flow, gateways as silent transitions).
 */
import { NetBuilder, treeToPetriNet, type PetriNet } from './petri-net.js';
import { activityNode, ModelFormatError, operatorNode, parseXml, tauNode, type ProcessTree, type TreeOperator, type XmlElement } from './process-tree.js';

type Kind = 'start' | 'end' | 'xor' | 'and' | 'or' | 'frag';
interface GNode {
  id: string;
  kind: Kind;
  tree?: ProcessTree;
}
interface Flow {
  from: GNode;
  to: GNode;
}

const TASKS = new Set(['task', 'userTask', 'manualTask', 'serviceTask', 'scriptTask', 'businessRuleTask', 'sendTask', 'receiveTask', 'callActivity', 'subProcess']);
const SILENT = new Set(['intermediateThrowEvent', 'intermediateCatchEvent', 'boundaryEvent', 'complexGateway', 'eventBasedGateway']);
const GATEWAYS: Record<string, Kind> = { exclusiveGateway: 'xor', parallelGateway: 'and', inclusiveGateway: 'or' };

export interface BpmnModel {
  /** The equivalent process tree, when the diagram is block-structured. */
  tree: ProcessTree | undefined;
  net: PetriNet;
}

/** Parses BPMN XML (the first `<process>`) into a process tree when possible, and always into a Petri net. */
export function parseBpmn(text: string): BpmnModel {
  const doc = parseXml(text);
  const process = findAll(doc, 'process')[0];
  if (!process) throw new ModelFormatError('no <process> element: is this a BPMN 2.0 file?');
  const nodes = new Map<string, GNode>();
  let flows: Flow[] = [];
  for (const el of process.children) {
    const id = el.attributes.id;
    if (id === undefined) continue;
    if (el.name === 'startEvent') nodes.set(id, { id, kind: 'start' });
    else if (el.name === 'endEvent') nodes.set(id, { id, kind: 'end' });
    else if (GATEWAYS[el.name]) nodes.set(id, { id, kind: GATEWAYS[el.name]! });
    else if (TASKS.has(el.name)) nodes.set(id, { id, kind: 'frag', tree: activityNode((el.attributes.name ?? '').trim() || id) });
    else if (SILENT.has(el.name)) nodes.set(id, { id, kind: 'frag', tree: tauNode() });
  }
  for (const el of process.children) {
    if (el.name !== 'sequenceFlow') continue;
    const from = nodes.get(el.attributes.sourceRef ?? '');
    const to = nodes.get(el.attributes.targetRef ?? '');
    if (!from || !to) throw new ModelFormatError(`sequenceFlow '${el.attributes.id ?? ''}' connects unknown elements`);
    flows.push({ from, to });
  }
  const starts = [...nodes.values()].filter((n) => n.kind === 'start');
  const ends = [...nodes.values()].filter((n) => n.kind === 'end');
  if (starts.length !== 1 || ends.length < 1) throw new ModelFormatError(`expected one start event and at least one end event, got ${starts.length} and ${ends.length}`);
  const net = directNet(nodes, flows);
  if (ends.length === 1) {
    flows = reduce(flows);
    if (flows.length === 1 && flows[0]!.from.kind === 'start' && flows[0]!.to.kind === 'end') return { tree: tauNode(), net: treeToPetriNet(tauNode()) };
    if (flows.length === 2) {
      const frag = flows.find((f) => f.from.kind === 'start')?.to;
      if (frag?.kind === 'frag' && flows.some((f) => f.from === frag && f.to.kind === 'end')) return { tree: frag.tree!, net: treeToPetriNet(frag.tree!) };
    }
  }
  return { tree: undefined, net };
}

function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  if (el.name === name) out.push(el);
  for (const c of el.children) findAll(c, name, out);
  return out;
}

const outs = (flows: Flow[], n: GNode) => flows.filter((f) => f.from === n);
const ins = (flows: Flow[], n: GNode) => flows.filter((f) => f.to === n);
const frag = (tree: ProcessTree): GNode => ({ id: '', kind: 'frag', tree });

/** Sequence of fragments, flattening nested sequences. */
function seq(a: ProcessTree, b: ProcessTree): ProcessTree {
  const parts = (t: ProcessTree) => (t.kind === 'operator' && t.operator === '->' ? t.children : [t]);
  return operatorNode('->', [...parts(a), ...parts(b)]);
}

/** Applies the block reduction rules until none applies; returns the remaining flows. */
function reduce(flows: Flow[]): Flow[] {
  for (let changed = true; changed; ) {
    changed = false;
    const nodes = new Set(flows.flatMap((f) => [f.from, f.to]));
    for (const n of nodes) {
      const i = ins(flows, n);
      const o = outs(flows, n);
      // A gateway that neither splits nor joins is just a connector.
      if ((n.kind === 'xor' || n.kind === 'and' || n.kind === 'or') && i.length === 1 && o.length === 1) {
        flows = flows.filter((f) => f !== i[0] && f !== o[0]).concat({ from: i[0]!.from, to: o[0]!.to });
        changed = true;
        break;
      }
      // Sequence: fragment → fragment with nothing else in between.
      if (n.kind === 'frag' && o.length === 1 && o[0]!.to.kind === 'frag' && o[0]!.to !== n && ins(flows, o[0]!.to).length === 1) {
        const next = o[0]!.to;
        const merged = frag(seq(n.tree!, next.tree!));
        flows = flows.filter((f) => f !== o[0]).map((f) => ({ from: f.from === n || f.from === next ? merged : f.from, to: f.to === n || f.to === next ? merged : f.to }));
        changed = true;
        break;
      }
      if (n.kind === 'xor' || n.kind === 'and' || n.kind === 'or') {
        const next = reduceBlock(flows, n) ?? (n.kind === 'xor' ? reduceLoop(flows, n) : undefined);
        if (next) {
          flows = next;
          changed = true;
          break;
        }
      }
    }
  }
  return flows;
}

/** The fragment a branch starts with, if it goes split → fragment → `join` or straight to `join`. */
function branch(flows: Flow[], f: Flow, join: GNode): ProcessTree | undefined {
  if (f.to === join) return tauNode();
  const n = f.to;
  if (n.kind !== 'frag' || ins(flows, n).length !== 1) return undefined;
  const o = outs(flows, n);
  return o.length === 1 && o[0]!.to === join ? n.tree : undefined;
}

/** split → branches → join of the same kind, collapsed into one fragment. */
function reduceBlock(flows: Flow[], split: GNode): Flow[] | undefined {
  const o = outs(flows, split);
  if (o.length < 2 || ins(flows, split).length !== 1) return undefined;
  const first = o[0]!.to === split ? undefined : o[0]!.to.kind === 'frag' ? outs(flows, o[0]!.to)[0]?.to : o[0]!.to;
  if (!first || first.kind !== split.kind || outs(flows, first).length !== 1 || ins(flows, first).length !== o.length) return undefined;
  const join = first;
  const branches = o.map((f) => branch(flows, f, join));
  if (branches.some((b) => b === undefined)) return undefined;
  const op: TreeOperator = split.kind === 'xor' ? 'X' : split.kind === 'and' ? '+' : 'O';
  const block = frag(operatorNode(op, branches as ProcessTree[]));
  const drop = new Set<Flow>([...o, ...ins(flows, join), ...o.filter((f) => f.to !== join).flatMap((f) => outs(flows, f.to))]);
  const before = ins(flows, split)[0]!;
  const after = outs(flows, join)[0]!;
  drop.add(before);
  drop.add(after);
  return flows.filter((f) => !drop.has(f)).concat({ from: before.from, to: block }, { from: block, to: after.to });
}

/** xor-join → [do] → xor-split with one way back ([redo]) to the join and one way out: a loop *(do, redo). */
function reduceLoop(flows: Flow[], join: GNode): Flow[] | undefined {
  const jIn = ins(flows, join);
  const jOut = outs(flows, join);
  if (jIn.length !== 2 || jOut.length !== 1) return undefined;
  let body: ProcessTree = tauNode();
  let split = jOut[0]!.to;
  const used: Flow[] = [jOut[0]!];
  if (split.kind === 'frag' && ins(flows, split).length === 1 && outs(flows, split).length === 1) {
    body = split.tree!;
    used.push(outs(flows, split)[0]!);
    split = outs(flows, split)[0]!.to;
  }
  if (split.kind !== 'xor' || ins(flows, split).length !== 1 || outs(flows, split).length !== 2) return undefined;
  for (const back of outs(flows, split)) {
    const redo = branch(flows, back, join);
    if (redo === undefined) continue;
    const entry = jIn.find((f) => f.from !== back.to && f.from !== split);
    const exit = outs(flows, split).find((f) => f !== back)!;
    if (!entry) continue;
    const loop = frag(operatorNode('*', [body, redo]));
    const drop = new Set<Flow>([...jIn, ...used, ...outs(flows, split)]);
    if (back.to !== join) drop.add(outs(flows, back.to)[0]!);
    return flows.filter((f) => !drop.has(f)).concat({ from: entry.from, to: loop }, { from: loop, to: exit.to });
  }
  return undefined;
}

/** Direct translation for diagrams that are not block-structured. */
function directNet(nodes: Map<string, GNode>, flows: Flow[]): PetriNet {
  const net = new NetBuilder();
  const placeOf = new Map<Flow, ReturnType<NetBuilder['place']>>();
  flows.forEach((f, i) => placeOf.set(f, net.place(`flow_${i}`)));
  const source = net.place('source');
  const sink = net.place('sink');
  net.initial.set(source, 1);
  net.final.set(sink, 1);
  let hidden = 0;
  const silent = () => net.transition(`tau_${++hidden}`, null);
  for (const n of nodes.values()) {
    const i = ins(flows, n).map((f) => placeOf.get(f)!);
    const o = outs(flows, n).map((f) => placeOf.get(f)!);
    if (n.kind === 'start') i.push(source);
    if (n.kind === 'end') o.push(sink);
    if (n.kind === 'and' || n.kind === 'start' || n.kind === 'end') {
      const t = silent();
      i.forEach((p) => net.arc(p, t));
      o.forEach((p) => net.arc(t, p));
      continue;
    }
    // Exclusive (and, as an approximation, inclusive) routing; a task with several inputs or outputs is an
    // implicit exclusive join/split in BPMN.
    const hub = net.place(`node_${n.id}`);
    for (const p of i) {
      const t = silent();
      net.arc(p, t);
      net.arc(t, hub);
    }
    let inner = hub;
    if (n.kind === 'frag') {
      const tree = n.tree!;
      const t = net.transition(tree.kind === 'activity' ? tree.label : `tau_${++hidden}`, tree.kind === 'activity' ? tree.label : null);
      inner = net.place(`done_${n.id}`);
      net.arc(hub, t);
      net.arc(t, inner);
    }
    for (const p of o) {
      const t = silent();
      net.arc(inner, t);
      net.arc(t, p);
    }
  }
  return net.build();
}
