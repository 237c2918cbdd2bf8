/**
 * Reads behind Customer 360: find profiles by any identifier or name, a profile with the evidence of its links,
 * its key figures, and a keyset-paged cross-channel timeline (fast however long the history).
 */
import { revenueByCurrency, type CurrencyRevenue } from '../../core/metrics/revenue.js';
import type { Queryable, SqlValue } from '../engines/engine.js';

export interface ProfileListItem {
  profileId: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  lastSeenAt: string | null;
  orders: number;
  revenue: number;
}

/** Escapes LIKE wildcards in user input (used with ESCAPE '!'). */
const likeLiteral = (s: string): string => s.replace(/[!%_]/g, (c) => `!${c}`);

/** Words of a query matched against names; later ones are ignored. */
export const MAX_NAME_WORDS = 6;

const placeholders = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

/**
 * Profile ids matching a search: exact normalised identifier values (the caller passes the candidates), a
 * prefix of an identifier, or a name with a word starting with each word of `q`.
 */
export async function searchProfileIds(
  db: Queryable,
  workspaceId: string,
  q: { exact: string[]; prefix: string | null; name: string | null },
  afterProfileId: number | null,
  limit: number,
): Promise<number[]> {
  const params: SqlValue[] = [workspaceId, afterProfileId ?? Number.MAX_SAFE_INTEGER, limit];
  const ors: string[] = [];
  const prefix = q.prefix?.toLowerCase() ?? null;
  if (db.kind === 'duckdb' && (prefix || q.exact.length > 0)) {
    // DuckDB has no index here: one scan of the identities instead of one per kind of match, and ILIKE, which
    // folds case without building a lowered copy of every value. An exact term the prefix already matches needs
    // no test of its own; one without letters (an E.164 phone) is compared as it is, as lowering changes nothing.
    const tests: string[] = [];
    if (prefix) {
      // An ESCAPE clause takes DuckDB off its fast path (3× slower): only used when the input holds a wildcard.
      const wild = /[%_]/.test(prefix);
      params.push(`${wild ? likeLiteral(prefix) : prefix}%`);
      tests.push(`id_value ILIKE $${params.length}${wild ? ` ESCAPE '!'` : ''}`);
    }
    const rest = q.exact.map((e) => e.toLowerCase()).filter((e) => !(prefix && e.startsWith(prefix)));
    const plain = rest.filter((e) => e === e.toUpperCase());
    const lettered = rest.filter((e) => e !== e.toUpperCase());
    if (plain.length > 0) {
      tests.push(`id_value IN (${placeholders(params.length + 1, plain.length)})`);
      params.push(...plain);
    }
    if (lettered.length > 0) {
      tests.push(`lower(id_value) IN (${placeholders(params.length + 1, lettered.length)})`);
      params.push(...lettered);
    }
    ors.push(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND (${tests.join(' OR ')})`);
  } else {
    if (q.exact.length > 0) {
      ors.push(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND lower(id_value) IN (${placeholders(params.length + 1, q.exact.length)})`);
      params.push(...q.exact.map((e) => e.toLowerCase()));
    }
    if (prefix) {
      params.push(`${likeLiteral(prefix)}%`);
      ors.push(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND lower(id_value) LIKE $${params.length} ESCAPE '!'`);
    }
  }
  // At most a few words: each is four LIKE tests on every name, and a 256-character query could hold a hundred.
  const words = q.name?.split(/\s+/).filter((w) => w !== '').slice(0, MAX_NAME_WORDS) ?? [];
  if (words.length > 0) {
    // Each word of the query starts a word of the name, in any order ('smith max' finds "Max Smith"): after a space,
    // a hyphen or an apostrophe ('ünal' finds "O'Brien-Ünal").
    const conditions = words.map((word) => {
      const term = likeLiteral(word);
      const starts = [`${term}%`, `% ${term}%`, `%-${term}%`, `%'${term}%`];
      const first = params.length + 1;
      params.push(...starts);
      return `(${starts.map((_, i) => `lower(name) LIKE $${first + i} ESCAPE '!'`).join(' OR ')})`;
    });
    ors.push(`SELECT profile_id FROM customers WHERE workspace_id = $1 AND ${conditions.join(' AND ')}`);
  }
  const source =
    // Without a query, list customers known by more than a device id (not every anonymous visitor).
    ors.length > 0 ? ors.join(' UNION ') : `SELECT profile_id FROM identities WHERE workspace_id = $1 AND id_type <> 'anonymous_id'`;
  const rows = await db.query<{ profile_id: number }>(
    `SELECT DISTINCT profile_id FROM (${source}) m WHERE profile_id < $2 ORDER BY profile_id DESC LIMIT $3`,
    params,
  );
  return rows.map((r) => r.profile_id);
}

