/**
 * Batch identity resolution, following Segment Unify: deterministic exact matching on normalised keys, with
 * identifier priority deciding which profile survives a merge and which identifier gives way when a link would
 * break a per-profile limit or an unmerge exclusion. Records are resolved one after another against state that
 * is updated in place, so a later record in the batch sees the profiles earlier ones created or merged.
 * Pure: the caller loads `known`/`profileKeys` and persists the output.
 */
import type { IdentifierType } from '../records.js';
import { describeBucket, limitBucket, type IdentityConfig } from './config.js';
import { dedupe, sortByPriority, type IdentityKey } from './normalise.js';
import { exclusionKey } from './unmerge.js';

/** An identity that already belongs to a profile. `sourceRef` (optional) names the record that first linked it. */
export interface KnownIdentity {
  key: string;
  type: IdentifierType;
  /** The live profile it belongs to now. */
  profileId: number;
  /** The profile it was first linked to, when a merge has since moved it to `profileId` (absent: `profileId`). */
  originProfileId?: number | undefined;
  sourceRef?: string | undefined;
}

export interface ResolveInput {
  /**
   * `ref` names the record (`customers:crm:123`, `events:evt_9`) in explanations; keys come from normalisation.
   * `own` is the key that is the record's identity (a customer record's own customer id): whatever the priority,
   * it is never the identifier given up; the record's other identifiers give way instead.
   */
  records: readonly { ref: string; keys: readonly IdentityKey[]; own?: string | undefined }[];
  /** Existing identities for every key in the batch, by key. Updated in place. */
  known: Map<string, KnownIdentity>;
  /** All identities of every profile referenced by `known`. Updated in place. */
  profileKeys: Map<number, IdentityKey[]>;
  /** `${min}:${max}` live-profile pairs that must never merge (see `liveExclusions`). */
  exclusions: ReadonlySet<string>;
  newProfileId: () => number;
  config: IdentityConfig;
}

/** Where a record landed; `customerKey` is its highest-priority key that was actually linked. */
export interface ProfileAssignment {
  profileId: number;
  customerKey: string;
}

/**
 * An identity seen for the first time. `profileId` is the live profile it joins; `originProfileId` the profile it
 * hangs from in the merge history: that of the key it was linked through (`profileId` itself, or a profile merged
 * into it). Undoing the merge of that profile takes it along, as it does the profile's own keys.
 */
export interface NewIdentity {
  key: string;
  type: IdentifierType;
  value: string;
  profileId: number;
  originProfileId: number;
  sourceRef: string;
  linkedBy: string;
}

export interface ProfileMerge {
  fromProfileId: number;
  /** The live profile that absorbs `fromProfileId`. */
  intoProfileId: number;
  /**
   * Where the absorbed profile hangs in the merge history: the profile the matching key of the survivor was first
   * linked to (`intoProfileId`, or a profile merged into it). Undoing that profile's merge takes this one along.
   */
  parentProfileId: number;
  /** The record's key that matched the absorbed profile. */
  viaKey: string;
  sourceRef: string;
  reason: string;
}

/** An identifier a record carried but did not link (limit or exclusion). */
export interface DroppedIdentifier {
  recordIndex: number;
  key: string;
  reason: string;
}

/**
 * What the batch changed. Apply `newIdentities` before `merges`, and apply merges
 * in order: a merge moves every identity of `fromProfileId`, including ones this batch created.
 */
export interface ResolveOutput {
  /** Per record, in input order; null when the record has no usable key. */
  assignments: (ProfileAssignment | null)[];
  newIdentities: NewIdentity[];
  newProfiles: number[];
  merges: ProfileMerge[];
  dropped: DroppedIdentifier[];
}

/** A set of record keys that can be dropped together, and how weak they are (higher sorts as weaker). */
interface DropUnit {
  keys: IdentityKey[];
  typeRank: number;
  /** Unknown keys give way before known keys of the same type: dropping them loses no existing link. */
  unknown: boolean;
  position: number;
  reason: string;
}

