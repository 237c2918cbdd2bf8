import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY_CONFIG, type IdentityConfig } from '../../src/core/identity/config.js';
import { normaliseIdentifiers, type RawIdentifiers } from '../../src/core/identity/normalise.js';
import { normaliseCached } from '../../src/ingest/normalise-cached.js';

const customerIds = [undefined, '', '  ', 'C1', ' C1 ', 'x'.repeat(300), 'undefined'];
const sources = [undefined, '', 'crm', ' CRM ', 'a:b', 's'.repeat(300)];
const emails = [undefined, '', ' Ada@Example.com ', 'ada@example.com', 'not-an-email', 'noreply@shop.example', 'test@test.com'];
const phones = [undefined, '', '+44 7911 123456', '07911 123456', '12', '+447700900123', '+10000000000'];
const anonymousIds = [undefined, '', ' dev-1 ', 'dev-1', 'undefined', 'NaN'];

function* records(): Generator<RawIdentifiers> {
  for (const customerId of customerIds)
    for (const source of sources)
      for (const email of emails)
        for (const phone of phones)
          for (const anonymousId of anonymousIds) yield { customerId, source, email, phone, anonymousId };
}

const configs: [string, IdentityConfig][] = [
  ['default', DEFAULT_IDENTITY_CONFIG],
  [
    'custom',
    {
      ...DEFAULT_IDENTITY_CONFIG,
      priority: ['email', 'phone', 'customer_id', 'anonymous_id'],
      defaultCountry: 'US',
      blocked: { values: ['dev-1'], patterns: ['ext:crm:*'], repeatedDigitPhones: false },
    },
  ],
];

describe('normaliseCached', () => {
  for (const [name, config] of configs) {
    it(`gives exactly what normaliseIdentifiers gives, first time and cached (${name} config)`, () => {
      let n = 0;
      for (let pass = 0; pass < 2; pass++) {
        for (const record of records()) {
          const expected = normaliseIdentifiers(record, config);
          const actual = normaliseCached(record, config);
          if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, JSON.stringify(record)).toEqual(expected);
          n++;
        }
      }
      expect(n).toBeGreaterThan(10_000);
    });
  }

  it('passes records with extra emails or phones, or non-string values, to normaliseIdentifiers as they are', () => {
    const withExtras = { customerId: 'C9', source: 'crm', extraEmails: ['a@example.com', 'bad'], extraPhones: ['+447911123456'] };
    expect(normaliseCached(withExtras, DEFAULT_IDENTITY_CONFIG)).toEqual(normaliseIdentifiers(withExtras, DEFAULT_IDENTITY_CONFIG));
    const numeric = { customerId: 42 } as unknown as RawIdentifiers;
    expect(() => normaliseCached(numeric, DEFAULT_IDENTITY_CONFIG)).toThrow();
    expect(() => normaliseIdentifiers(numeric, DEFAULT_IDENTITY_CONFIG)).toThrow();
  });

  it('shares frozen results between records with the same identifiers', () => {
    const a = normaliseCached({ customerId: 'shared', source: 'crm' }, DEFAULT_IDENTITY_CONFIG);
    const b = normaliseCached({ customerId: 'shared', source: 'crm' }, DEFAULT_IDENTITY_CONFIG);
    expect(b).toBe(a);
    expect(Object.isFrozen(a.keys)).toBe(true);
    expect(Object.isFrozen(a.keys[0])).toBe(true);
  });
});
