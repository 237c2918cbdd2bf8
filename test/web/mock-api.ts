/**
 * DEV FIXTURE ONLY — not the Kept server. Serves the built dashboard (dist/web) plus deterministic fake JSON for
 * the /api/v1 endpoints the dashboard calls, so the UI can be developed and screenshotted without a database.
 *
 *   npx vite build && node --import tsx test/web/mock-api.ts [port]     (default port 4401)
 *
 * Workspaces: `demo` (137 customers, profile 1 has two merges) and `empty` (no data at all).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';

const DIST = resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const CHANNELS = ['web', 'email', 'store', 'phone', 'chat', 'app'];
const FIRST = ['Ann', 'Bruno', 'Chloé', 'Dev', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kofi', 'Lena'];
const LAST = ['Meyer', 'Okafor', 'Silva', 'Tanaka', 'Novak', 'Haddad', 'Larsen', 'Rossi', 'Kim', 'Dubois', 'Singh'];
const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');
const END = Date.parse('2024-12-31T00:00:00Z');

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

const customers = Array.from({ length: 137 }, (_, i) => {
  const id = i + 1;
  const r = rng(id);
  const name = id % 17 === 0 ? null : `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
  const handle = (name ?? `guest${id}`).toLowerCase().replace(/[^a-z]+/g, '.');
  return {
    profileId: id,
    name,
    email: id % 9 === 0 ? null : `${handle}@example.com`,
    phone: id % 4 === 0 ? null : `+4420794${String(100000 + id * 37).slice(-6)}`,
    lastSeenAt: iso(END - Math.floor(r() * 200) * DAY - Math.floor(r() * DAY)),
    orders: Math.floor(r() * 14),
    revenue: Math.round(r() * 480000) / 100,
    currency: 'EUR',
  };
});
/** Merges undone through the mock's unmerge, per profile. */
const undoneMerges = new Map<number, Record<string, unknown>[]>();
const merges = new Map<
  number,
  { mergeId: number; fromProfileId: number; viaKey: string; reason: string; mergedAt: string }[]
>([
  [
    1,
    [
      {
        mergeId: 11,
        fromProfileId: 104,
        viaKey: 'email:ann.meyer@example.com',
        reason: 'Shared email on a web order and a CRM contact',
        mergedAt: '2024-03-02T10:15:00Z',
      },
      {
        mergeId: 12,
        fromProfileId: 118,
        viaKey: 'phone:+442079400137',
        reason: 'Same phone on a support ticket',
        mergedAt: '2024-06-19T16:40:00Z',
      },
    ],
  ],
]);

function timeline(profileId: number) {
  const r = rng(profileId * 101);
  const kinds = ['event', 'event', 'event', 'order', 'ticket', 'feedback'] as const;
  return Array.from({ length: 130 }, (_, i) => {
    const kind = kinds[Math.floor(r() * kinds.length)]!;
    const channel = CHANNELS[Math.floor(r() * CHANNELS.length)]!;
    const at = iso(END - i * 2.3 * DAY - Math.floor(r() * DAY));
    const base = {
      kind,
      id: `${kind}-${profileId}-${i}`,
      at,
      channel,
      touchpoint: null as string | null,
      team: null as string | null,
      currency: (kind === 'order' ? 'EUR' : null) as string | null,
    };
    if (kind === 'order')
      return {
        ...base,
        title: `Order #${10_000 + i}`,
        detail: `${1 + (i % 4)} items`,
        value: Math.round(r() * 25000) / 100,
        touchpoint: 'checkout',
      };
    if (kind === 'ticket')
      return {
        ...base,
        title: i % 2 ? 'Parcel arrived damaged' : 'Where is my order?',
        detail: i % 3 ? 'Status: solved' : 'Status: open',
        value: null,
        team: 'support_emea',
      };
    if (kind === 'feedback')
      return {
        ...base,
        title: 'NPS survey',
        detail: i % 2 ? 'Quick delivery, friendly staff.' : null,
        value: Math.floor(r() * 11),
        touchpoint: 'post_delivery',
      };
    return {
      ...base,
      title: ['Viewed product', 'Opened email', 'Added to cart', 'Logged in'][i % 4]!,
      detail: null,
      value: null,
      touchpoint: 'product_page',
    };
  });
}