/** List rows for a page of profiles, in the order given. */
export async function describeProfiles(db: Queryable, workspaceId: string, ids: readonly number[]): Promise<ProfileListItem[]> {
  if (ids.length === 0) return [];
  const inList = placeholders(2, ids.length);
  const params = [workspaceId, ...ids];
  const [names, contacts, orders, seen] = await Promise.all([
    db.query<{ profile_id: number; name: string }>(
      `SELECT profile_id, max(name) AS name FROM customers WHERE workspace_id = $1 AND profile_id IN (${inList}) AND name IS NOT NULL GROUP BY profile_id`,
      params,
    ),
    // The profile's first seen email and phone (its own record's, usually): not the alphabetically first, which
    // could be a work address seen once on a later order.
    db.query<{ profile_id: number; id_type: string; id_value: string }>(
      `SELECT profile_id, id_type, id_value FROM (
         SELECT profile_id, id_type, id_value,
                row_number() OVER (PARTITION BY profile_id, id_type ORDER BY first_seen_at, id_value) AS rank
           FROM identities WHERE workspace_id = $1 AND profile_id IN (${inList}) AND id_type IN ('email', 'phone')) i
        WHERE rank = 1`,
      params,
    ),
    db.query<{ profile_id: number; currency: string; n: number; revenue: number }>(
      `SELECT profile_id, currency, count(*) AS n, sum(amount) AS revenue FROM orders WHERE workspace_id = $1 AND profile_id IN (${inList}) GROUP BY profile_id, currency`,
      params,
    ),
    // Last seen as on the profile: the latest event, order, ticket activity or feedback.
    db.query<{ profile_id: number; last_seen: string }>(
      `SELECT profile_id, max(seen) AS last_seen FROM (
         SELECT profile_id, max(occurred_at) AS seen FROM events WHERE workspace_id = $1 AND profile_id IN (${inList}) GROUP BY profile_id
         UNION ALL SELECT profile_id, max(ordered_at) FROM orders WHERE workspace_id = $1 AND profile_id IN (${inList}) GROUP BY profile_id
         UNION ALL SELECT profile_id, max(updated_at) FROM tickets WHERE workspace_id = $1 AND profile_id IN (${inList}) GROUP BY profile_id
         UNION ALL SELECT profile_id, max(occurred_at) FROM feedback WHERE workspace_id = $1 AND profile_id IN (${inList}) GROUP BY profile_id
       ) t GROUP BY profile_id`,
      params,
    ),
  ]);
  const by = <T extends { profile_id: number }>(rows: T[]) => new Map(rows.map((r) => [r.profile_id, r]));
  const nameBy = by(names);
  const seenBy = by(seen);
  const ordersBy = new Map<number, CurrencyRevenue[]>();
  for (const o of orders) {
    const list = ordersBy.get(o.profile_id) ?? [];
    list.push({ currency: o.currency, orders: o.n, revenue: o.revenue });
    ordersBy.set(o.profile_id, list);
  }
  return ids.map((id) => {
    const money = revenueByCurrency(ordersBy.get(id) ?? []);
    return {
      profileId: id,
      name: nameBy.get(id)?.name ?? null,
      email: contacts.find((c) => c.profile_id === id && c.id_type === 'email')?.id_value ?? null,
      phone: contacts.find((c) => c.profile_id === id && c.id_type === 'phone')?.id_value ?? null,
      lastSeenAt: seenBy.get(id)?.last_seen ?? null,
      orders: money.orders,
      revenue: money.revenue,
      currency: money.currency,
      otherCurrencies: money.otherCurrencies,
    };
  });
}

export interface ProfileRow {
  profileId: number;
  mergedInto: number | null;
  createdAt: string;
}

export async function getProfile(db: Queryable, workspaceId: string, profileId: number): Promise<ProfileRow | null> {
  const rows = await db.query<{ profile_id: number; merged_into: number | null; created_at: string }>(
    `SELECT profile_id, merged_into, created_at FROM profiles WHERE workspace_id = $1 AND profile_id = $2`,
    [workspaceId, profileId],
  );
  const r = rows[0];
  return r ? { profileId: r.profile_id, mergedInto: r.merged_into, createdAt: r.created_at } : null;
}

export async function profileIdentities(db: Queryable, workspaceId: string, profileId: number) {
  return db.query<{
    id_key: string;
    id_type: string;
    id_value: string;
    origin_profile_id: number;
    source_ref: string;
    linked_by: string;
    first_seen_at: string;
  }>(
    `SELECT id_key, id_type, id_value, origin_profile_id, source_ref, linked_by, first_seen_at FROM identities
      WHERE workspace_id = $1 AND profile_id = $2 ORDER BY first_seen_at, id_key`,
    [workspaceId, profileId],
  );
}

export async function profileRecords(db: Queryable, workspaceId: string, profileId: number) {
  return db.query<{ source: string; customer_id: string; name: string | null; email: string | null; phone: string | null; updated_at: string }>(
    `SELECT source, customer_id, name, email, phone, updated_at FROM customers WHERE workspace_id = $1 AND profile_id = $2
      ORDER BY updated_at DESC, source, customer_id LIMIT 200`,
    [workspaceId, profileId],
  );
}

