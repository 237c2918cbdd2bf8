/**
 * `kept import` end to end through the real CLI (run from source with tsx): a file full of realistic mistakes
 * next to good rows. Every bad row is reported with its line, field and reason; every good row is stored; a
 * re-run stores nothing twice; --strict stores nothing at all.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/store/open-store.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const kept = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, KEPT_LOG_LEVEL: 'warn' } });
  return stdout;
};

const LONG = 'x'.repeat(40_000);
const EVENTS = [
  'event_id,customer_id,email,occurred_at,type,channel,value,mood', // line 1: `mood` is an unknown column
  'e1,C1,,2025-03-01T10:00:00Z,page_view,web,,happy', // 2 good
  'e2,C1,,2025-03-01T10:05:00+01:00,add_to_cart,web,19.99,', // 3 good
  'e3,C2,,2025-02-30T10:00:00Z,page_view,web,,', // 4 bad timestamp (no Feb 30)
  'e4,C2,,2025-03-02T10:00:00Z,page_view,web,abc,', // 5 wrong type for value
  'e5,,,2025-03-02T10:00:00Z,page_view,web,,', // 6 no identifier
  'e6,C3,,2025-03-02T10:00:00Z,,web,,', // 7 missing type
  `e7,C3,,2025-03-02T10:00:00Z,"${LONG}",web,,`, // 8 oversized field
  'e1,C1,,2025-03-01T10:00:00Z,page_view,web,,', // 9 duplicate id in this file
  'e8,C4,,"2025-03-03T10:00:00Z,page_view,web,,', // 10 unclosed quote …
  'e9,C4,,2025-03-03T11:00:00Z,page_view,app,,', // 11 … must not swallow the good rows after it
  'e10,C5,bob@example.com,2025-03-03T12:00:00Z,search,app,,', // 12 good
  'e11,C5,,yesterday,search,app,,', // 13 bad timestamp
].join('\n');

describe('kept import (CLI)', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kept-cli-'));
    db = join(dir, 'cli.duckdb');
    writeFileSync(join(dir, 'events.csv'), EVENTS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the good rows, reports every bad one with line, field and reason, and prints the JSON summary', async () => {
    const out = JSON.parse(await kept('import', 'events', join(dir, 'events.csv'), '--db', db, '--source', 'crm', '--json')) as Record<string, number | string>;
    for (const field of ['read', 'stored', 'rejected', 'rows_per_s']) expect(typeof out[field], field).toBe('number');
    expect(out.read).toBe(12);
    const rejects = readFileSync(String(out.rejects_file), 'utf8');
    const byLine = new Map<number, string>();
    for (const row of rejects.trim().split('\n').slice(1)) {
      const line = Number(row.split(',')[0]);
      byLine.set(line, `${byLine.get(line) ?? ''}${row}\n`);
    }
    expect(byLine.get(1)).toMatch(/mood.*warning.*unknown column/);
    expect(byLine.get(4)).toMatch(/occurred_at,rejected/);
    expect(byLine.get(5)).toMatch(/value,rejected/);
    expect(byLine.get(6)).toMatch(/customer_id,rejected/);
    expect(byLine.get(7)).toMatch(/type,rejected/);
    expect(byLine.get(8)).toMatch(/type,rejected,.*longer than/);
    expect(byLine.get(9)).toMatch(/event_id,rejected,.*duplicate event_id 'e1'/);
    expect(byLine.get(13)).toMatch(/occurred_at,rejected/);
    expect([...byLine.keys()].some((l) => l >= 10 && l <= 11)).toBe(true); // the unclosed quote is reported
    expect(out.stored).toBeGreaterThanOrEqual(3);

    const engine = await openEngine({ duckdbPath: db });
    try {
      const ids = (await engine.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY event_id')).map((r) => r.event_id);
      expect(ids).toEqual(expect.arrayContaining(['e1', 'e2', 'e10']));
      expect(ids).not.toContain('e3');
      expect(ids).not.toContain('e4');
      expect(ids.filter((i) => i === 'e1')).toHaveLength(1);
      expect(ids.length).toBe(out.stored);
    } finally {
      await engine.close();
    }
  });

  it('stores nothing twice when the same file is imported again', async () => {
    const out = JSON.parse(await kept('import', 'events', join(dir, 'events.csv'), '--db', db, '--source', 'crm', '--json')) as Record<string, number>;
    expect(out.stored).toBe(0);
    expect(out.skipped).toBeGreaterThanOrEqual(3);
  });

  it('says in its text summary that a file has no rows, and what failed a strict import', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(await kept('import', 'events', empty, '--db', db)).toMatch(/^events from .*empty\.csv — the file has no rows$/m);
    const unknown = join(dir, 'unknown-column.csv');
    writeFileSync(unknown, 'event_id,customer_id,occurred_at,type,colour\ne1,C1,2024-05-01T00:00:00Z,click,red\n');
    await expect(kept('import', 'events', unknown, '--db', db, '--strict')).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/— nothing stored \(--strict: 0 rejected rows and 1 other problem\)/) as unknown,
    });
  });

  it('stores nothing at all with --strict when the file has errors', async () => {
    const strictDb = join(dir, 'strict.duckdb');
    await expect(kept('import', 'events', join(dir, 'events.csv'), '--db', strictDb, '--strict', '--json')).rejects.toMatchObject({ code: 1 });
    const engine = await openEngine({ duckdbPath: strictDb });
    try {
      const rows = await engine.query<{ n: number }>('SELECT count(*) AS n FROM events');
      expect(rows[0]?.n).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('names the file when it cannot be read at all, and answers --json with an error object', async () => {
    const truncated = join(dir, 'truncated.csv.gz');
    writeFileSync(truncated, gzipSync(Buffer.from('event_id,occurred_at,type,customer_id\ne1,2024-05-01,a,C1\n')).subarray(0, 30));
    const failure = (await kept('import', 'events', truncated, '--db', join(dir, 'trunc.duckdb'), '--json').catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stdout)).toMatchObject({ file: truncated, entity: 'events', error: expect.stringContaining(truncated) as unknown });
    expect(failure.stderr).toContain(`kept: ${truncated}: `);
    // Options are usage errors (exit 2), like every verb's, checked before anything is opened.
    await expect(kept('import', 'orders', truncated, '--db', join(dir, 'trunc.duckdb'), '--currency', 'EURO')).rejects.toMatchObject({ code: 2 });
    await expect(kept('import', 'orders', truncated, '--db', join(dir, 'trunc.duckdb'), '--currency', 'ABC')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--currency 'ABC' is not an ISO 4217 currency code") as unknown,
    });
    for (const [option, value, said] of [
      ['--workspace', 'Bad Name!', "--workspace 'Bad Name!' must be 1–63 lower-case letters"],
      ['--source', 'x'.repeat(65), 'must be 1 to 64 characters'],
      ['--source', 'crm:eu', "--source 'crm:eu' must be 1 to 64 characters, without ':'"],
    ] as const) {
      await expect(kept('import', 'orders', truncated, '--db', join(dir, 'unopened.duckdb'), option, value)).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(said) as unknown,
      });
    }
    await expect(kept('import', 'widgets', truncated, '--db', join(dir, 'unopened.duckdb'))).rejects.toMatchObject({ code: 2 });
    expect(existsSync(join(dir, 'unopened.duckdb'))).toBe(false);
  });

  it('creates a demo company and refuses to overwrite it', async () => {
    const demoDb = join(dir, 'demo.duckdb');
    const out = JSON.parse(await kept('demo', '--customers', '150', '--db', demoDb, '--json')) as { people: number; counts: Record<string, { stored: number }> };
    expect(out.people).toBe(150);
    expect(out.counts.events.stored).toBeGreaterThan(1000);
    await expect(kept('demo', '--customers', '150', '--db', demoDb, '--json')).rejects.toMatchObject({ code: 1 });
    expect(existsSync(demoDb)).toBe(true);
  });
});
