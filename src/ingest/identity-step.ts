/**
 * Turns a batch's identifiers into profile assignments inside the write transaction: keys already known (from
 * this import's cache or the store) go straight to their profile; anything new or linking several profiles goes
 * through the pure resolver, whose decisions are then persisted.
 */
import { limitBucket, type IdentityConfig } from '../core/identity/config.js';
import { dedupe, sortByPriority, type IdentityKey } from '../core/identity/normalise.js';
import type { IdentifierType } from '../core/records.js';
import {
  resolveIdentities as resolveKeys,
  type KnownIdentity,
  type NewIdentity as ResolvedIdentity,
  type ResolveInput,
  type ResolveOutput,
} from '../core/identity/resolve.js';
import type { Queryable } from '../store/engines/engine.js';
import type { ProfileIdReserve } from './profile-id-reserve.js';
import type { StoredIdFilter } from './stored-id-filter.js';
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
    if (this.map.size >= this.maxEntries) this.map.clear();
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
  storedKeys?: StoredIdFilter,
  profileIds?: ProfileIdReserve,
): Promise<IdentityStepResult> {
  // Fast path: every key known and all on one profile — nothing to link or merge. Records whose keys are all
  // in this import's cache are settled without touching the store; the others wait for one lookup.
  const assignments: (Assignment | null)[] = new Array<Assignment | null>(inputs.length).fill(null);
  const pending: number[] = [];
  const missing = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const keys = inputs[i]!.keys;
    if (keys.length === 0) continue;
    if (cache !== undefined) {
      const first = cache.get(keys[0]!.key);
      let settled = first !== undefined;
      for (let j = 1; j < keys.length && settled; j++) settled = cache.get(keys[j]!.key) === first;
      if (settled) {
        assignments[i] = { profileId: first!, customerKey: keys[0]!.key };
        continue;
      }
    }
    pending.push(i);
    // A key the filter has never seen is not stored: no need to look it up.
    for (const k of keys) if (cache?.get(k.key) === undefined && (storedKeys === undefined || storedKeys.mightContain(k.key))) missing.add(k.key);
  }
  const stored = new Map<string, StoredIdentity>();
  if (missing.size > 0) for (const identity of await findIdentities(tx, workspaceId, [...missing])) stored.set(identity.key, identity);
  const profileOf = (key: string): number | undefined => cache?.get(key) ?? stored.get(key)?.profileId;

  const slow: number[] = [];
  for (const i of pending) {
    const keys = inputs[i]!.keys;
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
      for (const k of inputs[i]!.keys) {
        const profileId = profileOf(k.key);
        if (profileId !== undefined) known.set(k.key, { key: k.key, type: stored.get(k.key)?.type ?? k.type, profileId });
      }
    }
    result = await resolveSlow(tx, workspaceId, inputs, slow, known, config, at, assignments, storedKeys, profileIds);
  }
  if (cache) updateCache(cache, inputs, result, pending);
  return result;
}

/**
 * Records the batch's key → profile links in the cache (skipping keys dropped from their record). After merges
 * the cache starts over and every profile is followed to its survivor: a record resolved early in the batch may
 * point at a profile that a later record merged away.
 */
function updateCache(cache: ProfileCache, inputs: readonly IdentityInput[], result: IdentityStepResult, pending: readonly number[]): void {
  let survivor = (profileId: number): number => profileId;
  // Without merges, records settled from the cache have nothing to add.
  let indices: Iterable<number> = pending;
  if (result.merges.length > 0) {
    indices = inputs.keys();
    cache.clear();
    const into = new Map<number, number>();
    for (const m of result.merges) into.set(m.fromProfileId, m.intoProfileId);
    survivor = (profileId) => {
      let current = profileId;
      for (let next = into.get(current), guard = 0; next !== undefined && guard < 10_000; next = into.get(current), guard++) current = next;
      return current;
    };
  }
  const dropped = result.dropped.length > 0 ? new Set(result.dropped.map((d) => `${d.recordIndex}\u0000${d.key}`)) : undefined;
  for (const i of indices) {
    const a = result.assignments[i];
    if (!a) continue;
    const profileId = survivor(a.profileId);
    for (const k of inputs[i]!.keys) {
      if (cache.get(k.key) === profileId || dropped?.has(`${i}\u0000${k.key}`)) continue;
      cache.set(k.key, profileId);
    }
  }
}

/**
 * `resolveIdentities` of core/identity/resolve.ts, with a shortcut for records that cannot interact with any other
 * in the batch (see {@link settleIndependent}). The output is the resolver's, exactly: new profiles draw their ids
 * from `newProfileId` in record order, as the resolver draws them, and new identities come in record order.
 */
