/**
 * Waiting times collected per DFG edge or handoff pair, in arrival order, summarised once at the end.
 *
 * Exact medians need every value, and on the 20M-event demo there are ~19M waits: as doubles that is 150 MB.
 * Stored timestamps are whole milliseconds and waits inside a case are mostly shorter than 49 days, so a store
 * keeps waits as 32-bit integer milliseconds (half the memory) until a value does not fit; from then on it keeps
 * doubles. Values are appended in fixed-size blocks, so growing never copies what is there or leaves slack
 * beyond one block. Summaries are taken on seconds computed exactly as `(t1 - t0) / 1000`, so the figures are the
 * same as summarising the seconds directly.
 */
import { summariseInPlace, type DurationSummary } from './stats.js';

const BLOCK = 16_384;
const MAX_U32 = 0xffffffff;

export class WaitStore {
  private intBlocks: Uint32Array[] = [];
  private floatBlocks: Float64Array[] | undefined;
  /** Values held in the last block. */
  private fill = BLOCK;
  private total = 0;

  get count(): number {
    return this.total;
  }

  /** Appends one wait in milliseconds (NaN is ignored: an unknown time gives no wait). */
  push(ms: number): void {
    if (Number.isNaN(ms)) return;
    if (this.floatBlocks === undefined && !(Number.isInteger(ms) && ms >= 0 && ms <= MAX_U32)) this.widen();
    if (this.fill === BLOCK) {
      if (this.floatBlocks) this.floatBlocks.push(new Float64Array(BLOCK));
      else this.intBlocks.push(new Uint32Array(BLOCK));
      this.fill = 0;
    }
    if (this.floatBlocks) this.floatBlocks[this.floatBlocks.length - 1]![this.fill++] = ms;
    else this.intBlocks[this.intBlocks.length - 1]![this.fill++] = ms;
    this.total++;
  }

  /** Switches to doubles, converting what is held (order kept). */
  private widen(): void {
    this.floatBlocks = this.intBlocks.map((b) => Float64Array.from(b));
    this.intBlocks = [];
  }

  /** The waits in seconds, in arrival order. */
  seconds(): Float64Array {
    const out = new Float64Array(this.total);
    const blocks: ArrayLike<number>[] = this.floatBlocks ?? this.intBlocks;
    let i = 0;
    for (const block of blocks) {
      const n = Math.min(block.length, this.total - i);
      for (let j = 0; j < n; j++) out[i++] = block[j]! / 1000;
    }
    return out;
  }

  /** Count, mean, median, p90, min and max in seconds. */
  summary(): DurationSummary {
    return summariseInPlace(this.seconds());
  }
}
