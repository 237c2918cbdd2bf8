/**
 * Deterministic ids for rows that carry none (events without `event_id`, ticket entries without
 * `ticket_event_id`), so importing the same file twice stores each row once.
 *
 * The hash is MurmurHash3 x86_128 (seed 0) over the UTF-16LE code units of the content, written in plain JS:
 * 128 bits keep accidental collisions (which would silently drop a row as a "duplicate") out of reach for any
 * realistic dataset, and it costs about a tenth of `crypto.hash('sha1')`, whose native call and UTF-8
 * encoding would otherwise halve validation throughput for files without ids. Not meant to resist adversaries:
 * someone who can write the import file can already choose the ids.
 */

/** Unit separator between fields: cannot appear in ordinary text, so field boundaries stay unambiguous. */
const SEP = '\u001f';

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Two UTF-16 code units at `i` as one little-endian 32-bit word (missing units count as 0). */
const word = (s: string, i: number): number => (s.charCodeAt(i) & 0xffff) | ((s.charCodeAt(i + 1) & 0xffff) << 16);

const hex = (h: number): string => (h >>> 0).toString(16).padStart(8, '0');

/** MurmurHash3 x86_128 of the UTF-16LE encoding of `s`, as 32 hex digits (h1‖h2‖h3‖h4). */
export function murmur3x86_128(s: string): string {
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let h4 = 0;
  const units = s.length;
  const blockEnd = units - (units % 8); // 16-byte blocks = 8 code units
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
  // Tail of 1–7 code units; charCodeAt past the end is NaN, which `& 0xffff` turns into the 0 padding.
  const tail = units - blockEnd;
  if (tail >= 7) h4 ^= Math.imul(rotl(Math.imul(s.charCodeAt(blockEnd + 6), C4), 18), C1);
  if (tail >= 5) h3 ^= Math.imul(rotl(Math.imul(word(s, blockEnd + 4), C3), 17), C4);
  if (tail >= 3) h2 ^= Math.imul(rotl(Math.imul(word(s, blockEnd + 2), C2), 16), C3);
  if (tail >= 1) h1 ^= Math.imul(rotl(Math.imul(word(s, blockEnd), C1), 15), C2);

  const bytes = units * 2;
  h1 ^= bytes;
  h2 ^= bytes;
  h3 ^= bytes;
  h4 ^= bytes;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  return hex(h1) + hex(h2) + hex(h3) + hex(h4);
}

/**
 * `h:` + 32 hex digits hashing the given record fields in order. Absent fields count as empty, objects
 * (properties) as their JSON, numbers in their shortest round-trip form.
 */
export function deriveId(parts: readonly (string | number | object | undefined)[]): string {
  let content = '';
  for (const part of parts) {
    if (part !== undefined) content += typeof part === 'object' ? JSON.stringify(part) : String(part);
    content += SEP;
  }
  return `h:${murmur3x86_128(content)}`;
}
