/**
 * Turns a batch's identifiers into profile assignments inside the write transaction: keys already known (from
 * this import's cache or the store) go straight to their profile; anything new or linking several profiles goes
 * through the pure resolver, whose decisions are then persisted.
 */
import type { IdentityConfig } from '../core/identity/config.js';
import { survivorOf } from '../core/identity/merge-chain.js';
import type { IdentityKey } from '../core/identity/normalise.js';
import type { KnownIdentity } from '../core/identity/resolve.js';
import type { Queryable } from '../store/engines/engine.js';
import type { ProfileIdReserve } from './profile-id-reserve.js';
import { resolveRecords } from './resolve-records.js';
import type { StoredIds } from './stored-id-filter.js';
import {
  allocateIds,
  applyMerges,
  exclusionsFor,
  findIdentities,
  identitiesOfProfiles,
  insertIdentities,
  insertProfiles,
  type NewMerge,
  type StoredIdentity,
} from '../store/repositories/identity-repository.js';

export interface IdentityInput {
  ref: string;
  keys: IdentityKey[];
  /** The key that is the record's identity (a customer record's own id): never given up (core/identity/resolve.ts). */
  own?: string | undefined;
  /** When the record happened (epoch ms): an identity it introduces is first seen then. */
  at?: number | undefined;
}

export interface Assignment {
  profileId: number;
  customerKey: string;
}

export interface IdentityStepResult {
  assignments: (Assignment | null)[];
  dropped: { recordIndex: number; key: string; reason: string }[];
  newProfiles: number;
  /** Merges decided for this batch; {@link applyPendingMerges} persists them once the batch's rows are stored. */
  merges: NewMerge[];
  /** New keys hung from another profile than the one their record joined (linked through a merged-in profile). */
  origins?: Map<string, number> | undefined;
}

/**
 * Key → profile cache for one import. Bounded; cleared whenever a merge could have made an entry stale.
 * Only safe where this process is the single writer (DuckDB); Postgres imports pass no cache.
 */
export class ProfileCache {
  private readonly map = new Map<string, number>();
  constructor(private readonly maxEntries = 500_000) {}
  get(key: string): number | undefined {
    return this.map.get(key);
  }
  set(key: string, profileId: number): void {
    if (this.map.size >= this.maxEntries && !this.map.has(key)) this.map.clear();
    this.map.set(key, profileId);
  }
  clear(): void {
    this.map.clear();
  }
}

