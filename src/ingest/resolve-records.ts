/**
 * `resolveIdentities` of core/identity/resolve.ts with a shortcut for the records of a batch that cannot interact
 * with any other: typical of imports (a new customer's first record, a known customer with a new device id), and
 * most of the records of a bulk import. The output is the resolver's exactly (test/ingest/resolve-records.test.ts).
 */
import { limitBucket, type IdentityConfig } from '../core/identity/config.js';
import { dedupe, sortByPriority, type IdentityKey } from '../core/identity/normalise.js';
import type { IdentifierType } from '../core/records.js';
import { resolveIdentities as resolveKeys, type NewIdentity as ResolvedIdentity, type ResolveInput, type ResolveOutput } from '../core/identity/resolve.js';
import type { Assignment } from './identity-step.js';

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
    get own() {
      return records[j]!.own;
    },
  }));
  // Ids in record order: before the resolver's next new profile, the shortcut's new profiles of earlier records.
  const newProfiles: number[] = [];
  const aloneIds = new Map<number, number>();
  let drawnUpTo = 0;
  const drawAloneBefore = (position: number) => {
    for (; drawnUpTo < position; drawnUpTo++) {
      const settled = alone[drawnUpTo];
      if (settled === undefined || settled.profileId !== undefined || settled.founder !== undefined) continue;
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
    const profileId = settled.profileId ?? aloneIds.get(settled.founder ?? j)!;
    const ref = records[j]!.ref;
    const linkedBy = settled.anchor === undefined ? `new profile from ${ref}` : `appeared with ${settled.anchor.key} on ${ref}`;
    // Hung from the profile the anchor was first linked to, as the resolver does (a group's anchor is new: none).
    const anchorIdentity = settled.anchor === undefined ? undefined : input.known.get(settled.anchor.key);
    const originProfileId = anchorIdentity?.originProfileId ?? profileId;
    for (const k of settled.unknown) newIdentities.push({ key: k.key, type: k.type, value: k.value, profileId, originProfileId, sourceRef: ref, linkedBy });
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

/**
 * How the shortcut settled a record: the profile it joins (none: a new one, its own or that of the `founder`
 * record of its group), and the keys it adds.
 */
interface Settled {
  profileId: number | undefined;
  founder?: number | undefined;
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
 * record, or a known customer with a new device id. Records that do share keys are settled as a group (see
 * {@link settleGroups}) when the group is new to the store. Returns, by position in `records`, undefined for the
 * records left to the resolver.
 */
function settleIndependent({ records, known, profileKeys, config }: ResolveInput): (Settled | undefined)[] {
  // Written for speed (it sees every record of a bulk import): plain loops, and no per-record allocation when
  // nothing is known yet, as in a first import.
  const n = records.length;
  const keysOf = new Array<readonly IdentityKey[]>(n);
  // Per key, the record that carried it first; a record sharing a key with another is marked, and joined to the
  // other's group (one map lookup per key: on large batches these lookups are most of the cost).
  const firstCarrier = new Map<string, number>();
  const shared = new Uint8Array(n);
  const groups = new Groups(n);
  // Per record, a bit per key (in resolver order) that no earlier record carried: the keys it introduces.
  const introduces = new Uint32Array(n);
  const anyKnown = known.size > 0;
  const profileUse = new Map<number, number>();
  for (let j = 0; j < n; j++) {
    const keys = inResolverOrder(records[j]!.keys, config);
    keysOf[j] = keys;
    let first: number | undefined;
    for (let x = 0; x < keys.length; x++) {
      const key = keys[x]!.key;
      const carrier = firstCarrier.get(key);
      if (carrier === undefined) {
        firstCarrier.set(key, j);
        if (x < 32) introduces[j]! |= 1 << x;
      } else {
        shared[carrier] = 1;
        shared[j] = 1;
        groups.join(carrier, j);
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
  let anyShared = false;
  for (let j = 0; j < n; j++) {
    const keys = keysOf[j]!;
    const strongest = keys[0];
    if (strongest === undefined) continue;
    let profile: number | undefined;
    let anchor: IdentityKey | undefined;
    if (shared[j] === 1) {
      anyShared = true;
      continue;
    }
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
  if (anyShared) settleGroups({ keysOf, shared, introduces, groups, known, config }, settled);
  return settled;
}

/**
 * Settles groups of records linked by shared keys that the resolver would turn into one new profile with no merge
 * and no drop: none of the group's keys is known, every record after the group's first carries a key an earlier
 * one introduced (so it joins the profile its group's first record started instead of starting another), and all
 * the group's keys together stay within the limits (so no record along the way has to drop one). The first record
 * then starts the profile with its keys; each later one adds the keys it introduces, linked by its strongest key
 * an earlier record introduced: the resolver's steps, which no record outside the group can see. Typical of a
 * first import: a customer's records with and without a device id.
 */
function settleGroups(
  { keysOf, shared, introduces, groups, known, config }: { keysOf: readonly (readonly IdentityKey[])[]; shared: Uint8Array; introduces: Uint32Array; groups: Groups; known: ResolveInput['known']; config: IdentityConfig },
  settled: (Settled | undefined)[],
): void {
  const n = keysOf.length;
  // By group: whether it is left to the resolver. A group's root is its first record (see Groups.join).
  const refused = new Uint8Array(n);
  const introduced = new Map<number, IdentityKey[]>();
  for (let j = 0; j < n; j++) {
    if (shared[j] !== 1) continue;
    const root = groups.root(j);
    const keys = keysOf[j]!;
    const bits = introduces[j]!;
    if (keys.length > 32 || keys.length === 0) refused[root] = 1;
    // A later record introducing all its keys would start a profile of its own, merged later.
    else if (j !== root && bits === (keys.length === 32 ? 0xffffffff : (1 << keys.length) - 1)) refused[root] = 1;
    if (refused[root] === 1) continue;
    let list = introduced.get(root);
    if (list === undefined) introduced.set(root, (list = []));
    for (let x = 0; x < keys.length; x++) {
      const k = keys[x]!;
      if (known.size > 0 && known.has(k.key)) refused[root] = 1;
      if ((bits & (1 << x)) !== 0) list.push(k);
    }
  }
  for (const [root, keys] of introduced) if (refused[root] === 0 && !withinLimits(keys, [], config)) refused[root] = 1;
  for (let j = 0; j < n; j++) {
    if (shared[j] !== 1) continue;
    const root = groups.root(j);
    if (refused[root] === 1) continue;
    const keys = keysOf[j]!;
    const bits = introduces[j]!;
    if (root === j) {
      settled[j] = { profileId: undefined, anchor: undefined, strongest: keys[0]!, unknown: keys as IdentityKey[] };
      continue;
    }
    const unknown: IdentityKey[] = [];
    let anchor: IdentityKey | undefined;
    for (let x = 0; x < keys.length; x++) {
      if ((bits & (1 << x)) !== 0) unknown.push(keys[x]!);
      else anchor ??= keys[x]!;
    }
    settled[j] = { profileId: undefined, founder: root, anchor, strongest: keys[0]!, unknown };
  }
}

/**
 * Union-find over record positions: records sharing a key, directly or through others, form one group, whose root
 * is always its first record (the smaller root wins a join).
 */
class Groups {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  root(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    // Pointing the path straight at the root keeps later lookups short.
    for (let x = i; this.parent[x] !== r; ) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  join(a: number, b: number): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
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
