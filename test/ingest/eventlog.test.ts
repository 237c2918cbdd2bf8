/**
 * Event-log readers and writers: tolerant of what real CSV and XES logs contain (separators, zones, lifecycle
 * transitions, nested XES attributes, classifiers, missing values), strict about reporting what was dropped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/core/journeys/discovery.js';
import { traceOf } from '../../src/core/journeys/event-log.js';
import { EventLogInputError, parseLogTimestamp, readEventLog, writeEventLog } from '../../src/ingest/eventlog/index.js';

let dir: string;
const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kept-eventlog-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log timestamps', () => {
  it('reads zones, spaces, long fractions, slashes and epochs; rejects impossible dates', () => {
    const ms = (s: string) => {
      const r = parseLogTimestamp(s);
      return r.ok ? r.ms : r.reason;
    };
    expect(ms('2010-12-30 14:32:00+01:00')).toBe(Date.UTC(2010, 11, 30, 13, 32));
    expect(ms('2011-10-11T13:45:40.276000+02:00')).toBe(Date.UTC(2011, 9, 11, 11, 45, 40, 276));
    expect(ms('2011-10-11T13:45:40.2761+0200')).toBe(Date.UTC(2011, 9, 11, 11, 45, 40, 276));
    expect(ms('2011/10/11 13:45')).toBe(Date.UTC(2011, 9, 11, 13, 45));
    expect(ms('1969-07-20T20:17:40Z')).toBe(Date.UTC(1969, 6, 20, 20, 17, 40));
    expect(ms('2005-03-23')).toBe(Date.UTC(2005, 2, 23));
    expect(ms('1300000000')).toBe(1_300_000_000_000);
    expect(ms('2011-02-29 10:00:00')).toMatch(/does not exist/);
    expect(ms('yesterday')).toMatch(/not a timestamp/);
    expect(ms('')).toMatch(/missing/);
  });
});

describe('CSV event logs', () => {
  it('sniffs the separator, detects the columns and reports bad rows by line, field and reason', async () => {
    const path = file(
      'bad.csv',
      [
        'case_id;activity;timestamp;resource;lifecycle:transition',
        'c1;open;2024-01-01 10:00:00+01:00;ann;complete', // 2
        'c1;open;2024-01-01 09:00:00;ann;start', // 3 skipped: not complete
        ';open;2024-01-01 10:00:00;ann;complete', // 4 no case
        'c2;;2024-01-01 10:00:00;ann;complete', // 5 no activity
        'c2;open;2024-02-30 10:00:00;ann;complete', // 6 bad date
        'c2;open;2024-01-02 10:00:00;bob;complete', // 7
        'c2;close;2024-01-02 11:30:00;bob', // 8 wrong field count
        'c1;close;2024-01-01 12:00:00Z;bob;complete', // 9
      ].join('\n'),
    );
    const r = await readEventLog(path, { completeOnly: true });
    expect(r.keys).toMatchObject({ case: 'case_id', activity: 'activity', timestamp: 'timestamp', resource: 'resource' });
    expect(r.read).toBe(8);
    expect(r.rejected).toBe(4);
    expect(r.skippedLifecycle).toBe(1);
    expect(r.problems.map((p) => [p.line, p.field])).toEqual([
      [4, 'case_id'],
      [5, 'activity'],
      [6, 'timestamp'],
      [8, undefined],
    ]);
    expect(r.problems[2]!.reason).toMatch(/does not exist/);
    expect(r.problems[3]!.reason).toMatch(/expected 5 fields/);
    expect(r.log.caseIds).toEqual(['c1', 'c2']);
    expect(traceOf(r.log, 0)).toEqual(['open', 'close']);
    // By default every transition is kept, as PM4Py does.
    const all = await readEventLog(path);
    expect(traceOf(all.log, 0)).toEqual(['open', 'open', 'close']);
    expect(all.skippedLifecycle).toBe(0);
    // Zoned and unzoned times compare in UTC: 10:00+01:00 is 09:00Z, close at 12:00Z → 3 h.
    expect(discover(r.log).caseDuration.max).toBe(3 * 3600);
  });

  it('uses the columns named on the command line, reads gzip, and fails clearly on a missing column', async () => {
    const csv = 'ticket,step,at,agent\nT1,new,2024-05-01T08:00:00Z,x\nT1,"solved, finally",2024-05-01T09:00:00Z,y\n';
    const path = file('tickets.csv.gz', gzipSync(csv));
    const r = await readEventLog(path, { caseKey: 'ticket', activityKey: 'step', timestampKey: 'at', resourceKey: 'agent' });
    expect(traceOf(r.log, 0)).toEqual(['new', 'solved, finally']);
    expect(r.log.resourceNames).toEqual(['x', 'y']);
    await expect(readEventLog(path, { caseKey: 'order' })).rejects.toThrow(EventLogInputError);
    await expect(readEventLog(file('nocase.csv', 'a,b\n1,2\n'))).rejects.toThrow(/which column holds the case id/);
  });

  it('keeps case: columns as case attributes and the others as event attributes', async () => {
    const r = await readEventLog(file('attrs.csv', 'case:concept:name,concept:name,time:timestamp,case:department,cost\n1,a,2024-01-01T00:00:00Z,claims,5\n'));
    expect(r.log.caseAttributes?.[0]).toEqual({ department: 'claims' });
    expect(r.log.attributes?.[0]).toEqual({ cost: '5' });
  });
});

const XES = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="event"><string key="concept:name" value="UNKNOWN"/></global>
  <classifier name="Activity with lifecycle" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="the log"/>
  <trace>
    <string key="concept:name" value="A"/>
    <event>
      <string key="concept:name" value="submit"/>
      <string key="lifecycle:transition" value="start"/>
      <date key="time:timestamp" value="2024-03-01T10:00:00.000+01:00"/>
    </event>
    <event>
      <string key="concept:name" value="submit"/>
      <string key="lifecycle:transition" value="complete"/>
      <date key="time:timestamp" value="2024-03-01T10:05:00.000+01:00"/>
      <list key="items"><values><string key="concept:name" value="nested, must not win"/></values></list>
      <string key="org:resource" value="ann"/>
    </event>
    <event>
      <string key="concept:name" value="review"/>
      <date key="time:timestamp" value="2024-03-01T09:30:00Z"/>
    </event>
    <event><string key="org:resource" value="bob"/></event>
    <event><string key="concept:name" value="archive"/></event>
  </trace>
  <trace>
    <event><string key="concept:name" value="submit"/><date key="time:timestamp" value="2024-03-02T10:00:00Z"/></event>
  </trace>
</log>`;

describe('XES event logs', () => {
  it('reads traces and events, keeps complete events on request, skips nested attributes, and reports missing values', async () => {
    const r = await readEventLog(file('log.xes', XES), { completeOnly: true });
    expect(r.log.caseIds).toEqual(['A', 'trace-2']);
    // review (09:30Z) precedes submit-complete (09:05Z)? No: 10:05+01:00 is 09:05Z, so submit comes first.
    expect(traceOf(r.log, 0)).toEqual(['submit', 'review', 'archive']);
    expect(r.skippedLifecycle).toBe(1);
    expect(r.rejected).toBe(1); // the event without concept:name
    expect(r.problems.find((p) => p.outcome === 'rejected')?.reason).toMatch(/without activity/);
    expect(r.warnings).toBe(2); // archive has no timestamp; the second trace has no name
    expect(r.log.resourceNames).toEqual(['ann']);
  });

  it('names the activity by a classifier and keeps every lifecycle transition', async () => {
    const r = await readEventLog(file('log2.xes', XES), { activityKey: 'Activity with lifecycle' });
    expect(traceOf(r.log, 1)).toEqual(['submit']);
    expect(r.log.activityNames).toContain('submit+start');
    expect(r.log.activityNames).toContain('submit+complete');
  });

  it('keeps what was read before a corrupt tail and says where it broke', async () => {
    const r = await readEventLog(file('cut.xes', `${XES.slice(0, XES.indexOf('<trace>', XES.indexOf('</trace>')))}<trace><event><string key="concept:name" value="x"></trace>`));
    expect(r.log.caseIds).toContain('A');
    expect(r.problems.some((p) => /XML error/.test(p.reason))).toBe(true);
    await expect(readEventLog(file('not.xes', 'hello'))).rejects.toThrow(/not an XES file/);
  });
});

describe('export', () => {
  it('round-trips through CSV and XES with the same discovery figures', async () => {
    const source = await readEventLog(join(import.meta.dirname, '../../../shared/data/journey/running-example.csv'));
    const before = discover(source.log);
    for (const format of ['csv', 'xes'] as const) {
      const out = join(dir, `export.${format}`);
      await writeEventLog(source.log, out, format);
      const again = await readEventLog(out);
      expect(again.rejected).toBe(0);
      const after = discover(again.log);
      expect(after.dfg).toEqual(before.dfg);
      expect(after.caseDuration).toEqual(before.caseDuration);
      expect(again.log.resourceNames).toEqual(source.log.resourceNames);
    }
  });
});
