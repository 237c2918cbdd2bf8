/**
 * The reject file is in line order whatever order problems are reported in, with bounded memory: rows that come
 * out of order are sorted in runs and merged in at the end. Rows of one line keep the order they came in, reasons
 * with quotes and line breaks survive the round trip, and no temporary file is left behind.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RejectsFile } from '../../src/ingest/rejects-file.js';

describe('RejectsFile', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kept-rejects-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fresh = async (runEntries?: number) => {
    const sub = join(dir, `case-${++n}`);
    mkdirSync(sub);
    const file = new RejectsFile(join(sub, 'r.csv'), runEntries);
    await file.open();
    return { file, sub, path: join(sub, 'r.csv') };
  };
  const rowsOf = (path: string) =>
    parse(readFileSync(path, 'utf8'), { columns: true }) as {
      line: string;
      field: string;
      kind: string;
      reason: string;
    }[];

  it('writes rows reported in line order as they come', async () => {
    const { file, path, sub } = await fresh();
    await file.write('rejected', [{ line: 2, field: 'a', reason: 'x' }]);
    await file.write('warning', [
      { line: 2, field: 'b', reason: 'y' },
      { line: 5, field: 'c', reason: 'z' },
    ]);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('line,field,kind,reason\n2,a,rejected,x\n2,b,warning,y\n5,c,warning,z\n');
    expect(readdirSync(sub)).toEqual(['r.csv']);
  });

  it('puts rows reported out of order in line order, keeping the order of rows of the same line', async () => {
    const { file, path, sub } = await fresh(3);
    await file.write('rejected', [
      { line: 10, field: 'a', reason: 'first of 10' },
      { line: 20, field: 'a', reason: 'x' },
    ]);
    await file.write('rejected', [{ line: 4, field: 'event_id', reason: 'duplicate, "quoted"\nand on two lines' }]);
    await file.write('warning', [
      { line: 10, field: 'b', reason: 'second of 10' },
      { line: 1, field: 'x', reason: 'unknown column, ignored' },
    ]);
    await file.write('rejected', [
      { line: 15, field: 'c', reason: 'y' },
      { line: 10, field: 'c', reason: 'third of 10' },
      { line: 30, field: 'd', reason: 'z' },
    ]);
    await file.close();
    const rows = rowsOf(path);
    expect(rows.map((r) => `${r.line} ${r.reason}`)).toEqual([
      '1 unknown column, ignored',
      '4 duplicate, "quoted"\nand on two lines',
      '10 first of 10',
      '10 second of 10',
      '10 third of 10',
      '15 y',
      '20 x',
      '30 z',
    ]);
    expect(rows[0]!.kind).toBe('warning');
    expect(file.rows).toBe(8);
    expect(readdirSync(sub)).toEqual(['r.csv']);
  });

  it('sorts many runs (more than are merged at once) in bounded memory', async () => {
    const { file, path, sub } = await fresh(7);
    // Lines in a scrambled order, two problems for some: 2,000 rows make ~280 runs of 7. Reasons of about 2 kB,
    // quoted and on two lines, make the runs and the file span several read chunks.
    const pad = ` "quoted"\nand ${'x'.repeat(2000)}`;
    const lines = Array.from({ length: 1500 }, (_, i) => ((i * 7919) % 1500) + 2);
    const reported: number[] = [];
    for (let i = 0; i < lines.length; i += 5) {
      const items = lines
        .slice(i, i + 5)
        .flatMap((line) =>
          (line % 3 === 0 ? [line, line] : [line]).map((l) => ({
            line: l,
            field: 'f',
            reason: `r${reported.push(l)}${l % 2 ? pad : ''}`,
          })),
        );
      await file.write('rejected', items);
    }
    await file.close();
    const rows = rowsOf(path);
    expect(rows).toHaveLength(reported.length);
    const got = rows.map((r) => Number(r.line));
    expect(got).toEqual([...reported].sort((a, b) => a - b));
    // Stable: for each line, its reasons in the order they were reported.
    for (let i = 1; i < rows.length; i++) {
      const order = (k: number) => Number(/^r(\d+)/.exec(rows[k]!.reason)![1]);
      if (rows[i]!.line === rows[i - 1]!.line) expect(order(i)).toBeGreaterThan(order(i - 1));
      expect(rows[i]!.reason.endsWith(Number(rows[i]!.line) % 2 ? pad : `r${order(i)}`)).toBe(true);
    }
    expect(readdirSync(sub)).toEqual(['r.csv']);
  });

  it('is removed when nothing was reported, and reset forgets what came out of order', async () => {
    const empty = await fresh();
    await empty.file.close();
    expect(readdirSync(empty.sub)).toEqual([]);
    const { file, path, sub } = await fresh(2);
    await file.write('rejected', [
      { line: 9, field: 'a', reason: 'old' },
      { line: 3, field: 'a', reason: 'old' },
    ]);
    await file.reset();
    await file.write('rejected', [{ line: 5, field: 'a', reason: 'new' }]);
    await file.close();
    expect(rowsOf(path).map((r) => `${r.line} ${r.reason}`)).toEqual(['5 new']);
    expect(readdirSync(sub)).toEqual(['r.csv']);
  });
});
