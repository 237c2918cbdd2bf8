/**
 * Identity-resolution settings: which identifier wins (priority), how many of each a profile may hold (limits),
 * which values must never link anyone (blocked), and the country used to read national phone numbers.
 * Modelled on Segment Unify's identity-resolution settings. Pure: no I/O.
 */
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { IDENTIFIER_TYPES, type IdentifierType } from '../records.js';

/** Values that must never link profiles, checked after normalisation (see `normaliseIdentifiers`). */
export interface BlockedIdentifiers {
  /** Exact normalised values (`noreply@shop.com`, `+15555550100`) or keys (`anon:undefined`); case-insensitive. */
  readonly values: readonly string[];
  /** Glob-like patterns on normalised values or keys: `*` is any run of characters, `?` exactly one. */
  readonly patterns: readonly string[];
  /** Block phones whose national number is one digit repeated (`+10000000000`, `07777 777777`-style fillers). */
  readonly repeatedDigitPhones: boolean;
}

/** The settings identity resolution runs with. Parse user input with {@link identityConfigSchema}. */
export interface IdentityConfig {
  /** Every identifier type exactly once, strongest first: decides the surviving profile and which key is dropped. */
  readonly priority: readonly IdentifierType[];
  /** Most identities of a type one profile may hold. For `customer_id` the limit applies per source system. */
  readonly limits: Readonly<Record<IdentifierType, number>>;
  readonly blocked: BlockedIdentifiers;
  /** ISO 3166-1 alpha-2 country used to read phone numbers written without a `+country` prefix. */
  readonly defaultCountry: CountryCode;
}

/**
 * Conservative defaults: only values that are never a person's own (role mailboxes that cannot receive replies,
 * placeholder strings emitted by broken trackers, fictional "drama" phone ranges). Role addresses like `info@`
 * are deliberately not blocked: small businesses are real customers with such addresses.
 */
export const DEFAULT_BLOCKED_VALUES: readonly string[] = [
  'test@test.com',
  // Trackers that stringify a missing id send these; linking on them would merge every anonymous visitor.
  'null',
  'undefined',
  'nan',
  '[object object]',
];

export const DEFAULT_BLOCKED_PATTERNS: readonly string[] = [
  // Role mailboxes that never reach a person, also with a sub-address tag (noreply+orders@…).
  'noreply@*',
  'noreply+*@*',
  'no-reply@*',
  'no-reply+*@*',
  'no_reply@*',
  'no_reply+*@*',
  'donotreply@*',
  'donotreply+*@*',
  'do-not-reply@*',
  'do-not-reply+*@*',
  'do_not_reply@*',
  'mailer-daemon@*',
  // NANP numbers reserved for fiction: 555-0100 to 555-0199 in any area code.
  '+1???55501??',
  // Ofcom drama ranges (UK): mobile 07700 900xxx, and geographic 01632 960xxx, 020 7946 0xxx, 0113–0161 496 0xxx,
  // 0191 498 0xxx.
  '+447700900???',
  '+441632960???',
  '+442079460???',
  '+441134960???',
  '+441144960???',
  '+441154960???',
  '+441164960???',
  '+441174960???',
  '+441184960???',
  '+441214960???',
  '+441314960???',
  '+441414960???',
  '+441514960???',
  '+441614960???',
  '+441914980???',
];

/** Strongest first: an id a source system issued beats a contact point, which beats a device/cookie id. */
export const DEFAULT_PRIORITY: readonly IdentifierType[] = IDENTIFIER_TYPES;

export const DEFAULT_LIMITS: Readonly<Record<IdentifierType, number>> = {
  customer_id: 1,
  email: 5,
  phone: 5,
  anonymous_id: 100,
};

const limitSchema = z.number().int().min(1);
const stringList = (defaults: readonly string[]) => z.array(z.string().trim().min(1)).default([...defaults]);

/**
 * Validates a user-supplied (partial) identity config and fills in defaults. A partial `priority` is completed
 * with the missing types in default order, so `['email']` means "email first, then the usual order".
 * A supplied `blocked.values` / `blocked.patterns` list replaces the default list; spread
 * {@link DEFAULT_BLOCKED_VALUES} / {@link DEFAULT_BLOCKED_PATTERNS} into it to extend them instead.
 */
export const identityConfigSchema = z
  .object({
    priority: z
      .array(z.enum(IDENTIFIER_TYPES))
      .refine((types) => new Set(types).size === types.length, 'priority lists an identifier type twice')
      .transform((types) => [...types, ...DEFAULT_PRIORITY.filter((type) => !types.includes(type))])
      .default([...DEFAULT_PRIORITY]),
    limits: z
      .object({
        customer_id: limitSchema.default(DEFAULT_LIMITS.customer_id),
        email: limitSchema.default(DEFAULT_LIMITS.email),
        phone: limitSchema.default(DEFAULT_LIMITS.phone),
        anonymous_id: limitSchema.default(DEFAULT_LIMITS.anonymous_id),
      })
      .prefault({}),
    blocked: z
      .object({
        values: stringList(DEFAULT_BLOCKED_VALUES),
        patterns: stringList(DEFAULT_BLOCKED_PATTERNS),
        repeatedDigitPhones: z.boolean().default(true),
      })
      .prefault({}),
    defaultCountry: z
      .string()
      .trim()
      .toUpperCase()
      .transform((code, ctx): CountryCode => {
        if (isSupportedCountry(code)) return code;
        ctx.addIssue({ code: 'custom', message: `unknown country code "${code}" (expected e.g. "US" or "GB")` });
        return z.NEVER;
      })
      .default('US'),
  })
  .prefault({});

/** What {@link identityConfigSchema} accepts: every field optional. */
export type IdentityConfigInput = z.input<typeof identityConfigSchema>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The config used when a workspace sets nothing. Frozen: copy it before changing anything. */
export const DEFAULT_IDENTITY_CONFIG: IdentityConfig = deepFreeze(identityConfigSchema.parse({}));

/**
 * The bucket a key counts against for limits. `customer_id` keys (`ext:<source>:<id>`) count per source system,
 * because one person legitimately has one id in the CRM *and* one in the shop, but never two in the same CRM.
 */
export function limitBucket(type: IdentifierType, key: string): string {
  if (type === 'customer_id') {
    const sourceEnd = key.indexOf(':', 4);
    if (key.startsWith('ext:') && sourceEnd > 4) return `customer_id:${key.slice(4, sourceEnd)}`;
  }
  return type;
}

/** Human name of a limit bucket, for drop reasons: `email`, `customer_id (source crm)`. */
export function describeBucket(bucket: string): string {
  return bucket.startsWith('customer_id:') ? `customer_id (source ${bucket.slice('customer_id:'.length)})` : bucket;
}
