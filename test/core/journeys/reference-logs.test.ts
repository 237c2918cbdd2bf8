/**
 * Discovery on the process-mining reference logs (../shared/data/journey) must give exactly the figures in
 * ../shared/REFERENCE.md ("Journeys and process mining"), which are PM4Py's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, type Discovery } from '../../../src/core/journeys/discovery.js';
import { readEventLog } from '../../../src/ingest/eventlog/index.js';

const DATA = join(import.meta.dirname, '../../../../shared/data/journey');
const DAY = 86_400;

const REFERENCE = [
  { file: 'running-example.csv', cases: 6, events: 42, activities: 8, variants: 6, edges: 16, meanDays: 11.191, medianDays: 9.444 },
  { file: 'running-example.xes', cases: 6, events: 42, activities: 8, variants: 6, edges: 16, meanDays: 11.191, medianDays: 9.444 },
  { file: 'running_example_broken.csv', cases: 6, events: 34, activities: 10, variants: 6, edges: 18, meanDays: 11.031, medianDays: 9.444 },
  { file: 'receipt.csv', cases: 1434, events: 8577, activities: 27, variants: 116, edges: 99, meanDays: 5.408, medianDays: 0.0332 },
  { file: 'roadtraffic100traces.csv', cases: 100, events: 390, activities: 10, variants: 10, edges: 18, meanDays: 312.5, medianDays: 253 },
];

/** Rounds to as many decimals as the reference figure shows. */
function roundLike(value: number, reference: number): number {
  const decimals = (String(reference).split('.')[1] ?? '').length;
  return Number(value.toFixed(decimals));
}

const count = (list: Discovery['start'], activity: string) => list.find((a) => a.activity === activity)?.count;

describe('discovery on the reference logs', () => {
  for (const ref of REFERENCE) {
    it(`${ref.file}: cases, events, activities, variants, DFG edges and case durations equal REFERENCE.md`, async () => {
      const read = await readEventLog(join(DATA, ref.file));
      expect(read.rejected).toBe(0);
      const d = discover(read.log);
      expect({ cases: d.cases, events: d.events, activities: d.activities, variants: d.variants, edges: d.dfg.length }).toEqual({
        cases: ref.cases,
        events: ref.events,
        activities: ref.activities,
        variants: ref.variants,
        edges: ref.edges,
      });
      expect(roundLike(d.caseDuration.mean / DAY, ref.meanDays)).toBe(ref.meanDays);
      expect(roundLike(d.caseDuration.median / DAY, ref.medianDays)).toBe(ref.medianDays);
      // Every event pair is one DFG edge occurrence; variants' counts add up to the cases.
      expect(d.dfg.reduce((s, e) => s + e.count, 0)).toBe(ref.events - ref.cases);
    });
  }

  it('running example: starts with "register request" ×6, ends with "pay compensation" ×3 and "reject request" ×3', async () => {
    for (const file of ['running-example.csv', 'running-example.xes']) {
      const d = discover((await readEventLog(join(DATA, file))).log);
      expect(d.start).toEqual([{ activity: 'register request', count: 6 }]);
      expect(d.end).toEqual([
        { activity: 'pay compensation', count: 3 },
        { activity: 'reject request', count: 3 },
      ]);
    }
  });

  it('receipt: every case starts with "Confirmation of receipt"; end activities as published', async () => {
    const d = discover((await readEventLog(join(DATA, 'receipt.csv'))).log);
    expect(d.start).toEqual([{ activity: 'Confirmation of receipt', count: 1434 }]);
    expect(count(d.end, 'T10 Determine necessity to stop indication')).toBe(828);
    expect(count(d.end, 'T05 Print and send confirmation of receipt')).toBe(400);
    expect(count(d.end, 'Confirmation of receipt')).toBe(116);
    expect(d.end.reduce((s, a) => s + a.count, 0)).toBe(1434);
  });

  it('CSV and XES of the running example give the same DFG with the same waiting times', async () => {
    const csv = discover((await readEventLog(join(DATA, 'running-example.csv'))).log);
    const xes = discover((await readEventLog(join(DATA, 'running-example.xes'))).log);
    expect(xes.dfg).toEqual(csv.dfg);
    const edge = csv.dfg.find((e) => e.from === 'register request' && e.to === 'examine casually')!;
    expect(edge.count).toBe(3);
    // Waits of the three occurrences: 34 min, 64 min and 24 h 48 min → mean 32,240 s, median 3,840 s.
    expect(edge.wait.mean).toBeCloseTo(32_240, 6);
    expect(edge.wait.median).toBe(3_840);
  });
});
