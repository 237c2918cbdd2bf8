/**
 * Turns a batch's identifiers into profile assignments inside the write transaction: keys already known (from
 * this import's cache or the store) go straight to their profile; anything new or linking several profiles goes
 * through the pure resolver, whose decisions are then persisted.
 */
import type { IdentityConfig } from '../core/identity/config.js';
import type { IdentityKey } from '../core/identity/normalise.js';
import { resolveIdentities as resolveKeys } from '../core/identity/resolve.js';
import type { Queryable } from '../store/engines/engine.js';
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
): Promise<IdentityStepResult> {
  const known = new Map<string, StoredIdentity>();
  const missing = new Set<string>();
  for (const input of inputs) {
    for (const k of input.keys) {
      const cached = cache?.get(k.key);
      if (cached !== undefined) known.set(k.key, { key: k.key, type: k.type, value: k.value, profileId: cached });
      else missing.add(k.key);
    }
  }
  for (const identity of await findIdentities(tx, workspaceId, [...missing])) known.set(identity.key, identity);

  // Fast path: every key known and all on one profile — nothing to link or merge.
  const assignments: (Assignment | null)[] = new Array<Assignment | null>(inputs.length).fill(null);
  const slow: number[] = [];
  inputs.forEach((input, i) => {
    if (input.keys.length === 0) return;
    const first = known.get(input.keys[0]!.key);
    if (first && input.keys.every((k) => known.get(k.key)?.profileId === first.profileId)) {
      assignments[i] = { profileId: first.profileId, customerKey: input.keys[0]!.key };
    } else slow.push(i);
  });

  let result: IdentityStepResult = { assignments, dropped: [], newProfiles: 0, merges: [] };
  if (slow.length > 0) result = await resolveSlow(tx, workspaceId, inputs, slow, known, config, at, assignments);
  if (result.merges.length > 0) cache?.clear();
  if (cache) {
    inputs.forEach((input, i) => {
      const a = result.assignments[i];
      if (a) for (const k of input.keys) if (!result.dropped.some((d) => d.recordIndex === i && d.key === k.key)) cache.set(k.key, a.profileId);
    });
  }
  return result;
}

async function resolveSlow(
  tx: Queryable,
  workspaceId: string,
  inputs: readonly IdentityInput[],
  slow: readonly number[],
  known: Map<string, StoredIdentity>,
  config: IdentityConfig,
  at: number,
  assignments: (Assignment | null)[],
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
  const pool = await allocateIds(tx, 'profile_id_seq', slow.length);
  let next = 0;
  const output = resolveKeys({
    records: slow.map((i) => inputs[i]!),
    known: new Map([...known].map(([key, v]) => [key, { key, type: v.type, profileId: v.profileId }])),
    profileKeys,
    exclusions,
    newProfileId: () => {
      const id = pool[next++];
      if (id === undefined) throw new Error('profile id pool exhausted');
      return id;
    },
    config,
  });

  await insertProfiles(tx, workspaceId, output.newProfiles, at);
  const recordTime = new Map(slow.map((i) => [inputs[i]!.ref, inputs[i]!.at ?? at]));
  await insertIdentities(
    tx,
    workspaceId,
    output.newIdentities.map((identity) => ({ ...identity, firstSeenAt: recordTime.get(identity.sourceRef) ?? at })),
  );
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
