/**
 * Concurrent HTTP batches are written in groups (one transaction for the requests that wait together), yet each
 * request gets exactly its own answer, as if written alone and in order: a retried request overlapping a waiting
 * one is written after it (events skipped, orders updated), errors carry the request's own indexes, and every
 * record is stored once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'groups';
const at = (i: number) => new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString();

interface Answer {
  importId: number;
  stored: number;
  updated: number;
  skipped: number;
  rejected: number;
  errors: { index: number; field?: string; reason: string }[];
}

describeEachEngine('HTTP batches written in groups', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Groups', { identity: { defaultCountry: 'GB' } });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  const post = async (entity: string, records: unknown[]) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/${entity}/batch`, payload: { default_source: 'crm', records } });
    expect(res.statusCode).toBe(200);
    return res.json<Answer>();
  };

  it('answers each of many concurrent requests for its own records', async () => {
    const batch = (b: number, size = 50) =>
      Array.from({ length: size }, (_, i) => ({ event_id: `g${b}-${i}`, customer_id: `C${(b * 7 + i) % 40}`, occurred_at: at(b * 100 + i), type: 'page_view', channel: 'web' }));
    const bodies = Array.from({ length: 8 }, (_, b) => batch(b));
    bodies[3]![10] = { ...bodies[3]![10]!, occurred_at: 'yesterday' }; // one bad record, index 10 of request 3
    bodies.push(batch(2)); // a retry of request 2, sent while it may still be waiting
    const answers = await Promise.all(bodies.map((records) => post('events', records)));
    answers.slice(0, 8).forEach((a, b) => {
      if (b === 2) return;
      expect(a.stored, `request ${b}`).toBe(b === 3 ? 49 : 50);
      expect(a.skipped).toBe(0);
    });
    expect(answers[3]!.errors).toEqual([expect.objectContaining({ index: 10, field: 'occurred_at' })]);
    // A repeat inside a request written in a group is named by that request's own indexes.
    const repeats = await Promise.all(
      [0, 1, 2].map((k) =>
        post('events', [0, 1, 2].map((i) => ({ event_id: i === 2 ? `r${k}-0` : `r${k}-${i}`, customer_id: `C${k}`, occurred_at: at(900 + k * 10 + i), type: 'page_view' }))),
      ),
    );
    for (const r of repeats) expect(r.errors).toEqual([expect.objectContaining({ index: 2, field: 'event_id', reason: expect.stringMatching(/\(first at index 0\)$/) as unknown })]);
    // Request 2 and its retry: whichever arrived first stored the records, the other skipped them all.
    const pair = [answers[2]!, answers[8]!].map((a) => `${a.stored}/${a.skipped}/${a.rejected}`).sort();
    expect(pair).toEqual(['0/50/0', '50/0/0']);
    // Some requests really were written together (they share an import record).
    expect(new Set(answers.map((a) => a.importId)).size).toBeLessThan(answers.length);
    const [{ n }] = await ctx.engine.query<{ n: number }>(`SELECT count(*) AS n FROM events WHERE workspace_id = $1`, [WS]);
    expect(Number(n)).toBe(8 * 50 - 1 + 3 * 2);
  });

  it('rejects a record that is not an object on its own, keeping the others', async () => {
    const answer = await post('events', [{ event_id: 'obj-1', customer_id: 'C1', occurred_at: at(1), type: 'page_view' }, 42, null]);
    expect(answer).toMatchObject({ stored: 1, rejected: 2 });
    expect(answer.errors.map((e) => e.index)).toEqual([1, 2]);
  });

  it('writes a repeated mutable record after the first, as an update, and reports repeats inside one request', async () => {
    const order = (amount: string) => ({ order_id: 'O-7', customer_id: 'C1', ordered_at: at(1), amount, currency: 'GBP' });
    const [first, second, twice] = await Promise.all([
      post('orders', [order('10.00')]),
      post('orders', [order('12.00')]),
      post('orders', [{ ...order('1.00'), order_id: 'O-8' }, { ...order('2.00'), order_id: 'O-8' }]),
    ]);
    expect(first.stored).toBe(1);
    expect(second).toMatchObject({ stored: 0, updated: 1 });
    expect(twice).toMatchObject({ stored: 1, rejected: 1 });
    expect(twice.errors[0]).toMatchObject({ index: 1, field: 'order_id' });
    const rows = await ctx.engine.query<{ amount: number }>(`SELECT amount FROM orders WHERE workspace_id = $1 AND order_id = 'O-7'`, [WS]);
    expect(rows.map((r) => Number(r.amount))).toEqual([12]);
  });
});
