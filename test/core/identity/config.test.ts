import { describe, it, expect } from 'vitest';
import {
  DEFAULT_BLOCKED_PATTERNS,
  DEFAULT_IDENTITY_CONFIG,
  identityConfigSchema,
  limitBucket,
} from '../../../src/core/identity/index.js';

describe('identityConfigSchema', () => {
  it('fills every field with the defaults when given nothing', () => {
    expect(identityConfigSchema.parse(undefined)).toEqual(DEFAULT_IDENTITY_CONFIG);
    expect(DEFAULT_IDENTITY_CONFIG.priority).toEqual(['customer_id', 'email', 'phone', 'anonymous_id']);
    expect(DEFAULT_IDENTITY_CONFIG.limits).toEqual({ customer_id: 1, email: 5, phone: 5, anonymous_id: 100 });
    expect(DEFAULT_IDENTITY_CONFIG.defaultCountry).toBe('US');
    expect(DEFAULT_IDENTITY_CONFIG.blocked.patterns).toContain('noreply@*');
  });

  it('keeps defaults for the limits a user leaves out and upper-cases the country', () => {
    const config = identityConfigSchema.parse({ limits: { email: 2 }, defaultCountry: ' gb ' });
    expect(config.limits).toEqual({ customer_id: 1, email: 2, phone: 5, anonymous_id: 100 });
    expect(config.defaultCountry).toBe('GB');
  });

  it('completes a partial priority list with the missing types in default order', () => {
    expect(identityConfigSchema.parse({ priority: ['email'] }).priority).toEqual([
      'email',
      'customer_id',
      'phone',
      'anonymous_id',
    ]);
  });

  it('rejects duplicate priorities, unknown types, limits below one and unknown countries', () => {
    expect(identityConfigSchema.safeParse({ priority: ['email', 'email'] }).success).toBe(false);
    expect(identityConfigSchema.safeParse({ priority: ['fax'] }).success).toBe(false);
    expect(identityConfigSchema.safeParse({ limits: { phone: 0 } }).success).toBe(false);
    expect(identityConfigSchema.safeParse({ defaultCountry: 'XX' }).success).toBe(false);
  });

  it('lets users extend the default patterns by spreading them', () => {
    const config = identityConfigSchema.parse({ blocked: { patterns: [...DEFAULT_BLOCKED_PATTERNS, 'info@*'] } });
    expect(config.blocked.patterns).toHaveLength(DEFAULT_BLOCKED_PATTERNS.length + 1);
    expect(config.blocked.values).toContain('test@test.com');
  });

  it('freezes the default config so callers cannot change it for everyone', () => {
    expect(Object.isFrozen(DEFAULT_IDENTITY_CONFIG.blocked.patterns)).toBe(true);
    expect(Object.isFrozen(DEFAULT_IDENTITY_CONFIG.limits)).toBe(true);
  });
});

describe('limitBucket', () => {
  it('counts customer ids per source system and other types per type', () => {
    expect(limitBucket('customer_id', 'ext:crm:42')).toBe('customer_id:crm');
    expect(limitBucket('customer_id', 'ext:shop:a:b')).toBe('customer_id:shop');
    expect(limitBucket('email', 'email:jo@example.com')).toBe('email');
  });
});
