/**
 * One synthetic person: who they are, the messy ways the company's systems know them, and the hidden traits
 * (happiness, purchase habits, the silent-fade segment) that drive everything else they do.
 *
 * Identity messiness is deliberate, it is what identity resolution is demoed on:
 * - CRM (`crm`, `C000123`): lower-case email, mobile in international format `+44 7712 345678`;
 * - web shop (`shop`, `SH-…`): the same email with different case or stray whitespace;
 * - loyalty card (`loyalty`, `6338…`): mobile in national format `07712 345678`, sometimes a placeholder
 *   email or a test phone number typed by store staff;
 * - households sharing a landline, listed on both people's CRM records.
 */

import type { CustomerIdentifiers, CustomerRecord } from '../records.js';
import type { DemoWindow } from './calendar.js';
import { DAY_MS } from './calendar.js';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, WORK_DOMAINS } from './catalogue.js';
import { DEMO_COMPANY, DEMO_PLACEHOLDER_EMAILS, DEMO_STORES, DEMO_TEST_PHONES } from './company.js';
import type { DemoChannel } from './company.js';
import { DEMO_PATTERNS } from './patterns.js';
import { WeightedTable, hash32 } from './prng.js';
import type { Rng } from './prng.js';

/** Rates of identity features, as documented in docs/demo-data.md. */
export const IDENTITY_RATES = {
  shopAccount: 0.65,
  loyaltyCard: 0.35,
  workEmail: 0.1,
  /** Of households (people 2h and 2h+1), the share whose CRM records both list the same landline. */
  sharedLandline: 0.02,
  /** Of loyalty records: placeholder email typed by staff / real email / none. */
  loyaltyPlaceholderEmail: 0.015,
  loyaltyRealEmail: 0.6,
  /** Of loyalty records: a test phone number instead of the real one. */
  loyaltyTestPhone: 0.005,
  /** Share of people who existed before the window (the rest sign up during it). */
  existingCustomers: 0.55,
  /** Share of existing customers still buying when the window opens. */
  aliveAtStart: 0.8,
} as const;

/** A device or browser the person uses; events from it carry its `anonymousId`. */
export interface Device {
  anonymousId: string;
  channel: 'web' | 'app';
}

/** Everything generated about one person before their activity is simulated. */
export interface DemoPerson {
  index: number;
  firstName: string;
  lastName: string;
  /** Identifiers as each source system holds them. */
  crm: CustomerIdentifiers & { customerId: string };
  shop: (CustomerIdentifiers & { customerId: string }) | undefined;
  loyalty: (CustomerIdentifiers & { customerId: string }) | undefined;
  /** Clean lower-case email, what survey tools and the newsletter use. */
  email: string;
  /** The same mobile as the caller-id system reports it (`+447712345678`). */
  callerId: string;
  workEmail: string | undefined;
  landline: string | undefined;
  devices: Device[];
  createdAt: number;
  /** When this person's activity can start: sign-up or the window start. */
  activeFrom: number;
  existing: boolean;
  aliveAtStart: boolean;
  /** Latent attitude, standard normal: drives scores and (negatively) churn. */
  happiness: number;
  silentFade: boolean;
  orderChannels: WeightedTable<DemoChannel>;
  homeStore: string;
  marketingOptIn: boolean;
}

const PRIMARY_CHANNEL = new WeightedTable<DemoChannel>([
  ['web', 0.45],
  ['app', 0.25],
  ['store', 0.22],
  ['phone', 0.08],
]);

/** Where people order, given the channel they prefer: mostly there, sometimes elsewhere, rarely by phone. */
const ORDER_CHANNELS_BY_PRIMARY = Object.fromEntries(
  (['web', 'app', 'store', 'phone'] as const).map((primary) => [
    primary,
    new WeightedTable<DemoChannel>(
      (['web', 'app', 'store', 'phone'] as const).map((c) => [c, c === primary ? 2.5 : c === 'phone' ? 0.1 : 0.3]),
    ),
  ]),
) as Record<DemoChannel, WeightedTable<DemoChannel>>;

