import { describe, it, expect } from 'vitest';
import { parseTimestamp } from '../../src/ingest/timestamps.js';

const ok = (ms: number, utcOffsetMin = 0) => ({ ok: true, ms, utcOffsetMin });

function reasonOf(value: unknown): string {
  const result = parseTimestamp(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.reason;
}

describe('parseTimestamp', () => {
  it('reads ISO 8601 in UTC with Z, T or space, and with or without seconds', () => {
    const at = Date.UTC(2024, 4, 1, 12, 30, 15);
    expect(parseTimestamp('2024-05-01T12:30:15Z')).toEqual(ok(at));
    expect(parseTimestamp('2024-05-01t12:30:15z')).toEqual(ok(at));
    expect(parseTimestamp('2024-05-01 12:30:15Z')).toEqual(ok(at));
    expect(parseTimestamp('2024-05-01T12:30Z')).toEqual(ok(Date.UTC(2024, 4, 1, 12, 30)));
  });

  it('keeps the UTC offset in minutes for ±hh:mm, ±hhmm and ±hh', () => {
    expect(parseTimestamp('2024-05-01T12:30:00+02:00')).toEqual(ok(Date.UTC(2024, 4, 1, 10, 30), 120));
    expect(parseTimestamp('2024-05-01T12:30:00+0530')).toEqual(ok(Date.UTC(2024, 4, 1, 7, 0), 330));
    expect(parseTimestamp('2024-05-01T12:30:00-03')).toEqual(ok(Date.UTC(2024, 4, 1, 15, 30), -180));
    expect(parseTimestamp('2024-05-01 00:15:00-09:30')).toEqual(ok(Date.UTC(2024, 4, 1, 9, 45), -570));
  });

  it('interprets ISO without a zone as UTC and a date alone as midnight UTC', () => {
    expect(parseTimestamp('2024-05-01T12:30:00')).toEqual(ok(Date.UTC(2024, 4, 1, 12, 30)));
    expect(parseTimestamp('2024-05-01')).toEqual(ok(Date.UTC(2024, 4, 1)));
    expect(parseTimestamp('  2024-05-01  ')).toEqual(ok(Date.UTC(2024, 4, 1)));
  });

  it('truncates fractional seconds of any length to milliseconds', () => {
    const base = Date.UTC(2024, 4, 1, 12, 30, 15);
    expect(parseTimestamp('2024-05-01T12:30:15.5Z')).toEqual(ok(base + 500));
    expect(parseTimestamp('2024-05-01T12:30:15.123Z')).toEqual(ok(base + 123));
    expect(parseTimestamp('2024-05-01T12:30:15.123456789+01:00')).toEqual(ok(base + 123 - 3_600_000, 60));
    expect(parseTimestamp('2024-05-01T12:30:15,25Z')).toEqual(ok(base + 250));
  });

  it('reads epoch seconds (10 digits) and milliseconds (13 digits) as numbers or strings', () => {
    expect(parseTimestamp(1714566600)).toEqual(ok(1714566600000));
    expect(parseTimestamp('1714566600')).toEqual(ok(1714566600000));
    expect(parseTimestamp(1714566600.25)).toEqual(ok(1714566600250));
    expect(parseTimestamp('1714566600.5')).toEqual(ok(1714566600500));
    expect(parseTimestamp(1714566600123)).toEqual(ok(1714566600123));
    expect(parseTimestamp('1714566600123')).toEqual(ok(1714566600123));
  });

  it('agrees with Date for a sweep of valid instants across leap years and offsets', () => {
    for (let ms = Date.UTC(1999, 11, 31); ms < Date.UTC(2030, 0, 1); ms += 86_400_000 * 7 + 3_723_456) {
      const iso = new Date(ms).toISOString();
      expect(parseTimestamp(iso)).toEqual(ok(ms));
      expect(parseTimestamp(iso.replace('Z', '+01:00'))).toEqual(ok(ms - 3_600_000, 60));
    }
    expect(parseTimestamp('2024-02-29')).toEqual(ok(Date.UTC(2024, 1, 29)));
    expect(parseTimestamp('2000-02-29')).toEqual(ok(Date.UTC(2000, 1, 29)));
  });

  it('rejects impossible dates and times, naming the value', () => {
    expect(reasonOf('2024-02-30')).toBe("not a valid date: '2024-02-30' (February 2024 has 29 days)");
    expect(reasonOf('2023-02-29')).toContain('February 2023 has 28 days');
    expect(reasonOf('1900-02-29')).toContain('28 days');
    expect(reasonOf('2024-04-31T10:00:00Z')).toContain('April 2024 has 30 days');
    expect(reasonOf('2024-13-01')).toBe("month 13 is out of range in '2024-13-01'");
    expect(reasonOf('2024-00-10')).toContain('month 0');
    expect(reasonOf('2024-05-01T25:00:00Z')).toBe("hour 25 is out of range in '2024-05-01T25:00:00Z'");
    expect(reasonOf('2024-05-01T24:00:00Z')).toContain('hour 24');
    expect(reasonOf('2024-05-01T12:60:00Z')).toContain('minute 60');
    expect(reasonOf('2024-05-01T12:00:60Z')).toContain('second 60');
    expect(reasonOf('2024-05-01T12:00:00+15:00')).toContain('UTC offset out of range');
    expect(reasonOf('2024-05-01T12:00:00+02:75')).toContain('UTC offset out of range');
  });

  it('rejects years outside 1970–2100 and epochs of the wrong length', () => {
    expect(reasonOf('1969-12-31')).toBe("year 1969 is outside 1970–2100 in '1969-12-31'");
    expect(reasonOf('2101-01-01T00:00:00Z')).toContain('year 2101');
    expect(reasonOf('0001-01-01')).toContain('year 1');
    expect(reasonOf(171456660)).toContain('must have 10 digits (seconds) or 13 digits (milliseconds)');
    expect(reasonOf('17145666001')).toContain('must have 10 digits');
    expect(reasonOf(9999999999999)).toContain('outside the years 1970–2100');
    expect(reasonOf(-1714566600)).toContain('not a valid epoch');
  });

  it('rejects text that is not one of the accepted shapes, with an example of what is', () => {
    for (const value of [
      'yesterday',
      '05/01/2024',
      '2024-5-1',
      '2024-05-01T12',
      '2024-05-01T12:30:00.Z',
      '2024-05-01X12:30',
      '2024-05-01T12:30:00 UTC',
      '',
    ]) {
      expect(reasonOf(value)).toMatch(/unrecognised timestamp '.*'; expected ISO 8601/);
    }
    expect(reasonOf(true)).toBe('must be a timestamp string or number, got boolean');
    expect(reasonOf(null)).toBe('must be a timestamp string or number, got object');
  });

  it('shortens huge values in the reason', () => {
    const reason = reasonOf(`x${'y'.repeat(10_000)}`);
    expect(reason.length).toBeLessThan(200);
  });
});
