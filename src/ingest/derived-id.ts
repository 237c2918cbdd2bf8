/**
 * Deterministic ids for rows that carry none (events without `event_id`, ticket entries without
 * `ticket_event_id`), so importing the same file twice stores each row once.
 *
 * The hash is MurmurHash3 x86_128 (seed 0), in plain JS, streamed over the record's fields without first joining
 * them into one string. 128 bits keep accidental collisions (which would silently drop a row as a "duplicate")
 * out of reach for any realistic dataset. It runs several times faster than `crypto.hash('sha1')` plus building
 * the string to hash, which would otherwise halve validation throughput for files without ids. Not meant to
 * resist adversaries: whoever writes the import file can choose the ids anyway.
 */

/** What a record field can be: text, a number, an object (properties) or absent. */
export type IdPart = string | number | object | undefined;

/** Unit separator after each field: cannot appear in ordinary text, so field boundaries stay unambiguous. */
const SEP = 0x1f;

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** MurmurHash3's 32-bit finaliser (also used by the stored-id filter's fingerprints). */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// Scratch state reused by every call (single-threaded, never re-entered), so hashing allocates nothing.
/** h1..h4 of the running hash. */
const state = new Int32Array(4);
/** Code units waiting to fill a 16-byte block. */
const block = new Uint16Array(8);
/** A number's IEEE-754 bytes as 4 code units (platform byte order, little-endian on every Node target). */
const numberBits = new Float64Array(1);
const numberUnits = new Uint16Array(numberBits.buffer);

/** Mixes one full block (8 UTF-16 code units = 4 little-endian 32-bit words) into {@link state}. */
function mixBlock(): void {
  const b = block;
  let h1 = state[0];
  let h2 = state[1];
  let h3 = state[2];
  let h4 = state[3];
  h1 ^= Math.imul(rotl(Math.imul(b[0] | (b[1] << 16), C1), 15), C2);
  h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
  h2 ^= Math.imul(rotl(Math.imul(b[2] | (b[3] << 16), C2), 16), C3);
  h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
  h3 ^= Math.imul(rotl(Math.imul(b[4] | (b[5] << 16), C3), 17), C4);
  h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
  h4 ^= Math.imul(rotl(Math.imul(b[6] | (b[7] << 16), C4), 18), C1);
  h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  state[0] = h1;
  state[1] = h2;
  state[2] = h3;
  state[3] = h4;
}

/** Tail (`pending` < 8 units left in {@link block}) and finalisation over `units` code units in total. */
function finish(pending: number, units: number): void {
  const b = block;
  for (let i = pending; i < 8; i++) b[i] = 0;
  let h1 = state[0];
  let h2 = state[1];
  let h3 = state[2];
  let h4 = state[3];
  if (pending >= 7) h4 ^= Math.imul(rotl(Math.imul(b[6], C4), 18), C1);
  if (pending >= 5) h3 ^= Math.imul(rotl(Math.imul(b[4] | (b[5] << 16), C3), 17), C4);
  if (pending >= 3) h2 ^= Math.imul(rotl(Math.imul(b[2] | (b[3] << 16), C2), 16), C3);
  if (pending >= 1) h1 ^= Math.imul(rotl(Math.imul(b[0] | (b[1] << 16), C1), 15), C2);
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
  state[0] = h1;
  state[1] = (h2 + h1) | 0;
  state[2] = (h3 + h1) | 0;
  state[3] = (h4 + h1) | 0;
}

/**
 * MurmurHash3 x86_128 of the code-unit stream formed by the parts (each followed by {@link SEP} when
 * `separators`): strings as UTF-16LE, numbers as their 8 IEEE-754 bytes, objects as their JSON, absent as
 * nothing. Result in {@link state}.
 */
function hashParts(parts: readonly IdPart[], separators: boolean): void {
  state.fill(0);
  const b = block;
  let n = 0;
  let units = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (typeof part === 'number') {
      numberBits[0] = part;
      for (let i = 0; i < 4; i++) {
        b[n++] = numberUnits[i]!;
        if (n === 8) {
          mixBlock();
          n = 0;
        }
      }
      units += 4;
    } else if (part !== undefined) {
      const s = typeof part === 'string' ? part : JSON.stringify(part);
      for (let i = 0; i < s.length; i++) {
        b[n++] = s.charCodeAt(i);
        if (n === 8) {
          mixBlock();
          n = 0;
        }
      }
      units += s.length;
    }
    if (separators) {
      b[n++] = SEP;
      if (n === 8) {
        mixBlock();
        n = 0;
      }
      units++;
    }
  }
  finish(n, units);
}

const hex = (word: number): string => (word >>> 0).toString(16).padStart(8, '0');

/** Test hook: MurmurHash3 x86_128 of the UTF-16LE encoding of `s`, as 32 hex digits (h1‖h2‖h3‖h4). */
export function murmur3x86_128Hex(s: string): string {
  hashParts([s], false);
  return hex(state[0]) + hex(state[1]) + hex(state[2]) + hex(state[3]);
}

const B64 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) => c.charCodeAt(0));

/**
 * {@link state} as base64url of its 16 big-endian bytes (22 characters, no padding), in one `fromCharCode`
 * call: `toString(16)` and concatenation would cost more than the hash itself.
 */
function stateBase64Url(): string {
  const h1 = state[0] >>> 0;
  const h2 = state[1] >>> 0;
  const h3 = state[2] >>> 0;
  const h4 = state[3] >>> 0;
  const b = B64;
  // prettier-ignore
  return String.fromCharCode(
    b[h1 >>> 26], b[(h1 >>> 20) & 63], b[(h1 >>> 14) & 63], b[(h1 >>> 8) & 63], b[(h1 >>> 2) & 63],
    b[((h1 & 3) << 4) | (h2 >>> 28)], b[(h2 >>> 22) & 63], b[(h2 >>> 16) & 63], b[(h2 >>> 10) & 63],
    b[(h2 >>> 4) & 63], b[((h2 & 15) << 2) | (h3 >>> 30)], b[(h3 >>> 24) & 63], b[(h3 >>> 18) & 63],
    b[(h3 >>> 12) & 63], b[(h3 >>> 6) & 63], b[h3 & 63], b[h4 >>> 26], b[(h4 >>> 20) & 63],
    b[(h4 >>> 14) & 63], b[(h4 >>> 8) & 63], b[(h4 >>> 2) & 63], b[(h4 & 3) << 4],
  );
}

/**
 * `h:` + 22 base64url characters (128 bits) hashing the given record fields in order. The same fields always
 * give the same id; a different value, order or absence in any field gives a different one.
 */
export function deriveId(parts: readonly IdPart[]): string {
  hashParts(parts, true);
  return `h:${stateBase64Url()}`;
}
