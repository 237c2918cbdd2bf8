import { expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import { DEFAULT_IDENTITY_CONFIG, identityConfigSchema } from '../../src/core/identity/config.js';
import type { CustomerRecord, Entity, EventRecord, Located, RecordByEntity } from '../../src/core/records.js';
import { writeBatch } from '../../src/ingest/batch-writer.js';
import { ProfileCache } from '../../src/ingest/identity-step.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { getCustomer } from '../../src/server/services/customer360-service.js';
import { unmerge } from '../../src/server/services/identity-service.js';
import type { Engine } from '../../src/store/engines/engine.js';

let importSeq = 1000;
const located = <T>(records: T[]): Located<T>[] => records.map((record, i) => ({ line: i + 2, record }));

async function write<E extends Entity>(engine: Engine, ws: string, entity: E, records: RecordByEntity[E][]) {
  return writeBatch(engine, { workspaceId: ws, entity, importId: importSeq++, identityConfig: DEFAULT_IDENTITY_CONFIG }, located(records));
}

const profileOf = async (engine: Engine, ws: string, key: string) =>
  (await engine.query<{ profile_id: number }>('SELECT profile_id FROM identities WHERE workspace_id = $1 AND id_key = $2', [ws, key]))[0]
    ?.profile_id;

const event = (id: string, ids: Partial<EventRecord>): EventRecord => ({
  eventId: id,
  occurredAt: Date.UTC(2025, 0, 1, 12),
  type: 'page_view',
  channel: 'web',
  ...ids,
});

describeEachEngine('identity resolution in the store', (ctx) => {
  it('links records that share a normalised email into one profile, and merges two profiles a record connects', async () => {
    const ws = 'merge';
    await ensureWorkspace(ctx.engine, ws);
    const customers: CustomerRecord[] = [
      { source: 'crm', customerId: 'C1', name: 'Ada Lovelace', email: ' Ada@Example.com ' },
      { source: 'shop', customerId: 'S9', email: 'ada@example.com' },
      { source: 'loyalty', customerId: 'L5', phone: '+44 7911 123456' },
    ];
    const out = await write(ctx.engine, ws, 'customers', customers);
    expect(out.stored).toBe(3);
    expect(out.rejected).toEqual([]);
    const crm = await profileOf(ctx.engine, ws, 'ext:crm:C1');
    expect(await profileOf(ctx.engine, ws, 'ext:shop:S9')).toBe(crm);
    const loyalty = await profileOf(ctx.engine, ws, 'ext:loyalty:L5');
    expect(loyalty).not.toBe(crm);

    const linking = await write(ctx.engine, ws, 'events', [event('e1', { email: 'ADA@example.com', phone: '+44 7911 123456' })]);
    expect(linking.merges).toBe(1);
    const survivor = await profileOf(ctx.engine, ws, 'ext:crm:C1');
    expect(await profileOf(ctx.engine, ws, 'ext:loyalty:L5')).toBe(survivor);
    const rows = await ctx.engine.query<{ n: number }>(
      'SELECT count(*) AS n FROM customers WHERE workspace_id = $1 AND profile_id = $2',
      [ws, survivor!],
    );
    expect(rows[0]?.n).toBe(3);
    const merges = await ctx.engine.query<{ via_key: string; reason: string }>('SELECT via_key, reason FROM profile_merges WHERE workspace_id = $1', [ws]);
    expect(merges.length).toBe(1);
    // Both keys were stored by an earlier batch: the reason still names the record that linked each.
    expect(merges[0]?.reason).toMatch(/^events:e1 carries both .*from customers:ext:crm:C1\).* and .*from customers:ext:loyalty:L5\)$/);
  });

  it('never links blocked identifiers and rejects a fact whose only identifier is blocked', async () => {
    const ws = 'blocked';
    await ensureWorkspace(ctx.engine, ws);
    await write(ctx.engine, ws, 'customers', [
      { source: 'store', customerId: 'A', email: 'noreply@northwind.example' },
      { source: 'store', customerId: 'B', email: 'noreply@northwind.example' },
    ]);
    expect(await profileOf(ctx.engine, ws, 'ext:store:A')).not.toBe(await profileOf(ctx.engine, ws, 'ext:store:B'));
    expect(await profileOf(ctx.engine, ws, 'email:noreply@northwind.example')).toBeUndefined();
    const out = await write(ctx.engine, ws, 'events', [event('e-blocked', { email: 'noreply@northwind.example' })]);
    expect(out.stored).toBe(0);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]?.reason).toMatch(/no usable identifier.*blocked/);
  });

  it('keeps two ids of the same source system apart even when they share an email (limit 1 per source)', async () => {
    const ws = 'limits';
    await ensureWorkspace(ctx.engine, ws);
    const out = await write(ctx.engine, ws, 'customers', [
      { source: 'crm', customerId: 'X1', email: 'shared@family.example' },
      { source: 'crm', customerId: 'X2', email: 'shared@family.example' },
    ]);
    expect(out.stored).toBe(2);
    expect(await profileOf(ctx.engine, ws, 'ext:crm:X1')).not.toBe(await profileOf(ctx.engine, ws, 'ext:crm:X2'));
    expect(out.warnings.some((w) => /not linked/.test(w.reason))).toBe(true);
  });

  it('splits a merged profile again on unmerge, moves its rows back, and does not re-merge on re-import', async () => {
    const ws = 'unmerge';
    await ensureWorkspace(ctx.engine, ws);
    await write(ctx.engine, ws, 'customers', [
      { source: 'crm', customerId: 'U1', email: 'u1@example.com' },
      { source: 'shop', customerId: 'U2', phone: '+447911000111' },
    ]);
    const linking = [event('link', { email: 'u1@example.com', phone: '+447911000111' })];
    await write(ctx.engine, ws, 'events', linking);
    await write(ctx.engine, ws, 'events', [event('by-phone', { phone: '+447911000111' })]);
    const survivor = (await profileOf(ctx.engine, ws, 'ext:crm:U1'))!;
    expect(await profileOf(ctx.engine, ws, 'ext:shop:U2')).toBe(survivor);
    const [merge] = await ctx.engine.query<{ merge_id: number }>('SELECT merge_id FROM profile_merges WHERE workspace_id = $1', [ws]);

    const result = await unmerge(ctx.engine, ws, survivor, merge!.merge_id);
    expect(result.ok).toBe(true);
    const restored = (await profileOf(ctx.engine, ws, 'ext:shop:U2'))!;
    expect(restored).not.toBe(survivor);
    expect(await profileOf(ctx.engine, ws, 'phone:+447911000111')).toBe(restored);
    const phoneEvent = await ctx.engine.query<{ profile_id: number }>(
      `SELECT profile_id FROM events WHERE workspace_id = $1 AND event_id = 'by-phone'`,
      [ws],
    );
    expect(phoneEvent[0]?.profile_id).toBe(restored);
    // Both sides list the undone merge, so either can tell why they stay apart; neither lists it as live.
    for (const side of [survivor, restored]) {
      const profile = await getCustomer(ctx.engine, ws, side);
      if (!profile.ok) throw new Error(profile.error.detail);
      expect(profile.value.merges.map((m) => m.mergeId)).not.toContain(merge!.merge_id);
      expect(profile.value.undoneMerges).toEqual([
        expect.objectContaining({ mergeId: merge!.merge_id, fromProfileId: restored, intoProfileId: survivor, viaKey: expect.any(String) as string, unmergedAt: expect.any(String) as string }),
      ]);
    }

    // The record that linked them arrives again (new id): the exclusion keeps the two apart.
    const again = await write(ctx.engine, ws, 'events', [event('link-2', { email: 'u1@example.com', phone: '+447911000111' })]);
    expect(again.merges).toBe(0);
    expect(await profileOf(ctx.engine, ws, 'ext:shop:U2')).toBe(restored);
    const second = await unmerge(ctx.engine, ws, survivor, merge!.merge_id);
    expect(second.ok).toBe(false);
  });

  it('takes along on unmerge what was linked through the absorbed profile: its new identifiers, their rows and its merges', async () => {
    const ws = 'unmerge-deep';
    await ensureWorkspace(ctx.engine, ws);
    await write(ctx.engine, ws, 'customers', [
      { source: 'crm', customerId: 'D1', email: 'd1@example.com' },
      { source: 'shop', customerId: 'D2', phone: '+447911000222' },
    ]);
    await write(ctx.engine, ws, 'events', [event('c-first', { anonymousId: 'dev-c' })]);
    const absorbedC = (await profileOf(ctx.engine, ws, 'anon:dev-c'))!;
    // D2's profile merges into D1's; later records reach the merged profile through D2's phone only.
    await write(ctx.engine, ws, 'events', [event('link', { email: 'd1@example.com', phone: '+447911000222' })]);
    await write(ctx.engine, ws, 'events', [event('later', { phone: '+447911000222', email: 'second@example.com' })]);
    await write(ctx.engine, ws, 'events', [event('bridge', { phone: '+447911000222', anonymousId: 'dev-c' })]);
    const survivor = (await profileOf(ctx.engine, ws, 'ext:crm:D1'))!;
    for (const key of ['ext:shop:D2', 'email:second@example.com', 'anon:dev-c']) expect(await profileOf(ctx.engine, ws, key)).toBe(survivor);
    const [merge] = await ctx.engine.query<{ merge_id: number; from_profile_id: number }>(
      `SELECT merge_id, from_profile_id FROM profile_merges WHERE workspace_id = $1 AND via_key = 'phone:+447911000222'`,
      [ws],
    );

    const result = await unmerge(ctx.engine, ws, survivor, merge!.merge_id);
    expect(result.ok).toBe(true);
    const restored = merge!.from_profile_id;
    // Everything that came in through D2's phone leaves with it: a key it introduced, and the profile it absorbed.
    for (const key of ['ext:shop:D2', 'phone:+447911000222', 'email:second@example.com', 'anon:dev-c']) expect(await profileOf(ctx.engine, ws, key)).toBe(restored);
    expect(await profileOf(ctx.engine, ws, 'email:d1@example.com')).toBe(survivor);
    const rows = await ctx.engine.query<{ event_id: string; profile_id: number }>('SELECT event_id, profile_id FROM events WHERE workspace_id = $1 ORDER BY event_id', [ws]);
    expect(rows).toEqual([
      { event_id: 'bridge', profile_id: restored },
      { event_id: 'c-first', profile_id: restored },
      { event_id: 'later', profile_id: restored },
      { event_id: 'link', profile_id: survivor },
    ]);
    // The merge that brought C in is now the restored profile's, live; the survivor lists neither.
    const restoredView = await getCustomer(ctx.engine, ws, restored);
    if (!restoredView.ok) throw new Error(restoredView.error.detail);
    expect(restoredView.value.merges.map((m) => m.fromProfileId)).toEqual([absorbedC]);
    const survivorView = await getCustomer(ctx.engine, ws, survivor);
    if (!survivorView.ok) throw new Error(survivorView.error.detail);
    expect(survivorView.value.merges).toEqual([]);
  });

  it('hangs a key linked through a merged-in profile from that profile when the link comes from the import cache', async () => {
    const ws = 'unmerge-cache';
    await ensureWorkspace(ctx.engine, ws);
    const cache = new ProfileCache();
    const batchCtx = { workspaceId: ws, entity: 'events' as const, importId: importSeq++, identityConfig: DEFAULT_IDENTITY_CONFIG, cache };
    await writeBatch(ctx.engine, batchCtx, located([event('a', { email: 'a@example.com' }), event('b', { phone: '+447911000333' })]));
    // The merge, then (same import, next batches) a new key through the absorbed profile's phone.
    await writeBatch(ctx.engine, batchCtx, located([event('link', { email: 'a@example.com', phone: '+447911000333' })]));
    await writeBatch(ctx.engine, batchCtx, located([event('later', { phone: '+447911000333', anonymousId: 'dev-later' })]));
    const origins = await ctx.engine.query<{ id_key: string; origin_profile_id: number }>(
      'SELECT id_key, origin_profile_id FROM identities WHERE workspace_id = $1 ORDER BY id_key',
      [ws],
    );
    const originOf = new Map(origins.map((o) => [o.id_key, o.origin_profile_id]));
    expect(originOf.get('anon:dev-later')).toBe(originOf.get('phone:+447911000333'));
    expect(originOf.get('anon:dev-later')).not.toBe(originOf.get('email:a@example.com'));
  });

  it('never gives up a customer record’s own id, even when another identifier ranks above customer_id', async () => {
    const ws = 'email-first';
    await ensureWorkspace(ctx.engine, ws);
    const identityConfig = identityConfigSchema.parse({ priority: ['email', 'customer_id', 'phone', 'anonymous_id'] });
    const writeAs = <E extends Entity>(entity: E, records: RecordByEntity[E][]) =>
      writeBatch(ctx.engine, { workspaceId: ws, entity, importId: importSeq++, identityConfig }, located(records));
    await writeAs('customers', [{ source: 'crm', customerId: 'F1', email: 'family@example.com' }]);
    // A second CRM id with the same email: one crm id per profile, so the two cannot share a profile.
    const second = await writeAs('customers', [{ source: 'crm', customerId: 'F2', name: 'Second', email: 'family@example.com' }]);
    expect(second.stored).toBe(1);
    expect(second.warnings).toEqual([expect.objectContaining({ field: 'email', reason: expect.stringContaining('email:family@example.com not linked') as string })]);
    const f1 = (await profileOf(ctx.engine, ws, 'ext:crm:F1'))!;
    const f2 = (await profileOf(ctx.engine, ws, 'ext:crm:F2'))!;
    expect(f2).not.toBe(f1);
    await writeAs('events', [event('f2-event', { customerId: 'F2', source: 'crm' })]);
    // The customer row, its identity and its later events are on one profile.
    const rows = await ctx.engine.query<{ profile_id: number }>(
      `SELECT profile_id FROM customers WHERE workspace_id = $1 AND customer_id = 'F2'
       UNION ALL SELECT profile_id FROM events WHERE workspace_id = $1 AND event_id = 'f2-event'`,
      [ws],
    );
    expect(rows.map((r) => r.profile_id)).toEqual([f2, f2]);
  });

  it('is idempotent: re-running the same records creates no duplicates and no profiles', async () => {
    const ws = 'idempotent';
    await ensureWorkspace(ctx.engine, ws);
    const customers: CustomerRecord[] = [
      { source: 'crm', customerId: 'I1', email: 'i1@example.com' },
      { source: 'crm', customerId: 'I2', email: 'i2@example.com', phone: '+447911222333' },
    ];
    const events = [event('i-e1', { customerId: 'I1', source: 'crm' }), event('i-e2', { email: 'i2@example.com', anonymousId: 'dev-1' })];
    await write(ctx.engine, ws, 'customers', customers);
    await write(ctx.engine, ws, 'events', events);
    const count = async () =>
      (
        await ctx.engine.query<{ p: number; i: number; c: number; e: number }>(
          `SELECT (SELECT count(*) FROM profiles WHERE workspace_id = $1) AS p, (SELECT count(*) FROM identities WHERE workspace_id = $1) AS i,
                  (SELECT count(*) FROM customers WHERE workspace_id = $1) AS c, (SELECT count(*) FROM events WHERE workspace_id = $1) AS e`,
          [ws],
        )
      )[0];
    const before = await count();
    const c2 = await write(ctx.engine, ws, 'customers', customers);
    const e2 = await write(ctx.engine, ws, 'events', events);
    expect(c2.updated).toBe(2);
    expect(e2.skipped).toBe(2);
    expect(e2.stored).toBe(0);
    expect(await count()).toEqual(before);
    expect(before).toEqual({ p: 2, i: 6, c: 2, e: 2 });
  });

  it('rejects an id repeated within one import and keeps the first', async () => {
    const ws = 'dupes';
    await ensureWorkspace(ctx.engine, ws);
    const out = await write(ctx.engine, ws, 'events', [
      event('d1', { anonymousId: 'a' }),
      event('d1', { anonymousId: 'b' }),
      event('d2', { anonymousId: 'a' }),
    ]);
    expect(out.stored).toBe(2);
    expect(out.rejected).toEqual([{ line: 3, field: 'event_id', reason: "duplicate event_id 'd1' (first at line 2)" }]);
  });

  it('reports rejections in batch order: unusable identifiers, repeats, then ids stored earlier in the import', async () => {
    const ws = 'reject-order';
    await ensureWorkspace(ctx.engine, ws);
    const importId = importSeq++;
    const ctxFor = { workspaceId: ws, entity: 'events' as const, importId, identityConfig: DEFAULT_IDENTITY_CONFIG };
    const first = await writeBatch(ctx.engine, ctxFor, located([event('r0', { anonymousId: 'a' })]));
    expect(first.stored).toBe(1);
    const out = await writeBatch(
      ctx.engine,
      ctxFor,
      located([
        event('r1', { anonymousId: 'a' }),
        event('r2', {}),
        event('r1', { anonymousId: 'b' }),
        event('r0', { anonymousId: 'a' }),
        event('r3', { email: 'not-an-email' }),
        event('r1', { anonymousId: 'c' }),
      ]),
    );
    expect(out.stored).toBe(1);
    expect(out.rejected).toEqual([
      { line: 3, field: 'customer_id', reason: 'no usable identifier (none given)' },
      { line: 4, field: 'event_id', reason: "duplicate event_id 'r1' (first at line 2)" },
      { line: 6, field: 'email', reason: 'no usable identifier (email: "not-an-email" is not an email address)' },
      { line: 7, field: 'event_id', reason: "duplicate event_id 'r1' (first at line 2)" },
      { line: 5, field: 'event_id', reason: "duplicate event_id 'r0' (already earlier in this import)" },
    ]);
  });

  it('keeps the per-import profile cache right when a later record of a batch merges an earlier one away', async () => {
    const ws = 'cache-merge';
    await ensureWorkspace(ctx.engine, ws);
    const cache = new ProfileCache();
    const batchCtx = { workspaceId: ws, entity: 'events' as const, importId: importSeq++, identityConfig: DEFAULT_IDENTITY_CONFIG, cache };
    await writeBatch(ctx.engine, { ...batchCtx, cache: undefined }, located([event('c0', { customerId: 'B' })]));
    const b = (await profileOf(ctx.engine, ws, 'ext:default:B'))!;
    // e1 and dev1 start a new profile; the next record ties dev1 to B, so that profile merges into B's.
    const merged = await writeBatch(
      ctx.engine,
      batchCtx,
      located([event('c1', { email: 'e1@example.com', anonymousId: 'dev1' }), event('c2', { customerId: 'B', anonymousId: 'dev1' })]),
    );
    expect(merged.merges).toBe(1);
    expect(await profileOf(ctx.engine, ws, 'email:e1@example.com')).toBe(b);
    // Same import, next batch: the email alone must resolve to the survivor, from the cache as from the store.
    await writeBatch(ctx.engine, batchCtx, located([event('c3', { email: 'e1@example.com' })]));
    const rows = await ctx.engine.query<{ event_id: string; profile_id: number }>(
      'SELECT event_id, profile_id FROM events WHERE workspace_id = $1 ORDER BY event_id',
      [ws],
    );
    expect(rows).toEqual(['c0', 'c1', 'c2', 'c3'].map((id) => ({ event_id: id, profile_id: b })));
  });

  it('lets concurrent writers of one workspace create each identity exactly once', async () => {
    const ws = 'concurrent';
    await ensureWorkspace(ctx.engine, ws);
    const batch = (tag: string) =>
      Array.from({ length: 50 }, (_, i) => event(`${tag}-${i}`, { email: `person${i}@example.com`, anonymousId: `device-${i}` }));
    const outcomes = await Promise.all([write(ctx.engine, ws, 'events', batch('a')), write(ctx.engine, ws, 'events', batch('b'))]);
    expect(outcomes.map((o) => o.stored)).toEqual([50, 50]);
    const rows = await ctx.engine.query<{ keys: number; distinct_keys: number; profiles: number }>(
      `SELECT count(*) AS keys, count(DISTINCT id_key) AS distinct_keys, count(DISTINCT profile_id) AS profiles
         FROM identities WHERE workspace_id = $1`,
      [ws],
    );
    expect(rows[0]).toEqual({ keys: 100, distinct_keys: 100, profiles: 50 });
  });
});
