/**
 * SQL for identity resolution: look identities up for a batch, persist what the pure resolver decided, and
 * keep every profile-bearing table pointing at the surviving profile after merges and unmerges.
 */
import { survivorOf } from '../../core/identity/merge-chain.js';
import type { IdentifierType } from '../../core/records.js';
import type { Queryable } from '../engines/engine.js';
import { PROFILE_TABLES } from './fact-tables.js';

export interface StoredIdentity {
  key: string;
  type: IdentifierType;
  value: string;
  profileId: number;
  /** The profile it was first linked to (`profileId`, or a profile since merged into it). */
  originProfileId: number;
  /** The record that first linked it; read by {@link identitiesOfProfiles} only (explanations of merges). */
  sourceRef?: string | undefined;
}

export interface NewIdentity {
  key: string;
  type: IdentifierType;
  value: string;
  profileId: number;
  /** Where it hangs in the merge history (see core/identity/resolve.ts). */
  originProfileId: number;
  sourceRef: string;
  linkedBy: string;
  /** When the record that introduced it happened (epoch ms). */
  firstSeenAt: number;
}

export interface NewMerge {
  fromProfileId: number;
  /** The live profile that absorbs `fromProfileId`: its rows move there. */
  intoProfileId: number;
  /** The profile `fromProfileId` hangs from in the merge history (`merged_into`; see core/identity/resolve.ts). */
  parentProfileId: number;
  viaKey: string;
  sourceRef: string;
  reason: string;
}

type IdRow = { id_key: string; id_type: IdentifierType; id_value: string; profile_id: number; origin_profile_id: number; source_ref?: string | null };
const toIdentity = (r: IdRow): StoredIdentity => ({
  key: r.id_key,
  type: r.id_type,
  value: r.id_value,
  profileId: r.profile_id,
  originProfileId: r.origin_profile_id,
  ...(r.source_ref != null ? { sourceRef: r.source_ref } : {}),
});

/** Identities whose `column` is one of `values`, looked up through a bulk-loaded temp table. */
async function identitiesWhere(
  tx: Queryable,
  workspaceId: string,
  column: 'id_key' | 'profile_id',
  values: readonly (string | number)[],
  withSourceRef = false,
): Promise<StoredIdentity[]> {
  if (values.length === 0) return [];
  await tx.loadTemp('lookup_values', [{ name: 'v', type: column === 'id_key' ? 'text' : 'bigint' }], values.map((v) => [v]));
  const rows = await tx.query<IdRow>(
    `SELECT i.id_key, i.id_type, i.id_value, i.profile_id, i.origin_profile_id${withSourceRef ? ', i.source_ref' : ''}
       FROM identities i JOIN lookup_values l ON i.${column} = l.v
      WHERE i.workspace_id = $1`,
    [workspaceId],
  );
  return rows.map(toIdentity);
}

/** The stored identities among `keys`. */
export function findIdentities(tx: Queryable, workspaceId: string, keys: readonly string[]): Promise<StoredIdentity[]> {
  return identitiesWhere(tx, workspaceId, 'id_key', keys);
}