/** Salt for household-level hashes, so they are independent of the person streams. */
const HOUSEHOLD_SALT = 0x486f6d65;

/** Builds person `index` from their own stream. */
export function createPerson(rng: Rng, window: DemoWindow, seed: number, index: number): DemoPerson {
  const silentFade = rng.chance(DEMO_PATTERNS.silentFade.share);
  const existing = silentFade || rng.chance(IDENTITY_RATES.existingCustomers);
  const createdAt = existing
    ? window.startMs - Math.floor(rng.uniform(silentFade ? 365 : 1, 3 * 365) * DAY_MS)
    : Math.floor(rng.uniform(window.startMs, window.endMs));
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const number = index + 1;
  const email = emailAddress(rng, firstName, lastName, number);
  const mobile = mobileDigits(index);
  const national = `${mobile.slice(0, 5)} ${mobile.slice(5)}`;
  const international = `+44 ${mobile.slice(1, 5)} ${mobile.slice(5)}`;
  // Work addresses also end in the person number: two J. Smiths must never share one.
  const workEmail = rng.chance(IDENTITY_RATES.workEmail)
    ? `${firstName.charAt(0)}${lastName}${number}@${rng.pick(WORK_DOMAINS)}`.toLowerCase().replace(/'/g, '')
    : undefined;
  const household = Math.floor(index / 2);
  const landline =
    hash32(seed, household, HOUSEHOLD_SALT) / 4_294_967_296 < IDENTITY_RATES.sharedLandline
      ? landlineFor(household)
      : undefined;

  const crm = {
    source: 'crm',
    customerId: `C${String(number).padStart(6, '0')}`,
    email,
    phone: international,
  };
  const shop = rng.chance(IDENTITY_RATES.shopAccount)
    ? { source: 'shop', customerId: `SH-${shopCode(index)}`, email: messyEmail(rng, email) }
    : undefined;
  const loyalty = rng.chance(IDENTITY_RATES.loyaltyCard)
    ? {
        source: 'loyalty',
        customerId: `6338${String((index * 7_368_787 + 1_234_567) % 100_000_000).padStart(8, '0')}`,
        phone: rng.chance(IDENTITY_RATES.loyaltyTestPhone) ? rng.pick(DEMO_TEST_PHONES) : national,
        email: loyaltyEmail(rng, email),
      }
    : undefined;

  const deviceCount = 1 + Math.min(2, rng.poisson(0.5));
  const prefersApp = rng.chance(0.35);
  const devices: Device[] = [];
  for (let i = 0; i < deviceCount; i++) {
    devices.push({ anonymousId: rng.uuid(), channel: i === 0 && prefersApp ? 'app' : rng.chance(0.3) ? 'app' : 'web' });
  }
  const primary = PRIMARY_CHANNEL.pick(rng);

  return {
    index,
    firstName,
    lastName,
    crm,
    shop,
    loyalty,
    email,
    callerId: `+44${mobile.slice(1)}`,
    workEmail,
    landline,
    devices,
    createdAt,
    activeFrom: Math.max(createdAt, window.startMs),
    existing,
    aliveAtStart: silentFade || (existing && rng.chance(IDENTITY_RATES.aliveAtStart)),
    happiness: silentFade ? Math.abs(rng.normal()) : rng.normal(),
    silentFade,
    orderChannels: ORDER_CHANNELS_BY_PRIMARY[primary],
    homeStore: rng.pick(DEMO_STORES),
    marketingOptIn: rng.chance(0.7),
  };
}

/** The person's source records: always CRM, then shop account and loyalty card when they have them. */
export function customerRecords(person: DemoPerson, window: DemoWindow): CustomerRecord[] {
  const name = `${person.firstName} ${person.lastName}`;
  const { crm, shop, loyalty } = person;
  const records: CustomerRecord[] = [
    {
      source: crm.source,
      customerId: crm.customerId,
      name,
      email: crm.email,
      phone: crm.phone,
      extraEmails: person.workEmail === undefined ? undefined : [person.workEmail],
      extraPhones: person.landline === undefined ? undefined : [person.landline],
      country: DEMO_COMPANY.country,
      createdAt: person.createdAt,
      properties: { marketing_opt_in: person.marketingOptIn },
    },
  ];
  if (shop) {
    records.push({
      source: shop.source,
      customerId: shop.customerId,
      name: person.index % 3 === 0 ? name.toLowerCase() : name,
      email: shop.email,
      country: DEMO_COMPANY.country,
      createdAt: openedAfter(person, window, 1),
    });
  }
  if (loyalty) {
    records.push({
      source: loyalty.source,
      customerId: loyalty.customerId,
      name: person.index % 4 === 0 ? `${person.firstName.charAt(0)} ${person.lastName}` : name,
      email: loyalty.email,
      phone: loyalty.phone,
      country: DEMO_COMPANY.country,
      createdAt: openedAfter(person, window, 3),
      properties: { home_store: person.homeStore, tier: tierFor(person) },
    });
  }
  return records;
}

/** Accounts and cards are opened a few days after the CRM record, but never after the window. */
function openedAfter(person: DemoPerson, window: DemoWindow, days: number): number {
  return Math.min(person.createdAt + days * DAY_MS, window.endMs - 1);
}

function tierFor(person: DemoPerson): string {
  if (person.silentFade) return 'gold';
  return person.existing ? 'silver' : 'green';
}

/** `jane.doe123@example.com`-style: the person number suffix keeps every address unique at any scale. */
function emailAddress(rng: Rng, first: string, last: string, number: number): string {
  const f = first.toLowerCase();
  const l = last.toLowerCase().replace(/'/g, '');
  const style = rng.int(0, 3);
  const local = style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}${l}` : style === 2 ? `${f}_${l}` : `${l}.${f}`;
  return `${local}${number}@${rng.pick(EMAIL_DOMAINS)}`;
}

/** The same address as typed into the web shop: capitalised, shouted domain or stray whitespace. */
function messyEmail(rng: Rng, email: string): string {
  const u = rng.next();
  if (u < 0.4) return email;
  const [local = '', domain = ''] = email.split('@');
  if (u < 0.6) return `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`;
  if (u < 0.75) return `${local}@${domain.toUpperCase()}`;
  if (u < 0.9) return `${email} `;
  return ` ${local.replace(/(^|[._])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase())}@${domain}`;
}

function loyaltyEmail(rng: Rng, email: string): string | undefined {
  const u = rng.next();
  if (u < IDENTITY_RATES.loyaltyPlaceholderEmail) return rng.pick(DEMO_PLACEHOLDER_EMAILS);
  if (u < IDENTITY_RATES.loyaltyPlaceholderEmail + IDENTITY_RATES.loyaltyRealEmail) return email;
  return undefined;
}

/**
 * A UK mobile (`07712345678`) unique per person: an affine bijection of the index onto 180 M numbers in the
 * 0771–0788 ranges, which libphonenumber accepts as valid GB mobiles (the 07700 900xxx drama range it rejects).
 */
function mobileDigits(index: number): string {
  return `0${7_710_000_000 + ((index * 104_729 + 12_345) % 180_000_000)}`;
}

/** A Manchester landline shared by a household: `0161 234 5678`. */
function landlineFor(household: number): string {
  const n = 2_000_000 + ((household * 7_919 + 4_321) % 8_000_000);
  const digits = String(n);
  return `0161 ${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** Six base-36 characters, a bijection of the index below 36^6, so shop ids look random but never collide. */
function shopCode(index: number): string {
  return ((index * 1_000_003 + 77_777) % 2_176_782_336).toString(36).toUpperCase().padStart(6, '0');
}
