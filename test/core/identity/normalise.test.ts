import { describe, it, expect } from 'vitest';
import {
  DEFAULT_IDENTITY_CONFIG,
  identityConfigSchema,
  normaliseIdentifiers,
} from '../../../src/core/identity/index.js';

const gb = identityConfigSchema.parse({ defaultCountry: 'GB' });
const us = identityConfigSchema.parse({ defaultCountry: 'US' });

describe('normaliseIdentifiers', () => {
  it('trims and lower-cases emails into email: keys', () => {
    const result = normaliseIdentifiers({ email: '  Jo.Bloggs@Example.COM ' }, gb);
    expect(result.keys).toEqual([
      { type: 'email', value: 'jo.bloggs@example.com', key: 'email:jo.bloggs@example.com' },
    ]);
    expect(result.rejections).toEqual([]);
  });

  it('rejects values that do not look like an email, naming the field', () => {
    for (const email of ['jo', 'jo@', '@example.com', 'jo@example', 'jo@@example.com', 'jo bloggs@example.com']) {
      const result = normaliseIdentifiers({ email }, gb);
      expect(result.keys).toEqual([]);
      expect(result.rejections).toHaveLength(1);
      expect(result.rejections[0]?.field).toBe('email');
    }
  });

  it('reads national phone formats with the default country and writes E.164', () => {
    expect(normaliseIdentifiers({ phone: '07911 123456' }, gb).keys).toEqual([
      { type: 'phone', value: '+447911123456', key: 'phone:+447911123456' },
    ]);
    expect(normaliseIdentifiers({ phone: '(415) 555-2671' }, us).keys[0]?.key).toBe('phone:+14155552671');
    // An explicit country code wins over the default country.
    expect(normaliseIdentifiers({ phone: '+44 7911 123456' }, us).keys[0]?.key).toBe('phone:+447911123456');
  });

  it('rejects phone numbers that are not valid for the default country', () => {
    const result = normaliseIdentifiers({ phone: '12', extraPhones: ['not a phone'] }, gb);
    expect(result.keys).toEqual([]);
    expect(result.rejections.map((r) => r.field)).toEqual(['phone', 'extraPhones[0]']);
    expect(result.rejections[0]?.reason).toContain('not a valid phone number');
  });

  it('keys customer ids by their lower-cased source system, defaulting to "default"', () => {
    expect(normaliseIdentifiers({ customerId: ' C-42 ', source: ' CRM ' }, gb).keys[0]?.key).toBe('ext:crm:C-42');
    expect(normaliseIdentifiers({ customerId: 'C-42' }, gb).keys[0]?.key).toBe('ext:default:C-42');
  });

  it('rejects a source containing a colon because keys would become ambiguous', () => {
    const result = normaliseIdentifiers({ customerId: 'c', source: 'a:b' }, gb);
    expect(result.keys).toEqual([]);
    expect(result.rejections).toEqual([{ field: 'customerId', reason: 'source "a:b" must not contain ":"' }]);
  });

  it('trims anonymous ids without changing their case', () => {
    expect(normaliseIdentifiers({ anonymousId: ' Dev-9A ' }, gb).keys[0]?.key).toBe('anon:Dev-9A');
  });

  it('rejects identifier values longer than 256 characters', () => {
    const long = 'x'.repeat(257);
    const result = normaliseIdentifiers({ customerId: long, anonymousId: long, email: `${long}@example.com` }, gb);
    expect(result.keys).toEqual([]);
    expect(result.rejections.map((r) => r.field).sort()).toEqual(['anonymousId', 'customerId', 'email']);
    expect(normaliseIdentifiers({ anonymousId: 'x'.repeat(256) }, gb).keys).toHaveLength(1);
  });

  it('returns keys in config priority order without duplicates, ignoring empty values', () => {
    const ids = {
      anonymousId: 'dev-1',
      phone: '07911 123456',
      email: 'jo@example.com',
      extraEmails: ['JO@example.com', 'jo.work@example.com', ' '],
      customerId: '7',
      source: 'shop',
    };
    expect(normaliseIdentifiers(ids, gb).keys.map((k) => k.key)).toEqual([
      'ext:shop:7',
      'email:jo@example.com',
      'email:jo.work@example.com',
      'phone:+447911123456',
      'anon:dev-1',
    ]);
    const phoneFirst = identityConfigSchema.parse({ defaultCountry: 'GB', priority: ['phone', 'anonymous_id'] });
    expect(normaliseIdentifiers(ids, phoneFirst).keys.map((k) => k.type)).toEqual([
      'phone',
      'anonymous_id',
      'customer_id',
      'email',
      'email',
    ]);
  });
});