export async function resolveIdentities(
  tx: Queryable,
  workspaceId: string,
  inputs: readonly IdentityInput[],
  config: IdentityConfig,
  at: number,
  cache?: ProfileCache,
  storedKeys?: StoredIds,
  profileIds?: ProfileIdReserve,
): Promise<IdentityStepResult> {
  // Fast path: every key known and all on one profile — nothing to link or merge. Records whose keys are all
  // in this import's cache are settled without touching the store; the others wait for one lookup.
  const assignments: (Assignment | null)[] = new Array<Assignment | null>(inputs.length).fill(null);
  const pending: number[] = [];
  // Pending records none of whose keys is in the cache (a new customer's, typically): unless the store knows one
  // of their keys, they go to the resolver without being looked up again. Written for speed: on large batches the
  // cache lookups are much of this step's cost, so each key is looked up once where possible.
  const uncached = new Uint8Array(inputs.length);
  const missing = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const keys = inputs[i]!.keys;
    if (keys.length === 0) continue;
    const first = cache?.get(keys[0]!.key);
    if (first !== undefined) {
      let settled = true;
      for (let j = 1; j < keys.length && settled; j++) settled = cache!.get(keys[j]!.key) === first;
      if (settled) {
        assignments[i] = { profileId: first, customerKey: keys[0]!.key };
        continue;
      }
    }
    pending.push(i);
    let anyCached = first !== undefined;
    for (let j = 0; j < keys.length; j++) {
      const key = keys[j]!.key;
      const inCache = j === 0 ? first : cache?.get(key);
      if (inCache !== undefined) anyCached = true;
      // A key the filter has never seen is not stored: no need to look it up.
      else if (storedKeys === undefined || storedKeys.mightContain(key)) missing.add(key);
    }
    if (!anyCached) uncached[i] = 1;
  }
  const stored = new Map<string, StoredIdentity>();
  if (missing.size > 0) for (const identity of await findIdentities(tx, workspaceId, [...missing])) stored.set(identity.key, identity);
  const profileOf = (key: string): number | undefined => cache?.get(key) ?? stored.get(key)?.profileId;
  // Not in the cache, and the store knows none of the batch's keys: nothing to look up for this record.
  const unknown = (i: number): boolean => uncached[i] === 1 && stored.size === 0;

  const slow: number[] = [];
  for (const i of pending) {
    const keys = inputs[i]!.keys;
    if (unknown(i)) {
      slow.push(i);
      continue;
    }
    const first = profileOf(keys[0]!.key);
    let same = first !== undefined;
    for (let j = 1; j < keys.length && same; j++) same = profileOf(keys[j]!.key) === first;
    if (same) assignments[i] = { profileId: first!, customerKey: keys[0]!.key };
    else slow.push(i);
  }

  let result: IdentityStepResult = { assignments, dropped: [], newProfiles: 0, merges: [] };
  if (slow.length > 0) {
    // The resolver needs what is known about the slow records' keys only.
    const known = new Map<string, KnownIdentity>();
    for (const i of slow) {
      if (unknown(i)) continue;
      for (const k of inputs[i]!.keys) {
        const profileId = profileOf(k.key);
        // A cached key's origin is its profile (see updateCache); a stored one says where it was first linked.
        const identity = stored.get(k.key);
        if (profileId !== undefined) known.set(k.key, { key: k.key, type: identity?.type ?? k.type, profileId, originProfileId: identity?.originProfileId });
      }
    }
    result = await resolveSlow(tx, workspaceId, inputs, slow, known, config, at, assignments, storedKeys, profileIds);
  }
  if (cache) updateCache(cache, inputs, result, pending, (key) => stored.get(key)?.originProfileId);
  return result;
}

/**
 * Records the batch's key → profile links in the cache (skipping keys dropped from their record). After merges
 * the cache starts over and every profile is followed to its survivor: a record resolved early in the batch may
 * point at a profile that a later record merged away.
 *
 * Only keys whose profile is the one they were first linked to are cached: the cache holds no origin, and the
 * resolver needs a key's origin whenever it links a new key or a merge through it (a key of a profile merged
 * into another is looked up in the store instead; such profiles are few).
 */
function updateCache(
  cache: ProfileCache,
  inputs: readonly IdentityInput[],
  result: IdentityStepResult,
  pending: readonly number[],
  storedOrigin: (key: string) => number | undefined,
): void {
  let survivor = (profileId: number): number => profileId;
  // Without merges, records settled from the cache have nothing to add.
  let indices: Iterable<number> = pending;
  const merged = result.merges.length > 0;
  if (merged) {
    indices = inputs.keys();
    const into = new Map<number, number>();
    for (const m of result.merges) into.set(m.fromProfileId, m.intoProfileId);
    survivor = (profileId) => survivorOf(profileId, into);
  }
  const dropped = result.dropped.length > 0 ? new Set(result.dropped.map((d) => `${d.recordIndex}\u0000${d.key}`)) : undefined;
  // With merges, links are collected first: a key's origin may be its cached profile from before the batch.
  const links: [string, number][] = [];
  for (const i of indices) {
    const a = result.assignments[i];
    if (!a) continue;
    const profileId = survivor(a.profileId);
    for (const k of inputs[i]!.keys) {
      if (dropped?.has(`${i}\u0000${k.key}`) === true) continue;
      // New keys hang from their record's profile unless linked through a key of a merged-in profile (listed);
      // without merges, a cached key is still on the profile it was cached with, its origin.
      const origin = result.origins?.get(k.key) ?? storedOrigin(k.key) ?? (merged ? cache.get(k.key) : undefined) ?? a.profileId;
      if (origin !== profileId) continue;
      if (merged) links.push([k.key, profileId]);
      else cache.set(k.key, profileId);
    }
  }
  if (!merged) return;
  cache.clear();
  for (const [key, profileId] of links) cache.set(key, profileId);
}

