/** Event-log files: CSV and XES readers (streaming, tolerant, with per-row problems) and writers. */
export { readEventLog, logFormatOf } from './read-log.js';
export { readCsvLog, sniffDelimiter } from './csv-log.js';
export { readXesLog, classifierKeys } from './xes-log.js';
export { csvLines, xesLines, writeEventLog } from './write-log.js';
export { parseLogTimestamp, formatLogTimestamp } from './log-timestamps.js';
export { EventLogInputError, DEFAULT_KEYS } from './read-options.js';
export type { LogProblem, LogReadOptions, LogReadResult } from './read-options.js';
