import { isValidPhoneNumber } from 'libphonenumber-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CHANNELS,
  DEMO_EVENT_TYPES,
  DEMO_PLACEHOLDER_EMAILS,
  DEMO_TEAMS,
  DEMO_TEST_PHONES,
  DEMO_TOUCHPOINTS,
  demoWindowFor,
  generateDemo,
  generateDemoPerson,
} from '../../../src/core/demo/index.js';
import type { CustomerLife } from '../../../src/core/demo/index.js';
import { AUTHOR_ROLES, FEEDBACK_SOURCES, TICKET_EVENT_KINDS } from '../../../src/core/records.js';
import type { CustomerIdentifiers, CustomerRecord } from '../../../src/core/records.js';
import { collect, ticketStreams } from './helpers.js';

const PEOPLE = 3_000;
const window = demoWindowFor({});

function facts(lives: readonly CustomerLife[]): { kind: string; at: number; ids: CustomerIdentifiers }[] {
  const out: { kind: string; at: number; ids: CustomerIdentifiers }[] = [];
  for (const life of lives) {
    for (const r of life.events) out.push({ kind: 'event', at: r.occurredAt, ids: r });
    for (const r of life.orders) out.push({ kind: 'order', at: r.orderedAt, ids: r });
    for (const r of life.tickets) out.push({ kind: 'ticket', at: r.occurredAt, ids: r });
    for (const r of life.feedback) out.push({ kind: 'feedback', at: r.occurredAt, ids: r });
  }
  return out;
}

const hasIdentifier = (ids: CustomerIdentifiers): boolean =>
  [ids.customerId, ids.email, ids.phone, ids.anonymousId].some((v) => typeof v === 'string' && v.trim() !== '');

