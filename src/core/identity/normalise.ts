/**
 * Turns the raw identifiers a record carries into canonical identity keys. Resolution is deterministic and
 * exact-match only, so everything that should count as "the same identifier" must be made equal here:
 * case and whitespace of emails, national vs international phone formats, the source system of a customer id.
 * Pure: no I/O.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CustomerIdentifiers, IdentifierType } from '../records.js';
import type { BlockedIdentifiers, IdentityConfig } from './config.js';

/** One normalised identifier. `key` is unique across types (`email:…`, `phone:…`, `ext:<source>:…`, `anon:…`). */
export type IdentityKey = { type: IdentifierType; value: string; key: string };

/** Why one raw identifier was unusable. `field` names the input field (`email`, `extraPhones[1]`). */
export interface IdentifierRejection {
  field: string;
  reason: string;
}

/** A record's identifiers plus the extra contact points customer records may list. */
export type RawIdentifiers = CustomerIdentifiers & {
  extraEmails?: readonly string[] | undefined;
  extraPhones?: readonly string[] | undefined;
};

export interface NormalisedIdentifiers {
  /** Usable keys, strongest first (config priority; input order within a type), without duplicates. */
  keys: IdentityKey[];
  rejections: IdentifierRejection[];
  /** Valid but blocked keys: never linked, returned so callers can report them. */
  blocked: IdentityKey[];
}

/** Longest identifier value accepted; longer values are almost always pasted payloads, not identifiers. */
export const MAX_IDENTIFIER_LENGTH = 256;

/** The source system assumed when a record names none. */
export const DEFAULT_SOURCE = 'default';

/** One identifier, normalised or rejected with a human reason. */
export type NormaliseResult = { ok: true; key: IdentityKey } | { ok: false; reason: string };

const rejected = (reason: string): NormaliseResult => ({ ok: false, reason });
const accepted = (type: IdentifierType, value: string, key: string): NormaliseResult => ({
  ok: true,
  key: { type, value, key },
});

/**
 * Deliberately loose: one `@`, a non-empty local part, a dotted domain, no spaces, and none of the characters that
 * only appear around an address, not in one (`<>()[],;:"`: `Name <a@b.com>`, lists). Mailboxes decide the rest.
 */