/** Whether the workspace holds any identity yet (if not, no key needs looking up). */
export async function hasIdentities(tx: Queryable, workspaceId: string): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 AS x FROM identities WHERE workspace_id = $1 LIMIT 1`, [workspaceId]);
  return rows.length > 0;
}

/**
 * Every identity of the given profiles, with the record that first linked each: needed to check per-type limits
 * before linking or merging, and to say in a merge's reason where each of its keys came from.
 */
export function identitiesOfProfiles(tx: Queryable, workspaceId: string, profileIds: readonly number[]): Promise<StoredIdentity[]> {
  return identitiesWhere(tx, workspaceId, 'profile_id', profileIds, true);
}

/**
 * Exclusions (profiles an unmerge separated) that bind the given live profiles, rewritten onto live profiles:
 * an excluded profile may since have been merged into another. Every profile was created with at least one
 * identity, so the identity whose origin is that profile tells where it lives now.
 */
export async function exclusionsFor(tx: Queryable, workspaceId: string, profileIds: readonly number[]): Promise<Set<string>> {
  if (profileIds.length === 0) return new Set();
  await tx.loadTemp('lookup_profiles', [{ name: 'profile_id', type: 'bigint' }], profileIds.map((p) => [p]));
  const rows = await tx.query<{ a: number; b: number }>(
    `SELECT DISTINCT ra.profile_id AS a, rb.profile_id AS b
       FROM merge_exclusions e
       JOIN identities ra ON ra.workspace_id = e.workspace_id AND ra.origin_profile_id = e.profile_a
       JOIN identities rb ON rb.workspace_id = e.workspace_id AND rb.origin_profile_id = e.profile_b
      WHERE e.workspace_id = $1
        AND (ra.profile_id IN (SELECT profile_id FROM lookup_profiles) OR rb.profile_id IN (SELECT profile_id FROM lookup_profiles))`,
    [workspaceId],
  );
  return new Set(rows.filter((r) => r.a !== r.b).map((r) => `${Math.min(r.a, r.b)}:${Math.max(r.a, r.b)}`));
}

/** Allocates `n` ids from a sequence in one round trip. */
/**
 * Draws `n` ids from a sequence in one statement, in a transaction or outside one (ids drawn ahead of a write,
 * see ingest/profile-id-reserve.ts). Sequences are not rolled back: ids of a failed write only leave gaps.
 */
export async function allocateIds(tx: Queryable, sequence: 'profile_id_seq' | 'merge_id_seq' | 'import_id_seq', n: number): Promise<number[]> {
  if (n <= 0) return [];
  const rows = await tx.query<{ id: number }>(`SELECT nextval('${sequence}') AS id FROM generate_series(1, $1)`, [n]);
  return rows.map((r) => r.id);
}

export async function insertProfiles(tx: Queryable, workspaceId: string, profileIds: readonly number[], at: number): Promise<void> {
  if (profileIds.length === 0) return;
  // Straight into the table (DuckDB reads the bulk file in the INSERT itself): no staging table to fill first.
  await tx.insertRows(
    'profiles',
    [
      { name: 'profile_id', type: 'bigint' },
      { name: 'created_at', type: 'timestamptz' },
      { name: 'updated_at', type: 'timestamptz' },
    ],
    { length: profileIds.length, row: (n) => [profileIds[n]!, at, at] },
    [{ name: 'workspace_id', value: workspaceId }],
  );
}

export async function insertIdentities(tx: Queryable, workspaceId: string, identities: readonly NewIdentity[]): Promise<void> {
  if (identities.length === 0) return;
  await tx.insertRows(
    'identities',
    [
      { name: 'id_key', type: 'text' },
      { name: 'id_type', type: 'text' },
      { name: 'id_value', type: 'text' },
      { name: 'profile_id', type: 'bigint' },
      { name: 'origin_profile_id', type: 'bigint' },
      { name: 'source_ref', type: 'text' },
      { name: 'linked_by', type: 'text' },
      { name: 'first_seen_at', type: 'timestamptz' },
    ],
    {
      length: identities.length,
      row: (n) => {
        const i = identities[n]!;
        return [i.key, i.type, i.value, i.profileId, i.originProfileId, i.sourceRef, i.linkedBy, i.firstSeenAt];
      },
    },
    [{ name: 'workspace_id', value: workspaceId }],
  );
}

/**
 * Records merges and repoints every row of an absorbed profile to the survivor. Chains inside one batch
 * (A into B, then B into C) are followed to the final survivor before any row is touched. The history
 * (`profile_merges.into_profile_id`, `profiles.merged_into`) keeps each merge's parent, which may be a profile
 * merged earlier into the survivor: an unmerge of that one takes the merge along (core/identity/unmerge.ts).
 */
export async function applyMerges(tx: Queryable, workspaceId: string, merges: readonly NewMerge[], at: number): Promise<void> {
  if (merges.length === 0) return;
  const ids = await allocateIds(tx, 'merge_id_seq', merges.length);
  const into = new Map<number, number>();
  for (const m of merges) into.set(m.fromProfileId, m.intoProfileId);
  await tx.loadTemp(
    'new_merges',
    [
      { name: 'merge_id', type: 'bigint' },
      { name: 'from_id', type: 'bigint' },
      { name: 'into_id', type: 'bigint' },
      { name: 'root_id', type: 'bigint' },
      { name: 'via_key', type: 'text' },
      { name: 'source_ref', type: 'text' },
      { name: 'reason', type: 'text' },
      { name: 'ts', type: 'timestamptz' },
    ],
    merges.map((m, i) => [ids[i]!, m.fromProfileId, m.parentProfileId, survivorOf(m.fromProfileId, into), m.viaKey, m.sourceRef, m.reason, at]),
  );
  await tx.run(
    `INSERT INTO profile_merges (workspace_id, merge_id, from_profile_id, into_profile_id, via_key, source_ref, reason, merged_at, unmerged_at)
     SELECT $1, merge_id, from_id, into_id, via_key, source_ref, reason, ts, NULL FROM new_merges`,
    [workspaceId],
  );
  await tx.run(
    `UPDATE profiles SET merged_into = m.into_id, updated_at = m.ts
       FROM new_merges m WHERE profiles.workspace_id = $1 AND profiles.profile_id = m.from_id`,
    [workspaceId],
  );
  await repointProfiles(tx, workspaceId, 'new_merges', 'from_id', 'root_id');
}

async function repointProfiles(tx: Queryable, workspaceId: string, mapTable: string, fromCol: string, toCol: string) {
  await tx.run(
    `UPDATE identities SET profile_id = m.${toCol} FROM ${mapTable} m
      WHERE identities.workspace_id = $1 AND identities.profile_id = m.${fromCol}`,
    [workspaceId],
  );
  for (const table of PROFILE_TABLES) {
    await tx.run(
      `UPDATE ${table} SET profile_id = m.${toCol} FROM ${mapTable} m
        WHERE ${table}.workspace_id = $1 AND ${table}.profile_id = m.${fromCol}`,
      [workspaceId],
    );
  }
}

/** Moves identities (by key) to other profiles and repoints the rows that arrived with those keys. */
export async function moveIdentities(
  tx: Queryable,
  workspaceId: string,
  moved: readonly { key: string; toProfileId: number }[],
): Promise<void> {
  if (moved.length === 0) return;
  await tx.loadTemp(
    'moved_keys',
    [{ name: 'id_key', type: 'text' }, { name: 'to_id', type: 'bigint' }],
    moved.map((m) => [m.key, m.toProfileId]),
  );
  await tx.run(
    `UPDATE identities SET profile_id = m.to_id FROM moved_keys m
      WHERE identities.workspace_id = $1 AND identities.id_key = m.id_key`,
    [workspaceId],
  );
  for (const table of PROFILE_TABLES) {
    await tx.run(
      `UPDATE ${table} SET profile_id = m.to_id FROM moved_keys m
        WHERE ${table}.workspace_id = $1 AND ${table}.customer_key = m.id_key`,
      [workspaceId],
    );
  }
}

/** The merge forest around one live profile: every profile merged (directly or not) into it, with parents. */
export async function mergeForestOf(tx: Queryable, workspaceId: string, rootProfileId: number) {
  const members = await tx.query<{ origin_profile_id: number; merged_into: number | null }>(
    `SELECT DISTINCT i.origin_profile_id, p.merged_into FROM identities i
       JOIN profiles p ON p.workspace_id = i.workspace_id AND p.profile_id = i.origin_profile_id
      WHERE i.workspace_id = $1 AND i.profile_id = $2`,
    [workspaceId, rootProfileId],
  );
  const forest = new Map<number, number | null>(members.map((m) => [m.origin_profile_id, m.merged_into]));
  forest.set(rootProfileId, null);
  const identities = await tx.query<{ id_key: string; origin_profile_id: number; profile_id: number }>(
    `SELECT id_key, origin_profile_id, profile_id FROM identities WHERE workspace_id = $1 AND profile_id = $2`,
    [workspaceId, rootProfileId],
  );
  return {
    forest,
    identities: identities.map((i) => ({ key: i.id_key, originProfileId: i.origin_profile_id, profileId: i.profile_id })),
  };
}

/** Detaches a profile from its parent: merge marked undone, exclusion recorded. Identities move separately. */
export async function recordUnmerge(
  tx: Queryable,
  workspaceId: string,
  profileId: number,
  exclusion: readonly [number, number],
  at: number,
): Promise<void> {
  const iso = new Date(at).toISOString();
  await tx.run(
    `UPDATE profile_merges SET unmerged_at = CAST($3 AS TIMESTAMPTZ)
      WHERE workspace_id = $1 AND from_profile_id = $2 AND unmerged_at IS NULL`,
    [workspaceId, profileId, iso],
  );
  await tx.run(`UPDATE profiles SET merged_into = NULL, updated_at = CAST($3 AS TIMESTAMPTZ) WHERE workspace_id = $1 AND profile_id = $2`, [
    workspaceId,
    profileId,
    iso,
  ]);
  await tx.run(
    `INSERT INTO merge_exclusions (workspace_id, profile_a, profile_b, created_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMPTZ))`,
    [workspaceId, exclusion[0], exclusion[1], iso],
  );
}
