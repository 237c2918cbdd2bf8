/**
 * Friction: where a journey costs customers time, ranked so the team can fix the worst first.
 *
 * Each candidate is a directly-follows edge a → b of a (journey-view) log. Its score is
 *   delay × volume × (1 + downstream effect)
 * - delay: mean hours per traversal beyond the target for that wait (all of the wait when nobody set a target):
 *   a 28-hour delivery promised in 3 days is no friction; a 4-day refund promised in 2 days is 2 days of it;
 * - volume: traversals of the edge, so delay × volume is the customer-hours lost there;
 * - downstream effect: how much worse the cases that waited too long (beyond the target, or beyond the edge's
 *   median without one) did afterwards than the others — the drop in conversion (reaching the journey's goal) plus
 *   the drop in mean feedback score (0–1 scale) given within the feedback window after the edge, and — when
 *   customer value has been computed — the relative drop in mean CLV of the customers who waited too long against
 *   those always served on time. Each is 0 when the slow cases did no worse or when too few exist to compare.
 */
import { Growable, NONE, type EventLog } from './event-log.js';
import { summariseInPlace } from './stats.js';

/** A customer's feedback scores on a 0–1 scale, in time order. */
export interface CustomerFeedback {
  time: ArrayLike<number>;
  score: ArrayLike<number>;
}

/** Lookup by profile id: a Map, or a compact table (customer-tables.ts). */
export interface ByCustomer<T> {
  get(profileId: number): T | undefined;
}

/**
 * Feedback by customer. A compact table may also give the mean score of a window itself (`meanBetween`, as the
 * function of that name here computes it), sparing the views of the customer's arrays a lookup would make.
 */
export interface FeedbackByCustomer extends ByCustomer<CustomerFeedback> {
  meanBetween?(customer: number, from: number, to: number): number | undefined;
}

/** A customer's stored value: CLV and P(alive), now and at the start of the recent window. */
export interface CustomerValue {
  clv: number;
  pAlive: number;
  pAliveBefore: number | null;
}

/** Value figures of a group of customers. */
export interface ValueGroup {
  customers: number;
  meanClv: number;
  meanPAlive: number;
  /** Mean P(alive) now minus at the start of the recent window (customers with both); null without any. */
  meanPAliveChange: number | null;
}

/** The value side of a friction edge: who passed it, what they are worth, and delayed vs on-time customers. */
export interface FrictionValue {
  /** Distinct customers with a stored value who passed the edge. */
  customers: number;
  clv: number;
  meanClv: number;
  /** Customers delayed at least once on the edge / always on time; null when fewer than `minGroup`. */
  slow: ValueGroup | null;
  onTime: ValueGroup | null;
  /** (on-time − slow mean CLV) / on-time mean CLV, clamped to 0–1: the part of the downstream effect from value. */
  clvGap: number | null;
  /** Mean P(alive) of on-time minus delayed customers (signed). */
  pAliveGap: number | null;
  /** Mean change of P(alive) over the recent window, on-time minus delayed (signed). */
  pAliveChangeGap: number | null;
}

export interface FrictionOptions {
  /** Target seconds for the wait a → b (activity ids), or undefined when none is set. */
  target: (a: number, b: number) => number | undefined;
  /**
   * Whether edge a → b is a candidate at all; asked twice per transition (counting, then filling), so it must give
   * the same answer each time. @default every edge
   */
  include?: ((a: number, b: number) => boolean) | undefined;
  /** Whether case c reached the journey's goal; omit when the journey has no goal to convert to. */
  converted?: ((c: number) => boolean) | undefined;
  /** Customer (profile id) of case c, to find their feedback. */
  customerOf?: ((c: number) => number | undefined) | undefined;
  feedback?: FeedbackByCustomer | undefined;
  /** How long after the edge feedback counts as its consequence, in seconds. @default 30 days */
  feedbackWindowS?: number | undefined;
  /** Stored customer value per profile id; adds the CLV / P(alive) effect to the downstream effect. */
  value?: ByCustomer<CustomerValue> | undefined;
  /** Fewest slow and on-time cases (or answers) needed to report an effect. @default 10 */
  minGroup?: number | undefined;
}

