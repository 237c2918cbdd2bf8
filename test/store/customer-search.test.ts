/**
 * Customer search on both engines: DuckDB scans the identities once with ILIKE, PostgreSQL uses its index on
 * lower(id_value) with one query per kind of match; both must find the same profiles.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from './engines.js';
import { searchProfileIds } from '../../src/store/repositories/customer360-repository.js';
import { insertIdentities, insertProfiles } from '../../src/store/repositories/identity-repository.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'search';
const IDS: [number, string, string][] = [
  [1, 'email', 'ada@example.com'],
  [2, 'email', 'ada@example.com.au'],
  [3, 'phone', '+447911123456'],
  [4, 'customer_id', 'CRM-Ada-9'],
  [5, 'anonymous_id', 'Dev_100%'],
  [6, 'email', 'bob@example.com'],
  [7, 'email', 'zoë@exämple.com'],
];

describeEachEngine('customer search', (ctx) => {
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS);
    await ctx.engine.transaction(async (tx) => {
      await insertProfiles(tx, WS, IDS.map(([p]) => p), Date.UTC(2025, 0, 1));
      await insertIdentities(
        tx,
        WS,
        IDS.map(([profileId, type, value]) => ({
          key: `${type}:${value}`,
          type: type as 'email',
          value,
          profileId,
          originProfileId: profileId,
          sourceRef: 'test',
          linkedBy: 'test',
          firstSeenAt: Date.UTC(2025, 0, 1),
        })),
      );
    });
  });

  const search = (exact: string[], prefix: string | null) => searchProfileIds(ctx.engine, WS, { exact, prefix, name: null }, null, 50).then((ids) => [...ids].sort());

  it('matches exact values case-insensitively, including forms the prefix does not cover', async () => {
    expect(await search(['ADA@EXAMPLE.COM', 'ada@example.com'], 'ada@example.com')).toEqual([1, 2]);
    expect(await search(['07911 123456', '+447911123456'], '07911 123456')).toEqual([3]);
    expect(await search(['crm-ada-9'], null)).toEqual([4]);
    expect(await search(['ZOË@EXÄMPLE.COM'], null)).toEqual([7]);
  });

  it('matches prefixes case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(await search([], 'crm-a')).toEqual([4]);
    expect(await search([], 'dev_100%')).toEqual([5]);
    expect(await search([], 'dev_1000')).toEqual([]);
    expect(await search([], 'zoë@')).toEqual([7]);
    expect(await search([], 'ada@')).toEqual([1, 2]);
  });
});
