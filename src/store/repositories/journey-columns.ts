/**
 * Event logs from numeric result columns: the shared decoder of the bulk journey readers (log parts, journey
 * views, full logs without attributes). Rows arrive sorted by case and time as (p, t, k), optionally preceded by
 * a case id that is set only on the first row of each case, with k packing the activity, team and channel:
 * `k = (a · (teams + 1) + r) · (channels + 1) + ch`, where r and ch are 1-based positions (0: none) and a is
 * 0- or 1-based as the query says (1-based positions use 0 for "not in the dictionary": such rows are skipped).
 */
import { Growable, NONE, type EventLog } from '../../core/journeys/event-log.js';
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

/**
 * Decodes packed rows chunk by chunk as they arrive, so a log's raw result (three doubles a row: 480 MB for the
 * 1M demo's 20M events) is never held alongside the log it becomes. `sizeHint`, when the caller knows the number
 * of rows, sizes the columns once.
 */
export class PackedLogDecoder {
  private readonly activity: Growable<Uint32Array>;
  private readonly time: Growable<Float64Array>;
  private readonly resource: Growable<Int32Array>;
  private readonly channel: Growable<Int32Array>;
  private readonly caseIds: string[] = [];
  private readonly caseProfile: number[] = [];
  private readonly starts: number[] = [];
  private readonly r1: number;
  private readonly c1: number;
  private j = 0;
  private lastProfile = NaN;
  private pendingId: string | null = null;

  constructor(
    private readonly shape: PackedShape,
    sizeHint = 0,
  ) {
    const n = Math.max(1024, sizeHint);
    this.activity = new Growable(new Uint32Array(n), (m) => new Uint32Array(m));
    this.time = new Growable(new Float64Array(n), (m) => new Float64Array(m));
    this.resource = new Growable(new Int32Array(n), (m) => new Int32Array(m));
    this.channel = new Growable(new Int32Array(n), (m) => new Int32Array(m));
    this.r1 = shape.teams.length + 1;
    this.c1 = shape.channels.length + 1;
  }

  add(columns: ColumnChunk): void {
    const { shape, r1, c1 } = this;
    const offset = shape.caseIdColumn ? 1 : 0;
    const ids = shape.caseIdColumn ? (columns[0] as (string | null)[]) : undefined;
    const p = columns[offset] as Float64Array;
    const t = columns[offset + 1] as Float64Array;
    const k = columns[offset + 2] as Float64Array;
    const need = this.j + p.length;
    this.activity.ensure(need);
    this.time.ensure(need);
    this.resource.ensure(need);
    this.channel.ensure(need);
    const activity = this.activity.data;
    const time = this.time.data;
    const resource = this.resource.data;
    const channel = this.channel.data;
    // Packed values are integers well below 2^53: division and flooring split them exactly, and cost a fraction of
    // floating-point remainders (this loop sees every event of a 20M-event log).
    const base = shape.activityBase;
    let { j, lastProfile, pendingId } = this;
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
        this.caseIds.push(ids ? pendingId! : String(profile));
        this.caseProfile.push(profile);
        this.starts.push(j);
        pendingId = null;
        lastProfile = profile;
      }
      activity[j] = a;
      time[j] = t[i]!;
      resource[j] = r === 0 ? NONE : r - 1;
      channel[j] = ch === 0 ? NONE : ch - 1;
      j++;
    }
    this.j = j;
    this.lastProfile = lastProfile;
    this.pendingId = pendingId;
  }

  finish(): EventLog {
    const { shape, j } = this;
    this.starts.push(j);
    const anyTeam = shape.teams.length > 0;
    const anyChannel = shape.channels.length > 0;
    // Copied to their exact length when much was left over, so the spare capacity is not held with the log.
    const fit = <T extends Uint32Array | Int32Array | Float64Array>(column: Growable<T>): T =>
      (column.data.length - j > j / 8 ? column.data.slice(0, j) : column.data.subarray(0, j)) as T;
    return {
      caseIds: this.caseIds,
      caseStart: Uint32Array.from(this.starts),
      activity: fit(this.activity),
      activityNames: shape.activityNames,
      time: fit(this.time),
      resource: anyTeam ? fit(this.resource) : undefined,
      resourceNames: anyTeam ? shape.teams : undefined,
      channel: anyChannel ? fit(this.channel) : undefined,
      channelNames: anyChannel ? shape.channels : undefined,
      caseProfile: Float64Array.from(this.caseProfile),
    };
  }
}

/** A log from a stream of packed column chunks, decoded as they arrive. */
export async function logFromPackedStream(chunks: AsyncIterable<ColumnChunk>, shape: PackedShape, sizeHint = 0): Promise<EventLog> {
  const decoder = new PackedLogDecoder(shape, sizeHint);
  for await (const columns of chunks) decoder.add(columns);
  return decoder.finish();
}
