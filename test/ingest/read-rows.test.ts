import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, readRows, type RawRow, type ReadRowsOptions } from '../../src/ingest/read-rows.js';

/** A byte stream delivering `text` in chunks of `chunkSize`, to exercise chunk boundaries. */
function streamOf(text: string | Buffer, chunkSize = 7): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function collect(iterable: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of iterable) rows.push(row);
  return rows;
}

const csv = (text: string, opts?: ReadRowsOptions) => collect(readRows(streamOf(text), 'csv', opts));
const jsonl = (text: string) => collect(readRows(streamOf(text), 'jsonl'));
const errorsOf = (rows: RawRow[]) => rows.flatMap((r) => ('error' in r ? [[r.line, r.error] as const] : []));
const goodLines = (rows: RawRow[]) => rows.flatMap((r) => ('values' in r ? [r.line] : []));

describe('readRows (CSV)', () => {
  it('maps rows to the header and numbers them by physical line, header being line 1', async () => {
    const rows = await csv('customer_id,type\nC1,login\nC2,logout\n');
    expect(rows).toEqual([
      { line: 2, values: { customer_id: 'C1', type: 'login' } },
      { line: 3, values: { customer_id: 'C2', type: 'logout' } },
    ]);
  });

  it('strips a UTF-8 BOM, trims header names and reports the header once', async () => {
    const headers: string[][] = [];
    const rows = await csv('\uFEFF customer_id , type\r\nC1,login\r\n', { onHeader: (h) => headers.push(h) });
    expect(headers).toEqual([['customer_id', 'type']]);
    expect(rows).toEqual([{ line: 2, values: { customer_id: 'C1', type: 'login' } }]);
  });

  it('counts the lines inside multi-line quoted fields (LF and CRLF) for the rows after them', async () => {
    for (const nl of ['\n', '\r\n']) {
      const text = ['id,body', '1,"first', 'second', '', 'fourth"', '2,plain', '3,"a ""quoted"", b"', '4,x'].join(nl);
      const rows = await csv(text);
      expect(rows).toEqual([
        { line: 2, values: { id: '1', body: ['first', 'second', '', 'fourth'].join(nl) } },
        { line: 6, values: { id: '2', body: 'plain' } },
        { line: 7, values: { id: '3', body: 'a "quoted", b' } },
        { line: 8, values: { id: '4', body: 'x' } },
      ]);
    }
  });

  it('skips blank lines but keeps counting them', async () => {
    const rows = await csv('a,b\n\n1,2\n   \n\n3,4\n\n');
    expect(rows.map((r) => r.line)).toEqual([3, 6]);
  });

  it('reports rows with the wrong number of fields, naming both counts, and keeps the others', async () => {
    const rows = await csv('a,b,c\n1,2,3\n1,2\n1,2,3,4\n"x",y,"z,w",v\n7,8,9\n');
    expect(errorsOf(rows)).toEqual([
      [3, 'expected 3 fields as in the header, got 2'],
      [4, 'expected 3 fields as in the header, got 4'],
      [5, 'expected 3 fields as in the header, got 4'],
    ]);
    expect(goodLines(rows)).toEqual([2, 6]);
  });

  it('reports a quote inside an unquoted field and a closing quote followed by text, then carries on', async () => {
    const rows = await csv('id,name\n1,ok\n2,Bob "the builder"\n3,"Ann"x\n4,fine\n');
    expect(errorsOf(rows)).toEqual([
      [3, 'quote inside unquoted field 2 (name); quote the whole field and double inner quotes ("")'],
      [4, expect.stringContaining("closing quote of field 2 (name) is followed by 'x'")],
    ]);
    expect(goodLines(rows)).toEqual([2, 5]);
  });

  it('keeps the good rows after an unclosed quote in the middle of the file', async () => {
    const rows = await csv('id,name\n1,ok\n2,"never closed\n3,three\n4,four\n');
    expect(errorsOf(rows)).toEqual([
      [3, expect.stringMatching(/^unclosed quote: .* opened on line 3 is never closed/)],
    ]);
    expect(rows.filter((r) => 'values' in r)).toEqual([
      { line: 2, values: { id: '1', name: 'ok' } },
      { line: 4, values: { id: '3', name: 'three' } },
      { line: 5, values: { id: '4', name: 'four' } },
    ]);
  });

  it('recovers when a later quote accidentally closes an unclosed one', async () => {
    const rows = await csv('id,name\n1,"open\n2,two\n3,"quoted"\n4,four\n');
    expect(errorsOf(rows)).toEqual([[2, expect.stringContaining('malformed quoting in the field opened on line 2')]]);
    expect(goodLines(rows)).toEqual([3, 4, 5]);
    expect(rows[2]).toEqual({ line: 4, values: { id: '3', name: 'quoted' } });
  });

  it('gives up on a quoted field after maxRecordLines lines and resumes on the next line', async () => {
    const lines = ['id,name', '1,"unclosed'];
    for (let i = 2; i <= 30; i++) lines.push(`${i},name ${i}`);
    lines.push('31,"closes here"');
    const rows = await csv(lines.join('\n'), { maxRecordLines: 10 });
    expect(errorsOf(rows)).toEqual([[2, expect.stringContaining('still open after 10 lines')]]);
    expect(goodLines(rows)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
  });

  it('uses another delimiter when asked', async () => {
    expect(await csv('a;b\n1;"x;y"\n', { delimiter: ';' })).toEqual([{ line: 2, values: { a: '1', b: 'x;y' } }]);
  });

  it('ignores unnamed columns from a trailing delimiter', async () => {
    expect(await csv('a,b,\n1,2,\n')).toEqual([{ line: 2, values: { a: '1', b: '2' } }]);
  });

  it('throws for a header that repeats a column', async () => {
    await expect(csv('a,b,a\n1,2,3\n')).rejects.toThrow("CSV header on line 1 repeats the column 'a'");
  });

  it('reports an overlong line and continues after it', async () => {
    const rows = await csv(`a,b\n1,${'x'.repeat(500)}\n2,y\n`, { maxRecordChars: 100 });
    expect(errorsOf(rows)).toEqual([[2, 'line longer than 100 characters; skipped']]);
    expect(goodLines(rows)).toEqual([3]);
  });

  it('gives the same rows whatever the chunk size', async () => {
    const text = 'id,body\n1,"multi\nline, with ""quotes"""\n2,"é ü 🎉"\n3,plain\n';
    const expected = await collect(readRows(streamOf(text, 1_000_000), 'csv'));
    for (const size of [1, 2, 3, 5, 13]) expect(await collect(readRows(streamOf(text, size), 'csv'))).toEqual(expected);
    expect(expected).toHaveLength(3);
  });
});

describe('readRows (JSON Lines)', () => {
  it('yields each object with its line, skipping blank lines', async () => {
    const rows = await jsonl('{"a":1}\n\n  {"b":[1,2]}  \r\n');
    expect(rows).toEqual([
      { line: 1, values: { a: 1 } },
      { line: 3, values: { b: [1, 2] } },
    ]);
  });

  it('reports invalid JSON and non-objects per line and keeps reading', async () => {
    const rows = await jsonl('{"a":1}\n{"a":\n[1]\n"text"\nnull\n{"a":2}');
    expect(errorsOf(rows)).toEqual([
      [2, expect.stringMatching(/^invalid JSON: /)],
      [3, 'expected a JSON object, got an array'],
      [4, 'expected a JSON object, got a string'],
      [5, 'expected a JSON object, got null'],
    ]);
    expect(goodLines(rows)).toEqual([1, 6]);
  });
});

describe('readRows (files, gzip and progress)', () => {
  let dir: string;
  const text = 'id,name\n1,one\n2,two\n3,three\n';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kept-read-rows-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file path and reports bytes read up to the file size', async () => {
    const path = join(dir, 'plain.csv');
    await writeFile(path, text);
    const progress: number[] = [];
    const rows = await collect(readRows(path, 'csv', { onProgress: (bytes) => progress.push(bytes) }));
    expect(goodLines(rows)).toEqual([2, 3, 4]);
    expect(progress.at(-1)).toBe(Buffer.byteLength(text));
  });

  it('gunzips a .gz file, with progress in compressed bytes', async () => {
    const path = join(dir, 'rows.csv.gz');
    const gz = gzipSync(text);
    await writeFile(path, gz);
    const progress: number[] = [];
    const rows = await collect(readRows(path, 'csv', { onProgress: (bytes) => progress.push(bytes) }));
    expect(rows).toEqual([
      { line: 2, values: { id: '1', name: 'one' } },
      { line: 3, values: { id: '2', name: 'two' } },
      { line: 4, values: { id: '3', name: 'three' } },
    ]);
    expect(progress.at(-1)).toBe(gz.length);
  });

  it('detects gzip from the data of a stream, and reads JSON Lines from it', async () => {
    const rows = await collect(readRows(streamOf(gzipSync('{"a":1}\n{"a":2}\n'), 5), 'jsonl'));
    expect(rows).toEqual([
      { line: 1, values: { a: 1 } },
      { line: 2, values: { a: 2 } },
    ]);
  });

  it('throws on corrupt gzip data instead of returning garbage rows', async () => {
    const gz = gzipSync(text.repeat(100));
    const corrupt = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(50, 0xff), gz.subarray(70)]);
    await expect(collect(readRows(streamOf(corrupt, 64), 'csv'))).rejects.toThrow();
  });

  it('throws for a missing file', async () => {
    await expect(collect(readRows(join(dir, 'missing.csv'), 'csv'))).rejects.toThrow(/ENOENT/);
  });

  it('can stop early without reading the whole file', async () => {
    const path = join(dir, 'big.csv');
    await writeFile(path, `id\n${Array.from({ length: 200_000 }, (_, i) => i).join('\n')}\n`);
    let last = 0;
    let count = 0;
    for await (const row of readRows(path, 'csv', { onProgress: (bytes) => (last = bytes) })) {
      if (++count === 10) break;
      expect(row.line).toBe(count + 1);
    }
    expect(last).toBeLessThan(1_000_000);
  });
});

describe('detectFormat', () => {
  it.each([
    ['data.csv', { format: 'csv', gzip: false }],
    ['DATA.CSV.GZ', { format: 'csv', gzip: true }],
    ['events.jsonl', { format: 'jsonl', gzip: false }],
    ['events.ndjson.gz', { format: 'jsonl', gzip: true }],
    ['dir.v2/events.jsonlines', { format: 'jsonl', gzip: false }],
  ])('recognises %s', (path, expected) => {
    expect(detectFormat(path)).toEqual(expected);
  });

  it.each(['events.json', 'events.txt', 'csv', 'events.csv.zip'])('does not guess for %s', (path) => {
    expect(detectFormat(path)).toBeUndefined();
  });
});
