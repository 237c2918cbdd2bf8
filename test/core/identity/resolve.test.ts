import { describe, it, expect } from 'vitest';
import {
  identityConfigSchema,
  normaliseIdentifiers,
  resolveIdentities,
  type IdentityConfigInput,
  type IdentityKey,
  type KnownIdentity,
  type RawIdentifiers,
} from '../../../src/core/identity/index.js';

/** An in-memory identity store: resolves raw records batch by batch, keeping state between batches. */
function createWorld(overrides: IdentityConfigInput = {}) {
  const config = identityConfigSchema.parse({ defaultCountry: 'GB', ...overrides });
  const known = new Map<string, KnownIdentity>();
  const profileKeys = new Map<number, IdentityKey[]>();
  const exclusions = new Set<string>();
  let nextProfileId = 1;
  return {
    exclusions,
    profileKeys,
    resolve: (...records: [ref: string, ids: RawIdentifiers][]) =>
      resolveIdentities({
        records: records.map(([ref, ids]) => ({ ref, keys: normaliseIdentifiers(ids, config).keys })),
        known,
        profileKeys,
        exclusions,
        newProfileId: () => nextProfileId++,
        config,
      }),
    profileOf: (key: string) => known.get(key)?.profileId,
    keysOf: (profileId: number) => profileKeys.get(profileId)?.map((k) => k.key),
    snapshot: () => JSON.stringify({ known: [...known], profileKeys: [...profileKeys] }),
  };
}

const JO = 'jo@example.com';
const JO_PHONE = '07911 123456';