describe('blocked identifiers', () => {
  it('sets aside no-reply style emails and reports them instead of linking them', () => {
    const result = normaliseIdentifiers(
      { email: 'NoReply@Shop.com', extraEmails: ['do-not-reply@x.org', 'test@test.com', 'jo@example.com'] },
      DEFAULT_IDENTITY_CONFIG,
    );
    expect(result.keys.map((k) => k.key)).toEqual(['email:jo@example.com']);
    expect(result.blocked.map((k) => k.key)).toEqual([
      'email:noreply@shop.com',
      'email:do-not-reply@x.org',
      'email:test@test.com',
    ]);
    expect(result.rejections).toEqual([]);
  });

  it('sets aside fictional and filler phone numbers, even ones that are not assigned numbers', () => {
    const result = normaliseIdentifiers(
      { phone: '+1 (202) 555-0142', extraPhones: ['+1 000 000 0000', '07700 900123', '0000000', '020 7946 0123'] },
      gb,
    );
    expect(result.keys).toEqual([]);
    expect(result.rejections).toEqual([]);
    expect(result.blocked.map((k) => k.value)).toEqual([
      '+12025550142',
      '+10000000000',
      '+447700900123',
      '+440000000',
      '+442079460123',
    ]);
    // A real-looking number next to the drama range is untouched.
    expect(normaliseIdentifiers({ phone: '+1 (202) 555-0242' }, gb).keys[0]?.value).toBe('+12025550242');
  });

  it('blocks placeholder anonymous ids that broken trackers send', () => {
    const result = normaliseIdentifiers({ anonymousId: 'undefined' }, gb);
    expect(result.keys).toEqual([]);
    expect(result.blocked).toEqual([{ type: 'anonymous_id', value: 'undefined', key: 'anon:undefined' }]);
  });

  it('applies user-supplied exact values and glob patterns case-insensitively', () => {
    const config = identityConfigSchema.parse({
      blocked: { values: ['ext:crm:0', '+447911123456'], patterns: ['*@example.com'] },
      defaultCountry: 'GB',
    });
    const result = normaliseIdentifiers(
      { customerId: '0', source: 'CRM', email: 'Jo@EXAMPLE.com', phone: '07911 123456', anonymousId: 'a' },
      config,
    );
    expect(result.keys.map((k) => k.key)).toEqual(['anon:a']);
    expect(result.blocked.map((k) => k.key)).toEqual(['ext:crm:0', 'email:jo@example.com', 'phone:+447911123456']);
    // Replacing the pattern list drops the defaults.
    expect(normaliseIdentifiers({ email: 'noreply@shop.com' }, config).keys).toHaveLength(1);
  });

  it('keeps real numbers whose digits repeat after the area code, and blocks repeated national numbers', () => {
    const us = identityConfigSchema.parse({ defaultCountry: 'US' });
    for (const real of ['+1 917 777 7777', '+49 177 7777777', '(646) 666-6666', '+33 6 11 11 11 11', '+1 212 222 2222']) {
      expect(normaliseIdentifiers({ phone: real }, us).keys, real).toHaveLength(1);
    }
    for (const filler of ['+1 111 111 1111', '+44 7777 777777', '+49 0000000000']) {
      expect(normaliseIdentifiers({ phone: filler }, us).blocked, filler).toHaveLength(1);
    }
  });

  it('gives one key to the spellings of one email: composed or not, invisible characters, mailto: and <…>', () => {
    const keys = ['jos\u00e9@x.com', 'jose\u0301@x.com', 'JOS\u00c9@X.COM', 'mailto:Jos\u00e9@x.com', '<jos\u00e9@x.com>', '\u200bjos\u00e9@x.com\ufeff'].map(
      (email) => normaliseIdentifiers({ email }, gb).keys.map((k) => k.key),
    );
    for (const k of keys) expect(k).toEqual(['email:jos\u00e9@x.com']);
    for (const bad of ['Ann <ann@x.com>', 'ann@x.com, bob@x.com', 'mailto:', '"ann"@x.com']) {
      expect(normaliseIdentifiers({ email: bad }, gb).rejections, bad).toHaveLength(1);
    }
  });

  it('blocks role mailboxes with a sub-address tag', () => {
    for (const email of ['noreply+orders@shop.com', 'no_reply@shop.com', 'No-Reply+x@shop.com', 'donotreply+1@shop.com']) {
      expect(normaliseIdentifiers({ email }, gb).blocked, email).toHaveLength(1);
    }
    expect(normaliseIdentifiers({ email: 'noreplies@shop.com' }, gb).keys).toHaveLength(1);
  });
});
