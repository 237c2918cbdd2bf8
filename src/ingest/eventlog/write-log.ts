/**
 * Event-log export as CSV (PM4Py's column names, so the file round-trips through PM4Py and Kept alike) and as
 * XES. Both are produced as text chunks and written through a stream, a case at a time.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { NONE, type EventLog } from '../../core/journeys/event-log.js';
import { formatLogTimestamp } from './log-timestamps.js';

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function xmlEscape(v: string): string {
  return v.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const nameOf = (names: readonly string[] | undefined, ids: Int32Array | undefined, e: number): string => {
  const id = ids?.[e] ?? NONE;
  return id === NONE ? '' : (names?.[id] ?? '');
};

/** CSV lines: `case:concept:name,concept:name,time:timestamp,org:resource,channel,<other attributes…>`. */
export function* csvLines(log: EventLog): Generator<string> {
  const extra = [...new Set((log.attributes ?? []).flatMap((a) => (a ? Object.keys(a) : [])))].sort();
  yield `${['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource', 'channel', ...extra].map(csvCell).join(',')}\n`;
  for (let c = 0; c < log.caseIds.length; c++) {
    let chunk = '';
    for (let e = log.caseStart[c]!; e < log.caseStart[c + 1]!; e++) {
      const attrs = log.attributes?.[e];
      const cells = [log.caseIds[c]!, log.activityNames[log.activity[e]!]!, formatLogTimestamp(log.time[e]!), nameOf(log.resourceNames, log.resource, e), nameOf(log.channelNames, log.channel, e), ...extra.map((k) => attrs?.[k] ?? '')];
      chunk += `${cells.map(csvCell).join(',')}\n`;
    }
    yield chunk;
  }
}

/** XES 1.0 text with the concept, time and org extensions. */
export function* xesLines(log: EventLog): Generator<string> {
  const str = (key: string, value: string, indent: string) => `${indent}<string key="${xmlEscape(key)}" value="${xmlEscape(value)}"/>\n`;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xes.features="nested-attributes">\n';
  yield '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n';
  yield '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n';
  yield '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>\n';
  yield '  <classifier name="Activity" keys="concept:name"/>\n';
  for (let c = 0; c < log.caseIds.length; c++) {
    let chunk = `  <trace>\n${str('concept:name', log.caseIds[c]!, '    ')}`;
    for (const [k, v] of Object.entries(log.caseAttributes?.[c] ?? {})) chunk += str(k, v, '    ');
    for (let e = log.caseStart[c]!; e < log.caseStart[c + 1]!; e++) {
      chunk += `    <event>\n${str('concept:name', log.activityNames[log.activity[e]!]!, '      ')}`;
      if (!Number.isNaN(log.time[e]!)) chunk += `      <date key="time:timestamp" value="${formatLogTimestamp(log.time[e]!)}"/>\n`;
      const resource = nameOf(log.resourceNames, log.resource, e);
      if (resource !== '') chunk += str('org:resource', resource, '      ');
      const channel = nameOf(log.channelNames, log.channel, e);
      if (channel !== '') chunk += str('channel', channel, '      ');
      for (const [k, v] of Object.entries(log.attributes?.[e] ?? {})) chunk += str(k, v, '      ');
      chunk += '    </event>\n';
    }
    yield `${chunk}  </trace>\n`;
  }
  yield '</log>\n';
}

/** Writes the log to `path` as CSV or XES (by `format`), honouring back-pressure. */
export async function writeEventLog(log: EventLog, path: string, format: 'csv' | 'xes'): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of format === 'csv' ? csvLines(log) : xesLines(log)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