describe('resolveIdentities', () => {
  it('creates a profile holding every key of a record that matches nothing, and says why', () => {
    const world = createWorld();
    const out = world.resolve(['customers:crm:1', { customerId: '1', source: 'crm', email: JO }]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: 'ext:crm:1' }]);
    expect(out.newProfiles).toEqual([1]);
    expect(out.newIdentities).toEqual([
      {
        key: 'ext:crm:1',
        type: 'customer_id',
        value: '1',
        profileId: 1,
        originProfileId: 1,
        sourceRef: 'customers:crm:1',
        linkedBy: 'new profile from customers:crm:1',
      },
      {
        key: `email:${JO}`,
        type: 'email',
        value: JO,
        profileId: 1,
        originProfileId: 1,
        sourceRef: 'customers:crm:1',
        linkedBy: 'new profile from customers:crm:1',
      },
    ]);
    expect(out.merges).toEqual([]);
    expect(out.dropped).toEqual([]);
  });

  it('adds unknown keys to the one profile a record matches, naming the key that linked them', () => {
    const world = createWorld();
    world.resolve(['customers:crm:1', { customerId: '1', source: 'crm', email: JO }]);
    const out = world.resolve(['events:evt_9', { email: JO, anonymousId: 'dev-1' }]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: `email:${JO}` }]);
    expect(out.newProfiles).toEqual([]);
    expect(out.newIdentities.map((i) => [i.key, i.profileId, i.linkedBy])).toEqual([
      ['anon:dev-1', 1, `appeared with email:${JO} on events:evt_9`],
    ]);
  });

  it('lets later records in a batch see profiles created by earlier ones', () => {
    const world = createWorld();
    const out = world.resolve(
      ['events:e1', { email: JO }],
      ['events:e2', { email: JO, phone: JO_PHONE }],
      ['events:e3', { phone: JO_PHONE }],
    );
    expect(out.assignments.map((a) => a?.profileId)).toEqual([1, 1, 1]);
    expect(out.newProfiles).toEqual([1]);
    expect(world.keysOf(1)).toEqual([`email:${JO}`, 'phone:+447911123456']);
  });

  it('returns null for a record without usable keys', () => {
    const world = createWorld();
    const out = world.resolve(['events:e1', { email: 'noreply@shop.com' }]);
    expect(out.assignments).toEqual([null]);
    expect(out.newProfiles).toEqual([]);
  });

  it('merges two profiles through a shared email into the profile of the record’s strongest key', () => {
    const world = createWorld();
    world.resolve(
      ['customers:crm:1', { customerId: '1', source: 'crm' }],
      ['customers:shop:77', { customerId: '77', source: 'shop', email: JO }],
    );
    const out = world.resolve(['customers:crm:1', { customerId: '1', source: 'crm', email: JO }]);
    expect(out.merges).toEqual([
      {
        fromProfileId: 2,
        intoProfileId: 1,
        parentProfileId: 1,
        viaKey: `email:${JO}`,
        sourceRef: 'customers:crm:1',
        reason: `customers:crm:1 carries both ext:crm:1 (profile 1, from customers:crm:1) and email:${JO} (profile 2, from customers:shop:77)`,
      },
    ]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: 'ext:crm:1' }]);
    expect(world.keysOf(1)).toEqual(['ext:crm:1', 'ext:shop:77', `email:${JO}`]);
    expect(world.keysOf(2)).toBeUndefined();
    expect(world.profileOf('ext:shop:77')).toBe(1);
  });

  it('hangs what a key of an absorbed profile links (new keys, merges) from that profile, so an unmerge can take it along', () => {
    const world = createWorld();
    world.resolve(
      ['customers:crm:1', { customerId: '1', source: 'crm', email: JO }],
      ['customers:shop:2', { customerId: '2', source: 'shop', phone: JO_PHONE }],
      ['events:c', { anonymousId: 'dev-c' }],
    );
    const link = world.resolve(['events:link', { email: JO, phone: JO_PHONE }]);
    expect(link.merges.map((m) => [m.fromProfileId, m.intoProfileId, m.parentProfileId])).toEqual([[2, 1, 1]]);
    // Through the phone (first linked to profile 2, now on 1): a new email, then profile 3 via its device id.
    const later = world.resolve(['events:later', { phone: JO_PHONE, email: 'second@example.com' }], ['events:bridge', { phone: JO_PHONE, anonymousId: 'dev-c' }]);
    expect(later.newIdentities.map((i) => [i.key, i.profileId, i.originProfileId])).toEqual([['email:second@example.com', 1, 2]]);
    expect(later.merges.map((m) => [m.fromProfileId, m.intoProfileId, m.parentProfileId])).toEqual([[3, 1, 2]]);
    // Keys of the absorbed profile keep their origin; the record's strongest own key links to the survivor's root.
    const own = world.resolve(['events:own', { customerId: '1', source: 'crm', anonymousId: 'dev-own' }]);
    expect(own.newIdentities.map((i) => [i.key, i.profileId, i.originProfileId])).toEqual([['anon:dev-own', 1, 1]]);
  });

  it('never gives up a record’s own key, even when the priority ranks another identifier above it', () => {
    const config = identityConfigSchema.parse({ defaultCountry: 'GB', priority: ['email', 'customer_id', 'phone', 'anonymous_id'] });
    const known = new Map<string, KnownIdentity>();
    const profileKeys = new Map<number, IdentityKey[]>();
    let next = 1;
    const resolve = (customerId: string, own: boolean) => {
      const keys = normaliseIdentifiers({ customerId, source: 'crm', email: JO }, config).keys;
      return resolveIdentities({ records: [{ ref: `customers:crm:${customerId}`, keys, own: own ? `ext:crm:${customerId}` : undefined }], known, profileKeys, exclusions: new Set(), newProfileId: () => next++, config });
    };
    resolve('1', true);
    // Without `own` the weaker crm id gives way (the email's profile already holds crm id 1) …
    expect(resolve('2', false).dropped.map((d) => d.key)).toEqual(['ext:crm:2']);
    // … with it, the email gives way and the customer keeps a profile of its own.
    const out = resolve('3', true);
    expect(out.dropped.map((d) => d.key)).toEqual([`email:${JO}`]);
    expect(out.assignments).toEqual([{ profileId: 2, customerKey: 'ext:crm:3' }]);
  });

  it('merges several profiles in one record, survivor first, and moves keys created earlier in the batch', () => {
    const world = createWorld();
    const out = world.resolve(
      ['events:e1', { email: JO }],
      ['events:e2', { phone: JO_PHONE }],
      ['events:e3', { anonymousId: 'dev-1' }],
      ['events:e4', { anonymousId: 'dev-1', phone: JO_PHONE, email: JO }],
    );
    expect(out.merges.map((m) => [m.fromProfileId, m.intoProfileId, m.viaKey])).toEqual([
      [2, 1, 'phone:+447911123456'],
      [3, 1, 'anon:dev-1'],
    ]);
    expect(world.keysOf(1)).toEqual([`email:${JO}`, 'phone:+447911123456', 'anon:dev-1']);
    expect([...world.profileKeys.keys()]).toEqual([1]);
  });
});