const EMAIL_SHAPE = /^[^\s@<>()[\],;:"]+@[^\s@.<>()[\],;:"]+(\.[^\s@.<>()[\],;:"]+)+$/;
/** Invisible format characters (zero-width space and joiners, BOM, bidi marks) that copy and paste leave behind. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** Normalises one email: trimmed, lower-cased (mailbox providers treat the local part case-insensitively). */
export function normaliseEmail(raw: string): NormaliseResult {
  // One spelling per address: composed Unicode (an é typed as e + accent is the same é), no invisible characters,
  // no `mailto:` or angle brackets around it, lower case.
  const unwrapped = raw
    .replace(FORMAT_CHARACTERS, '')
    .normalize('NFC')
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/s, '$1');
  const value = unwrapped.trim().toLowerCase();
  if (value.length > MAX_IDENTIFIER_LENGTH) return rejected(`longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  if (!EMAIL_SHAPE.test(value)) return rejected(`"${raw.trim()}" is not an email address`);
  return accepted('email', value, `email:${value}`);
}

/**
 * Normalises one phone number to E.164 (`+447911123456`), reading national formats with `defaultCountry`.
 * Extensions are dropped: they name a desk, not a person. Returns the key even when the number is not a valid
 * assigned number, with `valid: false`, so blocked test numbers (which are often unassigned) can be reported as
 * blocked rather than as invalid.
 */
function parsePhone(raw: string, config: IdentityConfig): { key: IdentityKey; valid: boolean } | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), config.defaultCountry);
  if (parsed === undefined || !parsed.isPossible()) return undefined;
  const value = parsed.number;
  return { key: { type: 'phone', value, key: `phone:${value}` }, valid: parsed.isValid() };
}

/** Normalises a customer id and its source system into `ext:<source>:<id>`. */
export function normaliseCustomerId(rawId: string, rawSource: string | undefined): NormaliseResult {
  const id = rawId.trim();
  const source = (rawSource?.trim() || DEFAULT_SOURCE).toLowerCase();
  if (id.length > MAX_IDENTIFIER_LENGTH) return rejected(`longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  if (source.length > MAX_IDENTIFIER_LENGTH) return rejected(`source longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  // A colon in the source would make keys ambiguous: ("a:b", "c") and ("a", "b:c") would both be ext:a:b:c.
  if (source.includes(':')) return rejected(`source "${source}" must not contain ":"`);
  return accepted('customer_id', id, `ext:${source}:${id}`);
}

/** Normalises a device or cookie id: trimmed only, since trackers generate them case-sensitively. */
export function normaliseAnonymousId(raw: string): NormaliseResult {
  const value = raw.trim();
  if (value.length > MAX_IDENTIFIER_LENGTH) return rejected(`longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  return accepted('anonymous_id', value, `anon:${value}`);
}

/** Escapes a glob into a case-insensitive regular expression body (`*` any run, `?` one character). */
function globBody(glob: string): string {
  return glob
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
}

/**
 * Compiled once per config object, since a batch normalises thousands of records with the same config. The
 * patterns become one anchored alternation: one test per value instead of one per pattern.
 */
const compiled = new WeakMap<BlockedIdentifiers, { values: Set<string>; patterns: RegExp | undefined }>();

function compiledOf(blocked: BlockedIdentifiers): { values: Set<string>; patterns: RegExp | undefined } {
  let c = compiled.get(blocked);
  if (c === undefined) {
    const patterns = blocked.patterns.length > 0 ? new RegExp(`^(?:${blocked.patterns.map(globBody).join('|')})$`, 'i') : undefined;
    c = { values: new Set(blocked.values.map((v) => v.toLowerCase())), patterns };
    compiled.set(blocked, c);
  }
  return c;
}

/** True when the key must never link profiles under `blocked`. */
export function isBlocked(key: IdentityKey, blocked: BlockedIdentifiers): boolean {
  const { values, patterns } = compiledOf(blocked);
  if (values.size > 0 && (values.has(key.value.toLowerCase()) || values.has(key.key.toLowerCase()))) return true;
  if (patterns !== undefined && (patterns.test(key.value) || patterns.test(key.key))) return true;
  return key.type === 'phone' && blocked.repeatedDigitPhones && isFillerPhone(key.value);
}

/**
 * A phone is filler when its national number (everything after the country code) is one digit repeated, six or
 * more times (+10000000000, +440000000). The country code is read from libphonenumber's metadata: guessing its
 * length would also cut off area-code digits and block real numbers such as +1 917 777 7777 or +49 177 7777777.
 */
function isFillerPhone(e164: string): boolean {
  const national = parsePhoneNumberFromString(e164)?.nationalNumber;
  return national !== undefined && /^(\d)\1{5,}$/.test(national);
}

/**
 * Normalises every identifier of a record. Empty values count as absent. Invalid values become rejections,
 * blocked values are set aside in `blocked`, and the usable keys come back in `config.priority` order.
 */
export function normaliseIdentifiers(ids: RawIdentifiers, config: IdentityConfig): NormalisedIdentifiers {
  const candidates: IdentityKey[] = [];
  const rejections: IdentifierRejection[] = [];
  const blocked: IdentityKey[] = [];

  const take = (field: string, result: NormaliseResult): void => {
    if (!result.ok) rejections.push({ field, reason: result.reason });
    else if (isBlocked(result.key, config.blocked)) blocked.push(result.key);
    else candidates.push(result.key);
  };
  const takePhone = (field: string, raw: string): void => {
    if (raw.trim().length > MAX_IDENTIFIER_LENGTH) {
      rejections.push({ field, reason: `longer than ${MAX_IDENTIFIER_LENGTH} characters` });
      return;
    }
    const phone = parsePhone(raw, config);
    // Blocked before valid: test numbers are mostly unassigned, and "blocked" tells the user more than "invalid".
    if (phone !== undefined && isBlocked(phone.key, config.blocked)) blocked.push(phone.key);
    else if (phone === undefined || !phone.valid) {
      rejections.push({
        field,
        reason: `"${raw.trim()}" is not a valid phone number (default country ${config.defaultCountry})`,
      });
    } else candidates.push(phone.key);
  };
  const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

  if (present(ids.customerId)) take('customerId', normaliseCustomerId(ids.customerId, ids.source));
  if (present(ids.email)) take('email', normaliseEmail(ids.email));
  (ids.extraEmails ?? []).forEach((email, i) => {
    if (present(email)) take(`extraEmails[${i}]`, normaliseEmail(email));
  });
  if (present(ids.phone)) takePhone('phone', ids.phone);
  (ids.extraPhones ?? []).forEach((phone, i) => {
    if (present(phone)) takePhone(`extraPhones[${i}]`, phone);
  });
  if (present(ids.anonymousId)) take('anonymousId', normaliseAnonymousId(ids.anonymousId));

  return { keys: sortByPriority(dedupe(candidates), config.priority), rejections, blocked: dedupe(blocked) };
}

/** Keeps the first occurrence of each key. */
export function dedupe(keys: readonly IdentityKey[]): IdentityKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(k.key) && seen.add(k.key));
}

/** Stable sort by type priority, so input order decides within a type (primary email before extra emails). */
export function sortByPriority(keys: readonly IdentityKey[], priority: readonly IdentifierType[]): IdentityKey[] {
  const rank = (type: IdentifierType): number => {
    const index = priority.indexOf(type);
    return index === -1 ? priority.length : index;
  };
  return [...keys].sort((a, b) => rank(a.type) - rank(b.type));
}

const FIELD_OF_KEY_PREFIX: Record<string, string> = { ext: 'customer_id', email: 'email', phone: 'phone', anon: 'anonymous_id' };

/** The input field an identity key came from (`ext:crm:1` → `customer_id`, `anon:d9` → `anonymous_id`). */
export function fieldOfKey(key: string): string {
  const prefix = key.slice(0, key.indexOf(':'));
  return FIELD_OF_KEY_PREFIX[prefix] ?? prefix;
}