function profile(id: number) {
  const c = customers[id - 1]!;
  const handle = c.email ?? `guest${id}@example.com`;
  return {
    profileId: id,
    name: c.name,
    figures: {
      firstSeenAt: '2022-05-14T09:12:00Z',
      lastSeenAt: c.lastSeenAt,
      events: 96,
      orders: c.orders,
      revenue: c.revenue,
      currency: 'EUR',
      otherCurrencies: [],
      tickets: 7,
      openTickets: id % 3 === 1 ? 2 : 0,
      feedback: 5,
      latestNps: { score: 9, at: '2024-11-03T12:00:00Z' },
      latestCsat: id % 2 ? { score: 4, at: '2024-10-21T08:00:00Z' } : null,
    },
    identities: [
      {
        type: 'customer_id',
        value: `C-${1000 + id}`,
        key: `customer_id:shopify:C-${1000 + id}`,
        linkedBy: 'source_record',
        sourceRef: `shopify:customers.csv#${id + 1}`,
        firstSeenAt: '2022-05-14T09:12:00Z',
        originProfileId: id,
      },
      {
        type: 'email',
        value: handle.replace(/^a/, 'A'),
        key: `email:${handle}`,
        linkedBy: 'customer_id on the same record',
        sourceRef: `shopify:customers.csv#${id + 1}`,
        firstSeenAt: '2022-05-14T09:12:00Z',
        originProfileId: id,
      },
      ...(c.phone
        ? [
            {
              type: 'phone',
              value: c.phone,
              key: `phone:${c.phone}`,
              linkedBy: 'email',
              sourceRef: 'zendesk:tickets.csv#88',
              firstSeenAt: '2023-01-09T14:03:00Z',
              originProfileId: id,
            },
          ]
        : []),
      {
        type: 'anonymous_id',
        value: `anon-${id}-7f3a`,
        key: `anonymous_id:anon-${id}-7f3a`,
        linkedBy: 'email (login event)',
        sourceRef: 'segment:events.jsonl#5512',
        firstSeenAt: '2022-05-10T18:44:00Z',
        originProfileId: id,
      },
    ],
    records: [
      { source: 'shopify', customerId: `C-${1000 + id}`, name: c.name, email: c.email, phone: null },
      { source: 'zendesk', customerId: `Z${77000 + id}`, name: c.name, email: c.email, phone: c.phone },
    ],
    merges: merges.get(id) ?? [],
    undoneMerges: undoneMerges.get(id) ?? [],
  };
}

