import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_CONFIG, type IdentityConfig } from '../../src/core/identity/config.js';
import type { IdentityKey } from '../../src/core/identity/normalise.js';
import { resolveIdentities, type KnownIdentity, type ResolveInput } from '../../src/core/identity/resolve.js';
import { resolveRecords } from '../../src/ingest/resolve-records.js';

/** Deterministic pseudo-random numbers. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

const keyOf = (type: IdentityKey['type'], value: string): IdentityKey => {
  const prefix = { customer_id: 'ext', email: 'email', phone: 'phone', anonymous_id: 'anon' }[type];
  return { type, value, key: `${prefix}:${value}` };
};

const POOL: IdentityKey[] = [
  ...['crm:C0', 'crm:C1', 'crm:C2', 'crm:C3', 'shop:S0', 'shop:S1', 'shop:S2'].map((v) => ({ ...keyOf('customer_id', v), value: v.split(':')[1]! })),
  ...['e0@x.io', 'e1@x.io', 'e2@x.io', 'e3@x.io', 'e4@x.io'].map((v) => keyOf('email', v)),
  ...['+441', '+442', '+443'].map((v) => keyOf('phone', v)),
  ...Array.from({ length: 12 }, (_, i) => keyOf('anonymous_id', `a${i}`)),
];

/** A random batch against a random store: overlapping keys, known profiles, tight limits, an exclusion. */
function scenario(seed: number, knownShare = 0.35) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const known = new Map<string, KnownIdentity>();
  const profileKeys = new Map<number, IdentityKey[]>();
  for (const k of POOL) {
    if (rnd() < knownShare) {
      const profileId = 1 + Math.floor(rnd() * 6);
      known.set(k.key, { key: k.key, type: k.type, profileId });
      profileKeys.set(profileId, [...(profileKeys.get(profileId) ?? []), k]);
    }
  }
  // Rare keys show up in one record only, so the shortcut has something to take.
  const fresh = (n: number) => keyOf(pick(['customer_id', 'email', 'anonymous_id'] as const), `fresh-${seed}-${n}`);
  const records = Array.from({ length: 4 + Math.floor(rnd() * 30) }, (_, i) => {
    const keys: IdentityKey[] = [];
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) keys.push(rnd() < 0.4 ? fresh(i * 10 + n) : pick(POOL));
    const unique = [...new Map(keys.map((k) => [k.key, k])).values()];
    return { ref: `events:r${i}`, keys: unique };
  });
  const exclusions = new Set(rnd() < 0.5 ? ['1:2', '3:5'] : []);
  const config: IdentityConfig = {
    ...DEFAULT_IDENTITY_CONFIG,
    limits: { customer_id: 1, email: 1 + Math.floor(rnd() * 2), phone: 1, anonymous_id: 1 + Math.floor(rnd() * 3) },
  };
  return { known, profileKeys, records, exclusions, config };
}

function inputFor(s: ReturnType<typeof scenario>): ResolveInput {
  let next = 1000;
  return {
    records: s.records,
    known: new Map([...s.known].map(([k, v]) => [k, { ...v }])),
    profileKeys: new Map([...s.profileKeys].map(([p, keys]) => [p, [...keys]])),
    exclusions: s.exclusions,
    newProfileId: () => next++,
    config: s.config,
  };
}

