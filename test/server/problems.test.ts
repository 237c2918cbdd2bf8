/**
 * Every error the API can return is a problem (application/problem+json) with the right status, including the
 * ones raised before a route runs; inputs that used to reach SQL (cursors, dates) are refused as bad requests;
 * and the OpenAPI document describes that: no dangling references, error responses as problem+json.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeEachEngine } from '../store/engines.js';
import { buildApp } from '../../src/server/app.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

const WS = 'problems';
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describeEachEngine('API problems', (ctx) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    await ensureWorkspace(ctx.engine, WS, 'Problems', { identity: { defaultCountry: 'GB' } });
    app = await buildApp({ engine: ctx.engine, defaultWorkspace: WS, logLevel: 'silent' });
  });
  afterAll(async () => app?.close());

  const problem = async (options: InjectOptions, status: number) => {
    const res = await app.inject(options);
    expect(res.statusCode, `${options.method ?? 'GET'} ${JSON.stringify(options.url)}: ${res.body}`).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json<{ type: string; title: string; status: number; detail: string }>();
    expect(body.status).toBe(status);
    return { body, headers: res.headers };
  };

  it('refuses cursors it never returned instead of failing in SQL', async () => {
    await problem({ url: `/api/v1/customers?cursor=${Buffer.from('999999999999999999999').toString('base64url')}` }, 400);
    await problem({ url: `/api/v1/customers?cursor=${cursor(1.5)}` }, 400);
    await problem({ url: `/api/v1/customers?cursor=${cursor(-1)}` }, 400);
    await problem({ url: `/api/v1/customers/1/timeline?cursor=${cursor({ at: 'garbage', kind: 'event', id: 'x' })}` }, 400);
    await problem({ url: `/api/v1/customers/1/timeline?cursor=${cursor({ at: '2026-01-01T00:00:00.000Z', kind: 'nonsense', id: 'x' })}` }, 400);
  });

  it('takes ISO 8601 dates only for the overview range', async () => {
    for (const [from, to] of [
      ['2026-01-01', '+275760-09-13'],
      ['1', '2'],
      ['Jan 1 2026', 'Feb 1 2026'],
      ['2026-02-30', '2026-03-05'],
    ]) {
      const { body } = await problem({ url: `/api/v1/overview?workspace=${WS}&from=${encodeURIComponent(from!)}&to=${encodeURIComponent(to!)}` }, 400);
      expect(body.detail).toMatch(/ISO 8601/);
    }
    const ok = await app.inject({ url: `/api/v1/overview?workspace=${WS}&from=2026-01-01&to=2026-02-01T12:00:00Z` });
    expect(ok.statusCode).toBe(200);
  });

  it('answers framework-level errors as problems: bad URL, long parameter, wrong method, wrong content type', async () => {
    expect((await problem({ url: '/api/v1/customers/%E0%A4%A' }, 400)).body.title).toBe('Bad request');
    expect((await problem({ url: `/api/v1/customers/${'1'.repeat(120)}` }, 414)).body.title).toBe('URI too long');
    const wrongMethod = await problem({ method: 'DELETE', url: '/api/v1/customers' }, 405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expect(wrongMethod.body.type).toBe('https://kept.dev/problems/method-not-allowed');
    const post = { method: 'POST' as const, url: `/api/v1/events/batch?workspace=${WS}` };
    for (const type of ['application/xml', 'text/plain']) {
      const { body } = await problem({ ...post, headers: { 'content-type': type }, payload: '{"records":[]}' }, 415);
      expect(body.title).toBe('Unsupported media type');
      expect(body.detail).toContain(type);
    }
    await problem({ url: '/api/v1/no-such-thing' }, 404);
  });

  it('warns about fields no column takes, and refuses ids sent as inexact numbers', async () => {
    const at = '2026-01-02T10:00:00Z';
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/events/batch?workspace=${WS}`,
      payload: {
        records: [
          { event_id: 'x1', email: 'grace@example.com', occurred_at: at, type: 'page_view' },
          { event_id: 'x2', email: 'grace@example.com', occurred_at: at, type: 'page_view', colour: 'red' },
          { event_id: 'x3', email: 'grace@example.com', occurred_at: at, type: 'page_view', colour: 'blue' },
          { event_id: Number('12345678901234567890'), email: 'grace@example.com', occurred_at: at, type: 'page_view' },
          { event_id: 12345, email: 'grace@example.com', occurred_at: at, type: 'page_view' },
        ],
      },
    });
    const body = res.json<{ stored: number; errors: { index: number; field: string }[]; warnings: { index: number; field: string; reason: string }[] }>();
    expect(body.stored).toBe(4);
    expect(body.errors).toEqual([expect.objectContaining({ index: 3, field: 'event_id' })]);
    expect(body.warnings).toEqual([expect.objectContaining({ index: 1, field: 'colour', reason: expect.stringMatching(/^unknown field, ignored/) as unknown })]);
  });

  it('refuses a record whose properties are nested too deep, and stores the others', async () => {
    // As text: 10,000 levels are more than JSON.stringify (here, or in the server before the fix) can take.
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const record = (id: string, properties?: string) =>
      `{"event_id":"${id}","customer_id":"N1","occurred_at":"2026-01-02T10:00:00Z","type":"visit"${properties ? `,"properties":${properties}` : ''}}`;
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/events/batch?workspace=${WS}`,
      headers: { 'content-type': 'application/json' },
      payload: `{"records":[${record('n1')},${record('n2', deep)},${record('n3', JSON.stringify(JSON.stringify({ a: { b: [1] } })))}]}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ stored: number; errors: { index: number; field: string; reason: string }[] }>();
    expect(body.stored).toBe(2);
    expect(body.errors).toEqual([expect.objectContaining({ index: 1, field: 'properties', reason: 'nested more than 32 levels deep' })]);
  });

  it('reads numbers in query strings and paths only when written in digits', async () => {
    for (const limit of ['0x10', '1e2', '', '-1', '1.5']) await problem({ url: `/api/v1/customers?workspace=${WS}&limit=${limit}` }, 400);
    await problem({ url: '/api/v1/customers/0x10' }, 400);
    expect((await app.inject({ url: `/api/v1/customers?workspace=${WS}&limit=16` })).statusCode).toBe(200);
  });

  it('drops a "__proto__" key from a record instead of refusing the request', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/events/batch?workspace=${WS}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"records":[{"event_id":"p1","customer_id":"P1","occurred_at":"2026-01-02T10:00:00Z","type":"visit","__proto__":{"x":1}}]}',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ stored: number }>().stored).toBe(1);
  });

  it('answers 404 for an unmerge on a profile that does not exist', async () => {
    await problem({ method: 'POST', url: `/api/v1/customers/999999/unmerge?workspace=${WS}`, payload: { mergeId: 1 } }, 404);
  });

  it('documents error responses as problem+json, with no dangling schema references', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
      components?: { schemas?: Record<string, unknown> };
    }>();
    const text = JSON.stringify(doc);
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components?.schemas?.[ref], ref).toBeDefined();
    // The batch route's records are described field by field, one schema per entity; 413 and 415 are documented.
    const batch = (doc.paths['/api/v1/{entity}/batch'] as unknown as Record<string, Record<string, unknown>>).post!;
    const body = batch.requestBody as { content: { 'application/json': { schema: { properties: { records: { items: { anyOf: { $ref: string }[] } } } } } } };
    expect(body.content['application/json'].schema.properties.records.items.anyOf.map((s) => s.$ref)).toEqual(
      ['Customers', 'Events', 'Orders', 'Tickets', 'Feedback'].map((name) => `#/components/schemas/${name}Record`),
    );
    const events = doc.components?.schemas?.EventsRecord as { properties: Record<string, { description?: string }> };
    expect(Object.keys(events.properties)).toEqual(expect.arrayContaining(['event_id', 'occurred_at', 'type', 'properties', 'email']));
    expect(events.properties.occurred_at?.description).toMatch(/required/);
    expect(Object.keys(batch.responses as object)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!/^[45]/.test(status) || !response.content) continue;
          expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
  });
});
