import { parse } from 'csv-parse/sync';
import { parse as parseStream } from 'csv-parse';
import { Readable } from 'node:stream';
const header = 'customer_id,email,occurred_at,type,channel,touchpoint,value,event_id';
const lines = [header];
for (let i = 0; i < 200000; i++) lines.push(`C${100000 + (i % 50000)},${i % 3 ? '' : 'user' + i + '@example.com'},2024-01-01T00:00:00+01:00,page_view,web,${i % 2 ? '' : 'checkout'},${i % 4 ? '' : '12.5'},E${i}`);
const csv = lines.join('\n');
for (let r = 0; r < 2; r++) {
  let t = performance.now();
  const recs = parse(csv, { columns: true });
  console.log('csv-parse sync whole', Math.round(recs.length / ((performance.now() - t) / 1000)));
  t = performance.now();
  let n = 0;
  for await (const rec of Readable.from([csv]).pipe(parseStream({ columns: true }))) n++;
  console.log('csv-parse stream', Math.round(n / ((performance.now() - t) / 1000)));
  t = performance.now();
  const cols = header.split(',');
  n = 0;
  for (let i = 1; i < lines.length; i++) { const f = lines[i].split(','); const o: Record<string, string> = {}; for (let j = 0; j < cols.length; j++) o[cols[j]] = f[j]; n++; }
  console.log('split', Math.round(n / ((performance.now() - t) / 1000)));
}
