import { describe, expect, it } from 'vitest';
import { NONE } from '../../src/core/journeys/event-log.js';
import { PackedLogDecoder, logFromPackedStream, type PackedShape } from '../../src/store/repositories/journey-columns.js';
import type { ColumnChunk } from '../../src/store/engines/engine.js';

const shape: PackedShape = { activityNames: ['a', 'b', 'c'], teams: ['t1', 't2'], channels: ['web'], activityBase: 1, caseIdColumn: false };
// k = (a · (teams + 1) + r) · (channels + 1) + ch with 1-based a, r, ch (0: none).
const pack = (a: number, r: number, ch: number) => (a * 3 + r) * 2 + ch;

/** Rows (profile, time, packed) cut into chunks of `size`, as a store stream would deliver them. */
function chunksOf(rows: [number, number, number][], size: number): ColumnChunk[] {
  const out: ColumnChunk[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    out.push([Float64Array.from(part.map((r) => r[0])), Float64Array.from(part.map((r) => r[1])), Float64Array.from(part.map((r) => r[2]))]);
  }
  return out;
}

async function* stream(chunks: ColumnChunk[]): AsyncIterable<ColumnChunk> {
  // Each chunk a turn of the event loop later, as a store delivers them.
  for (const c of chunks) yield await Promise.resolve(c);
}

describe('PackedLogDecoder', () => {
  // 5,000 events of 700 customers, cases cut across chunk boundaries; every 7th row has an activity the dictionary
  // did not know (position 0), which is skipped.
  const rows: [number, number, number][] = [];
  for (let i = 0; i < 5000; i++) rows.push([Math.floor(i / 7) + 10, 1000 + i, i % 7 === 6 ? pack(0, 1, 1) : pack((i % 3) + 1, i % 3, i % 2)]);
  const kept = rows.filter((r) => r[2] >= 6);

  it('decodes chunk by chunk into the same log whatever the chunking and size hint', async () => {
    const reference = await logFromPackedStream(stream(chunksOf(rows, 5000)), shape, 5000);
    for (const [size, hint] of [[333, 0], [2048, 0], [1, 0], [999, 10_000]] as const) {
      const log = await logFromPackedStream(stream(chunksOf(rows, size)), shape, hint);
      expect(log.caseIds).toEqual(reference.caseIds);
      expect([...log.caseStart]).toEqual([...reference.caseStart]);
      expect([...log.activity]).toEqual([...reference.activity]);
      expect([...log.time]).toEqual([...reference.time]);
      expect([...log.resource!]).toEqual([...reference.resource!]);
      expect([...log.channel!]).toEqual([...reference.channel!]);
      // Spare capacity from growing is not held with the log.
      expect(log.time.buffer.byteLength).toBeLessThanOrEqual(8 * Math.ceil(kept.length * 1.125));
    }
    expect(reference.caseIds).toHaveLength(715);
    expect(reference.activity).toHaveLength(kept.length);
    expect(reference.caseIds[0]).toBe('10');
    expect(reference.caseProfile![714]).toBe(724);
    expect(reference.activity[0]).toBe(0);
    expect(reference.resource![0]).toBe(NONE);
    expect(reference.channel![1]).toBe(0);
    expect(reference.resource![1]).toBe(0);
  });

  it('starts a case at each id of a case-id column, even for the same customer', () => {
    const decoder = new PackedLogDecoder({ ...shape, caseIdColumn: true, activityBase: 0 });
    decoder.add([['o1', null, 'o2'], Float64Array.of(5, 5, 5), Float64Array.of(1, 2, 3), Float64Array.of(pack(0, 0, 0), pack(1, 0, 0), pack(2, 0, 0))]);
    decoder.add([[null, 'o3'], Float64Array.of(5, 6), Float64Array.of(4, 5), Float64Array.of(pack(2, 0, 0), pack(0, 0, 0))]);
    const log = decoder.finish();
    expect(log.caseIds).toEqual(['o1', 'o2', 'o3']);
    expect([...log.caseStart]).toEqual([0, 2, 4, 5]);
    expect([...log.caseProfile!]).toEqual([5, 5, 6]);
    expect([...log.activity]).toEqual([0, 1, 2, 2, 0]);
    expect([...log.resource!]).toEqual([NONE, NONE, NONE, NONE, NONE]);
  });
});
