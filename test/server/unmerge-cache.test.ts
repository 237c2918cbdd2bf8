/**
 * The HTTP writer caches identifier → profile links (DuckDB, single writer). An unmerge moves identifiers to the
 * restored profile, so the links it moves must not outlive it, even those cached by a batch written while the
 * unmerge waited for the writer lock: a later record with such an identifier belongs to the restored profile.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { unmerge } from '../../src/server/services/identity-service.js';
import { profileCacheFor } from '../../src/server/services/profile-caches.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'unmerge-cache';
const at = (i: number) => new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString();

describeEachEngine('unmerge and the writer cache', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Unmerge cache', { identity: { defaultCountry: 'GB' } });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  const post = async (entity: string, records: unknown[]) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/${entity}/batch?workspace=${WS}`, payload: { default_source: 'crm', records } });
    expect(res.statusCode).toBe(200);
    return res.json<{ stored: number }>();
  };
  const profileOfEvent = async (eventId: string) => {
    const [row] = await ctx.engine.query<{ profile_id: number }>(`SELECT profile_id FROM events WHERE workspace_id = $1 AND event_id = $2`, [WS, eventId]);
    return Number(row!.profile_id);
  };

  it('sends a record to the restored profile, whatever was cached while the unmerge waited', async () => {
    await post('customers', [
      { customer_id: 'U1', email: 'u1@example.com' },
      { customer_id: 'U2', id_source: 'shop', phone: '+447911000333' },
    ]);
    await post('events', [{ event_id: 'link', email: 'u1@example.com', phone: '+447911000333', occurred_at: at(1), type: 'visit' }]);
    const [merge] = await ctx.engine.query<{ merge_id: number; into_profile_id: number; from_profile_id: number }>(
      `SELECT merge_id, into_profile_id, from_profile_id FROM profile_merges WHERE workspace_id = $1 AND unmerged_at IS NULL`,
      [WS],
    );
    const into = Number(merge!.into_profile_id);
    const from = Number(merge!.from_profile_id);
    const moved = await ctx.engine.query<{ id_key: string; id_value: string; id_type: string }>(
      `SELECT id_key, id_value, id_type FROM identities WHERE workspace_id = $1 AND origin_profile_id = $2 ORDER BY id_key`,
      [WS, from],
    );
    // Meanwhile, the merged-away profile's timeline is the absorbing profile's (its records are that one's).
    const timeline = async (id: number) => (await app.inject({ url: `/api/v1/customers/${id}/timeline?workspace=${WS}` })).json<{ items: { id: string }[] }>();
    const absorbed = await timeline(from);
    expect(absorbed.items.map((i) => i.id)).toContain('link');
    expect(absorbed).toEqual(await timeline(into));
    const phone = moved.find((m) => m.id_type === 'phone');
    const email = moved.find((m) => m.id_type === 'email');
    const key = (phone ?? email)!;

    // A batch holds the writer lock; the unmerge waits for it. Meanwhile that batch caches the link it saw.
    let release!: () => void;
    const held = ctx.engine.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    const undone = unmerge(ctx.engine, WS, into, Number(merge!.merge_id));
    await new Promise((resolve) => setTimeout(resolve, 20));
    profileCacheFor(ctx.engine, WS)?.set(key.id_key, into);
    release();
    await held;
    const outcome = await undone;
    expect(outcome.ok).toBe(true);

    const record = key.id_type === 'phone' ? { phone: key.id_value } : { email: key.id_value };
    expect((await post('events', [{ event_id: 'after', ...record, occurred_at: at(2), type: 'visit' }])).stored).toBe(1);
    expect(await profileOfEvent('after')).toBe(from);
  });
});
