/** Undoing a merge: the absorbed profile and everything first linked to it become a profile of their own again. */
import { planUnmerge, rootOf } from '../../core/identity/unmerge.js';
import { forgetProfiles } from './profile-caches.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Engine } from '../../store/engines/engine.js';
import { getProfile } from '../../store/repositories/customer360-repository.js';
import { mergeForestOf, moveIdentities, recordUnmerge } from '../../store/repositories/identity-repository.js';

export interface UnmergeOutcome {
  profileId: number;
  restoredProfileId: number;
  movedIdentities: number;
}

/**
 * Undoes merge `mergeId` inside live profile `profileId`: its `from` profile is detached with everything that
 * was linked to it, and the pair is excluded from automatic re-merging.
 */
export async function unmerge(engine: Engine, workspaceId: string, profileId: number, mergeId: number): Promise<Result<UnmergeOutcome, AppError>> {
  return engine.transaction(async (tx) => {
    // Whatever the outcome, cached identifier → profile links of this workspace may be stale now. Forgotten here,
    // holding the writer lock: a batch written while this waited for it may have cached links this moves.
    forgetProfiles(engine, workspaceId);
    if (!(await getProfile(tx, workspaceId, profileId))) return err({ type: 'not_found', detail: `profile ${profileId} does not exist in workspace ${workspaceId}` });
    await tx.lockWorkspace(workspaceId);
    const merges = await tx.query<{ from_profile_id: number; unmerged_at: string | null }>(
      `SELECT from_profile_id, unmerged_at FROM profile_merges WHERE workspace_id = $1 AND merge_id = $2`,
      [workspaceId, mergeId],
    );
    const merge = merges[0];
    if (!merge) return err({ type: 'not_found', detail: `merge ${mergeId} does not exist in workspace ${workspaceId}` });
    if (merge.unmerged_at) return err({ type: 'conflict', detail: `merge ${mergeId} was already undone at ${merge.unmerged_at}` });
    const { forest, identities } = await mergeForestOf(tx, workspaceId, profileId);
    if (!forest.has(merge.from_profile_id) || rootOf(merge.from_profile_id, forest) !== profileId) {
      return err({ type: 'conflict', detail: `merge ${mergeId} is not part of profile ${profileId}` });
    }
    const plan = planUnmerge({ profileId: merge.from_profile_id, mergedInto: forest, identities });
    if (!plan.ok) return err({ type: 'conflict', detail: plan.error });
    const at = Date.now();
    await recordUnmerge(tx, workspaceId, merge.from_profile_id, plan.value.exclusion, at);
    await moveIdentities(tx, workspaceId, plan.value.moved.map((m) => ({ key: m.key, toProfileId: m.toProfileId })));
    return ok({ profileId, restoredProfileId: merge.from_profile_id, movedIdentities: plan.value.moved.length });
  });
}
