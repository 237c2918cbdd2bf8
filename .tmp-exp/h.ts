import { deriveId, murmur3x86_128Hex } from '../src/ingest/derived-id.ts';
const strs: string[] = []; for (let i = 0; i < 1000; i++) strs.push(`default\u001fC${100000+i}\u001f\u001f\u001f\u001f${1704067200000 + i * 7919}\u001f60\u001fpage_view\u001fweb\u001fcheckout\u001f\u001f12.5\u001f`);
for (let r = 0; r < 3; r++) {
  let t = performance.now(); let n = 0;
  for (let i = 0; i < 1e6; i++) n += murmur3x86_128Hex(strs[i % 1000]).length;
  console.log('murmur/s', Math.round(1e6 / ((performance.now() - t) / 1000)));
  t = performance.now();
  for (let i = 0; i < 1e6; i++) n += deriveId(['default', 'C' + i, undefined, undefined, undefined, 1704067200000 + i, 60, 'page_view', 'web', 'checkout', undefined, 12.5, undefined]).length;
  console.log('deriveId/s', Math.round(1e6 / ((performance.now() - t) / 1000)));
}
