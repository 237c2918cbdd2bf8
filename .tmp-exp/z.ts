import { z } from 'zod';
import { parseTimestamp } from '/work/main/src/ingest/timestamps.ts';
const blank = (v: unknown) => (v === '' || v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v);
const id = z.preprocess(blank, z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().max(256)).optional());
const text = z.preprocess(blank, z.string().trim().max(1000).optional());
const num = z.preprocess(blank, z.coerce.number().optional());
const ts = z.preprocess(blank, z.any().transform((v, ctx) => { const r = parseTimestamp(v); if (!r.ok) { ctx.addIssue({code:'custom', message: r.reason}); return z.NEVER; } return r; }).optional());
const ev = z.object({ customer_id: id, email: text, phone: text, anonymous_id: id, id_source: text, event_id: id, occurred_at: ts, timestamp: ts, type: text, event: text, channel: text, touchpoint: text, team: text, value: num, properties: text });
const row = { customer_id: 'c123', occurred_at: '2024-05-01T12:30:00Z', type: 'page_view', channel: 'web', touchpoint: 'checkout', value: '12.5', email: '', team: '' };
let n = 0; const t = performance.now();
for (let i = 0; i < 300000; i++) { const r = ev.safeParse(row); if (r.success) n++; }
console.log('zod rows/s', Math.round(300000 / ((performance.now() - t) / 1000)), n);
const t2 = performance.now();
for (let i = 0; i < 1000000; i++) { const r = parseTimestamp('2024-05-01T12:30:00.123+02:00'); if (r.ok) n++; }
console.log('ts/s', Math.round(1e6 / ((performance.now() - t2) / 1000)));
import { hash, createHash } from 'node:crypto';
const t3 = performance.now();
for (let i = 0; i < 300000; i++) { hash('sha1', 'c123\u0001' + i + '\u0001page_view\u0001web', 'base64url'); }
console.log('hash/s', Math.round(3e5 / ((performance.now() - t3) / 1000)));
const t4 = performance.now();
for (let i = 0; i < 300000; i++) { createHash('sha1').update('c123\u0001' + i + '\u0001page_view\u0001web').digest('base64url'); }
console.log('createHash/s', Math.round(3e5 / ((performance.now() - t4) / 1000)));
