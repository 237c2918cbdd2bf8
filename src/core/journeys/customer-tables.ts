/**
 * Per-customer facts that friction looks up by profile id, held as typed arrays sorted by profile instead of a
 * Map of objects: on the 1M-customer demo a Map of feedback arrays and one of value objects took several hundred
 * MB of heap and seconds of garbage collection; these take 8 bytes a number and one binary search a lookup.
 */
import { meanInRange, type CustomerFeedback, type CustomerValue } from './friction.js';

/** Index of `id` in the ascending `ids`, or -1. */
function indexOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Scored feedback per customer: rows (profile, time, score on 0–1) sorted by profile and time. */
export class FeedbackTable {
  private readonly profiles: Float64Array;
  private readonly starts: Uint32Array;
  private readonly time: Float64Array;
  private readonly score: Float64Array;

  /** `profile` ascending, `time` ascending within a profile; a NaN score is left out. */
  constructor(profile: Float64Array, time: Float64Array, score: Float64Array) {
    // Plain loops into typed arrays: millions of rows on a large base, read once per data version.
    let kept = 0;
    for (let i = 0; i < score.length; i++) if (!Number.isNaN(score[i]!)) kept++;
    this.time = new Float64Array(kept);
    this.score = new Float64Array(kept);
    const ids = new Float64Array(kept);
    const starts = new Uint32Array(kept + 1);
    let customers = 0;
    for (let i = 0, k = 0; i < score.length; i++) {
      if (Number.isNaN(score[i]!)) continue;
      this.time[k] = time[i]!;
      this.score[k] = score[i]!;
      const p = profile[i]!;
      if (customers === 0 || p !== ids[customers - 1]) {
        if (customers > 0 && p < ids[customers - 1]!) throw new Error('FeedbackTable: rows must be sorted by profile');
        ids[customers] = p;
        starts[customers++] = k;
      }
      k++;
    }
    starts[customers] = kept;
    this.profiles = ids.slice(0, customers);
    this.starts = starts.slice(0, customers + 1);
  }

  get customers(): number {
    return this.profiles.length;
  }

  get(profileId: number): CustomerFeedback | undefined {
    const k = indexOf(this.profiles, profileId);
    if (k < 0) return undefined;
    return { time: this.time.subarray(this.starts[k]!, this.starts[k + 1]!), score: this.score.subarray(this.starts[k]!, this.starts[k + 1]!) };
  }

  /** Mean of the customer's scores in (from, to], or undefined when they gave none then: friction.ts's meanBetween. */
  meanBetween(profileId: number, from: number, to: number): number | undefined {
    const k = indexOf(this.profiles, profileId);
    return k < 0 ? undefined : meanInRange(this.time, this.score, this.starts[k]!, this.starts[k + 1]!, from, to);
  }

}

/** CLV and P(alive) per customer: one row per profile, sorted by profile; NaN `pAliveBefore` means unknown. */
export class ValueTable {
  constructor(
    private readonly profiles: Float64Array,
    private readonly clv: Float64Array,
    private readonly pAlive: Float64Array,
    private readonly pAliveBefore: Float64Array,
  ) {
    for (let i = 1; i < profiles.length; i++) if (!(profiles[i]! > profiles[i - 1]!)) throw new Error('ValueTable: profiles must be ascending and distinct');
  }

  get size(): number {
    return this.profiles.length;
  }

  get(profileId: number): CustomerValue | undefined {
    const k = indexOf(this.profiles, profileId);
    if (k < 0) return undefined;
    const before = this.pAliveBefore[k]!;
    return { clv: this.clv[k]!, pAlive: this.pAlive[k]!, pAliveBefore: Number.isNaN(before) ? null : before };
  }
}