export interface FrictionEdge {
  from: number;
  to: number;
  /** Most frequent team (resource) of the `from` / `to` events on this edge. */
  fromTeam: string | undefined;
  toTeam: string | undefined;
  volume: number;
  medianWaitS: number;
  p90WaitS: number;
  targetS: number | undefined;
  /** Mean hours beyond the target per traversal (the whole wait when there is no target). */
  delayH: number;
  /** Share of traversals slower than the target (or the median without one). */
  slowShare: number;
  /** Conversion of on-time minus slow cases, ≥ 0; null when it cannot be measured. */
  conversionGap: number | null;
  conversionSlow: number | null;
  conversionOnTime: number | null;
  /** Mean feedback score (0–1) of on-time minus slow cases' customers, ≥ 0; null without enough answers. */
  feedbackGap: number | null;
  feedbackSlow: number | null;
  feedbackOnTime: number | null;
  /** Null without `value` (customer value not computed). */
  value: FrictionValue | null;
  /** Distinct customers (profile ids) delayed at least once on the edge, and those always on time. */
  slowCustomers: number[];
  onTimeCustomers: number[];
  score: number;
}

function dominant(counts: Map<number, number>): number {
  let best = NONE;
  let bestN = 0;
  for (const [k, n] of counts) if (k !== NONE && n > bestN) [best, bestN] = [k, n];
  return best;
}

/** Mean of a customer's scores in (from, to], or undefined when they gave none then. */
export function meanBetween(f: CustomerFeedback, from: number, to: number): number | undefined {
  return meanInRange(f.time, f.score, 0, f.time.length, from, to);
}

/** {@link meanBetween} over rows `start` … `end` − 1 of time-ordered columns (a customer's rows in a table). */
export function meanInRange(time: ArrayLike<number>, score: ArrayLike<number>, start: number, end: number, from: number, to: number): number | undefined {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= from) lo = mid + 1;
    else hi = mid;
  }
  let sum = 0;
  let n = 0;
  for (let i = lo; i < end && time[i]! <= to; i++) {
    sum += score[i]!;
    n++;
  }
  return n > 0 ? sum / n : undefined;
}

function valueGroup(ids: readonly number[], value: ByCustomer<CustomerValue>): ValueGroup & { clv: number } {
  let clv = 0;
  let alive = 0;
  let change = 0;
  let changeN = 0;
  let n = 0;
  for (const id of ids) {
    const v = value.get(id);
    if (!v) continue;
    n++;
    clv += v.clv;
    alive += v.pAlive;
    if (v.pAliveBefore !== null) {
      change += v.pAlive - v.pAliveBefore;
      changeN++;
    }
  }
  return { customers: n, clv, meanClv: n ? clv / n : 0, meanPAlive: n ? alive / n : 0, meanPAliveChange: changeN ? change / changeN : null };
}

/** CLV and P(alive) of the edge's customers, delayed vs always on time. */
export function frictionValue(slowIds: readonly number[], onTimeIds: readonly number[], value: ByCustomer<CustomerValue>, minGroup = 10): FrictionValue {
  const slow = valueGroup(slowIds, value);
  const onTime = valueGroup(onTimeIds, value);
  const customers = slow.customers + onTime.customers;
  const compare = slow.customers >= minGroup && onTime.customers >= minGroup;
  const strip = (g: ValueGroup & { clv: number }): ValueGroup => ({ customers: g.customers, meanClv: g.meanClv, meanPAlive: g.meanPAlive, meanPAliveChange: g.meanPAliveChange });
  const changeGap = compare && slow.meanPAliveChange !== null && onTime.meanPAliveChange !== null ? onTime.meanPAliveChange - slow.meanPAliveChange : null;
  return {
    customers,
    clv: slow.clv + onTime.clv,
    meanClv: customers ? (slow.clv + onTime.clv) / customers : 0,
    slow: slow.customers >= minGroup ? strip(slow) : null,
    onTime: onTime.customers >= minGroup ? strip(onTime) : null,
    clvGap: compare && onTime.meanClv > 0 ? Math.min(1, Math.max(0, (onTime.meanClv - slow.meanClv) / onTime.meanClv)) : null,
    pAliveGap: compare ? onTime.meanPAlive - slow.meanPAlive : null,
    pAliveChangeGap: changeGap,
  };
}

/** One edge's traversals in the order met: waits (s), cases, and when each wait ended (ms); team counts. */
interface EdgeAcc {
  waits: Float64Array;
  cases: Uint32Array;
  ends: Float64Array;
  filled: number;
  fromTeams: Map<number, number>;
  toTeams: Map<number, number>;
}

