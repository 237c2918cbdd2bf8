/**
 * HTTP batches stay idempotent whichever way stored ids are found: on DuckDB through the server's in-memory
 * stored-id filter (a "perhaps" confirmed by the store, built from the table on first use), on PostgreSQL by
 * asking the store every time. Retries are skipped (events) or updated (orders), never stored twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { openEngine } from '../../src/store/open-store.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';
import { factTableOf } from '../../src/ingest/batch-writer.js';
import { IDENTITY_KEYS, TableIds, builtStoredIdFilter, storedIdFilterFor } from '../../src/server/services/stored-id-filters.js';
import { CompactIdSet } from '../../src/ingest/stored-id-filter.js';

const WS = 'ids';
const at = (i: number) => new Date(Date.UTC(2025, 4, 1) + i * 60_000).toISOString();
const eventRecords = (from: number, to: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: to - from }, (_, k) => ({ event_id: `s${from + k}`, customer_id: `K${(from + k) % 7}`, occurred_at: at(from + k), type: 'visit', ...extra }));

interface Answer {
  stored: number;
  updated: number;
  skipped: number;
  rejected: number;
  errors: { index: number; field?: string; reason: string }[];
}

function poster(app: () => FastifyInstance) {
  return async (entity: string, records: unknown[]) => {
    const res = await app().inject({ method: 'POST', url: `/api/v1/${entity}/batch?workspace=${WS}`, payload: { default_source: 'crm', records } });
    expect(res.statusCode).toBe(200);
    return res.json<Answer>();
  };
}

async function count(engine: Engine, table: string, column: string): Promise<{ rows: number; distinct: number }> {
  const [r] = await engine.query<{ rows: number; distinct: number }>(
    `SELECT count(*) AS rows, count(DISTINCT ${column}) AS "distinct" FROM ${table} WHERE workspace_id = $1`,
    [WS],
  );
  return { rows: Number(r!.rows), distinct: Number(r!.distinct) };
}

describeEachEngine('stored ids of HTTP batches', (ctx) => {
  let app: FastifyInstance;
  const post = poster(() => app);
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Ids', { identity: { defaultCountry: 'GB' } });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  it('skips retried events, stores the new ones next to them, and rejects repeats within a request', async () => {
    expect((await post('events', eventRecords(0, 40))).stored).toBe(40);
    expect(await post('events', eventRecords(0, 40))).toMatchObject({ stored: 0, skipped: 40 });
    const mixed = await post('events', [...eventRecords(30, 60), eventRecords(59, 60)[0]]);
    expect(mixed).toMatchObject({ stored: 20, skipped: 10, rejected: 1 });
    expect(mixed.errors).toEqual([{ index: 30, field: 'event_id', reason: "duplicate event_id 's59' (first at index 29)" }]);
    expect(await count(ctx.engine, 'events', 'event_id')).toEqual({ rows: 60, distinct: 60 });
  });

  it('confirms a "perhaps" with the store: an id the filter holds but the table does not is stored', async () => {
    const filter = await storedIdFilterFor(ctx.engine, WS, factTableOf('events'));
    if (ctx.engine.kind === 'postgres') {
      expect(filter).toBeUndefined(); // other servers may write: every batch asks the store
      return;
    }
    // As after a rolled-back write, or a fingerprint collision.
    filter!.add('s100');
    expect(filter!.mightContain('s100')).toBe(true);
    expect(await post('events', eventRecords(100, 101))).toMatchObject({ stored: 1, skipped: 0 });
    expect(await post('events', eventRecords(100, 101))).toMatchObject({ stored: 0, skipped: 1 });
  });

  it('looks up only identity keys the store may hold, and never stores a key twice', async () => {
    const visits = (from: number, to: number, email = false) =>
      Array.from({ length: to - from }, (_, k) => ({
        event_id: `n${from + k}-${email ? 'e' : 'p'}`,
        customer_id: `N${from + k}`,
        ...(email ? { email: `n${from + k}@example.com` } : {}),
        occurred_at: at(from + k),
        type: 'visit',
      }));
    expect((await post('events', visits(0, 20))).stored).toBe(20);
    // Known customers, now with an email each, next to new ones.
    expect((await post('events', visits(10, 30, true))).stored).toBe(20);
    const ids = await count(ctx.engine, 'identities', 'id_key');
    expect(ids.rows).toBe(ids.distinct);
    const [one] = await ctx.engine.query<{ profiles: number }>(
      `SELECT count(DISTINCT profile_id) AS profiles FROM identities WHERE workspace_id = $1 AND id_key IN ('ext:crm:N15', 'email:n15@example.com')`,
      [WS],
    );
    expect(Number(one!.profiles)).toBe(1);
    const keys = await storedIdFilterFor(ctx.engine, WS, IDENTITY_KEYS);
    if (ctx.engine.kind === 'postgres') expect(keys).toBeUndefined();
    else expect(['ext:crm:N0', 'ext:crm:N29', 'email:n29@example.com'].every((k) => keys!.mightContain(k))).toBe(true);
  });

  it('updates retried orders instead of storing them twice', async () => {
    const orders = (amount: number) => [1, 2, 3].map((n) => ({ order_id: `o${n}`, customer_id: `K${n}`, ordered_at: at(n), amount, currency: 'GBP' }));
    expect((await post('orders', orders(10))).stored).toBe(3);
    expect(await post('orders', orders(12))).toMatchObject({ stored: 0, updated: 3 });
    expect(await count(ctx.engine, 'orders', 'order_id')).toEqual({ rows: 3, distinct: 3 });
  });

  it('stays right across a merge and its unmerge', async () => {
    const before = await count(ctx.engine, 'events', 'event_id');
    await post('customers', [
      { customer_id: 'M1', email: 'm1@example.com' },
      { customer_id: 'M2', id_source: 'shop', phone: '+447911000222' },
    ]);
    await post('events', [{ event_id: 'link', email: 'm1@example.com', phone: '+447911000222', occurred_at: at(500), type: 'visit' }]);
    const [merge] = await ctx.engine.query<{ merge_id: number; into_profile_id: number }>(
      `SELECT merge_id, into_profile_id FROM profile_merges WHERE workspace_id = $1 AND unmerged_at IS NULL`,
      [WS],
    );
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${merge!.into_profile_id}/unmerge?workspace=${WS}`,
      payload: { mergeId: Number(merge!.merge_id) },
    });
    expect(res.statusCode).toBe(200);
    expect(await post('events', [{ event_id: 'link', email: 'm1@example.com', occurred_at: at(500), type: 'visit' }])).toMatchObject({ skipped: 1 });
    expect(await post('events', [...eventRecords(0, 5), ...eventRecords(200, 205)])).toMatchObject({ stored: 5, skipped: 5 });
    // 'link' and s200–s204.
    expect(await count(ctx.engine, 'events', 'event_id')).toEqual({ rows: before.rows + 6, distinct: before.distinct + 6 });
  });
});

/** A compact set read before writers go on, and a growable one read in the background. */
const BOTH_READS = [
  { limit: 10_000, compactFrom: 50, readBeforeWriting: 1_000 },
  { limit: 10_000, compactFrom: 10_000, readBeforeWriting: 10 },
];

