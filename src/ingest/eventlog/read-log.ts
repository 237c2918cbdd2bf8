/** Reads an event log from a file, choosing the reader from the name: `.xes` / `.xes.gz` or `.csv` / `.csv.gz`. */
import { readCsvLog } from './csv-log.js';
import { EventLogInputError, type LogReadOptions, type LogReadResult } from './read-options.js';
import { readXesLog } from './xes-log.js';

export function logFormatOf(path: string): 'csv' | 'xes' | undefined {
  const m = /\.(csv|xes|txt|tsv)(\.gz)?$/i.exec(path);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === 'xes' ? 'xes' : 'csv';
}

export async function readEventLog(path: string, opts: LogReadOptions = {}): Promise<LogReadResult> {
  const format = logFormatOf(path);
  if (!format) throw new EventLogInputError(`cannot tell the format of '${path}': expected .csv or .xes (optionally .gz)`);
  return format === 'xes' ? readXesLog(path, opts) : readCsvLog(path, opts);
}