function bucketStart(ms: number, bucket: string): number {
  const d = new Date(ms);
  if (bucket === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  if (bucket === 'week') return ms - ((d.getUTCDay() + 6) % 7) * DAY;
  return ms;
}

function overview(workspace: string, q: URLSearchParams) {
  const bucket = q.get('bucket') ?? 'week';
  const from = q.get('from') ? Date.parse(q.get('from')!) : START;
  const to = q.get('to') ? Date.parse(q.get('to')!) : END;
  const empty = workspace === 'empty';
  const buckets = new Set<number>();
  for (let t = from; t <= to; t += DAY) buckets.add(bucketStart(t, bucket));
  const volumes = empty
    ? []
    : [...buckets].flatMap((b) => {
        const r = rng(b / DAY);
        const size = bucket === 'month' ? 30 : bucket === 'week' ? 7 : 1;
        return CHANNELS.map((channel, ci) => ({
          bucket: day(b),
          channel,
          count: Math.round(size * (60 / (ci + 1)) * (0.8 + 0.4 * r() + 0.3 * Math.sin(b / DAY / 40))),
        }));
      });
  const scoreTrend = empty
    ? []
    : [...buckets].map((b, i) => {
        const r = rng(b / DAY + 7);
        return {
          bucket: day(b),
          nps: i % 11 === 5 ? null : Math.round(20 + 25 * Math.sin(i / 6) + r() * 10),
          csat: Math.round((3.6 + 0.8 * r()) * 100) / 100,
          ces: 2.1,
          responses: Math.round(r() * 40),
        };
      });
  const events = volumes.reduce((s, v) => s + v.count, 0);
  return {
    range: { from: day(from), to: day(to) },
    bucket,
    totals: {
      customers: empty ? 0 : 152,
      profiles: empty ? 0 : 137,
      events,
      orders: empty ? 0 : 842,
      revenue: empty ? 0 : 184512.4,
      currency: 'EUR',
      otherCurrencies: [],
      tickets: empty ? 0 : 311,
      feedback: empty ? 0 : 402,
    },
    volumes,
    scores: empty
      ? {
          nps: { score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 },
          csat: { average: null, responses: 0 },
          ces: { average: null, responses: 0 },
        }
      : {
          nps: { score: 31, responses: 250, promoters: 120, passives: 88, detractors: 42 },
          csat: { average: 4.21, responses: 130 },
          ces: { average: 2.1, responses: 22 },
        },
    scoreTrend,
  };
}

function page<T>(items: T[], q: URLSearchParams) {
  const limit = Number(q.get('limit') ?? 50);
  const offset = Number(q.get('cursor') ?? 0);
  const next = offset + limit;
  return { items: items.slice(offset, next), nextCursor: next < items.length ? String(next) : null };
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}
function problem(res: ServerResponse, status: number, title: string, detail: string) {
  send(res, status, { type: 'about:blank', title, status, detail }, 'application/problem+json');
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
  const q = url.searchParams;
  const path = url.pathname.slice('/api/v1'.length);
  if (path === '/workspaces')
    return send(res, 200, {
      items: [
        { id: 'demo', name: 'Demo shop' },
        { id: 'empty', name: 'Empty workspace' },
      ],
    });
  const workspace = q.get('workspace');
  if (workspace !== 'demo' && workspace !== 'empty')
    return problem(res, 400, 'Bad request', `Unknown workspace "${workspace}".`);
  const list = workspace === 'demo' ? customers : [];
  if (path === '/overview') return send(res, 200, overview(workspace, q));
  if (path === '/customers') {
    const needle = (q.get('q') ?? '').toLowerCase();
    return send(
      res,
      200,
      page(
        list.filter(
          (c) =>
            !needle ||
            [c.name, c.email, c.phone, `C-${1000 + c.profileId}`].some((v) => v?.toLowerCase().includes(needle)),
        ),
        q,
      ),
    );
  }
  const m = /^\/customers\/(\d+)(\/timeline|\/unmerge)?$/.exec(path);
  const id = Number(m?.[1]);
  if (!m || !list[id - 1])
    return problem(res, 404, 'Not found', `No customer profile ${m?.[1] ?? ''} in workspace "${workspace}".`);
  if (m[2] === '/timeline') {
    const kinds = (q.get('kinds') ?? 'event,order,ticket,feedback').split(',');
    const channel = q.get('channel');
    return send(
      res,
      200,
      page(
        timeline(id).filter((t) => kinds.includes(t.kind) && (!channel || t.channel === channel)),
        q,
      ),
    );
  }
  if (m[2] === '/unmerge' && req.method === 'POST') {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const { mergeId } = JSON.parse(raw) as { mergeId: number };
    const found = (merges.get(id) ?? []).find((x) => x.mergeId === mergeId);
    if (!found) return problem(res, 409, 'Conflict', `Merge ${mergeId} is not part of profile ${id}.`);
    merges.set(
      id,
      (merges.get(id) ?? []).filter((x) => x !== found),
    );
    undoneMerges.set(id, [{ ...found, intoProfileId: id, unmergedAt: new Date().toISOString() }, ...(undoneMerges.get(id) ?? [])]);
    return send(res, 200, { profileId: id, restoredProfileId: found.fromProfileId });
  }
  return send(res, 200, profile(id));
}

async function serveStatic(res: ServerResponse, pathname: string) {
  const file = normalize(join(DIST, pathname === '/' ? 'index.html' : pathname));
  if (!file.startsWith(DIST)) return problem(res, 403, 'Forbidden', 'Outside dist/web.');
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    problem(res, 404, 'Not found', `${pathname} is not in dist/web (run \`npx vite build\`).`);
  }
}

export async function startMockApi(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handled = url.pathname.startsWith('/api/v1/') ? api(req, res, url) : serveStatic(res, url.pathname);
    handled.catch((err: unknown) => problem(res, 500, 'Internal error', String(err)));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, close: () => new Promise((done) => server.close(() => done())) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { url } = await startMockApi(Number(process.argv[2] ?? 4401));
  console.log(`Mock Kept API (dev fixture) with dist/web on ${url}`);
}
