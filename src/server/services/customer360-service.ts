/** Customer 360: find a customer by anything they are known by, and everything about them in one place. */
import { normaliseCustomerId, normaliseEmail } from '../../core/identity/normalise.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Queryable } from '../../store/engines/engine.js';
import {
  describeProfiles,
  getProfile,
  profileFigures,
  profileIdentities,
  profileMerges,
  undoneProfileMerges,
  profileRecords,
  searchProfileIds,
  type ProfileListItem,
} from '../../store/repositories/customer360-repository.js';
import { readCustomerValue } from '../../store/repositories/value-repository.js';
import { TIMELINE_KINDS, readTimeline, type TimelineCursor, type TimelineKind, type TimelineRow } from '../../store/repositories/timeline-repository.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeCursor<T>(cursor: string | undefined, valid: (v: unknown) => v is T): Result<T | null, AppError> {
  if (!cursor) return ok(null);
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (valid(value)) return ok(value);
  } catch {
    // fall through: reported below
  }
  return err({ type: 'bad_request', detail: 'cursor is not one this API returned', errors: [{ field: 'cursor', reason: 'invalid cursor' }] });
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** What a typed query could mean as an identifier, in every normalised form we store. */
function searchTerms(q: string, defaultCountry: CountryCode) {
  const exact = new Set<string>([q]);
  const email = normaliseEmail(q);
  if (email.ok) exact.add(email.key.value);
  const phone = parsePhoneNumberFromString(q, defaultCountry);
  if (phone?.isValid()) exact.add(phone.number);
  const id = normaliseCustomerId(q, undefined);
  if (id.ok) exact.add(id.key.value);
  const lower = q.toLowerCase();
  // A query with an @ is an address, not a name: the names are not searched for it. One letter is too little to
  // search names by, except a Chinese, Japanese or Korean character, which is often a whole name (李).
  const nameLike = !lower.includes('@') && (lower.trim().length >= 2 || CJK.test(lower));
  return { exact: [...exact], prefix: lower.length >= 3 ? lower : null, name: nameLike ? lower : null };
}

export async function searchCustomers(
  db: Queryable,
  workspaceId: string,
  params: { q?: string | undefined; limit: number; cursor?: string | undefined },
  defaultCountry: CountryCode,
): Promise<Result<Page<ProfileListItem>, AppError>> {
  // The last profile id of the previous page.
  const cursor = decodeCursor(params.cursor, (v): v is number => Number.isSafeInteger(v) && (v as number) >= 0);
  if (!cursor.ok) return cursor;
  const q = params.q?.trim() ?? '';
  const terms = q ? searchTerms(q, defaultCountry) : { exact: [], prefix: null, name: null };
  const ids = await searchProfileIds(db, workspaceId, terms, cursor.value, params.limit + 1);
  // A matched identity may belong to a merged-away profile only transiently; results list live profiles.
  const page = ids.slice(0, params.limit);
  const items = await describeProfiles(db, workspaceId, page);
  return ok({ items, nextCursor: ids.length > params.limit ? encodeCursor(page[page.length - 1]) : null });
}

/** The profile, or the live profile that absorbed it (a merged-away profile id still resolves); null if unknown. */
async function liveProfile(db: Queryable, workspaceId: string, profileId: number) {
  let profile = await getProfile(db, workspaceId, profileId);
  if (!profile) return null;
  for (let guard = 0; profile.mergedInto !== null && guard < 1000; guard++) {
    const next: Awaited<ReturnType<typeof getProfile>> = await getProfile(db, workspaceId, profile.mergedInto);
    if (!next) break;
    profile = next;
  }
  return profile;
}