/** Counts a key list per limit bucket. */
function countBuckets(keys: Iterable<IdentityKey>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) {
    const bucket = limitBucket(k.type, k.key);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

function limitOf(bucket: string, config: IdentityConfig): number {
  const type = (bucket.startsWith('customer_id:') ? 'customer_id' : bucket) as IdentifierType;
  return config.limits[type];
}

/**
 * Resolves a batch of records to profiles. Per record, strongest key first: no known key → a new profile;
 * one profile → unknown keys join it; several → they merge into the profile of the strongest key. Whenever the
 * result would exceed a limit or merge an excluded pair, the weakest key involved is dropped and the record is
 * tried again (Segment's rule), so a record always joins the profile its strongest surviving key points to.
 * Resolving a record twice changes nothing the second time.
 */
export function resolveIdentities(input: ResolveInput): ResolveOutput {
  const output: ResolveOutput = { assignments: [], newIdentities: [], newProfiles: [], merges: [], dropped: [] };
  // Profiles absorbed during this batch, per survivor: exclusions of the absorbed profile bind the survivor too.
  const members = new Map<number, number[]>();
  const membersOf = (profileId: number): number[] => members.get(profileId) ?? [profileId];
  const excluded = (a: number, b: number): boolean =>
    membersOf(a).some((x) => membersOf(b).some((y) => input.exclusions.has(exclusionKey(x, y))));
  const typeRank = (type: IdentifierType): number => {
    const index = input.config.priority.indexOf(type);
    return index === -1 ? input.config.priority.length : index;
  };

  /**
   * What the record must give up to link `keys` without exceeding a limit or joining excluded profiles: the
   * weakest unknown key in an overfull bucket, or all the record's keys into the weakest conflicting profile.
   * Undefined when the keys can be linked as they are.
   */
  const findDrop = (keys: IdentityKey[], own: string | undefined): DropUnit | undefined => {
    const byProfile = new Map<number, IdentityKey[]>();
    const unknown: IdentityKey[] = [];
    for (const k of keys) {
      const profileId = input.known.get(k.key)?.profileId;
      if (profileId === undefined) unknown.push(k);
      else byProfile.set(profileId, [...(byProfile.get(profileId) ?? []), k]);
    }
    const profileCounts = new Map<number, Map<string, number>>();
    const union = new Map<string, IdentityKey>(unknown.map((k) => [k.key, k]));
    for (const [profileId, recordKeys] of byProfile) {
      const held = dedupe([...(input.profileKeys.get(profileId) ?? []), ...recordKeys]);
      profileCounts.set(profileId, countBuckets(held));
      for (const k of held) union.set(k.key, k);
    }

    const units: DropUnit[] = [];
    const profileUnit = (profileId: number, reason: string): void => {
      const recordKeys = byProfile.get(profileId) ?? [];
      const best = recordKeys[0];
      if (best === undefined || units.some((u) => u.keys[0] === best)) return;
      const position = keys.indexOf(best);
      units.push({ keys: recordKeys, typeRank: typeRank(best.type), unknown: false, position, reason });
    };

    for (const [bucket, count] of countBuckets(union.values())) {
      const limit = limitOf(bucket, input.config);
      // Profiles already over a lowered limit are grandfathered: only growth beyond what one holds is refused.
      const largest = Math.max(0, ...[...profileCounts.values()].map((counts) => counts.get(bucket) ?? 0));
      if (count <= limit || count <= largest) continue;
      const over = `one profile would hold ${count} ${describeBucket(bucket)} identities, over the limit of ${limit}`;
      for (const k of unknown) {
        if (limitBucket(k.type, k.key) !== bucket) continue;
        const position = keys.indexOf(k);
        units.push({ keys: [k], typeRank: typeRank(k.type), unknown: true, position, reason: `linking it: ${over}` });
      }
      for (const [profileId, counts] of profileCounts) {
        if ((counts.get(bucket) ?? 0) > 0)
          profileUnit(profileId, `it belongs to profile ${profileId}; joining it: ${over}`);
      }
    }
    const matched = [...byProfile.keys()];
    for (const a of matched) {
      for (const b of matched) {
        if (a === b || !excluded(a, b)) continue;
        profileUnit(a, `it belongs to profile ${a}, which was unmerged from profile ${b} and must stay apart from it`);
      }
    }
    // Weakest first: lowest type priority, then unknown before known, then later in the record. The record's own
    // key gives way only when nothing else can (then the priority decides, as for any record).
    const weakness = (u: DropUnit): [number, number, number] => [u.typeRank, u.unknown ? 1 : 0, u.position];
    const droppable = own === undefined ? units : units.filter((u) => !u.keys.some((k) => k.key === own));
    return (droppable.length > 0 ? droppable : units).sort((x, y) => {
      const [a, b] = [weakness(x), weakness(y)];
      return b[0] - a[0] || b[1] - a[1] || b[2] - a[2];
    })[0];
  };

  /** The profile `k` was first linked to (see {@link KnownIdentity.originProfileId}). */
  const originOf = (k: IdentityKey): number | undefined => {
    const identity = input.known.get(k.key);
    return identity?.originProfileId ?? identity?.profileId;
  };

  const addIdentity = (k: IdentityKey, profileId: number, originProfileId: number, ref: string, linkedBy: string): void => {
    input.known.set(k.key, { key: k.key, type: k.type, profileId, originProfileId, sourceRef: ref });
    input.profileKeys.set(profileId, [...(input.profileKeys.get(profileId) ?? []), k]);
    output.newIdentities.push({ key: k.key, type: k.type, value: k.value, profileId, originProfileId, sourceRef: ref, linkedBy });
  };

  const describeKey = (k: IdentityKey): string => {
    const identity = input.known.get(k.key);
    const from = identity?.sourceRef === undefined ? '' : `, from ${identity.sourceRef}`;
    return `${k.key} (profile ${identity?.profileId}${from})`;
  };

  const merge = (fromProfileId: number, intoProfileId: number, via: IdentityKey, anchor: IdentityKey, ref: string) => {
    const reason = `${ref} carries both ${describeKey(anchor)} and ${describeKey(via)}`;
    const parentProfileId = originOf(anchor) ?? intoProfileId;
    output.merges.push({ fromProfileId, intoProfileId, parentProfileId, viaKey: via.key, sourceRef: ref, reason });
    const moving = input.profileKeys.get(fromProfileId) ?? [];
    for (const k of moving) {
      const identity = input.known.get(k.key);
      // The key keeps the profile it was first linked to: the merge history is a forest of those.
      const originProfileId = identity?.originProfileId ?? identity?.profileId ?? fromProfileId;
      input.known.set(k.key, { ...(identity ?? { key: k.key, type: k.type }), profileId: intoProfileId, originProfileId });
    }
    input.profileKeys.set(intoProfileId, dedupe([...(input.profileKeys.get(intoProfileId) ?? []), ...moving]));
    input.profileKeys.delete(fromProfileId);
    members.set(intoProfileId, [...membersOf(intoProfileId), ...membersOf(fromProfileId)]);
    members.delete(fromProfileId);
  };

  input.records.forEach((record, recordIndex) => {
    let keys = sortByPriority(dedupe(record.keys), input.config.priority);
    for (let drop = findDrop(keys, record.own); drop !== undefined; drop = findDrop(keys, record.own)) {
      const dropping = new Set(drop.keys);
      for (const k of drop.keys) output.dropped.push({ recordIndex, key: k.key, reason: drop.reason });
      keys = keys.filter((k) => !dropping.has(k));
    }
    const strongest = keys[0];
    if (strongest === undefined) {
      output.assignments.push(null);
      return;
    }

    // Profiles in the order of the strongest record key matching each; the first one survives.
    const matchedBy = new Map<number, IdentityKey>();
    for (const k of keys) {
      const profileId = input.known.get(k.key)?.profileId;
      if (profileId !== undefined && !matchedBy.has(profileId)) matchedBy.set(profileId, k);
    }
    const [survivor, ...absorbed] = [...matchedBy];
    const unknown = keys.filter((k) => !input.known.has(k.key));

    if (survivor === undefined) {
      const profileId = input.newProfileId();
      output.newProfiles.push(profileId);
      input.profileKeys.set(profileId, []);
      for (const k of unknown) addIdentity(k, profileId, profileId, record.ref, `new profile from ${record.ref}`);
      output.assignments.push({ profileId, customerKey: strongest.key });
      return;
    }

    const [intoProfileId, anchor] = survivor;
    for (const [fromProfileId, via] of absorbed) merge(fromProfileId, intoProfileId, via, anchor, record.ref);
    const origin = originOf(anchor) ?? intoProfileId;
    for (const k of unknown) addIdentity(k, intoProfileId, origin, record.ref, `appeared with ${anchor.key} on ${record.ref}`);
    output.assignments.push({ profileId: intoProfileId, customerKey: strongest.key });
  });
  return output;
}