async function resolveSlow(
  tx: Queryable,
  workspaceId: string,
  inputs: readonly IdentityInput[],
  slow: readonly number[],
  known: Map<string, KnownIdentity>,
  config: IdentityConfig,
  at: number,
  assignments: (Assignment | null)[],
  storedKeys: StoredIds | undefined,
  profileIds: ProfileIdReserve | undefined,
): Promise<IdentityStepResult> {
  const involved = new Set<number>();
  for (const i of slow) for (const k of inputs[i]!.keys) {
    const p = known.get(k.key)?.profileId;
    if (p !== undefined) involved.add(p);
  }
  const profileKeys = new Map<number, IdentityKey[]>();
  for (const p of involved) profileKeys.set(p, []);
  for (const identity of await identitiesOfProfiles(tx, workspaceId, [...involved])) {
    profileKeys.get(identity.profileId)?.push({ type: identity.type, value: identity.value, key: identity.key });
    // Keys known from the cache or a plain lookup come without the record that linked them: a merge through
    // one names that record in its reason.
    const k = known.get(identity.key);
    if (k !== undefined && k.sourceRef === undefined && identity.sourceRef !== undefined) k.sourceRef = identity.sourceRef;
  }
  const exclusions = await exclusionsFor(tx, workspaceId, [...involved]);

  // The resolver allocates synchronously, so reserve the worst case (one new profile per record) up front;
  // unused ids only leave gaps in the sequence. Ids drawn ahead by the caller save the round trip.
  const reserved = profileIds?.peek(slow.length);
  const pool = reserved ?? (await allocateIds(tx, 'profile_id_seq', slow.length));
  let next = 0;
  const newProfileId = () => {
    const id = pool[next++];
    if (id === undefined) throw new Error('profile id pool exhausted');
    return id;
  };
  const output = resolveRecords({ records: slow.map((i) => inputs[i]!), known, profileKeys, exclusions, newProfileId, config });
  if (reserved) profileIds!.used(next);

  await insertProfiles(tx, workspaceId, output.newProfiles, at);
  // An identity is first seen when the record that introduced it happened.
  const recordTime = new Map<string, number>();
  for (const i of slow) recordTime.set(inputs[i]!.ref, inputs[i]!.at ?? at);
  await insertIdentities(
    tx,
    workspaceId,
    output.newIdentities.map((i) => ({
      key: i.key,
      type: i.type,
      value: i.value,
      profileId: i.profileId,
      originProfileId: i.originProfileId,
      sourceRef: i.sourceRef,
      linkedBy: i.linkedBy,
      firstSeenAt: recordTime.get(i.sourceRef) ?? at,
    })),
  );
  // Added before the commit: should it fail, the filter holds keys the table does not, which lookups confirm away.
  if (storedKeys) for (const i of output.newIdentities) storedKeys.add(i.key);
  slow.forEach((recordIndex, j) => {
    assignments[recordIndex] = output.assignments[j] ?? null;
  });
  let origins: Map<string, number> | undefined;
  for (const i of output.newIdentities) if (i.originProfileId !== i.profileId) (origins ??= new Map()).set(i.key, i.originProfileId);
  return {
    assignments,
    dropped: output.dropped.map((d) => ({ ...d, recordIndex: slow[d.recordIndex]! })),
    newProfiles: output.newProfiles.length,
    merges: output.merges,
    origins,
  };
}

/** Merges are applied after the batch's rows are stored so those rows are repointed too. */
export async function applyPendingMerges(tx: Queryable, workspaceId: string, result: IdentityStepResult, at: number): Promise<void> {
  await applyMerges(tx, workspaceId, result.merges, at);
}