describe('resolveRecords', () => {
  it('gives exactly what the resolver gives (links, new ids, merges, drops, their order), over many random batches', () => {
    let records = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const s = scenario(seed);
      expect(resolveRecords(inputFor(s)), `seed ${seed}`).toEqual(resolveIdentities(inputFor(s)));
      records += s.records.length;
    }
    expect(records).toBeGreaterThan(10_000);
  });

  it('gives exactly what the resolver gives when most keys are new and records share them (groups)', () => {
    let settledAsGroups = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      // Few or no known keys: records sharing new keys form groups, some within limits, some not.
      const s = scenario(100_000 + seed, seed % 3 === 0 ? 0 : 0.05);
      const expected = resolveIdentities(inputFor(s));
      expect(resolveRecords(inputFor(s)), `seed ${seed}`).toEqual(expected);
      settledAsGroups += expected.newIdentities.filter((i) => i.linkedBy.startsWith('appeared with')).length;
    }
    expect(settledAsGroups).toBeGreaterThan(1000);
  });

  it("settles a new customer's records with and without a device id as one group", () => {
    const customer = (v: string): IdentityKey => ({ type: 'customer_id', value: v, key: `ext:crm:${v}` });
    let next = 100;
    const input = (): ResolveInput => ({
      records: [
        { ref: 'events:1', keys: [customer('A')] },
        { ref: 'events:2', keys: [customer('B'), keyOf('anonymous_id', 'dev-b')] },
        { ref: 'events:3', keys: [customer('A'), keyOf('anonymous_id', 'dev-a')] },
        { ref: 'events:4', keys: [customer('B')] },
      ],
      known: new Map(),
      profileKeys: new Map(),
      exclusions: new Set(),
      newProfileId: () => next++,
      config: DEFAULT_IDENTITY_CONFIG,
    });
    const out = resolveRecords(input());
    expect(out.assignments.map((a) => a?.profileId)).toEqual([100, 101, 100, 101]);
    expect(out.newIdentities.map((i) => [i.key, i.profileId, i.linkedBy])).toEqual([
      ['ext:crm:A', 100, 'new profile from events:1'],
      ['ext:crm:B', 101, 'new profile from events:2'],
      ['anon:dev-b', 101, 'new profile from events:2'],
      ['anon:dev-a', 100, 'appeared with ext:crm:A on events:3'],
    ]);
    next = 100;
    expect(out).toEqual(resolveIdentities(input()));
  });

  it('takes the shortcut for a new customer and for a known customer with a new device id', () => {
    const known = new Map<string, KnownIdentity>([['ext:crm:K', { key: 'ext:crm:K', type: 'customer_id', profileId: 7 }]]);
    const customer = (v: string): IdentityKey => ({ type: 'customer_id', value: v, key: `ext:crm:${v}` });
    const out = resolveRecords({
      records: [
        { ref: 'events:1', keys: [customer('N')] },
        { ref: 'events:2', keys: [customer('K'), keyOf('anonymous_id', 'dev')] },
      ],
      known,
      profileKeys: new Map([[7, [customer('K')]]]),
      exclusions: new Set(),
      newProfileId: () => 100,
      config: DEFAULT_IDENTITY_CONFIG,
    });
    expect(out.assignments).toEqual([
      { profileId: 100, customerKey: 'ext:crm:N' },
      { profileId: 7, customerKey: 'ext:crm:K' },
    ]);
    expect(out.newIdentities).toEqual([
      { key: 'ext:crm:N', type: 'customer_id', value: 'N', profileId: 100, originProfileId: 100, sourceRef: 'events:1', linkedBy: 'new profile from events:1' },
      { key: 'anon:dev', type: 'anonymous_id', value: 'dev', profileId: 7, originProfileId: 7, sourceRef: 'events:2', linkedBy: 'appeared with ext:crm:K on events:2' },
    ]);
    expect(out.newProfiles).toEqual([100]);
  });

  it('hangs a key linked through a merged-in profile’s key from that profile, as the resolver does', () => {
    // K was first linked to profile 3, since merged into 7.
    const known = new Map<string, KnownIdentity>([['ext:crm:K', { key: 'ext:crm:K', type: 'customer_id', profileId: 7, originProfileId: 3 }]]);
    const customer = (v: string): IdentityKey => ({ type: 'customer_id', value: v, key: `ext:crm:${v}` });
    const input = () => ({
      records: [{ ref: 'events:2', keys: [customer('K'), keyOf('anonymous_id', 'dev')] }],
      known: new Map(known),
      profileKeys: new Map([[7, [customer('K')]]]),
      exclusions: new Set<string>(),
      newProfileId: () => 100,
      config: DEFAULT_IDENTITY_CONFIG,
    });
    const out = resolveRecords(input());
    expect(out.newIdentities.map((i) => [i.key, i.profileId, i.originProfileId])).toEqual([['anon:dev', 7, 3]]);
    expect(out).toEqual(resolveIdentities(input()));
  });
});
