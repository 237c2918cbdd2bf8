/** Options and results shared by the CSV and XES event-log readers. */
import type { EventLog } from '../../core/journeys/event-log.js';

export interface LogReadOptions {
  /** Column (CSV) or trace attribute (XES) holding the case id. Default: detected (`case:concept:name`, `case_id`, `case`…). */
  caseKey?: string | undefined;
  /** Column or event attribute holding the activity; for XES also a classifier name. Default: `concept:name`, `activity`… */
  activityKey?: string | undefined;
  /** Column or event attribute holding the timestamp. Default: `time:timestamp`, `timestamp`… */
  timestampKey?: string | undefined;
  /** Column or event attribute holding the resource (person or team). Default: `org:resource`, `resource`… */
  resourceKey?: string | undefined;
  /** Column or event attribute holding the channel. Default: `channel`, `case:channel`… */
  channelKey?: string | undefined;
  /** CSV field separator. Default: sniffed from the header line (`,` `;` tab `|`). */
  delimiter?: string | undefined;
  /**
   * Keep only `complete` lifecycle transitions (events without one count as complete). Off by default: PM4Py keeps
   * every event whatever its transition (BPI Challenge 2012: 262,200 events, of which 164,506 complete), and its
   * published figures are the spec. @default false
   */
  completeOnly?: boolean | undefined;
  /** Keep the other columns/attributes on events and cases. @default true */
  attributes?: boolean | undefined;
  /** At most this many problems are listed (all are counted). @default 1000 */
  maxProblems?: number | undefined;
}

/** A row or event that was left out (or kept with a gap), with where and why. */
export interface LogProblem {
  line: number;
  field?: string | undefined;
  reason: string;
  /** `rejected`: not in the log; `warning`: kept (e.g. XES event without timestamp). */
  outcome: 'rejected' | 'warning';
}

export interface LogReadResult {
  log: EventLog;
  format: 'csv' | 'xes';
  /** The keys actually used. */
  keys: { case: string; activity: string; timestamp: string | undefined; resource: string | undefined; channel: string | undefined };
  read: number;
  rejected: number;
  warnings: number;
  /** Events dropped because their lifecycle transition is not `complete` (only with `completeOnly`). */
  skippedLifecycle: number;
  problems: LogProblem[];
}

/** The file cannot be read as an event log at all (no case column, not XES…). */
export class EventLogInputError extends Error {}

export const DEFAULT_KEYS = {
  case: ['case:concept:name', 'case_id', 'case id', 'caseid', 'case', 'case:id'],
  activity: ['concept:name', 'activity', 'activity_name', 'activity name', 'event', 'action'],
  timestamp: ['time:timestamp', 'timestamp', 'time', 'complete timestamp', 'end_timestamp', 'datetime'],
  resource: ['org:resource', 'resource', 'user', 'agent', 'org:group'],
  channel: ['channel', 'org:channel', 'case:channel'],
} as const;

export const LIFECYCLE_KEY = 'lifecycle:transition';

/** The first of `candidates` present in `names` (case-insensitive). */
export function pickKey(names: readonly string[], candidates: readonly string[]): string | undefined {
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const c of candidates) {
    const hit = lower.get(c.toLowerCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** A lifecycle value that counts as a completed activity (missing values count too). */
export function isComplete(value: string | undefined): boolean {
  return value === undefined || value === '' || value.toLowerCase() === 'complete';
}