describe('generateDemo: determinism and streaming', () => {
  it('gives deep-equal output for the same options', () => {
    expect(collect(generateDemo({ customers: 500 }))).toEqual(collect(generateDemo({ customers: 500 })));
  });

  it('does not depend on how many people are generated (each person has their own seed)', () => {
    const small = collect(generateDemo({ customers: 300 }));
    const large = collect(generateDemo({ customers: 500 }));
    expect(large.slice(0, 300)).toEqual(small);
    expect(generateDemoPerson({}, 417)).toEqual(large[417]);
  });

  it('changes with the seed', () => {
    const a = collect(generateDemo({ customers: 50, seed: 1 }));
    const b = collect(generateDemo({ customers: 50, seed: 2 }));
    expect(a).not.toEqual(b);
  });

  it('is lazy: the first person arrives without generating the rest', () => {
    const started = performance.now();
    const first = generateDemo({ customers: 1_000_000_000 }).next();
    expect(first.done).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('rejects bad options', () => {
    expect(() => generateDemo({ customers: -1 }).next()).toThrow(/customers/);
    expect(() => generateDemo({ customers: 1, start: 'yesterday' }).next()).toThrow(/start/);
    expect(() => generateDemo({ customers: 1, months: 0 }).next()).toThrow(/months/);
  });

  it('honours start and months', () => {
    const w = demoWindowFor({ start: '2024-03-01', months: 3 });
    expect(w.startMs).toBe(Date.UTC(2024, 2, 1));
    expect(w.endMs).toBe(Date.UTC(2024, 5, 1));
    for (const life of generateDemo({ customers: 200, start: '2024-03-01', months: 3 })) {
      expect(facts([life]).filter((f) => f.at < w.startMs || f.at >= w.endMs)).toEqual([]);
    }
  });
});

describe('generateDemo: records', () => {
  let lives: CustomerLife[];
  beforeAll(() => {
    lives = collect(generateDemo({ customers: PEOPLE }));
  });

  it('scales to about 20 events per person', () => {
    const events = lives.reduce((n, l) => n + l.events.length, 0);
    expect(events / PEOPLE).toBeGreaterThan(18);
    expect(events / PEOPLE).toBeLessThan(23);
    const orders = lives.reduce((n, l) => n + l.orders.length, 0);
    expect(orders / PEOPLE).toBeGreaterThan(1.8);
    expect(orders / PEOPLE).toBeLessThan(3);
    const firstHalf = lives.slice(0, PEOPLE / 2).reduce((n, l) => n + l.events.length, 0);
    expect(firstHalf / events).toBeGreaterThan(0.45);
    expect(firstHalf / events).toBeLessThan(0.55);
  });

  it('names a customer on every fact record, and a source with every customer id', () => {
    const all = facts(lives);
    expect(all.length).toBeGreaterThan(PEOPLE * 20);
    expect(all.filter((f) => !hasIdentifier(f.ids))).toEqual([]);
    expect(all.filter((f) => f.ids.customerId !== undefined && !f.ids.source)).toEqual([]);
  });

  it('keeps every fact timestamp inside [start, start + months) as integer epoch ms', () => {
    const outside = facts(lives).filter(
      (f) => !Number.isInteger(f.at) || f.at < window.startMs || f.at >= window.endMs,
    );
    expect(outside).toEqual([]);
    const customers = lives.flatMap((l) => l.customers);
    expect(customers.filter((c) => !Number.isInteger(c.createdAt) || (c.createdAt ?? 0) >= window.endMs)).toEqual([]);
  });

  it('uses unique ids', () => {
    const unique = (ids: string[]): void => expect(new Set(ids).size).toBe(ids.length);
    unique(lives.flatMap((l) => l.events.map((e) => e.eventId ?? '')));
    unique(lives.flatMap((l) => l.orders.map((o) => o.orderId)));
    unique(lives.flatMap((l) => l.tickets.map((t) => t.ticketEventId ?? '')));
    unique(lives.flatMap((l) => l.feedback.map((f) => f.feedbackId)));
    unique(lives.flatMap((l) => l.customers.map((c) => `${c.source}/${c.customerId}`)));
    // A ticket belongs to one person.
    const owners = new Map<string, number>();
    lives.forEach((l, i) => l.tickets.forEach((t) => owners.set(t.ticketId, owners.get(t.ticketId) ?? i)));
    lives.forEach((l, i) => l.tickets.forEach((t) => expect(owners.get(t.ticketId)).toBe(i)));
  });

  it('uses only the documented vocabularies', () => {
    const channels = new Set<string | undefined>([...DEMO_CHANNELS, undefined]);
    const teams = new Set<string | undefined>([...DEMO_TEAMS, undefined]);
    const touchpoints = new Set<string | undefined>([...DEMO_TOUCHPOINTS, undefined]);
    const types = new Set<string>(DEMO_EVENT_TYPES);
    const events = lives.flatMap((l) => l.events);
    expect(events.filter((e) => !types.has(e.type))).toEqual([]);
    expect(
      events.filter((e) => !channels.has(e.channel) || !teams.has(e.team) || !touchpoints.has(e.touchpoint)),
    ).toEqual([]);

    const orders = lives.flatMap((l) => l.orders);
    expect(orders.filter((o) => o.currency !== 'GBP' || !(o.amount > 0) || !((o.items ?? 0) >= 1))).toEqual([]);
    expect(orders.filter((o) => !channels.has(o.channel) || !touchpoints.has(o.touchpoint))).toEqual([]);

    const kinds = new Set<string>(TICKET_EVENT_KINDS);
    const roles = new Set<string | undefined>(AUTHOR_ROLES);
    const tickets = lives.flatMap((l) => l.tickets);
    expect(tickets.filter((t) => !kinds.has(t.kind) || !roles.has(t.authorRole))).toEqual([]);
    expect(tickets.filter((t) => !channels.has(t.channel) || !teams.has(t.team))).toEqual([]);

    const sources = new Set<string>(FEEDBACK_SOURCES);
    const feedback = lives.flatMap((l) => l.feedback);
    expect(feedback.filter((f) => !sources.has(f.feedbackSource))).toEqual([]);
    expect(
      feedback.filter((f) => !channels.has(f.channel) || !teams.has(f.team) || !touchpoints.has(f.touchpoint)),
    ).toEqual([]);
    const outOfRange = (v: number | undefined, lo: number, hi: number): boolean =>
      v !== undefined && !(Number.isInteger(v) && v >= lo && v <= hi);
    expect(
      feedback.filter(
        (f) =>
          outOfRange(f.csat, 1, 5) || outOfRange(f.nps, 0, 10) || outOfRange(f.ces, 1, 7) || outOfRange(f.stars, 1, 5),
      ),
    ).toEqual([]);
    // Every kind of feedback shows up.
    expect(new Set(feedback.map((f) => f.feedbackSource))).toEqual(
      new Set(['survey', 'review', 'chat', 'email', 'social']),
    );
  });

  it('writes ticket streams in order: opened by the customer, open → pending → solved → closed', () => {
    const order = ['open', 'pending', 'solved', 'closed'];
    const bad: string[] = [];
    const streams = ticketStreams(lives);
    expect(streams.size).toBeGreaterThan(PEOPLE * 0.15);
    for (const [id, stream] of streams) {
      const first = stream[0];
      if (first?.kind !== 'opened' || first.authorRole !== 'customer' || first.status !== 'open')
        bad.push(`${id}: start`);
      for (let i = 1; i < stream.length; i++) {
        if ((stream[i]?.occurredAt ?? 0) < (stream[i - 1]?.occurredAt ?? 0)) bad.push(`${id}: time order`);
      }
      const statuses = stream.flatMap((e) => (e.status === undefined ? [] : [order.indexOf(e.status)]));
      if (statuses.some((st, i) => st < 0 || (i > 0 && st < (statuses[i - 1] ?? 0)))) bad.push(`${id}: statuses`);
    }
    expect(bad).toEqual([]);
  });

  it('writes review texts whose sentiment matches the stars', () => {
    const reviews = lives.flatMap((l) => l.feedback.filter((f) => f.feedbackSource === 'review'));
    expect(reviews.length).toBeGreaterThan(100);
    const positive = /Love|pleased|Brilliant|gorgeous|Great/;
    const negative = /Disappointed|poor quality|not buy|nothing like/;
    expect(reviews.filter((r) => (r.stars ?? 0) >= 4 && !positive.test(r.text ?? ''))).toEqual([]);
    expect(reviews.filter((r) => (r.stars ?? 0) <= 2 && !negative.test(r.text ?? ''))).toEqual([]);
  });
});

describe('generateDemo: messy identities', () => {
  let lives: CustomerLife[];
  let records: CustomerRecord[];
  beforeAll(() => {
    lives = collect(generateDemo({ customers: 5_000 }));
    records = lives.flatMap((l) => l.customers);
  });
  const bySource = (source: string): CustomerRecord[] => records.filter((r) => r.source === source);

  it('knows everyone in the CRM, about 65 % in the shop and 35 % by loyalty card', () => {
    expect(bySource('crm')).toHaveLength(5_000);
    expect(bySource('crm')[122]?.customerId).toBe('C000123');
    expect(bySource('shop').length / 5_000).toBeCloseTo(0.65, 1);
    expect(bySource('loyalty').length / 5_000).toBeCloseTo(0.35, 1);
  });

  it('gives the shop the same email in different case or whitespace', () => {
    const norm = (e: string | undefined): string => (e ?? '').trim().toLowerCase();
    let different = 0;
    for (const life of lives) {
      const crm = life.customers.find((c) => c.source === 'crm');
      const shop = life.customers.find((c) => c.source === 'shop');
      if (!crm || !shop) continue;
      expect(norm(shop.email)).toBe(norm(crm.email));
      if (shop.email !== crm.email) different++;
    }
    expect(different / bySource('shop').length).toBeGreaterThan(0.5);
  });

  it('formats GB phones: international in the CRM, national on loyalty cards, all valid', () => {
    const invalid = (r: CustomerRecord): boolean => !isValidPhoneNumber(r.phone ?? '', 'GB');
    expect(bySource('crm').filter((r) => !/^\+44 7\d{3} \d{6}$/.test(r.phone ?? '') || invalid(r))).toEqual([]);
    expect(bySource('loyalty').filter((r) => !/^0\d{4} \d{6}$/.test(r.phone ?? '') || invalid(r))).toEqual([]);
    const phones = bySource('crm').map((r) => r.phone);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('plants shared identifiers that resolution must block or handle', () => {
    const placeholder = bySource('loyalty').filter((r) =>
      (DEMO_PLACEHOLDER_EMAILS as readonly string[]).includes(r.email ?? ''),
    );
    expect(placeholder.length).toBeGreaterThan(10);
    const testPhones = bySource('loyalty').filter((r) =>
      (DEMO_TEST_PHONES as readonly string[]).includes(r.phone ?? ''),
    );
    expect(testPhones.length).toBeGreaterThan(2);
    // Household landlines: each shared by exactly the two people of one household.
    const landlines = new Map<string, number>();
    for (const r of bySource('crm')) for (const p of r.extraPhones ?? []) landlines.set(p, (landlines.get(p) ?? 0) + 1);
    expect(landlines.size).toBeGreaterThan(20);
    expect([...landlines.values()].every((n) => n <= 2)).toBe(true);
    expect([...landlines.values()].filter((n) => n === 2).length).toBeGreaterThan(landlines.size * 0.9);
  });

  it('links anonymous devices to accounts through login and guest checkout events', () => {
    const events = lives.flatMap((l) => l.events);
    const logins = events.filter((e) => e.type === 'login');
    expect(logins.length).toBeGreaterThan(1_000);
    expect(logins.filter((e) => !e.anonymousId || !e.customerId || !e.email)).toEqual([]);
    const anonymousOnly = events.filter((e) => e.anonymousId && !e.customerId && !e.email);
    expect(anonymousOnly.length).toBeGreaterThan(events.length * 0.05);
    const guestCheckouts = events.filter(
      (e) => e.type === 'checkout_completed' && e.anonymousId && e.email && !e.customerId,
    );
    expect(guestCheckouts.length).toBeGreaterThan(100);
  });
});
