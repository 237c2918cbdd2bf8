/**
 * Identifier normalisation with bounded per-field caches: most rows of a file repeat the identifiers of earlier
 * rows, so normalising each distinct value once is most of the win. Results equal `normaliseIdentifiers` exactly
 * (test/ingest/normalise-cached.test.ts).
 */
import type { IdentityConfig } from '../core/identity/config.js';
import {
  dedupe,
  normaliseIdentifiers,
  sortByPriority,
  type IdentifierRejection,
  type IdentityKey,
  type NormalisedIdentifiers,
  type RawIdentifiers,
} from '../core/identity/normalise.js';

/**
 * Normalisation with a cache per identifier field. Normalisation is pure and a file names the same customers
 * over and over, so checking blocked values and patterns, and parsing phone numbers, once per distinct value
 * instead of once per row is most of the cost of `prepare`. Each field is normalised on its own by
 * {@link normaliseIdentifiers} itself and the parts are combined exactly as it combines them (in field order,
 * then deduplicated and sorted by priority); `test/ingest/normalise-cached.test.ts` checks the two agree.
 * Results are shared between records, so they are frozen. Each field's cache is bounded and starts over when full.
 */
const FIELD_CACHE_ENTRIES = 200_000;

interface FieldCaches {
  /** By source (undefined: none given), then customer id. */
  customer: Map<string | undefined, Map<string, NormalisedIdentifiers>>;
  customerEntries: number;
  lastSource: string | undefined;
  lastBySource: Map<string, NormalisedIdentifiers> | undefined;
  email: Map<string, NormalisedIdentifiers>;
  phone: Map<string, NormalisedIdentifiers>;
  anonymous: Map<string, NormalisedIdentifiers>;
}

const fieldCaches = new WeakMap<IdentityConfig, FieldCaches>();
/** The caches used last, so a batch does not look its config up per record. */
let lastConfig: IdentityConfig | undefined;
let lastCaches: FieldCaches | undefined;

function freezeResult(result: NormalisedIdentifiers): NormalisedIdentifiers {
  for (const k of result.keys) Object.freeze(k);
  for (const k of result.blocked) Object.freeze(k);
  for (const r of result.rejections) Object.freeze(r);
  Object.freeze(result.keys);
  Object.freeze(result.blocked);
  Object.freeze(result.rejections);
  return Object.freeze(result);
}

function cachedField(
  cache: Map<string, NormalisedIdentifiers>,
  value: string,
  ids: RawIdentifiers,
  config: IdentityConfig,
): NormalisedIdentifiers {
  let result = cache.get(value);
  if (result === undefined) {
    result = freezeResult(normaliseIdentifiers(ids, config));
    if (cache.size >= FIELD_CACHE_ENTRIES) cache.clear();
    cache.set(value, result);
  }
  return result;
}

function cachedCustomer(caches: FieldCaches, customerId: string, source: string | undefined, config: IdentityConfig) {
  // Files mostly name one source: remember the last one's map rather than looking it up per row.
  let bySource = source === caches.lastSource ? caches.lastBySource : caches.customer.get(source);
  if (bySource === undefined) caches.customer.set(source, (bySource = new Map<string, NormalisedIdentifiers>()));
  caches.lastSource = source;
  caches.lastBySource = bySource;
  let result = bySource.get(customerId);
  if (result === undefined) {
    result = freezeResult(normaliseIdentifiers({ customerId, source }, config));
    if (caches.customerEntries >= FIELD_CACHE_ENTRIES) {
      caches.customer.clear();
      caches.customerEntries = 0;
      caches.customer.set(source, bySource);
      bySource.clear();
    }
    bySource.set(customerId, result);
    caches.customerEntries++;
  }
  return result;
}

/** No identifiers: what normalising a record without any gives. */
const NOTHING: NormalisedIdentifiers = freezeResult({ keys: [], rejections: [], blocked: [] });

const hasContent = (r: NormalisedIdentifiers): boolean =>
  r !== NOTHING && (r.keys.length > 0 || r.rejections.length > 0 || r.blocked.length > 0);

/** {@link normaliseIdentifiers}, answered from the per-field caches where possible. */
export function normaliseCached(ids: RawIdentifiers, config: IdentityConfig): NormalisedIdentifiers {
  const { customerId, source, email, phone, anonymousId, extraEmails, extraPhones } = ids;
  // Customer records may list extra emails and phones; and only strings (all validation produces) are cached.
  if (
    (extraEmails !== undefined && extraEmails.length > 0) ||
    (extraPhones !== undefined && extraPhones.length > 0) ||
    (customerId !== undefined && typeof customerId !== 'string') ||
    (source !== undefined && typeof source !== 'string') ||
    (email !== undefined && typeof email !== 'string') ||
    (phone !== undefined && typeof phone !== 'string') ||
    (anonymousId !== undefined && typeof anonymousId !== 'string')
  ) {
    return normaliseIdentifiers(ids, config);
  }
  let caches = config === lastConfig ? lastCaches : fieldCaches.get(config);
  if (caches === undefined) {
    caches = {
      customer: new Map(),
      customerEntries: 0,
      lastSource: undefined,
      lastBySource: undefined,
      email: new Map(),
      phone: new Map(),
      anonymous: new Map(),
    };
    fieldCaches.set(config, caches);
  }
  lastConfig = config;
  lastCaches = caches;
  // The parts in the order normaliseIdentifiers takes the fields; most records have one or two.
  const c = customerId === undefined ? NOTHING : cachedCustomer(caches, customerId, source, config);
  const e = email === undefined ? NOTHING : cachedField(caches.email, email, { email }, config);
  const p = phone === undefined ? NOTHING : cachedField(caches.phone, phone, { phone }, config);
  const a = anonymousId === undefined ? NOTHING : cachedField(caches.anonymous, anonymousId, { anonymousId }, config);
  const filled = (hasContent(c) ? 1 : 0) + (hasContent(e) ? 2 : 0) + (hasContent(p) ? 4 : 0) + (hasContent(a) ? 8 : 0);
  switch (filled) {
    case 0:
      return NOTHING;
    case 1:
      return c;
    case 2:
      return e;
    case 4:
      return p;
    case 8:
      return a;
  }
  const keys: IdentityKey[] = [];
  const rejections: IdentifierRejection[] = [];
  const blocked: IdentityKey[] = [];
  for (const part of [c, e, p, a]) {
    keys.push(...part.keys);
    rejections.push(...part.rejections);
    blocked.push(...part.blocked);
  }
  return { keys: sortByPriority(dedupe(keys), config.priority), rejections, blocked: dedupe(blocked) };
}
