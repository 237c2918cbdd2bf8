/**
 * Undoing merges. Merges never rewrite history: each profile points at the profile it was merged into
 * (`mergedInto`, null for a live profile), so profiles form a forest, and each identity remembers the profile it
 * was first linked to (`originProfileId`). An identity's current profile is the root above its origin, which
 * makes an unmerge a matter of cutting one edge and re-reading roots. Pure: no I/O.
 */
import type { Result } from '../result.js';

/** Profile → the profile it was merged into, or null/absent when it is live (a root). */
export type MergeForest = ReadonlyMap<number, number | null>;

/** The canonical `${min}:${max}` form of an exclusion pair, as `resolveIdentities` expects it. */
export function exclusionKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/**
 * The live profile `profileId` currently belongs to: follows `mergedInto` to the top.
 * @throws Error when the forest has a cycle, which only corrupt data can produce.
 */
export function rootOf(profileId: number, mergedInto: MergeForest): number {
  const seen = new Set<number>();
  let current = profileId;
  for (let parent = mergedInto.get(current); parent != null; parent = mergedInto.get(current)) {
    if (seen.has(current)) throw new Error(`profile merge history has a cycle through profile ${current}`);
    seen.add(current);
    current = parent;
  }
  return current;
}

/**
 * Rewrites stored exclusion pairs onto live profiles, producing the `exclusions` set `resolveIdentities` takes.
 * Needed because an excluded profile may since have been merged into another, and resolution only sees roots.
 */
export function liveExclusions(pairs: Iterable<readonly [number, number]>, mergedInto: MergeForest): Set<string> {
  const live = new Set<string>();
  for (const [a, b] of pairs) {
    const rootA = rootOf(a, mergedInto);
    const rootB = rootOf(b, mergedInto);
    // Pairs that were merged back together by hand now share a root and exclude nothing.
    if (rootA !== rootB) live.add(exclusionKey(rootA, rootB));
  }
  return live;
}

/** An identity as the store keeps it: where it was first linked and where it is now. */
export interface StoredIdentity {
  key: string;
  originProfileId: number;
  profileId: number;
}

export interface UnmergeInput {
  /** The profile to split off from the profile it was merged into. */
  profileId: number;
  mergedInto: MergeForest;
  /** At least every identity of the live profile that contains `profileId`; others are ignored. */
  identities: readonly StoredIdentity[];
}

export interface UnmergePlan {
  /** Identities that change profile: everything first linked to `profileId` or to a profile merged into it. */
  moved: { key: string; fromProfileId: number; toProfileId: number }[];
  /** `[min, max]` of `profileId` and its former parent: record it so resolution never re-merges them by itself. */
  exclusion: [number, number];
}

/**
 * Plans detaching `profileId` from the profile it was merged into. Profiles merged into `profileId` earlier
 * come along with it (their merge is not what is being undone). The caller applies the plan: set
 * `mergedInto[profileId] = null`, move the identities in `moved`, store `exclusion`, re-point facts.
 * Returns an error, rather than throwing, when `profileId` is live (there is nothing to undo).
 */
export function planUnmerge(input: UnmergeInput): Result<UnmergePlan, string> {
  const { profileId, mergedInto } = input;
  const parent = mergedInto.get(profileId);
  if (parent == null) return { ok: false, error: `profile ${profileId} was never merged into another profile` };

  try {
    // Refuse to plan on a corrupt (cyclic) history instead of moving identities round a loop.
    rootOf(profileId, mergedInto);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }

  const moved: UnmergePlan['moved'] = [];
  for (const identity of input.identities) {
    if (!descendsFrom(identity.originProfileId, profileId, mergedInto)) continue;
    // After the cut, `profileId` is the root above every origin in its subtree.
    if (identity.profileId !== profileId) {
      moved.push({ key: identity.key, fromProfileId: identity.profileId, toProfileId: profileId });
    }
  }
  const exclusion: [number, number] = profileId < parent ? [profileId, parent] : [parent, profileId];
  return { ok: true, value: { moved, exclusion } };
}

/** True when `profileId` is `ancestor` or was merged (directly or not) into it. */
function descendsFrom(profileId: number, ancestor: number, mergedInto: MergeForest): boolean {
  const seen = new Set<number>();
  for (let current: number | null | undefined = profileId; current != null; current = mergedInto.get(current)) {
    if (current === ancestor) return true;
    if (seen.has(current)) return false;
    seen.add(current);
  }
  return false;
}
