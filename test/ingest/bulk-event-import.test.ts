/**
 * The DuckDB bulk path of `kept import events` must store, reject and warn about exactly what the batch pipeline
 * does for the same file: the same rows with the same values, the same profiles (up to their ids), the same
 * identities, the same reject file and the same counts. Files are generated with every kind of edge case the SQL
 * rules must either convert exactly or hand to the validator.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_CONFIG } from '../../src/core/identity/config.js';
import { importEventsInBulk } from '../../src/ingest/bulk-event-import.js';
import { scanForBulk } from '../../src/ingest/bulk-event-scan.js';
import { ProfileCache } from '../../src/ingest/identity-step.js';
import { importFile, type ImportSummary } from '../../src/ingest/import-file.js';
import { RejectsFile } from '../../src/ingest/rejects-file.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';
import { ensureWorkspace } from '../../src/store/repositories/workspace-repository.js';

function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
}

const TIMES = [
  '2025-03-01T10:00:00Z',
  '2025-03-01T10:00:00.123Z',
  '2025-03-01 10:00:00+01:00',
  '2025-03-01T10:00:00-05:30',
  '2025-03-01T10:00:00',
  '2025-03-01T10:00:00.5Z',
  '2025-03-01t10:00:00Z',
  '2025-03-01T10:00Z',
  '2025-03-01T10:00:00+0530',
  '2025-03-01T10:00:00+05',
  '2025-03-01',
  '1740823200',
  '1740823200123',
  '2024-02-29T23:59:59.999Z',
  '2025-02-29T10:00:00Z', // not a date
  '2025-03-01T24:00:00Z',
  '1969-12-31T23:59:59Z',
  '2025-03-01T10:00:00+15:00',
  '2025-03-01T10:00:00+01:60',
  'yesterday',
  ' 2025-03-01T10:00:00Z',
  '2025-13-01T10:00:00Z',
  '2025-03-01T10:00:00.1234567Z',
  '2025-04-31T10:00:00Z', // not a date
  '2025-03-01T10:00:60Z',
  '2025-03-01T10:00:00+14:00',
  '2025-03-01T10:00:00+14:01',
  '2025-03-01T10:00:00-13:59',
  '2100-12-31T23:59:59.999Z',
  '2101-01-01T00:00:00Z',
  '1970-01-01T00:00:00+01:00',
  '2025-03-01 10:00:00.250',
  '2025-03-01T10:00:00-00:00',
  '2025-03-01T10:00:00 ',
];
const VALUES = ['', '', '', '19.99', '0', '-3', '.5', '5.', '+1', '1e3', '1e400', 'abc', ' 7', '0x10', 'Infinity'];
const TYPES = ['page_view', 'search', 'add_to_cart', ' padded ', 'café', 'x'.repeat(1001), '', '\tcheckout', 'trail\u000b'];
/** Without tab, vertical tab or form feed anywhere in the file, the SQL rules test values' edges more cheaply. */
const TYPES_NO_TABS = ['page_view', 'search', 'add_to_cart', ' padded ', 'trail ', '\u00a0nbsp', 'ideo\u3000', 'ctl\u0001', '\u0001ctl', '\u007fdel', 'Zürich', 'café', 'é', 'x'.repeat(1001), ''];

