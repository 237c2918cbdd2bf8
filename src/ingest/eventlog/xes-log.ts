/**
 * Streaming XES reader (IEEE 1849), built on the saxes SAX parser so a log larger than memory as text is never
 * held whole. Handles what real logs contain: extensions and classifiers (an activity may be named by a classifier,
 * e.g. `concept:name+lifecycle:transition`), global attribute declarations (read, and — as in PM4Py — not used as
 * values), nested list/container attributes (skipped without disturbing the event's own keys), lifecycle
 * transitions (all kept, as PM4Py; only `complete` with `completeOnly`), zones in `xs:dateTime`, and missing values:
 * - an event without activity is rejected with its line;
 * - an event without (valid) timestamp is kept in trace order, with a warning;
 * - a trace without `concept:name` gets the id `trace-<n>`, with a warning.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { EventLogBuilder } from '../../core/journeys/event-log.js';
import { readTextChunks } from '../text-input.js';
import { parseLogTimestamp } from './log-timestamps.js';
import { EventLogInputError, isComplete, LIFECYCLE_KEY, type LogProblem, type LogReadOptions, type LogReadResult } from './read-options.js';

const ATTRIBUTE_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container']);

/** Splits a classifier's `keys` attribute: space-separated, with 'quoted keys' allowed to contain spaces. */
export function classifierKeys(keys: string): string[] {
  const out: string[] = [];
  for (const m of keys.matchAll(/'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

interface Pending {
  attrs: Record<string, string>;
  line: number;
}

/** Reads an XES file (plain or gzipped) from a path. */
export async function readXesLog(path: string, opts: LogReadOptions = {}): Promise<LogReadResult> {
  const caseKey = opts.caseKey ?? 'concept:name';
  const timestampKey = opts.timestampKey ?? 'time:timestamp';
  const resourceKey = opts.resourceKey ?? 'org:resource';
  const channelKey = opts.channelKey ?? 'channel';
  const keepAttributes = opts.attributes ?? true;
  const maxProblems = opts.maxProblems ?? 1000;
  const classifiers = new Map<string, string[]>();
  let activityKeys: string[] | undefined;
  const builder = new EventLogBuilder();
  const problems: LogProblem[] = [];
  let rejected = 0;
  let warnings = 0;
  let read = 0;
  let skippedLifecycle = 0;
  let traces = 0;
  let sawLog = false;
  const problem = (p: LogProblem): void => {
    if (p.outcome === 'rejected') rejected++;
    else warnings++;
    if (problems.length < maxProblems) problems.push(p);
  };

  const parser = new SaxesParser({ xmlns: false, position: true });
  // Element path: which of log / trace / event we are in, and how deep inside nested attributes.
  let trace: Pending | undefined;
  let traceEvents: Pending[] = [];
  let event: Pending | undefined;
  let inGlobal = false;
  let nestedDepth = 0;
  let parseError: Error | undefined;

  const activityOf = (attrs: Record<string, string>): string => {
    activityKeys ??= classifiers.get(opts.activityKey ?? '') ?? [opts.activityKey ?? 'concept:name'];
    // Keys an event lacks are left out rather than written as empty parts ("submit", not "submit+").
    return activityKeys
      .map((k) => attrs[k] ?? '')
      .filter((p) => p !== '')
      .join('+');
  };

  const flushTrace = (): void => {
    if (!trace) return;
    traces++;
    let caseId = trace.attrs[caseKey] ?? '';
    if (caseId === '') {
      caseId = `trace-${traces}`;
      problem({ line: trace.line, field: caseKey, reason: `trace without ${caseKey}; named ${caseId}`, outcome: 'warning' });
    }
    if (keepAttributes) {
      const caseAttrs = { ...trace.attrs };
      delete caseAttrs[caseKey];
      builder.setCaseAttributes(caseId, caseAttrs);
    }
    for (const ev of traceEvents) {
      read++;
      const activity = activityOf(ev.attrs);
      if (activity === '') {
        problem({ line: ev.line, field: opts.activityKey ?? 'concept:name', reason: 'event without activity', outcome: 'rejected' });
        continue;
      }
      if (opts.completeOnly && !isComplete(ev.attrs[LIFECYCLE_KEY])) {
        skippedLifecycle++;
        continue;
      }
      let ms = NaN;
      const rawTime = ev.attrs[timestampKey];
      const t = rawTime === undefined ? undefined : parseLogTimestamp(rawTime);
      if (t?.ok) ms = t.ms;
      else problem({ line: ev.line, field: timestampKey, reason: `${t ? t.reason : 'no timestamp'}; event kept in trace order`, outcome: 'warning' });
      let attributes: Record<string, string> | undefined;
      if (keepAttributes) {
        attributes = { ...ev.attrs };
        for (const k of [...(activityKeys ?? []), timestampKey, resourceKey, channelKey]) delete attributes[k];
      }
      builder.add(caseId, activity, ms, { resource: ev.attrs[resourceKey], channel: ev.attrs[channelKey], attributes });
    }
    trace = undefined;
    traceEvents = [];
  };

  parser.on('error', (e) => {
    parseError ??= e;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    if (nestedDepth > 0) {
      nestedDepth++;
      return;
    }
    switch (name) {
      case 'log':
        sawLog = true;
        return;
      case 'trace':
        trace = { attrs: {}, line: parser.line };
        return;
      case 'event':
        event = { attrs: {}, line: parser.line };
        return;
      case 'global':
        inGlobal = true;
        return;
      case 'classifier': {
        const cName = tag.attributes.name;
        const keys = tag.attributes.keys;
        if (cName !== undefined && keys !== undefined) classifiers.set(cName, classifierKeys(keys));
        return;
      }
      default:
        break;
    }
    if (!ATTRIBUTE_TAGS.has(name)) return;
    const key = tag.attributes.key;
    const value = tag.attributes.value;
    const target = inGlobal ? undefined : (event ?? trace);
    if (target && key !== undefined && value !== undefined && !(key in target.attrs)) target.attrs[key] = value;
    // Children of an attribute (meta-attributes, list items) must not overwrite the event's own keys.
    if (!tag.isSelfClosing) nestedDepth = 1;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (nestedDepth > 0) {
      nestedDepth--;
      return;
    }
    const name = tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name;
    if (name === 'event' && event) {
      if (trace) traceEvents.push(event);
      event = undefined;
    } else if (name === 'trace') flushTrace();
    else if (name === 'global') inGlobal = false;
  });

  for await (const chunk of readTextChunks(path)) {
    parser.write(chunk);
    if (parseError) break;
  }
  if (!parseError) {
    try {
      parser.close();
    } catch (e) {
      parseError = e as Error;
    }
  }
  if (parseError) {
    if (!sawLog) throw new EventLogInputError(`not an XES file: ${parseError.message}`);
    // A truncated or corrupt tail: keep what was read before it and say where it broke.
    flushTrace();
    problem({ line: parser.line, reason: `XML error, rest of file skipped: ${parseError.message}`, outcome: 'rejected' });
  }
  if (!sawLog) throw new EventLogInputError('not an XES file: no <log> element');
  return {
    log: builder.build(),
    format: 'xes',
    keys: { case: caseKey, activity: (activityKeys ?? [opts.activityKey ?? 'concept:name']).join('+'), timestamp: timestampKey, resource: resourceKey, channel: channelKey },
    read,
    rejected,
    warnings,
    skippedLifecycle,
    problems,
  };
}
