/**
 * Process trees: the designed model of a journey as nested blocks — sequence `->`, exclusive choice `X`,
 * parallel `+`, loop `*` (do, redo) and inclusive choice `O` — over activities and silent steps (tau).
 *
 * Three ways in: PM4Py's `.ptml` XML (ProM's format), a JSON form meant to be written by hand or by the editor,
 * and (in bpmn.ts) block-structured BPMN. Parsing is pure: callers pass the file's text.
 */
import { SaxesParser } from 'saxes';

export type TreeOperator = '->' | 'X' | '+' | '*' | 'O';

export type ProcessTree =
  | { kind: 'activity'; label: string }
  | { kind: 'tau' }
  | { kind: 'operator'; operator: TreeOperator; children: ProcessTree[] };

export const activityNode = (label: string): ProcessTree => ({ kind: 'activity', label });
export const tauNode = (): ProcessTree => ({ kind: 'tau' });
export const operatorNode = (operator: TreeOperator, children: ProcessTree[]): ProcessTree => ({ kind: 'operator', operator, children });

/** Raised for a model file that cannot be turned into a process model; the message says what and where. */
export class ModelFormatError extends Error {}

/** PM4Py's textual form, e.g. `->( 'register request', X( 'a', tau ) )`. */
export function treeToString(tree: ProcessTree): string {
  if (tree.kind === 'tau') return 'tau';
  if (tree.kind === 'activity') return `'${tree.label}'`;
  return `${tree.operator}( ${tree.children.map(treeToString).join(', ')} )`;
}

/** Labels of all visible activities in the tree, in depth-first order without duplicates. */
export function treeActivities(tree: ProcessTree): string[] {
  const out = new Set<string>();
  const walk = (t: ProcessTree): void => {
    if (t.kind === 'activity') out.add(t.label);
    else if (t.kind === 'operator') t.children.forEach(walk);
  };
  walk(tree);
  return [...out];
}

/** Strips an XML namespace prefix (`bpmn:task` → `task`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Minimal DOM built with saxes: enough for the small model files (ptml, BPMN), which are never streamed. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[localName(k)] = v;
    const el: XmlElement = { name: localName(tag.name), attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.on('cdata', (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (e) {
    failure ??= e as Error;
  }
  if (failure) throw new ModelFormatError(`not well-formed XML: ${failure.message}`);
  return root;
}

const PTML_OPERATORS: Record<string, TreeOperator> = { sequence: '->', xor: 'X', and: '+', xorLoop: '*', or: 'O' };

type MutableNode = { kind: 'activity'; label: string } | { kind: 'tau' } | { kind: 'operator'; operator: TreeOperator; children: MutableNode[] };

/**
 * Parses a `.ptml` process tree. Like PM4Py, a ProM loop with three children (do, redo, exit) becomes
 * `*(do, redo)`; a non-silent exit child is moved after the loop in a sequence.
 */
export function parsePtml(text: string): ProcessTree {
  const doc = parseXml(text);
  const treeEl = findFirst(doc, 'processTree');
  if (!treeEl) throw new ModelFormatError('no <processTree> element: is this a .ptml file?');
  const nodes = new Map<string, MutableNode>();
  const parent = new Map<MutableNode, MutableNode>();
  for (const el of treeEl.children) {
    if (el.name === 'parentsNode') {
      const source = nodes.get(el.attributes.sourceId ?? '');
      const target = nodes.get(el.attributes.targetId ?? '');
      if (!source || !target || source.kind !== 'operator') {
        throw new ModelFormatError(`<parentsNode id="${el.attributes.id ?? ''}"> links unknown or non-operator nodes`);
      }
      source.children.push(target);
      parent.set(target, source);
      continue;
    }
    const id = el.attributes.id;
    if (id === undefined) continue;
    const op = PTML_OPERATORS[el.name];
    let node: MutableNode;
    if (op) node = { kind: 'operator', operator: op, children: [] };
    else if (el.name === 'manualTask') node = { kind: 'activity', label: el.attributes.name ?? '' };
    else if (el.name === 'automaticTask') node = { kind: 'tau' };
    else throw new ModelFormatError(`unknown process tree element <${el.name}>`);
    nodes.set(id, node);
  }
  let root = nodes.get(treeEl.attributes.root ?? '');
  if (!root) throw new ModelFormatError(`the root node '${treeEl.attributes.root ?? ''}' is not defined`);
  for (const node of [...nodes.values()]) {
    if (node.kind !== 'operator' || node.operator !== '*' || node.children.length !== 3) continue;
    const exit = node.children.pop()!;
    if (exit.kind === 'tau') continue;
    const seq: MutableNode = { kind: 'operator', operator: '->', children: [node, exit] };
    const p = parent.get(node);
    if (p && p.kind === 'operator') p.children[p.children.indexOf(node)] = seq;
    else if (node === root) root = seq;
  }
  return validateTree(root);
}

function findFirst(el: XmlElement, name: string): XmlElement | undefined {
  if (el.name === name) return el;
  for (const c of el.children) {
    const f = findFirst(c, name);
    if (f) return f;
  }
  return undefined;
}

/** Checks operator arity so later stages can rely on it. */
function validateTree(tree: ProcessTree, path = 'root'): ProcessTree {
  if (tree.kind !== 'operator') return tree;
  if (tree.children.length === 0) throw new ModelFormatError(`${path}: operator ${tree.operator} has no children`);
  if (tree.operator === '*' && tree.children.length < 2) {
    throw new ModelFormatError(`${path}: a loop needs a do and a redo part, got ${tree.children.length} child`);
  }
  tree.children.forEach((c, i) => validateTree(c, `${path}.${i}`));
  return tree;
}

/**
 * The JSON form of a process tree. A node is a string (an activity), `null` or `{"tau": true}` (a silent step),
 * or `{"operator": "->" | "X" | "+" | "*" | "O", "children": [...]}` (also accepted: `seq`, `xor`, `and`,
 * `loop`, `or`). A whole file may wrap the root as `{"tree": ...}`.
 *
 * @example
 * parseTreeJson({ operator: '->', children: ['register', { operator: 'X', children: ['accept', 'reject'] }] });
 */
export function parseTreeJson(value: unknown, path = 'tree'): ProcessTree {
  if (typeof value === 'string') return activityNode(value);
  if (value === null) return tauNode();
  if (typeof value !== 'object' || Array.isArray(value)) throw new ModelFormatError(`${path}: expected an activity name, null or an object`);
  const obj = value as Record<string, unknown>;
  if (path === 'tree' && 'tree' in obj) return parseTreeJson(obj.tree, path);
  if (obj.tau === true) return tauNode();
  if (typeof obj.label === 'string' && !('operator' in obj)) return activityNode(obj.label);
  const aliases: Record<string, TreeOperator> = { '->': '->', seq: '->', sequence: '->', X: 'X', xor: 'X', '+': '+', and: '+', parallel: '+', '*': '*', loop: '*', O: 'O', or: 'O' };
  const op = typeof obj.operator === 'string' ? aliases[obj.operator] : undefined;
  if (!op) throw new ModelFormatError(`${path}: unknown operator ${JSON.stringify(obj.operator)}`);
  if (!Array.isArray(obj.children)) throw new ModelFormatError(`${path}: "children" must be an array`);
  const children = (obj.children as unknown[]).map((c, i) => parseTreeJson(c, `${path}.children[${i}]`));
  return validateTree(operatorNode(op, children), path);
}
