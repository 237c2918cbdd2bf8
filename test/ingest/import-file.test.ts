/**
 * `importFile` as a user meets it: --strict stores nothing whatever refuses a row (validation, a repeated id, no
 * usable identifier), on the bulk path and on the batch pipeline; the reject file is opened before anything is
 * stored and never outlives a clean re-run; JSON Lines report bad first lines and unknown keys like CSV does; a
 * long multi-line quoted field is read as one value.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_CONFIG } from '../../src/core/identity/config.js';
import type { Entity } from '../../src/core/records.js';
import { ImportInputError, importFile, type ImportFileOptions } from '../../src/ingest/import-file.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

describe('importFile', () => {
  let dir: string;
  let engine: Engine;
  let n = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kept-import-file-'));
    engine = await openEngine({ duckdbPath: ':memory:' });
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh workspace per call, so counts are the file's own. */
  const load = async (entity: Entity, name: string, text: string, extra: Partial<ImportFileOptions> = {}) => {
    const workspaceId = `w${++n}`;
    await ensureWorkspace(engine, workspaceId);
    const path = join(dir, name);
    writeFileSync(path, text);
    const summary = await importFile(engine, path, {
      workspaceId,
      entity,
      identityConfig: DEFAULT_IDENTITY_CONFIG,
      defaultSource: 'crm',
      ...extra,
    });
    const [{ rows }] = await engine.query<{ rows: number }>(
      `SELECT count(*) AS rows FROM ${entity === 'tickets' ? 'ticket_events' : entity} WHERE workspace_id = $1`,
      [workspaceId],
    );
    const [{ imports }] = await engine.query<{ imports: number }>(
      `SELECT count(*) AS imports FROM imports WHERE workspace_id = $1`,
      [workspaceId],
    );
    return { summary, rows: Number(rows), imports: Number(imports), path, workspaceId };
  };

  describe('--strict stores nothing when a row is refused after validation', () => {
    const repeated =
      'event_id,occurred_at,type,customer_id\ne1,2024-05-01,a,C1\ne2,2024-05-01,a,C1\ne1,2024-05-02,b,C1\n';
    const blocked =
      'event_id,occurred_at,type,email\ne1,2024-05-01,a,a@example.com\ne2,2024-05-01,a,noreply@example.com\n';
    for (const noBulk of [false, true]) {
      const path = noBulk ? 'batch pipeline' : 'bulk path';
      it(`a repeated id (${path})`, async () => {
        const { summary, rows, imports } = await load('events', 'repeated.csv', repeated, { strict: true, noBulk });
        expect(summary).toMatchObject({
          aborted: true,
          stored: 0,
          rejected: 1,
          import_id: null,
          method: noBulk ? 'batches' : 'bulk',
        });
        expect({ rows, imports }).toEqual({ rows: 0, imports: 0 });
      });
      it(`no usable identifier (${path})`, async () => {
        const { summary, rows } = await load('events', 'blocked.csv', blocked, { strict: true, noBulk });
        expect(summary).toMatchObject({ aborted: true, stored: 0, rejected: 1 });
        expect(rows).toBe(0);
      });
    }
    it('an order repeated, and amounts and item counts the store cannot hold (validated now)', async () => {
      const orders =
        'order_id,ordered_at,amount,currency,customer_id,items\no1,2024-05-01,10,GBP,C1,1\no1,2024-05-02,11,GBP,C1,1\n';
      expect((await load('orders', 'orders.csv', orders, { strict: true })).summary).toMatchObject({
        aborted: true,
        stored: 0,
        rejected: 1,
      });
      const huge =
        'order_id,ordered_at,amount,currency,customer_id,items\no1,2024-05-01,1e15,GBP,C1,1\no2,2024-05-01,5,GBP,C1,3000000000\no3,2024-05-01,5,GBP,C1,2\n';
      const { summary, rows, path } = await load('orders', 'huge.csv', huge);
      expect(summary).toMatchObject({ stored: 1, rejected: 2 });
      expect(rows).toBe(1);
      const rejects = readFileSync(`${path}.rejects.csv`, 'utf8');
      expect(rejects).toContain(
        '2,amount,rejected,"must be less than 100,000,000,000,000 either way, got 1000000000000000"',
      );
      expect(rejects).toContain(`3,items,rejected,"must be an integer from 0 to 2147483647, got '3000000000'"`);
    });
  });

  describe('the reject file', () => {
    it('is opened before anything is stored: an unwritable path stores nothing', async () => {
      const rows = Array.from({ length: 50 }, (_, i) => `e${i},2024-05-01,a,C${i}`).join('\n');
      await expect(
        load('events', 'ok.csv', `event_id,occurred_at,type,customer_id\n${rows}\n`, {
          rejectsPath: join(dir, 'no-such-dir', 'r.csv'),
          batchSize: 10,
          noBulk: true,
        }),
      ).rejects.toThrow(ImportInputError);
      const [{ stored }] = await engine.query<{ stored: number }>(
        `SELECT count(*) AS stored FROM events WHERE workspace_id = $1`,
        [`w${n}`],
      );
      expect(Number(stored)).toBe(0);
    });
    it('of an earlier run does not survive a clean re-run', async () => {
      const bad = await load(
        'events',
        'stale.csv',
        'event_id,occurred_at,type,customer_id\ne1,2024-05-01,a,C1\ne2,never,a,C1\n',
      );
      expect(bad.summary.rejects_file).toBe(`${bad.path}.rejects.csv`);
      const clean = await load(
        'events',
        'stale.csv',
        'event_id,occurred_at,type,customer_id\ne1,2024-05-01,a,C1\ne2,2024-05-02,a,C1\n',
      );
      expect(clean.summary.rejects_file).toBeNull();
      expect(existsSync(`${clean.path}.rejects.csv`)).toBe(false);
    });
    for (const noBulk of [false, true]) {
      it(`is in line order, though the checks find problems in another order (${noBulk ? 'batch pipeline' : 'bulk path'})`, async () => {
        // A repeated id, a bad timestamp, no identifier and an unknown column, spread over several batches.
        const rows = Array.from({ length: 3000 }, (_, i) => {
          const id = i % 700 === 5 ? 'e3' : `e${i}`;
          return `${id},C${i % 50},${i % 900 === 7 ? 'bad' : '2024-05-01'},view,${i % 1100 === 9 ? '' : 'x'}`;
        });
        const text = `event_id,customer_id,occurred_at,type,colour\n${rows.map((r, i) => (i % 1100 === 9 ? r.replace(/^([^,]*),C\d+/, '$1,') : r)).join('\n')}\n`;
        const { summary, path } = await load('events', 'order.csv', text, { noBulk, batchSize: 500 });
        expect(summary).toMatchObject({ method: noBulk ? 'batches' : 'bulk', rejected: 12 });
        const lines = readFileSync(`${path}.rejects.csv`, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((r) => Number(r.split(',')[0]));
        expect(lines).toHaveLength(13);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
      });
    }
  });

  for (const noBulk of [false, true]) {
    it(`names the field of a row whose only identifier is blocked (${noBulk ? 'batch pipeline' : 'bulk path'})`, async () => {
      const text = 'event_id,occurred_at,type,anonymous_id,phone\ne1,2025-01-01T00:00:00Z,view,undefined,\ne2,2025-01-01T00:00:00Z,view,,+1 000 000 0000\ne3,2025-01-01T00:00:00Z,view,a1,\n';
      const { summary, path } = await load('events', 'blocked-only.csv', text, { noBulk });
      expect(summary).toMatchObject({ stored: 1, rejected: 2, blocked_identifiers: 2, method: noBulk ? 'batches' : 'bulk' });
      const rows = readFileSync(`${path}.rejects.csv`, 'utf8').trim().split('\n').slice(1);
      expect(rows.map((r) => r.split(',').slice(0, 2).join(','))).toEqual(['2,anonymous_id', '3,phone']);
    });
  }

  it('names a repeated customer id and a repeated row without an id as they were written', async () => {
    const customers = 'customer_id,email\nc1,a@x.io\nc1,b@x.io\n';
    const { path } = await load('customers', 'repeat-customers.csv', customers);
    expect(readFileSync(`${path}.rejects.csv`, 'utf8')).toContain("3,customer_id,rejected,duplicate customer_id 'c1' of source 'crm' (first at line 2)");
    const events = 'occurred_at,type,customer_id\n2024-05-01T10:00:00Z,click,C1\n2024-05-01T10:00:00Z,click,C1\n';
    for (const noBulk of [false, true]) {
      const { path: file } = await load('events', `repeat-rows-${String(noBulk)}.csv`, events, { noBulk });
      expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toContain('3,event_id,rejected,the same row again without an event_id (same content; first at line 2)');
    }
  });

  it('refuses a directory given as the file, whatever the format', async () => {
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    for (const format of [undefined, 'csv'] as const) {
      await expect(importFile(engine, folder, { workspaceId: 'w0', entity: 'events', identityConfig: DEFAULT_IDENTITY_CONFIG, format })).rejects.toThrow(
        new ImportInputError(`${folder} is a directory: give the file to import`),
      );
    }
  });

  it('refuses a CSV whose header lacks a column every row needs, naming it, and stores nothing', async () => {
    const stored = async () => Number((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM events`))[0]!.n);
    for (const noBulk of [false, true]) {
      const before = await stored();
      const name = `no-time-${String(noBulk)}.csv`;
      await expect(load('events', name, 'event_id,customer_id,type\ne1,C1,click\ne2,C1,view\n', { noBulk })).rejects.toThrow(
        new ImportInputError('the header lacks columns every events row needs: occurred_at or timestamp. Nothing was imported (columns found: event_id, customer_id, type)'),
      );
      expect(await stored()).toBe(before);
      expect(existsSync(join(dir, `${name}.rejects.csv`))).toBe(false);
    }
    // A header and no rows: refused on both paths alike.
    for (const noBulk of [false, true]) {
      await expect(load('events', `header-only-${String(noBulk)}.csv`, 'event_id,customer_id,type\n', { noBulk })).rejects.toThrow(
        'the header lacks columns every events row needs: occurred_at or timestamp.',
      );
    }
    await expect(load('orders', 'no-customer.csv', 'order_id,ordered_at\no1,2024-05-01\n')).rejects.toThrow(
      'the header lacks columns every orders row needs: amount; customer_id, email, phone or anonymous_id.',
    );
  });

  describe('JSON Lines', () => {
    it('rejects a bad first line like any other (it is a record, not a header)', async () => {
      const text =
        '{"event_id":"j1","occurred_at":"not a date","type":"click","customer_id":"C1"}\n{"event_id":"j2","occurred_at":"2024-05-01","type":"click","customer_id":"C1"}\n';
      const { summary } = await load('events', 'first.jsonl', text);
      expect(summary).toMatchObject({ read: 2, stored: 1, rejected: 1, warnings: 0 });
    });
    it('rejects properties nested too deep, naming the line, and keeps the lines around it', async () => {
      // 10,000 levels in 60 KB: JSON.parse takes it, JSON.stringify overflowed the stack and failed the whole file.
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const line = (id: string, properties: string) =>
        `{"event_id":"${id}","occurred_at":"2024-05-01","type":"click","customer_id":"C1","properties":${properties}}`;
      const atLimit = '{"a":'.repeat(31) + '[1]' + '}'.repeat(31);
      const text = [line('d1', '{"k":1}'), line('d2', deep), line('d3', atLimit), line('d4', `{"x":${atLimit}}`)].join('\n');
      const { summary, path } = await load('events', 'deep.jsonl', text);
      expect(summary).toMatchObject({ read: 4, stored: 2, rejected: 2 });
      const rejects = readFileSync(`${path}.rejects.csv`, 'utf8').trim().split('\n').slice(1);
      expect(rejects).toEqual(['2,properties,rejected,nested more than 32 levels deep', '4,properties,rejected,nested more than 32 levels deep']);
    });
    it('warns about each unknown key once, at the first line using it; --strict fails the file', async () => {
      const line = (id: string, extra: string) =>
        `{"event_id":"${id}","occurred_at":"2024-05-01","type":"click","customer_id":"C1"${extra}}`;
      const text = [line('a', ''), line('b', ',"Email":"a@b.com","colour":"red"'), line('c', ',"colour":"blue"')].join(
        '\n',
      );
      const { summary, path } = await load('events', 'keys.jsonl', text);
      expect(summary).toMatchObject({ stored: 3, rejected: 0, warnings: 2 });
      const rejects = readFileSync(`${path}.rejects.csv`, 'utf8').trim().split('\n').slice(1);
      expect(rejects.map((r) => r.split(',').slice(0, 3).join(','))).toEqual(['2,Email,warning', '2,colour,warning']);
      const strict = await load('events', 'keys.jsonl', text, { strict: true });
      expect(strict.summary).toMatchObject({ aborted: true, stored: 0, rejected: 0, strict_problems: 2 });
      expect(strict.rows).toBe(0);
    });
  });

  it('points out each row holding bytes that are not UTF-8 (a Latin-1 export), and stores it', async () => {
    const workspaceId = `w${++n}`;
    await ensureWorkspace(engine, workspaceId);
    const path = join(dir, 'latin1.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('customer_id,name,email\nC1,M'),
        Buffer.from([0xfc]),
        Buffer.from('ller,m@example.com\nC2,Ann,ann@example.com\n'),
      ]),
    );
    const summary = await importFile(engine, path, {
      workspaceId,
      entity: 'customers',
      identityConfig: DEFAULT_IDENTITY_CONFIG,
      defaultSource: 'crm',
    });
    expect(summary).toMatchObject({ stored: 2, rejected: 0, warnings: 1 });
    expect(readFileSync(`${path}.rejects.csv`, 'utf8')).toMatch(/^2,name,warning,"bytes that are not UTF-8/m);
  });

  it('names the column of a quoting error', async () => {
    const text =
      'event_id,occurred_at,type,customer_id\ne1,2024-05-01,a "quoted" word,C1\ne2,2024-05-01,"closed" early,C1\ne3,2024-05-01,ok,C1\n';
    const { summary, path } = await load('events', 'quotes.csv', text);
    expect(summary).toMatchObject({ stored: 1, rejected: 2 });
    const rows = readFileSync(`${path}.rejects.csv`, 'utf8').trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',').slice(0, 3).join(','))).toEqual(['2,type,rejected', '3,type,rejected']);
  });

  it('reads a quoted field of more than a thousand lines as one value', async () => {
    const body = Array.from({ length: 1200 }, (_, i) => `line ${i}`).join('\n');
    const text = `ticket_id,occurred_at,kind,customer_id,body\nT1,2024-05-01,message,C1,"${body}"\nT1,2024-05-02,message,C1,thanks\n`;
    const { summary, rows } = await load('tickets', 'long.csv', text);
    expect(summary).toMatchObject({ read: 2, stored: 2, rejected: 0 });
    expect(rows).toBe(2);
  });
});
