import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRowBatches, readRows, type RawRow, type RowFormat } from '../../src/ingest/read-rows.js';

function streamOf(text: string, chunkSize: number): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function rowsOf(text: string, format: RowFormat, chunkSize: number): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of readRows(streamOf(text, chunkSize), format)) rows.push(row);
  return rows;
}

async function batchesOf(text: string, format: RowFormat, chunkSize: number): Promise<RawRow[][]> {
  const batches: RawRow[][] = [];
  for await (const batch of readRowBatches(streamOf(text, chunkSize), format)) batches.push(batch);
  return batches;
}

const csv = [
  'event_id,customer_id,note',
  'e1,C1,plain',
  'e2,C2,"quoted, with comma"',
  '',
  'e3,C3,"two',
  'lines"',
  'e4,C4,"unclosed',
  'e5,C5,after',
  'e6,C6,too,many',
  'e7,C7,"he said ""hi"""',
  'e8,C8,last',
].join('\n');
const jsonl = ['{"a":1}', '', 'not json', '[1]', '{"b":"x"}'].join('\n');

describe('readRowBatches', () => {
  for (const chunkSize of [1, 5, 64, 100_000]) {
    it(`gives the rows readRows gives, in order, grouped by chunk (chunks of ${chunkSize} bytes)`, async () => {
      for (const [text, format] of [
        [csv, 'csv'],
        [jsonl, 'jsonl'],
      ] as const) {
        const batches = await batchesOf(text, format, chunkSize);
        expect(batches.every((b) => b.length > 0)).toBe(true);
        expect(batches.flat()).toEqual(await rowsOf(text, format, chunkSize));
      }
    });
  }

  it('hands out arrays the caller may keep: later batches do not change earlier ones', async () => {
    const text = ['id,v', ...Array.from({ length: 500 }, (_, i) => `${i},${'x'.repeat(i % 7)}`)].join('\n');
    const batches = await batchesOf(text, 'csv', 256);
    expect(batches.length).toBeGreaterThan(10);
    const lines = batches.flat().map((r) => r.line);
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));
  });
});
