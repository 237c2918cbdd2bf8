import { readRows } from '../src/ingest/read-rows.ts';
import { Readable } from 'node:stream';
async function show(label: string, text: string, fmt: 'csv'|'jsonl' = 'csv') {
  console.log('==', label);
  for await (const r of readRows(Readable.from([Buffer.from(text)]), fmt, { onHeader: (h) => console.log('header', h) })) console.log(JSON.stringify(r));
}
await show('basic', 'a,b\n1,2\n"x\ny",3\n4,5\n');
await show('crlf', '\uFEFFa , b\r\n1,2\r\n"x\r\ny",3\r\n4,5');
await show('count', 'a,b\n1,2\n1,2,3\n4\n5,6\n');
await show('unclosed', 'a,b\n1,2\n"bad,3\n4,5\n6,7\n');
await show('unclosed-later-quote', 'a,b\n1,2\n"bad,3\n4,5\n6,"7"\n8,9\n');
await show('quote-mid', 'a,b\n1,2\nba"d,3\n4,5\n');
await show('after-quote', 'a,b\n1,2\n"bad"x,3\n4,5\n');
await show('escaped', 'a,b\n"he said ""hi""",2\n\n\n4,5');
await show('jsonl', '{"a":1}\n\nnot json\n[1]\n{"b":2}', 'jsonl');
