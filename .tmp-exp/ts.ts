import { parseTimestamp } from '../src/ingest/timestamps.ts';
const inputs: string[] = [];
for (let i = 0; i < 1000; i++) inputs.push(new Date(Date.UTC(2024,0,1) + i * 7919000).toISOString().replace('.000Z', '+01:00'));
let n = 0;
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < 2_000_000; i++) { const r = parseTimestamp(inputs[i % 1000]); if (r.ok) n += r.utcOffsetMin; }
  console.log('ts/s', Math.round(2e6 / ((performance.now() - t) / 1000)));
}
import { hash } from 'node:crypto';
const t3 = performance.now();
for (let i = 0; i < 300000; i++) { hash('sha1', 'c123\u001f' + i + '\u001fpage_view\u001fweb\u001f\u001f\u001f', 'base64url'); }
console.log('hash/s', Math.round(3e5 / ((performance.now() - t3) / 1000)));