export function resolveRecords(input: ResolveInput): ResolveOutput {
  const { records, newProfileId } = input;
  const alone = settleIndependent(input);
  // The others go through the resolver; `rest` holds their positions in `records`. The resolver reads a record's
  // keys first thing when it takes the record up, which tells which record a new profile id is drawn for.
  const rest: number[] = [];
  for (let j = 0; j < records.length; j++) if (alone[j] === undefined) rest.push(j);
  let current = 0;
  const restRecords = rest.map((j) => ({
    get keys() {
      current = j;
      return records[j]!.keys;
    },
    get ref() {
      return records[j]!.ref;
    },
  }));
  // Ids in record order: before the resolver's next new profile, the shortcut's new profiles of earlier records.
  const newProfiles: number[] = [];
  const aloneIds = new Map<number, number>();
  let drawnUpTo = 0;
  const drawAloneBefore = (position: number) => {
    for (; drawnUpTo < position; drawnUpTo++) {
      const settled = alone[drawnUpTo];
      if (settled === undefined || settled.profileId !== undefined) continue;
      const id = newProfileId();
      aloneIds.set(drawnUpTo, id);
      newProfiles.push(id);
    }
  };
  const resolved = resolveKeys({
    ...input,
    records: restRecords,
    newProfileId: () => {
      drawAloneBefore(current);
      const id = newProfileId();
      newProfiles.push(id);
      return id;
    },
  });
  drawAloneBefore(records.length);

  const assignments: (Assignment | null)[] = new Array<Assignment | null>(records.length).fill(null);
  rest.forEach((j, r) => (assignments[j] = resolved.assignments[r] ?? null));
  // New identities in record order: the resolver's are in the order of its records.
  const restPosition = new Map<string, number>(rest.map((j) => [records[j]!.ref, j]));
  const newIdentities: ResolvedIdentity[] = [];
  let next = 0;
  const takeResolvedBefore = (position: number) => {
    for (; next < resolved.newIdentities.length && restPosition.get(resolved.newIdentities[next]!.sourceRef)! < position; next++) {
      newIdentities.push(resolved.newIdentities[next]!);
    }
  };
  for (let j = 0; j < records.length; j++) {
    const settled = alone[j];
    if (settled === undefined) continue;
    takeResolvedBefore(j);
    const profileId = settled.profileId ?? aloneIds.get(j)!;
    const ref = records[j]!.ref;
    const linkedBy = settled.anchor === undefined ? `new profile from ${ref}` : `appeared with ${settled.anchor.key} on ${ref}`;
    for (const k of settled.unknown) newIdentities.push({ key: k.key, type: k.type, value: k.value, profileId, sourceRef: ref, linkedBy });
    assignments[j] = { profileId, customerKey: settled.strongest.key };
  }
  takeResolvedBefore(records.length);
  return {
    assignments,
    newIdentities,
    newProfiles,
    merges: resolved.merges,
    dropped: resolved.dropped.map((d) => ({ ...d, recordIndex: rest[d.recordIndex]! })),
  };
}

/** How the shortcut settled a record: the profile it joins (none: a new one), and the keys it adds. */
interface Settled {
  profileId: number | undefined;
  anchor: IdentityKey | undefined;
  strongest: IdentityKey;
  unknown: IdentityKey[];
}

/**
 * Settles, without the general resolver, the records that cannot interact with any other: none of their keys is
 * carried by another record, their known keys all belong to one profile that no other record touches, and linking
 * them breaks no limit. Such a record either starts a new profile (no key known) or adds its unknown keys to its
 * one profile, exactly as the resolver would; since nothing else in the batch can see those keys or that profile,
 * taking it out leaves the resolver's work on the others unchanged. Typical of imports: a new customer's first
 * record, or a known customer with a new device id. Returns, by position in `records`, undefined for the records
 * left to the resolver.
 */
