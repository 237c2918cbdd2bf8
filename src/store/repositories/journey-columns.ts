/**
 * Event logs from numeric result columns: the shared decoder of the bulk journey readers (log parts, journey
 * views, full logs without attributes). Rows arrive sorted by case and time as (p, t, k), optionally preceded by
 * a case id that is set only on the first row of each case, with k packing the activity, team and channel:
 * `k = (a · (teams + 1) + r) · (channels + 1) + ch`, where r and ch are 1-based positions (0: none) and a is
 * 0- or 1-based as the query says (1-based positions use 0 for "not in the dictionary": such rows are skipped).
 */
import { NONE, type EventLog } from '../../core/journeys/event-log.js';
import type { ColumnChunk } from '../engines/engine.js';

export interface PackedShape {
  activityNames: readonly string[];
  teams: readonly string[];
  channels: readonly string[];
  /** 1 when the query packs the activity as a 1-based position (0 = unknown, row skipped); 0 for step indices. */
  activityBase: 0 | 1;
  /** True when the first column is the case id (else the case is the customer, column p). */
  caseIdColumn: boolean;
}

/** SQL of the packed k for positions/indices given as SQL expressions. */
export const packSql = (activity: string, team: string, channel: string, shape: Pick<PackedShape, 'teams' | 'channels'>): string =>
  `CAST((${activity} * ${shape.teams.length + 1} + ${team}) * ${shape.channels.length + 1} + ${channel} AS DOUBLE PRECISION)`;

export function logFromPackedColumns(chunks: readonly ColumnChunk[], shape: PackedShape): EventLog {
  const offset = shape.caseIdColumn ? 1 : 0;
  let rows = 0;
  for (const columns of chunks) rows += columns[offset]!.length;
  const activity = new Uint32Array(rows);
  const time = new Float64Array(rows);
  const resource = new Int32Array(rows);
  const channel = new Int32Array(rows);
  const r1 = shape.teams.length + 1;
  const c1 = shape.channels.length + 1;
  const caseIds: string[] = [];
  const caseProfile: number[] = [];
  const starts: number[] = [];
  let j = 0;
  let lastProfile = NaN;
  let pendingId: string | null = null;
  // Packed values are integers well below 2^53: division and flooring split them exactly, and cost a fraction of
  // floating-point remainders (this loop sees every event of a 20M-event log).
  const base = shape.activityBase;
  for (const columns of chunks) {
    const ids = shape.caseIdColumn ? (columns[0] as (string | null)[]) : undefined;
    const p = columns[offset] as Float64Array;
    const t = columns[offset + 1] as Float64Array;
    const k = columns[offset + 2] as Float64Array;
    for (let i = 0; i < p.length; i++) {
      if (ids && ids[i] !== null) pendingId = ids[i]!;
      const packed = k[i]!;
      const rest = Math.floor(packed / c1);
      const ch = packed - rest * c1;
      const a0 = Math.floor(rest / r1);
      const r = rest - a0 * r1;
      const a = a0 - base;
      // A 1-based position of 0: an activity imported after the dictionary was read. Such an import changes the
      // data version, so the result is recomputed on the next request.
      if (a < 0) continue;
      const profile = p[i]!;
      const newCase = ids ? pendingId !== null : profile !== lastProfile;
      if (newCase) {
        caseIds.push(ids ? pendingId! : String(profile));
        caseProfile.push(profile);
        starts.push(j);
        pendingId = null;
        lastProfile = profile;
      }
      activity[j] = a;
      time[j] = t[i]!;
      resource[j] = r === 0 ? NONE : r - 1;
      channel[j] = ch === 0 ? NONE : ch - 1;
      j++;
    }
  }
  starts.push(j);
  const anyTeam = shape.teams.length > 0;
  const anyChannel = shape.channels.length > 0;
  return {
    caseIds,
    caseStart: Uint32Array.from(starts),
    activity: activity.subarray(0, j),
    activityNames: shape.activityNames,
    time: time.subarray(0, j),
    resource: anyTeam ? resource.subarray(0, j) : undefined,
    resourceNames: anyTeam ? shape.teams : undefined,
    channel: anyChannel ? channel.subarray(0, j) : undefined,
    channelNames: anyChannel ? shape.channels : undefined,
    caseProfile: Float64Array.from(caseProfile),
  };
}