/**
 * Calls `visit` for each transition a → b of the log that counts (a measurable wait, and `include` allows it), in
 * log order.
 */
function forEachTransition(log: EventLog, opts: FrictionOptions, visit: (key: number, c: number, e: number, wait: number) => void): void {
  const nAct = log.activityNames.length;
  for (let c = 0; c < log.caseIds.length; c++) {
    for (let e = log.caseStart[c]! + 1; e < log.caseStart[c + 1]!; e++) {
      const a = log.activity[e - 1]!;
      const b = log.activity[e]!;
      const wait = (log.time[e]! - log.time[e - 1]!) / 1000;
      if (Number.isNaN(wait) || (opts.include && !opts.include(a, b))) continue;
      visit(a * nAct + b, c, e, wait);
    }
  }
}

/** Friction per edge, highest score first. */
export function frictionEdges(log: EventLog, opts: FrictionOptions): FrictionEdge[] {
  const nAct = log.activityNames.length;
  // Traversals are counted per edge first, so each edge's columns are allocated once at their size: grown as
  // arrays, the 3.2M traversals of the 1M-customer demo's order journey left hundreds of MB of garbage behind.
  const counts = new Map<number, number>();
  forEachTransition(log, opts, (key) => counts.set(key, (counts.get(key) ?? 0) + 1));
  const acc = new Map<number, EdgeAcc>();
  for (const [key, n] of counts) {
    acc.set(key, { waits: new Float64Array(n), cases: new Uint32Array(n), ends: new Float64Array(n), filled: 0, fromTeams: new Map(), toTeams: new Map() });
  }
  const res = log.resource;
  forEachTransition(log, opts, (key, c, e, wait) => {
    const x = acc.get(key)!;
    const i = x.filled++;
    x.waits[i] = wait;
    x.cases[i] = c;
    x.ends[i] = log.time[e]!;
    const ra = res ? res[e - 1]! : NONE;
    const rb = res ? res[e]! : NONE;
    x.fromTeams.set(ra, (x.fromTeams.get(ra) ?? 0) + 1);
    x.toTeams.set(rb, (x.toTeams.get(rb) ?? 0) + 1);
  });
  const customers = new EdgeCustomers();
  const minGroup = opts.minGroup ?? 10;
  const windowMs = (opts.feedbackWindowS ?? 30 * 86_400) * 1000;
  const out: FrictionEdge[] = [];
  for (const [key, x] of acc) {
    const from = Math.floor(key / nAct);
    const to = key % nAct;
    const targetS = opts.target(from, to);
    const summary = summariseInPlace(x.waits.slice());
    const threshold = targetS ?? summary.median;
    let excess = 0;
    // 1 where the traversal was slow (a byte each: edges see millions of traversals on a large base).
    const slow = new Uint8Array(x.waits.length);
    let nSlow = 0;
    x.waits.forEach((w, i) => {
      excess += targetS === undefined ? w : Math.max(0, w - targetS);
      if (w > threshold) {
        slow[i] = 1;
        nSlow++;
      }
    });
    // Conversion: slow vs on-time traversals (a case counts once per traversal, which weighs repeated waits).
    let conversionSlow: number | null = null;
    let conversionOnTime: number | null = null;
    if (opts.converted && nSlow >= minGroup && x.waits.length - nSlow >= minGroup) {
      let cs = 0;
      let co = 0;
      slow.forEach((s, i) => {
        if (!opts.converted!(x.cases[i]!)) return;
        if (s) cs++;
        else co++;
      });
      conversionSlow = cs / nSlow;
      conversionOnTime = co / (x.waits.length - nSlow);
    }
    let feedbackSlow: number | null = null;
    let feedbackOnTime: number | null = null;
    if (opts.feedback && opts.customerOf) {
      const fb = opts.feedback;
      const meanOf = fb.meanBetween
        ? (c: number, from: number, to: number) => fb.meanBetween!(c, from, to)
        : (c: number, from: number, to: number) => {
            const f = fb.get(c);
            return f ? meanBetween(f, from, to) : undefined;
          };
      const sums = [0, 0];
      const ns = [0, 0];
      slow.forEach((s, i) => {
        const customer = opts.customerOf!(x.cases[i]!);
        const m = customer === undefined ? undefined : meanOf(customer, x.ends[i]!, x.ends[i]! + windowMs);
        if (m === undefined) return;
        sums[s ? 0 : 1]! += m;
        ns[s ? 0 : 1]!++;
      });
      if (ns[0]! >= minGroup && ns[1]! >= minGroup) {
        feedbackSlow = sums[0]! / ns[0]!;
        feedbackOnTime = sums[1]! / ns[1]!;
      }
    }
    // Customers: delayed at least once on this edge, or always on time.
    const { slowCustomers, onTimeCustomers } = opts.customerOf
      ? customers.ofEdge(slow, (i) => opts.customerOf!(x.cases[i]!))
      : { slowCustomers: [], onTimeCustomers: [] };
    const value = opts.value ? frictionValue(slowCustomers, onTimeCustomers, opts.value, minGroup) : null;
    const conversionGap = conversionSlow === null ? null : Math.max(0, conversionOnTime! - conversionSlow);
    const feedbackGap = feedbackSlow === null ? null : Math.max(0, feedbackOnTime! - feedbackSlow);
    const delayH = excess / x.waits.length / 3600;
    const ft = dominant(x.fromTeams);
    const tt = dominant(x.toTeams);
    out.push({
      from,
      to,
      fromTeam: ft === NONE ? undefined : log.resourceNames?.[ft],
      toTeam: tt === NONE ? undefined : log.resourceNames?.[tt],
      volume: x.waits.length,
      medianWaitS: summary.median,
      p90WaitS: summary.p90,
      targetS,
      delayH,
      slowShare: nSlow / x.waits.length,
      conversionGap,
      conversionSlow,
      conversionOnTime,
      feedbackGap,
      feedbackSlow,
      feedbackOnTime,
      value,
      slowCustomers,
      onTimeCustomers,
      score: delayH * x.waits.length * (1 + (conversionGap ?? 0) + (feedbackGap ?? 0) + (value?.clvGap ?? 0)),
    });
  }
  return out.sort((p, q) => q.score - p.score || p.from - q.from || p.to - q.to);
}