function settleIndependent({ records, known, profileKeys, config }: ResolveInput): (Settled | undefined)[] {
  // Written for speed (it sees every record of a bulk import): plain loops, and no per-record allocation when
  // nothing is known yet, as in a first import.
  const n = records.length;
  const keysOf = new Array<readonly IdentityKey[]>(n);
  // Per key, the record that carried it first; a record sharing a key with another is marked (one map lookup
  // per key: on large batches these lookups are most of the cost).
  const firstCarrier = new Map<string, number>();
  const shared = new Uint8Array(n);
  const anyKnown = known.size > 0;
  const profileUse = new Map<number, number>();
  for (let j = 0; j < n; j++) {
    const keys = inResolverOrder(records[j]!.keys, config);
    keysOf[j] = keys;
    let first: number | undefined;
    for (let x = 0; x < keys.length; x++) {
      const key = keys[x]!.key;
      const carrier = firstCarrier.get(key);
      if (carrier === undefined) firstCarrier.set(key, j);
      else {
        shared[carrier] = 1;
        shared[j] = 1;
      }
      if (!anyKnown) continue;
      const p = known.get(key)?.profileId;
      if (p === undefined || p === first) continue;
      // At least once per record and profile; counting one twice only leaves its records to the resolver.
      profileUse.set(p, (profileUse.get(p) ?? 0) + 1);
      first ??= p;
    }
  }
  const settled = new Array<Settled | undefined>(n).fill(undefined);
  for (let j = 0; j < n; j++) {
    const keys = keysOf[j]!;
    const strongest = keys[0];
    if (strongest === undefined) continue;
    let profile: number | undefined;
    let anchor: IdentityKey | undefined;
    if (shared[j] === 1) continue;
    let independent = true;
    let knownCount = 0;
    for (let x = 0; x < keys.length && independent && anyKnown; x++) {
      const k = keys[x]!;
      const p = known.get(k.key)?.profileId;
      if (p === undefined) continue;
      knownCount++;
      if (profile === undefined) {
        profile = p;
        anchor = k;
      } else if (p !== profile) independent = false;
    }
    if (!independent || (profile !== undefined && profileUse.get(profile) !== 1)) continue;
    const unknown = knownCount === 0 ? (keys as IdentityKey[]) : keys.filter((k) => !known.has(k.key));
    // The resolver's limit check (findDrop) for at most one profile: a bucket may not grow beyond its limit.
    // Buckets without unknown keys do not grow; profiles already over a lowered limit keep what they hold.
    const held = profile === undefined ? [] : [...(profileKeys.get(profile) ?? []), ...keys.filter((k) => known.has(k.key))];
    if (!withinLimits(unknown, held, config)) continue;
    settled[j] = { profileId: profile, anchor, strongest, unknown };
  }
  return settled;
}

const ranks = new WeakMap<IdentityConfig, Map<IdentifierType, number>>();

/** `sortByPriority(dedupe(keys))`, as the resolver orders a record's keys; normalised keys usually already are. */
function inResolverOrder(keys: readonly IdentityKey[], config: IdentityConfig): readonly IdentityKey[] {
  if (keys.length < 2) return keys;
  let rank = ranks.get(config);
  if (rank === undefined) {
    rank = new Map(config.priority.map((type, i) => [type, i]));
    ranks.set(config, rank);
  }
  for (let i = 1; i < keys.length; i++) {
    const ri = rank.get(keys[i]!.type) ?? -1;
    const rp = rank.get(keys[i - 1]!.type) ?? -1;
    let repeated = false;
    for (let x = 0; x < i && !repeated; x++) repeated = keys[x]!.key === keys[i]!.key;
    if (rp > ri || repeated) return sortByPriority(dedupe(keys), config.priority);
  }
  return keys;
}

const bucketOf = (k: IdentityKey): string => (k.type === 'customer_id' ? limitBucket(k.type, k.key) : k.type);

/**
 * Whether `unknown` keys can join a profile holding `held` (possibly with repeats) without a bucket exceeding its
 * limit: the union of both, counted per bucket, as findDrop in core/identity/resolve.ts counts it.
 */
function withinLimits(unknown: readonly IdentityKey[], held: readonly IdentityKey[], config: IdentityConfig): boolean {
  // One key alone in its bucket: within any limit of at least one.
  if (held.length === 0 && unknown.length === 1) return limitOf(bucketOf(unknown[0]!), config) >= 1;
  for (const k of unknown) {
    const bucket = bucketOf(k);
    const members = new Set<string>();
    let heldCount = 0;
    for (const h of held) {
      if (bucketOf(h) !== bucket || members.has(h.key)) continue;
      members.add(h.key);
      heldCount++;
    }
    for (const u of unknown) if (bucketOf(u) === bucket) members.add(u.key);
    if (members.size > limitOf(bucket, config) && members.size > heldCount) return false;
  }
  return true;
}

function limitOf(bucket: string, config: IdentityConfig): number {
  return config.limits[(bucket.startsWith('customer_id:') ? 'customer_id' : bucket) as IdentifierType];
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
  storedKeys: StoredIdFilter | undefined,
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
  }
  const exclusions = await exclusionsFor(tx, workspaceId, [...involved]);

  // The resolver allocates synchronously, so reserve the worst case (one new profile per record) up front;
  // unused ids only leave gaps in the sequence.
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
  return {
    assignments,
    dropped: output.dropped.map((d) => ({ ...d, recordIndex: slow[d.recordIndex]! })),
    newProfiles: output.newProfiles.length,
    merges: output.merges,
  };
}

/** Merges are applied after the batch's rows are stored so those rows are repointed too. */
export async function applyPendingMerges(tx: Queryable, workspaceId: string, result: IdentityStepResult, at: number): Promise<void> {
  await applyMerges(tx, workspaceId, result.merges, at);
}
