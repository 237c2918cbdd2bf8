const C1 = 0x239b961b, C2 = 0xab0e9789, C3 = 0x38b34ae5, C4 = 0xa1e38b93;
const rotl = (x, r) => (x << r) | (x >>> (32 - r));
function fmix(h) { h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); return h ^ (h >>> 16); }
const word = (s, i) => (s.charCodeAt(i) & 0xffff) | ((s.charCodeAt(i + 1) & 0xffff) << 16);
const hex = (h) => (h >>> 0).toString(16).padStart(8, '0');
function mm(s, out) {
  let h1 = 0, h2 = 0, h3 = 0, h4 = 0;
  const units = s.length; const blockEnd = units - (units % 8);
  for (let i = 0; i < blockEnd; i += 8) {
    h1 ^= Math.imul(rotl(Math.imul(word(s, i), C1), 15), C2);
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    h2 ^= Math.imul(rotl(Math.imul(word(s, i + 2), C2), 16), C3);
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    h3 ^= Math.imul(rotl(Math.imul(word(s, i + 4), C3), 17), C4);
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    h4 ^= Math.imul(rotl(Math.imul(word(s, i + 6), C4), 18), C1);
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  h1 = fmix(h1 ^ units); 
  return out ? hex(h1) + hex(h2) + hex(h3) + hex(h4) : h1 + h2 + h3 + h4;
}
const strs = []; for (let i = 0; i < 1000; i++) strs.push(`default\u001fC${100000+i}\u001f\u001f\u001f\u001f${1704067200000 + i * 7919}\u001f60\u001fpage_view\u001fweb\u001fcheckout\u001f\u001f12.5\u001f`);
for (const out of [false, true, false, true]) {
  let t = performance.now(); let n = 0;
  for (let i = 0; i < 1e6; i++) { const r = mm(strs[i % 1000], out); n += typeof r === 'string' ? r.length : r; }
  console.log(out ? 'with hex' : 'no hex', Math.round(1e6 / ((performance.now() - t) / 1000)));
}
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex2 = (h) => HEX[h >>> 24] + HEX[(h >>> 16) & 255] + HEX[(h >>> 8) & 255] + HEX[h & 255];
for (let k = 0; k < 2; k++) {
  let t = performance.now(); let n = 0;
  for (let i = 0; i < 1e6; i++) { const h = mm(strs[i % 1000], false) | 0; const r = hex2(h) + hex2(h ^ 1) + hex2(h ^ 2) + hex2(h ^ 3); n += r.charCodeAt(5); }
  console.log('lookup hex', Math.round(1e6 / ((performance.now() - t) / 1000)));
}
const B64 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) => c.charCodeAt(0));
function b64(h1, h2, h3, h4) {
  // 4 words → 22 chars: 5 chars (30 bits) + 2 bits carried... simpler: 21 sextets from 126 bits + 1 from 2 bits
  return String.fromCharCode(
    B64[h1 >>> 26], B64[(h1 >>> 20) & 63], B64[(h1 >>> 14) & 63], B64[(h1 >>> 8) & 63], B64[(h1 >>> 2) & 63],
    B64[((h1 & 3) << 4) | (h2 >>> 28)], B64[(h2 >>> 22) & 63], B64[(h2 >>> 16) & 63], B64[(h2 >>> 10) & 63], B64[(h2 >>> 4) & 63],
    B64[((h2 & 15) << 2) | (h3 >>> 30)], B64[(h3 >>> 24) & 63], B64[(h3 >>> 18) & 63], B64[(h3 >>> 12) & 63], B64[(h3 >>> 6) & 63], B64[h3 & 63],
    B64[h4 >>> 26], B64[(h4 >>> 20) & 63], B64[(h4 >>> 14) & 63], B64[(h4 >>> 8) & 63], B64[(h4 >>> 2) & 63], B64[h4 & 3]);
}
for (let k = 0; k < 2; k++) {
  let t = performance.now(); let n = 0;
  for (let i = 0; i < 1e6; i++) { const h = mm(strs[i % 1000], false) | 0; const r = b64(h, h ^ 1, h ^ 2, h ^ 3); n += r.charCodeAt(5); }
  console.log('b64 fromCharCode', Math.round(1e6 / ((performance.now() - t) / 1000)));
}