describe('resolveIdentities limits', () => {
  it('never puts two customer ids of the same source into one profile', () => {
    const world = createWorld();
    const out = world.resolve(
      ['customers:crm:1', { customerId: '1', source: 'crm', email: JO }],
      ['customers:crm:2', { customerId: '2', source: 'crm', email: JO }],
    );
    expect(out.assignments).toEqual([
      { profileId: 1, customerKey: 'ext:crm:1' },
      { profileId: 2, customerKey: 'ext:crm:2' },
    ]);
    expect(out.dropped).toEqual([
      {
        recordIndex: 1,
        key: `email:${JO}`,
        reason:
          'it belongs to profile 1; joining it: one profile would hold 2 customer_id (source crm) identities, over the limit of 1',
      },
    ]);
    expect(world.profileOf(`email:${JO}`)).toBe(1);
    expect(world.keysOf(2)).toEqual(['ext:crm:2']);
  });

  it('drops an email beyond the limit and keeps the rest of the record', () => {
    const world = createWorld({ limits: { email: 2 } });
    world.resolve([
      'customers:crm:1',
      { customerId: '1', source: 'crm', email: 'a@example.com', extraEmails: ['b@example.com'] },
    ]);
    const out = world.resolve([
      'events:e1',
      { customerId: '1', source: 'crm', email: 'c@example.com', anonymousId: 'dev-1' },
    ]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: 'ext:crm:1' }]);
    expect(out.dropped).toEqual([
      {
        recordIndex: 0,
        key: 'email:c@example.com',
        reason: 'linking it: one profile would hold 3 email identities, over the limit of 2',
      },
    ]);
    expect(world.profileOf('email:c@example.com')).toBeUndefined();
    expect(world.profileOf('anon:dev-1')).toBe(1);
  });

  it('drops the lowest-priority key when a merge would break a limit, joining the strongest key’s profile', () => {
    const world = createWorld();
    world.resolve(
      ['customers:crm:1', { customerId: '1', source: 'crm', email: JO }],
      ['customers:crm:2', { customerId: '2', source: 'crm', phone: JO_PHONE }],
    );
    const out = world.resolve(['events:e1', { customerId: '1', source: 'crm', phone: JO_PHONE, anonymousId: 'dev-1' }]);
    expect(out.merges).toEqual([]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: 'ext:crm:1' }]);
    expect(out.dropped.map((d) => d.key)).toEqual(['phone:+447911123456']);
    expect(world.profileOf('phone:+447911123456')).toBe(2);
    expect(world.profileOf('anon:dev-1')).toBe(1);
  });

  it('lets a profile already over a lowered limit keep matching its own keys', () => {
    const world = createWorld({ limits: { email: 3 } });
    world.resolve([
      'customers:crm:1',
      { customerId: '1', source: 'crm', email: 'a@x.com', extraEmails: ['b@x.com', 'c@x.com'] },
    ]);
    const stricter = identityConfigSchema.parse({ defaultCountry: 'GB', limits: { email: 1 } });
    const known = new Map([['email:a@x.com', { key: 'email:a@x.com', type: 'email' as const, profileId: 1 }]]);
    const out = resolveIdentities({
      records: [{ ref: 'events:e1', keys: normaliseIdentifiers({ email: 'a@x.com' }, stricter).keys }],
      known,
      profileKeys: world.profileKeys,
      exclusions: new Set(),
      newProfileId: () => 99,
      config: stricter,
    });
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: 'email:a@x.com' }]);
    expect(out.dropped).toEqual([]);
  });
});

describe('resolveIdentities exclusions', () => {
  it('keeps profiles that were unmerged apart, dropping the weaker key', () => {
    const world = createWorld();
    world.resolve(['events:e1', { email: JO }], ['events:e2', { phone: JO_PHONE }]);
    world.exclusions.add('1:2');
    const out = world.resolve(['events:e3', { email: JO, phone: JO_PHONE }]);
    expect(out.merges).toEqual([]);
    expect(out.assignments).toEqual([{ profileId: 1, customerKey: `email:${JO}` }]);
    expect(out.dropped).toEqual([
      {
        recordIndex: 0,
        key: 'phone:+447911123456',
        reason: 'it belongs to profile 2, which was unmerged from profile 1 and must stay apart from it',
      },
    ]);
  });

  it('applies an absorbed profile’s exclusions to the profile that absorbed it within a batch', () => {
    const world = createWorld();
    world.resolve(
      ['events:e1', { email: JO }],
      ['events:e2', { phone: JO_PHONE }],
      ['events:e3', { anonymousId: 'dev-1' }],
    );
    world.exclusions.add('2:3');
    const out = world.resolve(
      ['events:e4', { email: JO, phone: JO_PHONE }],
      ['events:e5', { email: JO, anonymousId: 'dev-1' }],
    );
    expect(out.merges.map((m) => [m.fromProfileId, m.intoProfileId])).toEqual([[2, 1]]);
    expect(out.dropped.map((d) => [d.recordIndex, d.key])).toEqual([[1, 'anon:dev-1']]);
    expect(world.profileOf('anon:dev-1')).toBe(3);
  });
});

describe('resolveIdentities idempotence', () => {
  it('changes nothing when the same records are resolved again', () => {
    const world = createWorld({ limits: { email: 2 } });
    const batch: [string, RawIdentifiers][] = [
      ['customers:crm:1', { customerId: '1', source: 'crm', email: JO }],
      ['customers:shop:7', { customerId: '7', source: 'shop', phone: JO_PHONE }],
      ['customers:crm:2', { customerId: '2', source: 'crm', email: JO, anonymousId: 'dev-2' }],
      ['events:e1', { email: JO, phone: JO_PHONE, extraEmails: ['b@x.com', 'c@x.com'] }],
    ];
    const first = world.resolve(...batch);
    expect(first.merges).toHaveLength(1);
    expect(first.dropped.length).toBeGreaterThan(0);
    const state = world.snapshot();

    const again = world.resolve(...batch);
    expect(again.newIdentities).toEqual([]);
    expect(again.newProfiles).toEqual([]);
    expect(again.merges).toEqual([]);
    expect(world.snapshot()).toBe(state);
    expect(again.assignments).toEqual([
      { profileId: 1, customerKey: 'ext:crm:1' },
      { profileId: 1, customerKey: 'ext:shop:7' },
      { profileId: 3, customerKey: 'ext:crm:2' },
      { profileId: 1, customerKey: `email:${JO}` },
    ]);
    expect(world.resolve(...batch)).toEqual(again);
  });
});