/**
 * The customers of one edge after another: those delayed at least once, and those always on time, each in order of
 * first appearance (as two Sets per edge would give them). Customers are numbered once for all edges, and an edge
 * marks them with its own number in two columns instead of building Sets: two Sets of a million customers per edge
 * took ~100 MB of heap each time on the 1M-customer demo.
 */
class EdgeCustomers {
  private readonly index = new Map<number, number>();
  private readonly ids: number[] = [];
  private readonly seen = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  private readonly seenSlow = new Growable(new Int32Array(1024), (n) => new Int32Array(n));
  private edge = 0;

  ofEdge(slow: Uint8Array, customerAt: (i: number) => number | undefined): { slowCustomers: number[]; onTimeCustomers: number[] } {
    const edge = ++this.edge;
    const all: number[] = [];
    const delayed: number[] = [];
    for (let i = 0; i < slow.length; i++) {
      const customer = customerAt(i);
      if (customer === undefined) continue;
      const d = this.numberOf(customer);
      if (this.seen.data[d] !== edge) {
        this.seen.data[d] = edge;
        all.push(d);
      }
      if (slow[i] === 1 && this.seenSlow.data[d] !== edge) {
        this.seenSlow.data[d] = edge;
        delayed.push(d);
      }
    }
    const seenSlow = this.seenSlow.data;
    return {
      slowCustomers: delayed.map((d) => this.ids[d]!),
      onTimeCustomers: all.filter((d) => seenSlow[d] !== edge).map((d) => this.ids[d]!),
    };
  }

  private numberOf(customer: number): number {
    let d = this.index.get(customer);
    if (d !== undefined) return d;
    d = this.ids.length;
    this.ids.push(customer);
    this.index.set(customer, d);
    this.seen.ensure(d + 1);
    this.seenSlow.ensure(d + 1);
    return d;
  }
}

/** A feedback answer on a 0–1 scale: NPS 0–10, CSAT and stars 1–5, CES 1–7 (7 = very easy). */
export function normalisedScore(r: { nps?: number | null; csat?: number | null; ces?: number | null; stars?: number | null }): number | undefined {
  if (r.nps !== null && r.nps !== undefined) return r.nps / 10;
  if (r.csat !== null && r.csat !== undefined) return (r.csat - 1) / 4;
  if (r.stars !== null && r.stars !== undefined) return (r.stars - 1) / 4;
  if (r.ces !== null && r.ces !== undefined) return (r.ces - 1) / 6;
  return undefined;
}