describe('stored ids after a restart [duckdb file]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-stored-ids-'));
  const path = join(dir, 'kept.duckdb');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withServer = async (fn: (post: ReturnType<typeof poster>, engine: Engine) => Promise<void>, before?: (engine: Engine) => Promise<void>) => {
    const engine = await openEngine({ duckdbPath: path });
    await before?.(engine);
    const app = await buildApp({ engine, defaultWorkspace: WS, logLevel: 'silent' });
    try {
      await ensureWorkspace(engine, WS);
      await fn(poster(() => app), engine);
    } finally {
      await app.close();
      await engine.close();
    }
  };

  it('builds the filter from the stored table, so a re-import after a restart stores nothing twice', async () => {
    await withServer(async (post) => {
      expect((await post('events', eventRecords(0, 50))).stored).toBe(50);
    });
    await withServer(async (post, engine) => {
      expect(await post('events', eventRecords(0, 50))).toMatchObject({ stored: 0, skipped: 50 });
      expect(await post('events', eventRecords(40, 80))).toMatchObject({ stored: 30, skipped: 10 });
      expect(await count(engine, 'events', 'event_id')).toEqual({ rows: 80, distinct: 80 });
    });
    // Identity keys too: known customers after a restart join their profiles instead of getting new ones.
    await withServer(async (post, engine) => {
      expect((await post('events', eventRecords(80, 90))).stored).toBe(10);
      const ids = await count(engine, 'identities', 'id_key');
      expect(ids).toEqual({ rows: 7, distinct: 7 });
    });
  });

  it('reads a large table in the background: writes go on meanwhile, asking the store, and the filter ends complete', async () => {
    const eventsTable = factTableOf('events');
    const bounds = { limit: 1_000, compactFrom: 1_000, readBeforeWriting: 10 };
    let during: boolean | undefined;
    await withServer(
      async (post, engine) => {
        // Retries and new events next to each other, written while the filter is still being read.
        expect(await post('events', eventRecords(75, 95))).toMatchObject({ stored: 5, skipped: 15 });
        const filter = await builtStoredIdFilter(engine, WS, eventsTable);
        expect(filter).toBeDefined();
        // The 90 stored before the restart (read) and the 5 written meanwhile (added by the writer).
        expect(filter!.size).toBe(95);
        expect(['s0', 's89', 's90', 's94'].every((id) => filter!.mightContain(id))).toBe(true);
        expect(filter!.mightContain('never-stored')).toBe(false);
        expect(await post('events', eventRecords(90, 100))).toMatchObject({ stored: 5, skipped: 5 });
        expect(await count(engine, 'events', 'event_id')).toEqual({ rows: 100, distinct: 100 });
      },
      async (engine) => {
        const meanwhile = await storedIdFilterFor(engine, WS, eventsTable, bounds);
        // Not the finished filter: an id never stored is still a "perhaps", to be asked of the store.
        during = meanwhile?.mightContain('never-stored');
      },
    );
    expect(during).toBe(true);
  });

  it('uses no filter for a table over the limit', async () => {
    await withServer(
      async (post, engine) => {
        expect(await builtStoredIdFilter(engine, WS, factTableOf('events'))).toBeUndefined();
        expect(await post('events', eventRecords(95, 105))).toMatchObject({ stored: 5, skipped: 5 });
      },
      async (engine) => {
        expect(await storedIdFilterFor(engine, WS, factTableOf('events'), { limit: 50, compactFrom: 50, readBeforeWriting: 10 })).toBeUndefined();
      },
    );
  });

  it('keeps a large table in a compact set, read again into a larger one when writes outgrow it', async () => {
    const eventsTable = factTableOf('events');
    await withServer(
      async (post, engine) => {
        const first = await builtStoredIdFilter(engine, WS, eventsTable);
        expect(first).toBeInstanceOf(CompactIdSet);
        expect(first!.size).toBe(105);
        expect((first as CompactIdSet).capacity).toBe(Math.ceil(105 * 1.25));
        // 40 more than the 105 it was read with: past its capacity of 132.
        expect((await post('events', eventRecords(105, 145))).stored).toBe(40);
        expect((first as CompactIdSet).overfull).toBe(true);
        // The next write starts a new read (of the 145 stored) and is added to it.
        expect(await post('events', eventRecords(140, 150))).toMatchObject({ stored: 5, skipped: 5 });
        const second = await builtStoredIdFilter(engine, WS, eventsTable);
        expect(second).not.toBe(first);
        expect((second as CompactIdSet).capacity).toBe(Math.ceil(145 * 1.25));
        expect(second!.size).toBe(150);
        for (let i = 0; i < 150; i++) expect(second!.mightContain(`s${i}`)).toBe(true);
        expect(second!.mightContain('never-stored')).toBe(false);
        expect(await post('events', eventRecords(0, 150))).toMatchObject({ stored: 0, skipped: 150 });
        expect(await count(engine, 'events', 'event_id')).toEqual({ rows: 150, distinct: 150 });
      },
      async (engine) => {
        await storedIdFilterFor(engine, WS, eventsTable, { limit: 10_000, compactFrom: 50, readBeforeWriting: 1_000 });
      },
    );
  });

  it('adds what is written while the table is counted to the set it is then read into', async () => {
    await withServer(async (_post, engine) => {
      for (const bounds of BOTH_READS) {
        const ids = new TableIds(engine, WS, factTableOf('events'), bounds);
        ids.read();
        // A writer that took the view before this read began, adding before the count is known.
        ids.view.add('written-meanwhile');
        await ids.built;
        expect(ids.complete?.mightContain('written-meanwhile')).toBe(true);
        expect(ids.complete?.mightContain('s0')).toBe(true);
        expect(ids.complete?.mightContain('never-stored')).toBe(false);
      }
    });
  });

  it('lacks no id a writer added before a re-read began and committed after', async () => {
    await withServer(async (_post, engine) => {
      for (const bounds of BOTH_READS) {
        const ids = new TableIds(engine, WS, factTableOf('events'), bounds);
        ids.read();
        await ids.built;
        const late = `late-${bounds.readBeforeWriting}`;
        await engine.transaction(async (tx) => {
          await tx.run(`INSERT INTO events (workspace_id, event_id, customer_key, occurred_at, type) VALUES ($1, $2, 'k', CAST($3 AS TIMESTAMPTZ), 'visit')`, [WS, late, at(0)]);
          ids.view.add(late);
          // The set is read again while this write is still uncommitted.
          ids.read();
          await new Promise((resolve) => setTimeout(resolve, 50));
        });
        await ids.built;
        expect(ids.complete?.mightContain(late)).toBe(true);
      }
    });
  });

  it('after a failed read answers "perhaps" to every id, and reads again a minute later', async () => {
    await withServer(async (_post, engine) => {
      const ids = new TableIds(engine, WS, { table: 'no_such_table', idColumn: 'id' }, { limit: 10_000, compactFrom: 10_000, readBeforeWriting: 10 });
      ids.read();
      await ids.built;
      expect(ids.usable).toBe(true);
      expect(ids.view.mightContain('anything')).toBe(true);
      expect(ids.outgrown).toBe(false);
      ids.failedAt = Date.now() - 61_000;
      expect(ids.outgrown).toBe(true);
    });
  });
});

