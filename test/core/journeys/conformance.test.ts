/**
 * Token-based replay must reproduce PM4Py: the broken running example against the inductive-miner model gives
 * log fitness 0.8156108597, average trace fitness 0.8077731092 and 16.67% fitting cases (REFERENCE.md), whether
 * the model comes as a .ptml process tree, as BPMN, or as the JSON form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBpmn } from '../../../src/core/journeys/bpmn.js';
import { conformance } from '../../../src/core/journeys/conformance.js';
import { EventLogBuilder, type EventLog } from '../../../src/core/journeys/event-log.js';
import { treeToPetriNet } from '../../../src/core/journeys/petri-net.js';
import { ModelFormatError, parsePtml, parseTreeJson, treeToString } from '../../../src/core/journeys/process-tree.js';
import { TokenReplayer } from '../../../src/core/journeys/token-replay.js';
import { readEventLog } from '../../../src/ingest/eventlog/index.js';

const DATA = join(import.meta.dirname, '../../../../shared/data/journey');
const IM_TREE =
  "->( 'register request', *( ->( +( 'check ticket', X( 'examine casually', 'examine thoroughly' ) ), 'decide' ), 'reinitiate request' ), X( 'pay compensation', 'reject request' ) )";

function logOf(traces: string[][]): EventLog {
  const b = new EventLogBuilder();
  traces.forEach((t, c) => t.forEach((a, i) => b.add(`c${c}`, a, i * 1000)));
  return b.build();
}

describe('token-based replay (PM4Py-compatible)', () => {
  let broken: EventLog;
  beforeAll(async () => {
    broken = (await readEventLog(join(DATA, 'running_example_broken.csv'))).log;
  });

  it('parses the .ptml model into the inductive-miner tree (3-child ProM loop folded to do/redo)', () => {
    expect(treeToString(parsePtml(readFileSync(join(DATA, 'running-example-im.ptml'), 'utf8')))).toBe(IM_TREE);
  });

  it('converts the tree to the Petri net PM4Py builds (places, silent transitions after reduction)', () => {
    const net = treeToPetriNet(parsePtml(readFileSync(join(DATA, 'running-example-im.ptml'), 'utf8')));
    expect(net.places).toHaveLength(9);
    expect(net.transitions.filter((t) => t.label === null).map((t) => t.name).sort()).toEqual(['skip_5', 'tauSplit_3']);
    expect(net.transitions.filter((t) => t.label !== null)).toHaveLength(8);
    const decide = net.transitions.find((t) => t.label === 'decide')!;
    expect(decide.inputs).toHaveLength(2); // the parallel join folded into "decide"
  });

  it('broken running example vs running-example-im.ptml: 0.8156 log fitness, 0.8078 average, 16.67% fit', () => {
    const c = conformance(broken, treeToPetriNet(parsePtml(readFileSync(join(DATA, 'running-example-im.ptml'), 'utf8'))));
    expect(Math.abs(c.logFitness - 0.8156108597)).toBeLessThan(1e-9);
    expect(Math.abs(c.averageTraceFitness - 0.8077731092)).toBeLessThan(1e-9);
    expect(c.fitCasesPct.toFixed(2)).toBe('16.67');
    expect(c.perCase.find((p) => p.caseId === '4')).toMatchObject({ fit: true, fitness: 1 });
    // The summary alone (what the server and the CLI show): the same figures, no record per case.
    const summary = conformance(broken, treeToPetriNet(parsePtml(readFileSync(join(DATA, 'running-example-im.ptml'), 'utf8'))), { perCase: false });
    expect(summary.perCase).toEqual([]);
    expect({ ...summary, perCase: c.perCase }).toEqual(c);
  });

  it('the BPMN model reduces to the same tree and gives the same figures', () => {
    const bpmn = parseBpmn(readFileSync(join(DATA, 'running-example.bpmn'), 'utf8'));
    expect(bpmn.tree && treeToString(bpmn.tree)).toBe(IM_TREE);
    const c = conformance(broken, bpmn.net);
    expect(c.logFitness).toBeCloseTo(0.8156108597, 9);
    expect(c.averageTraceFitness).toBeCloseTo(0.8077731092, 9);
    expect(c.fitCasesPct).toBeCloseTo(16.667, 2);
  });

  it('the JSON form of the same tree gives the same figures', () => {
    const json = {
      operator: '->',
      children: [
        'register request',
        { operator: 'loop', children: [{ operator: '->', children: [{ operator: '+', children: ['check ticket', { operator: 'X', children: ['examine casually', 'examine thoroughly'] }] }, 'decide'] }, 'reinitiate request'] },
        { operator: 'xor', children: ['pay compensation', 'reject request'] },
      ],
    };
    const c = conformance(broken, treeToPetriNet(parseTreeJson(json)));
    expect(c.logFitness).toBeCloseTo(0.8156108597, 9);
  });

  it('the unbroken running example fits its own model perfectly', async () => {
    const log = (await readEventLog(join(DATA, 'running-example.csv'))).log;
    const c = conformance(log, treeToPetriNet(parsePtml(readFileSync(join(DATA, 'running-example-im.ptml'), 'utf8'))));
    expect(c.logFitness).toBe(1);
    expect(c.fitCasesPct).toBe(100);
    expect(c.deviations).toEqual([]);
  });

  it('counts a skipped step as 1 missing and 1 remaining token, and names the deviation', () => {
    const net = treeToPetriNet(parseTreeJson({ operator: '->', children: ['a', 'b', 'c'] }));
    const r = new TokenReplayer(net).replay(['a', 'c']);
    expect({ missing: r.missing, remaining: r.remaining, consumed: r.consumed, produced: r.produced }).toEqual({ missing: 1, remaining: 1, consumed: 3, produced: 3 });
    expect(r.fitness).toBeCloseTo(0.5 * (1 - 1 / 3) + 0.5 * (1 - 1 / 3), 12);
    const c = conformance(logOf([['a', 'c'], ['a', 'x', 'b', 'c'], ['a', 'c', 'b']]), net);
    const by = new Map(c.deviations.map((d) => [d.activity, d]));
    expect(by.get('x')?.inserted).toBe(1);
    expect(by.get('b')?.skipped).toBe(1);
    expect(by.get('c')?.outOfOrder).toBe(1);
  });

  it('walks silent transitions of an optional step and a loop without counting them as deviations', () => {
    const net = treeToPetriNet(parseTreeJson({ operator: '->', children: ['a', { operator: 'X', children: ['b', null] }, { operator: '*', children: ['c', null] }, 'd'] }));
    const c = conformance(logOf([['a', 'c', 'd'], ['a', 'b', 'c', 'c', 'c', 'd']]), net);
    expect(c.fitCasesPct).toBe(100);
    expect(c.logFitness).toBe(1);
  });

  it('rejects malformed models with a clear message', () => {
    expect(() => parsePtml('<ptml><processTree root="x"/></ptml>')).toThrow(ModelFormatError);
    expect(() => parseTreeJson({ operator: 'maybe', children: [] })).toThrow(/unknown operator/);
    expect(() => parseTreeJson({ operator: '*', children: ['a'] })).toThrow(/loop needs/);
    expect(() => parseBpmn('<definitions><process id="p"/></definitions>')).toThrow(/start event/);
  });

  it('falls back to a direct Petri net for BPMN that is not block-structured, still replaying fitting traces', () => {
    // start → A → and-split → {B, C}; B → end-join (xor), C → end-join: parallel split closed by an xor join.
    const bpmn = `<definitions><process id="p">
      <startEvent id="s"/><task id="a" name="A"/><parallelGateway id="g1"/><task id="b" name="B"/><task id="c" name="C"/>
      <task id="d" name="D"/><endEvent id="e"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="g1"/>
      <sequenceFlow id="f3" sourceRef="g1" targetRef="b"/><sequenceFlow id="f4" sourceRef="g1" targetRef="c"/>
      <sequenceFlow id="f5" sourceRef="b" targetRef="d"/><sequenceFlow id="f6" sourceRef="c" targetRef="d"/>
      <sequenceFlow id="f7" sourceRef="d" targetRef="e"/></process></definitions>`;
    const model = parseBpmn(bpmn);
    expect(model.tree).toBeUndefined();
    const r = new TokenReplayer(model.net).replay(['A', 'B', 'D']);
    expect(r.missing).toBe(0);
    expect(r.remaining).toBe(1); // C's token is left: the diagram is unsound, and replay says so
  });
});