/** Active merges inside the profile's tree (whose survivor is now `profileId`). */
export async function profileMerges(db: Queryable, workspaceId: string, profileId: number, memberIds: readonly number[]) {
  const ids = [profileId, ...memberIds];
  return db.query<{ merge_id: number; from_profile_id: number; into_profile_id: number; via_key: string; reason: string; merged_at: string }>(
    `SELECT merge_id, from_profile_id, into_profile_id, via_key, reason, merged_at FROM profile_merges
      WHERE workspace_id = $1 AND unmerged_at IS NULL AND into_profile_id IN (${placeholders(2, ids.length)})
      ORDER BY merged_at DESC, merge_id DESC`,
    [workspaceId, ...ids],
  );
}

/**
 * Merges of this profile that were undone: those into it or into one of its members, and the one that brought it
 * in, so both sides of an unmerge can tell why they are apart (resolution never joins them again by itself).
 */
export async function undoneProfileMerges(db: Queryable, workspaceId: string, profileId: number, memberIds: readonly number[]) {
  const ids = [profileId, ...memberIds];
  const list = placeholders(2, ids.length);
  return db.query<{ merge_id: number; from_profile_id: number; into_profile_id: number; via_key: string; reason: string; merged_at: string; unmerged_at: string }>(
    `SELECT merge_id, from_profile_id, into_profile_id, via_key, reason, merged_at, unmerged_at FROM profile_merges
      WHERE workspace_id = $1 AND unmerged_at IS NOT NULL AND (into_profile_id IN (${list}) OR from_profile_id IN (${list}))
      ORDER BY unmerged_at DESC, merge_id DESC`,
    [workspaceId, ...ids],
  );
}

export interface ProfileFigures {
  events: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  orders: number;
  /** In `currency`, the currency of most orders; never a sum across currencies (see core/metrics/revenue.ts). */
  revenue: number;
  currency: string | null;
  otherCurrencies: CurrencyRevenue[];
  tickets: number;
  openTickets: number;
  feedback: number;
  latestNps: { score: number; at: string } | null;
  latestCsat: { score: number; at: string } | null;
}

export async function profileFigures(db: Queryable, workspaceId: string, profileId: number): Promise<ProfileFigures> {
  const p = [workspaceId, profileId];
  const [ev, or, tk, fb, nps, csat] = await Promise.all([
    db.query<{ n: number; first: string | null; last: string | null }>(
      `SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM events WHERE workspace_id = $1 AND profile_id = $2`,
      p,
    ),
    db.query<{ currency: string; n: number; revenue: number; first: string; last: string }>(
      `SELECT currency, count(*) AS n, sum(amount) AS revenue, min(ordered_at) AS first, max(ordered_at) AS last
         FROM orders WHERE workspace_id = $1 AND profile_id = $2 GROUP BY currency`,
      p,
    ),
    db.query<{ n: number; open: number | null; first: string | null; last: string | null }>(
      `SELECT count(*) AS n, sum(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END) AS open, min(opened_at) AS first, max(updated_at) AS last
         FROM tickets WHERE workspace_id = $1 AND profile_id = $2`,
      p,
    ),
    db.query<{ n: number; first: string | null; last: string | null }>(
      `SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM feedback WHERE workspace_id = $1 AND profile_id = $2`,
      p,
    ),
    db.query<{ score: number; ts: string }>(
      `SELECT nps AS score, occurred_at AS ts FROM feedback WHERE workspace_id = $1 AND profile_id = $2 AND nps IS NOT NULL ORDER BY occurred_at DESC LIMIT 1`,
      p,
    ),
    db.query<{ score: number; ts: string }>(
      `SELECT csat AS score, occurred_at AS ts FROM feedback WHERE workspace_id = $1 AND profile_id = $2 AND csat IS NOT NULL ORDER BY occurred_at DESC LIMIT 1`,
      p,
    ),
  ]);
  const times = [ev[0]?.first, ev[0]?.last, ...or.flatMap((o) => [o.first, o.last]), tk[0]?.first, tk[0]?.last, fb[0]?.first, fb[0]?.last]
    .filter((t): t is string => !!t)
    .sort();
  const money = revenueByCurrency(or.map((o) => ({ currency: o.currency, orders: o.n, revenue: o.revenue })));
  return {
    events: ev[0]?.n ?? 0,
    firstSeenAt: times[0] ?? null,
    lastSeenAt: times[times.length - 1] ?? null,
    orders: money.orders,
    revenue: money.revenue,
    currency: money.currency,
    otherCurrencies: money.otherCurrencies,
    tickets: tk[0]?.n ?? 0,
    openTickets: tk[0]?.open ?? 0,
    feedback: fb[0]?.n ?? 0,
    latestNps: nps[0] ? { score: nps[0].score, at: nps[0].ts } : null,
    latestCsat: csat[0] ? { score: csat[0].score, at: csat[0].ts } : null,
  };
}