/** A deterministic events CSV without quotes (so the bulk path applies) and with every kind of trouble. */
function eventsCsv(seed: number, rows: number, idPrefix = 'e', types = TYPES, repeats = true): string {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const lines = ['event_id,customer_id,id_source,email,phone,anonymous_id,occurred_at,type,channel,team,value,mood'];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * 40);
    const id = rnd() < 0.05 ? '' : rnd() < 0.05 && repeats ? `${idPrefix}${Math.floor(rnd() * i)}` : `${idPrefix}${i}`;
    const customer = rnd() < 0.15 ? '' : rnd() < 0.05 ? ` C${c}` : `C${c}`;
    const source = rnd() < 0.1 ? 'shop' : '';
    const email = rnd() < 0.2 ? pick([`u${c}@example.com`, `U${c}@Example.com`, 'noreply@example.com', 'not-an-email', `u${(c + 1) % 40}@example.com`]) : '';
    const phone = rnd() < 0.08 ? pick(['+44 20 7946 0018', '07700 900123', '12', '+1 555 0100']) : '';
    const anon = rnd() < 0.25 ? `dev-${Math.floor(rnd() * 60)}` : '';
    const time = rnd() < 0.7 ? TIMES[Math.floor(rnd() * 3)]! : pick(TIMES);
    const type = rnd() < 0.85 ? pick(types.slice(0, 3)) : pick(types);
    const channel = pick(['web', 'app', '', 'store ']);
    lines.push([id, customer, source, email, phone, anon, time, type, channel, rnd() < 0.5 ? 'team-a' : '', pick(VALUES), 'x'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

interface Snapshot {
  rollup: string[];
  summary: Omit<ImportSummary, 'seconds' | 'rows_per_s' | 'file' | 'rejects_file' | 'method' | 'import_id'>;
  rejects: string[];
  events: string[];
  identities: string[];
}

/** Profiles are compared by their members (events, identities), not their ids, which depend on allocation order. */
async function snapshot(engine: Engine, summary: ImportSummary): Promise<Snapshot> {
  const events = await engine.query<Record<string, unknown>>(
    `SELECT event_id, customer_key, profile_id, CAST(epoch_ms(occurred_at) AS VARCHAR) AS at, utc_offset_min, type, channel, touchpoint, team, value, properties FROM events ORDER BY event_id`,
  );
  const identities = await engine.query<{ id_key: string; profile_id: number; linked_by: string | null }>(
    `SELECT id_key, profile_id, linked_by FROM identities ORDER BY id_key`,
  );
  // A profile's label: the smallest identity key it holds.
  const label = new Map<number, string>();
  for (const i of identities) if (!label.has(i.profile_id) || i.id_key < label.get(i.profile_id)!) label.set(i.profile_id, i.id_key);
  // Profile ids differ with allocation order; the batch pipeline cannot name the line of a repeat in an earlier
  // batch (the bulk path always can); and why an identifier was not linked is worked out once per combination
  // by the bulk path, per row by the batch pipeline, so after a merge the wording may differ (not the rows).
  const normalise = (line: string) =>
    line
      .replace(/profile \d+/g, 'profile #')
      .replace(/\((?:first at line \d+|already earlier in this import)\)/, '(earlier)')
      .replace(/ not linked: .*$/, ' not linked: …');
  const rejects = summary.rejects_file ? readFileSync(summary.rejects_file, 'utf8').trim().split('\n').slice(1).map(normalise).sort() : [];
  const { seconds: _s, rows_per_s: _r, file: _f, rejects_file: _rf, method: _m, import_id: _i, ...counts } = summary;
  const rollup = await engine.query<{ day: number; channel: string; n: number }>(`SELECT day, channel, sum(n) AS n FROM event_daily GROUP BY day, channel ORDER BY day, channel`);
  const recount = await engine.query<{ day: number; channel: string; n: number }>(
    `SELECT CAST(floor(epoch_ms(occurred_at) / 86400000) AS BIGINT) AS day, coalesce(channel, '') AS channel, count(*) AS n FROM events GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const show = (rows: { day: number; channel: string; n: number }[]) => rows.map((r) => `${r.day}/${r.channel}=${r.n}`);
  // The Overview's rollup always equals counting the events.
  expect(show(rollup)).toEqual(show(recount));
  return {
    rollup: show(rollup),
    summary: counts,
    rejects,
    events: events.map((e) => JSON.stringify({ ...e, profile_id: label.get(e.profile_id as number) ?? null })),
    identities: identities.map((i) => `${i.id_key} → ${label.get(i.profile_id)} (${i.linked_by ?? ''})`),
  };
}

describe('bulk event import (DuckDB) equals the batch pipeline', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kept-bulk-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function importBoth(files: string[], options: { strict?: boolean; batchSize?: number; resolvePage?: number } = {}) {
    const results: { snapshots: Snapshot[]; methods: string[] }[] = [];
    for (const noBulk of [false, true]) {
      const engine = await openEngine({ duckdbPath: ':memory:' });
      try {
        await ensureWorkspace(engine, 'w');
        const snapshots: Snapshot[] = [];
        const methods: string[] = [];
        for (const [n, file] of files.entries()) {
          const rejectsPath = join(dir, `${noBulk ? 'batch' : 'bulk'}-${n}.rejects.csv`);
          rmSync(rejectsPath, { force: true });
          const summary = await importFile(engine, file, {
            workspaceId: 'w',
            entity: 'events',
            identityConfig: DEFAULT_IDENTITY_CONFIG,
            defaultSource: 'crm',
            rejectsPath,
            noBulk,
            strict: options.strict,
            batchSize: options.batchSize,
            resolvePage: options.resolvePage,
          });
          methods.push(summary.method);
          snapshots.push(await snapshot(engine, summary));
        }
        results.push({ snapshots, methods });
      } finally {
        await engine.close();
      }
    }
    return { bulk: results[0]!, batches: results[1]! };
  }

  /** How many passes the bulk path took for each file, imported one after the other into one workspace. */
  async function bulkPasses(files: string[], strict = false): Promise<number[]> {
    const engine = await openEngine({ duckdbPath: ':memory:' });
    try {
      await ensureWorkspace(engine, 'w');
      const passes: number[] = [];
      for (const file of files) {
        const scan = await scanForBulk(file, 1 << 20);
        if (!scan) throw new Error(`${file} does not suit the bulk path`);
        const result = await importEventsInBulk(engine, file, scan, {
          workspaceId: 'w',
          origin: `file:${file}`,
          identityConfig: DEFAULT_IDENTITY_CONFIG,
          defaultSource: 'crm',
          strict,
          cache: new ProfileCache(),
          rejects: new RejectsFile(null),
        });
        passes.push(result!.passes);
      }
      return passes;
    } finally {
      await engine.close();
    }
  }

  it('stores, rejects and warns exactly alike on a file full of edge cases, and on a re-import', async () => {
    const file = join(dir, 'events.csv');
    writeFileSync(file, eventsCsv(7, 1500));
    const { bulk, batches } = await importBoth([file, file]);
    expect(bulk.methods).toEqual(['bulk', 'bulk']);
    expect(batches.methods).toEqual(['batches', 'batches']);
    const first = bulk.snapshots[0]!;
    // The file really has all sorts of rows in it.
    expect(first.summary.stored).toBeGreaterThan(800);
    expect(first.summary.rejected).toBeGreaterThan(100);
    expect(first.summary.warnings).toBeGreaterThan(10);
    expect(first.summary.merges).toBeGreaterThan(0);
    expect(first.summary.blocked_identifiers).toBeGreaterThan(0);
    for (const n of [0, 1]) {
      expect(bulk.snapshots[n]!.summary).toEqual(batches.snapshots[n]!.summary);
      expect(bulk.snapshots[n]!.rejects).toEqual(batches.snapshots[n]!.rejects);
      expect(bulk.snapshots[n]!.events).toEqual(batches.snapshots[n]!.events);
      expect(bulk.snapshots[n]!.identities).toEqual(batches.snapshots[n]!.identities);
    }
    expect(bulk.snapshots[1]!.summary.stored).toBe(0);
    expect(bulk.snapshots[1]!.summary.skipped).toBe(first.summary.stored);
  });

  it('agrees on a file without tabs, where values are tested for edges more cheaply (and no id repeats)', async () => {
    const file = join(dir, 'events-no-tabs.csv');
    // Without repeated ids, combinations are resolved in the order the first pass read them.
    writeFileSync(file, eventsCsv(9, 1500, 'e', TYPES_NO_TABS, false));
    expect(readFileSync(file, 'utf8')).not.toMatch(/[\t\v\f]/);
    const { bulk, batches } = await importBoth([file]);
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    // Values with edges trim() keeps were stored as they are, from either path.
    const types = new Set(bulk.snapshots[0]!.events.map((e) => (JSON.parse(e) as { type: string }).type));
    for (const kept of ['ctl\u0001', '\u0001ctl', '\u007fdel', 'Zürich']) expect(types).toContain(kept);
  });

  it('refuses the zero epoch (a placeholder) on both paths alike', async () => {
    const file = join(dir, 'events-epoch.csv');
    writeFileSync(
      file,
      'event_id,customer_id,occurred_at,type\nz1,C1,1970-01-01T00:00:00Z,visit\nz2,C1,1970-01-01 00:00:00,visit\nz3,C1,1970-01-01T00:00:01Z,visit\nz4,C1,0000000000,visit\nz5,C1,2024-05-01T10:00:00Z,visit\n',
    );
    const { bulk, batches } = await importBoth([file]);
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    expect(bulk.snapshots[0]!.events.map((e) => (JSON.parse(e) as { event_id: string }).event_id).sort()).toEqual(['z3', 'z5']);
  });

  it('takes CRLF files too (Windows exports), with the same result', async () => {
    const file = join(dir, 'events-crlf.csv');
    const text = eventsCsv(11, 800, 'e', TYPES_NO_TABS, false);
    // Only files whose every line ends in CRLF qualify: no lone carriage returns inside values.
    expect(text).not.toContain('\r');
    writeFileSync(file, text.replaceAll('\n', '\r\n'));
    const { bulk, batches } = await importBoth([file]);
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    expect(bulk.snapshots[0]!.events.length).toBeGreaterThan(400);
  });

  it('agrees on a file holding separator bytes, whose combinations are read value by value', async () => {
    const file = join(dir, 'events-separators.csv');
    // Unit and record separators inside an identifier and a type: combinations cannot be sent packed.
    const text = eventsCsv(11, 800, 'e', [...TYPES.slice(0, 3), 'sep\u001fx', '\u001erec']).replaceAll(',dev-1,', ',dev\u001f1,');
    writeFileSync(file, text);
    expect((await scanForBulk(file, 1 << 20))?.noSeparators).toBe(false);
    const { bulk, batches } = await importBoth([file]);
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    expect(bulk.snapshots[0]!.identities.join('\n')).toContain('anon:dev\u001f1');
    // Without them, the same rows are read packed and agree as well.
    const plain = join(dir, 'events-no-separators.csv');
    writeFileSync(plain, text.replaceAll('\u001f', '_').replaceAll('\u001e', '_'));
    expect((await scanForBulk(plain, 1 << 20))?.noSeparators).toBe(true);
    const again = await importBoth([plain]);
    expect(again.bulk.methods).toEqual(['bulk']);
    expect(again.bulk.snapshots[0]).toEqual(again.batches.snapshots[0]);
  });

  it('agrees with a batch pipeline that splits the file into many batches', async () => {
    const file = join(dir, 'events-small-batches.csv');
    writeFileSync(file, eventsCsv(3, 1000));
    // (Only the first import: on a re-import the batch pipeline skips, rather than rejects, a repeat whose first
    // occurrence was in an earlier batch, as that id is then already stored. The bulk path rejects every repeat.)
    const { bulk, batches } = await importBoth([file], { batchSize: 97 });
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
  });

  it('agrees on a second file that overlaps the first (stored ids skipped, profiles extended and merged)', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, eventsCsv(11, 600));
    writeFileSync(b, eventsCsv(12, 600).replace(/^e(\d+),/gm, (_, n: string) => `e${Number(n) + 300},`));
    const { bulk, batches } = await importBoth([a, b]);
    expect(bulk.methods).toEqual(['bulk', 'bulk']);
    expect(bulk.snapshots[1]!.summary.skipped).toBeGreaterThan(0);
    expect(bulk.snapshots[1]).toEqual(batches.snapshots[1]);
  });

  it('agrees when combinations are resolved in many small pages (keys cached and looked up across pages)', async () => {
    const a = join(dir, 'paged-a.csv');
    const b = join(dir, 'paged-b.csv');
    writeFileSync(a, eventsCsv(21, 800));
    writeFileSync(b, eventsCsv(22, 600).replace(/^e(\d+),/gm, (_, n: string) => `e${Number(n) + 400},`));
    const { bulk, batches } = await importBoth([a, b], { resolvePage: 13 });
    expect(bulk.methods).toEqual(['bulk', 'bulk']);
    expect(bulk.snapshots[0]!.summary.merges).toBeGreaterThan(0);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    expect(bulk.snapshots[1]).toEqual(batches.snapshots[1]);
  });

  it('agrees on a first import without repeated ids, resolved in one pass over many small pages', async () => {
    const file = join(dir, 'one-pass.csv');
    writeFileSync(file, eventsCsv(23, 1200, 'e', TYPES, false));
    expect((await bulkPasses([file]))[0]).toBe(1);
    const { bulk, batches } = await importBoth([file], { resolvePage: 13 });
    const summary = bulk.snapshots[0]!.summary;
    // Merges across pages, rows without a usable identifier, ignored and blocked identifiers: all in one pass.
    expect(summary.merges).toBeGreaterThan(0);
    expect(summary.warnings).toBeGreaterThan(10);
    expect(bulk.snapshots[0]!.rejects.some((r) => r.includes('no usable identifier'))).toBe(true);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
  });

  it('takes one pass only for a first import without repeated ids (otherwise keys wait in the database)', async () => {
    const plain = join(dir, 'passes-plain.csv');
    writeFileSync(plain, eventsCsv(24, 300, 'p', TYPES, false));
    const repeated = join(dir, 'passes-repeated.csv');
    writeFileSync(repeated, eventsCsv(25, 300, 'r'));
    const later = join(dir, 'passes-later.csv');
    writeFileSync(later, eventsCsv(26, 300, 'l', TYPES, false));
    expect(await bulkPasses([repeated])).toEqual([2]);
    // The second file has no id in common with the first, but the workspace has events by then.
    expect(await bulkPasses([plain, later])).toEqual([1, 2]);
  });

  it('agrees in strict mode on a first import in one pass: nothing stored when a row has no usable identifier', async () => {
    const file = join(dir, 'strict-one-pass.csv');
    writeFileSync(
      file,
      'event_id,customer_id,email,occurred_at,type\ns1,C1,,2025-03-01T10:00:00Z,visit\ns2,,noreply@example.com,2025-03-01T10:00:00Z,visit\ns3,C2,,2025-03-01T10:00:00Z,visit\n',
    );
    expect(await bulkPasses([file], true)).toEqual([1]);
    const { bulk, batches } = await importBoth([file], { strict: true });
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]!.summary.aborted).toBe(true);
    expect(bulk.snapshots[0]!.events).toEqual([]);
    expect(bulk.snapshots[0]!.identities).toEqual([]);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
  });

  it('agrees in strict mode: nothing stored when a row is invalid', async () => {
    const file = join(dir, 'strict.csv');
    writeFileSync(file, eventsCsv(5, 200).replace(/,mood\n/, '\n').replace(/,x\n/g, '\n'));
    const { bulk, batches } = await importBoth([file], { strict: true });
    expect(bulk.methods).toEqual(['bulk']);
    expect(bulk.snapshots[0]!.summary.aborted).toBe(true);
    expect(bulk.snapshots[0]!.events).toEqual([]);
    expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
  });

  it('leaves files it cannot number by line to the batch pipeline', async () => {
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, 'event_id,customer_id,occurred_at,type\ne1,C1,2025-03-01T10:00:00Z,"page_view"\n');
    const blank = join(dir, 'blank.csv');
    writeFileSync(blank, 'event_id,customer_id,occurred_at,type\ne1,C1,2025-03-01T10:00:00Z,page_view\n\ne2,C1,2025-03-01T10:00:00Z,page_view\n');
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'event_id,customer_id,occurred_at,type\ne1,C1,2025-03-01T10:00:00Z,page_view,extra\ne2,C1,2025-03-01T10:00:00Z,page_view\n');
    for (const file of [quoted, blank, ragged]) {
      const { bulk, batches } = await importBoth([file]);
      expect(bulk.methods).toEqual(['batches']);
      expect(bulk.snapshots[0]).toEqual(batches.snapshots[0]);
    }
  });
});