export async function getCustomer(db: Queryable, workspaceId: string, profileId: number) {
  const profile = await liveProfile(db, workspaceId, profileId);
  if (!profile) return err({ type: 'not_found', detail: `profile ${profileId} does not exist in workspace ${workspaceId}` } as const);
  const requested = profileId;
  const id = profile.profileId;
  const [identities, records, figures, value] = await Promise.all([
    profileIdentities(db, workspaceId, id),
    profileRecords(db, workspaceId, id),
    profileFigures(db, workspaceId, id),
    readCustomerValue(db, workspaceId, id),
  ]);
  const members = [...new Set(identities.map((i) => i.origin_profile_id))].filter((p) => p !== id);
  const [merges, undone] = await Promise.all([profileMerges(db, workspaceId, id, members), undoneProfileMerges(db, workspaceId, id, members)]);
  return ok({
    profileId: id,
    ...(requested !== id ? { mergedFrom: requested } : {}),
    name: records.find((r) => r.name)?.name ?? null,
    createdAt: profile.createdAt,
    figures,
    value: value
      ? {
          clv: value.clv,
          pAlive: value.p_alive,
          expectedPurchases: value.expected_purchases_52w,
          expectedSpend: value.expected_spend,
          segment: value.segment,
          persona: value.persona,
          model: value.model,
          computedAt: value.computed_at,
        }
      : null,
    identities: identities.map((i) => ({
      type: i.id_type,
      value: i.id_value,
      key: i.id_key,
      linkedBy: i.linked_by,
      sourceRef: i.source_ref,
      firstSeenAt: i.first_seen_at,
      originProfileId: i.origin_profile_id,
    })),
    records: records.map((r) => ({ source: r.source, customerId: r.customer_id, name: r.name, email: r.email, phone: r.phone, updatedAt: r.updated_at })),
    merges: merges.map(toMerge),
    undoneMerges: undone.map((m) => ({ ...toMerge(m), unmergedAt: m.unmerged_at })),
  });
}

/** A `profile_merges` row as the API shows it (live or undone). */
const toMerge = (m: { merge_id: number; from_profile_id: number; into_profile_id: number; via_key: string; reason: string; merged_at: string }) => ({
  mergeId: m.merge_id,
  fromProfileId: m.from_profile_id,
  intoProfileId: m.into_profile_id,
  viaKey: m.via_key,
  reason: m.reason,
  mergedAt: m.merged_at,
});

export interface TimelineItem {
  kind: TimelineKind;
  id: string;
  at: string;
  channel: string | null;
  touchpoint: string | null;
  team: string | null;
  title: string;
  detail: string | null;
  value: number | null;
  /** The currency of an order's value; null for other kinds. */
  currency: string | null;
}

function describeRow(r: TimelineRow): TimelineItem {
  const base = { kind: r.kind, id: r.id, at: r.ts, channel: r.channel, touchpoint: r.touchpoint, team: r.team, value: r.value, currency: null };
  switch (r.kind) {
    case 'event':
      return { ...base, title: r.label ?? 'event', detail: r.text };
    case 'order':
      // The amount is the item's value, in its own currency (a customer may buy in several).
      return { ...base, title: `Order ${r.id}${r.label ? ` (${r.label})` : ''}`, detail: null, currency: r.ref };
    case 'ticket':
      return { ...base, title: `Ticket ${r.ref ?? ''}: ${r.label ?? ''}${r.extra ? ` (${r.extra})` : ''}`, detail: r.text };
    case 'feedback':
      return {
        ...base,
        title: [r.extra ? r.extra.toUpperCase() : 'Feedback', r.value ?? '', `via ${r.label ?? 'feedback'}${r.ref ? ` (${r.ref})` : ''}`].filter((p) => p !== '').join(' '),
        detail: r.text,
      };
  }
}

/** An instant as this API writes it in a cursor (ISO 8601, UTC): anything else would reach the SQL cast. */
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

const isCursor = (v: unknown): v is TimelineCursor => {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Partial<Record<keyof TimelineCursor, unknown>>;
  return (
    typeof c.at === 'string' &&
    CURSOR_INSTANT.test(c.at) &&
    !Number.isNaN(Date.parse(c.at)) &&
    typeof c.kind === 'string' &&
    (TIMELINE_KINDS as readonly string[]).includes(c.kind) &&
    typeof c.id === 'string'
  );
};

export async function getTimeline(
  db: Queryable,
  workspaceId: string,
  profileId: number,
  params: { kinds: TimelineKind[]; channel?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Result<Page<TimelineItem>, AppError>> {
  const cursor = decodeCursor(params.cursor, isCursor);
  if (!cursor.ok) return cursor;
  // Records of a merged-away profile belong to the profile that absorbed it: its timeline is that one's.
  const profile = await liveProfile(db, workspaceId, profileId);
  if (!profile) return err({ type: 'not_found', detail: `profile ${profileId} does not exist in workspace ${workspaceId}` });
  const rows = await readTimeline(db, workspaceId, profile.profileId, {
    kinds: params.kinds,
    channel: params.channel ?? null,
    cursor: cursor.value,
    limit: params.limit + 1,
  });
  const page = rows.slice(0, params.limit);
  const last = page[page.length - 1];
  return ok({
    items: page.map(describeRow),
    nextCursor: rows.length > params.limit && last ? encodeCursor({ at: last.ts, kind: last.kind, id: last.id }) : null,
  });
}
