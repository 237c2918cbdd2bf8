/**
 * Streaming CSV event-log reader. Rows come from the import row reader (line numbers, broken-quote recovery,
 * gzip), so a bad row becomes a problem with its line, field and reason while the good rows around it are kept.
 * Like PM4Py's `format_dataframe`, rows without a case id, activity or valid timestamp are dropped.
 */
import { readRowBatches } from '../read-rows.js';
import { readTextChunks } from '../text-input.js';
import { EventLogBuilder } from '../../core/journeys/event-log.js';
import { parseLogTimestamp } from './log-timestamps.js';
import { DEFAULT_KEYS, EventLogInputError, isComplete, LIFECYCLE_KEY, pickKey, type LogProblem, type LogReadOptions, type LogReadResult } from './read-options.js';

const DELIMITERS = [',', ';', '\t', '|'];

/** The separator that splits the header line into the most fields (quotes respected). */
export function sniffDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of headerLine) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

async function firstLine(input: string): Promise<string> {
  let text = '';
  for await (const chunk of readTextChunks(input)) {
    text += chunk;
    const nl = text.indexOf('\n');
    if (nl >= 0) return text.slice(0, nl);
    if (text.length > 1 << 20) break;
  }
  return text;
}

function resolveKey(header: readonly string[], given: string | undefined, defaults: readonly string[], what: string, required: boolean): string | undefined {
  if (given !== undefined) {
    const hit = pickKey(header, [given]);
    if (hit === undefined) throw new EventLogInputError(`no ${what} column '${given}' in the header (columns: ${header.join(', ')})`);
    return hit;
  }
  const hit = pickKey(header, defaults);
  if (hit === undefined && required) {
    throw new EventLogInputError(`cannot tell which column holds the ${what} (tried ${defaults.join(', ')}); name it with --${what === 'case id' ? 'case' : what}`);
  }
  return hit;
}

/** Reads a CSV event log (plain or gzipped) from a path. */
export async function readCsvLog(path: string, opts: LogReadOptions = {}): Promise<LogReadResult> {
  const delimiter = opts.delimiter ?? sniffDelimiter(await firstLine(path));
  const maxProblems = opts.maxProblems ?? 1000;
  const keepAttributes = opts.attributes ?? true;
  const builder = new EventLogBuilder();
  const problems: LogProblem[] = [];
  let rejected = 0;
  let read = 0;
  let skippedLifecycle = 0;
  const problem = (p: LogProblem): void => {
    if (p.outcome === 'rejected') rejected++;
    if (problems.length < maxProblems) problems.push(p);
  };
  let header: string[] = [];
  let keysOnce: LogReadResult['keys'] | undefined;
  for await (const rows of readRowBatches(path, 'csv', { delimiter, onHeader: (cols) => (header = cols) })) {
    if (rows.length === 0) continue;
    // The header is known once the first rows arrive; keys are resolved once per file.
    keysOnce ??= {
      case: resolveKey(header, opts.caseKey, DEFAULT_KEYS.case, 'case id', true)!,
      activity: resolveKey(header, opts.activityKey, DEFAULT_KEYS.activity, 'activity', true)!,
      timestamp: resolveKey(header, opts.timestampKey, DEFAULT_KEYS.timestamp, 'timestamp', false),
      resource: resolveKey(header, opts.resourceKey, DEFAULT_KEYS.resource, 'resource', false),
      channel: resolveKey(header, opts.channelKey, DEFAULT_KEYS.channel, 'channel', false),
    };
    const keys = keysOnce;
    const lifecycle = opts.completeOnly ? pickKey(header, [LIFECYCLE_KEY]) : undefined;
    const mapped = new Set([keys.case, keys.activity, keys.timestamp, keys.resource, keys.channel].filter((k) => k !== undefined));
    for (const row of rows) {
      read++;
      if ('error' in row) {
        problem({ line: row.line, reason: row.error, outcome: 'rejected' });
        continue;
      }
      const v = row.values as Record<string, string | undefined>;
      const caseId = (v[keys.case] ?? '').trim();
      const activity = (v[keys.activity] ?? '').trim();
      if (caseId === '') {
        problem({ line: row.line, field: keys.case, reason: 'missing case id', outcome: 'rejected' });
        continue;
      }
      if (activity === '') {
        problem({ line: row.line, field: keys.activity, reason: 'missing activity', outcome: 'rejected' });
        continue;
      }
      let ms = NaN;
      if (keys.timestamp !== undefined) {
        const t = parseLogTimestamp(v[keys.timestamp] ?? '');
        if (!t.ok) {
          problem({ line: row.line, field: keys.timestamp, reason: t.reason, outcome: 'rejected' });
          continue;
        }
        ms = t.ms;
      }
      if (lifecycle !== undefined && !isComplete(v[lifecycle])) {
        skippedLifecycle++;
        continue;
      }
      let attributes: Record<string, string> | undefined;
      if (keepAttributes) {
        attributes = {};
        const caseAttributes: Record<string, string> = {};
        for (const [k, value] of Object.entries(v)) {
          if (mapped.has(k) || value === undefined || value === '') continue;
          if (k.startsWith('case:')) caseAttributes[k.slice(5)] = value;
          else attributes[k] = value;
        }
        builder.setCaseAttributes(caseId, caseAttributes);
      }
      builder.add(caseId, activity, ms, {
        resource: keys.resource === undefined ? undefined : v[keys.resource]?.trim(),
        channel: keys.channel === undefined ? undefined : v[keys.channel]?.trim(),
        attributes,
      });
    }
  }
  if (!keysOnce) {
    if (header.length === 0) throw new EventLogInputError('the file is empty');
    keysOnce = {
      case: resolveKey(header, opts.caseKey, DEFAULT_KEYS.case, 'case id', true)!,
      activity: resolveKey(header, opts.activityKey, DEFAULT_KEYS.activity, 'activity', true)!,
      timestamp: resolveKey(header, opts.timestampKey, DEFAULT_KEYS.timestamp, 'timestamp', false),
      resource: undefined,
      channel: undefined,
    };
  }
  return { log: builder.build(), format: 'csv', keys: keysOnce, read, rejected, warnings: 0, skippedLifecycle, problems };
}
