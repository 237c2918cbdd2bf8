import { describe, expect, it } from 'vitest';
import { bucketStart, rollUp } from '../../src/core/metrics/buckets.js';

const dayOf = (iso: string) => Date.parse(iso) / 86_400_000;

describe('calendar buckets', () => {
  it('starts weeks on Monday and months on the 1st, in UTC', () => {
    expect(bucketStart(dayOf('2025-11-05'), 'week')).toBe('2025-11-03T00:00:00.000Z'); // Wednesday → Monday
    expect(bucketStart(dayOf('2025-11-03'), 'week')).toBe('2025-11-03T00:00:00.000Z');
    expect(bucketStart(dayOf('2025-11-09'), 'week')).toBe('2025-11-03T00:00:00.000Z'); // Sunday
    expect(bucketStart(dayOf('1969-12-31'), 'week')).toBe('1969-12-29T00:00:00.000Z');
    expect(bucketStart(dayOf('2024-02-29'), 'month')).toBe('2024-02-01T00:00:00.000Z');
    expect(bucketStart(dayOf('2024-02-29'), 'day')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('rolls day rows up by bucket and key, summing and keeping all-null sums null', () => {
    const rows = [
      { day: dayOf('2025-11-03'), channel: 'web', count: 2, score: null },
      { day: dayOf('2025-11-04'), channel: 'web', count: 3, score: 4 },
      { day: dayOf('2025-11-04'), channel: 'app', count: 1, score: null },
      { day: dayOf('2025-11-10'), channel: 'web', count: 5, score: null },
    ];
    const weeks = rollUp(rows, 'week', ['count', 'score'], (r) => r.channel);
    expect(weeks).toEqual([
      { bucket: '2025-11-03T00:00:00.000Z', key: 'app', sums: { count: 1, score: null } },
      { bucket: '2025-11-03T00:00:00.000Z', key: 'web', sums: { count: 5, score: 4 } },
      { bucket: '2025-11-10T00:00:00.000Z', key: 'web', sums: { count: 5, score: null } },
    ]);
  });
});
