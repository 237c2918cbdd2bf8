/**
 * Journey discovery speed. Logs are generated deterministically straight into the columnar form (typed arrays,
 * interned activities): a customer-service process walked as a Markov chain, ~20 events per case, waits from
 * minutes to days. Goals (issue 3): a 262k-event / 13k-case log in < 1 s, the 20M-event log in < 10 s.
 * The 262k log is also written as CSV and as XES and timed end to end (stream, parse, build, discover), in process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discover } from '../src/core/journeys/discovery.js';
import type { EventLog } from '../src/core/journeys/event-log.js';
import { readEventLog, writeEventLog } from '../src/ingest/eventlog/index.js';
import { CACHE, round, type Measurement } from './lib/harness.js';

const ACTIVITIES = [
  'open ticket', 'classify', 'answer by bot', 'assign agent', 'ask customer', 'customer replies', 'escalate',
  'second-line fix', 'propose solution', 'customer confirms', 'reopen', 'refund', 'close ticket', 'survey sent',
  'survey answered', 'callback',
];

/** Row-stochastic transition weights, derived from the seed so the process has a stable shape. */
function chain(rand: () => number): Float64Array[] {
  return ACTIVITIES.map((_, from) => {
    const w = new Float64Array(ACTIVITIES.length);
    for (let to = 0; to < w.length; to++) {
      const near = to === from + 1 ? 6 : to > from && to < from + 4 ? 2 : 0.3;
      w[to] = near * (0.5 + rand());
    }
    let sum = 0;
    for (const v of w) sum += v;
    let acc = 0;
    return w.map((v) => (acc += v / sum));
  });
}

/** A deterministic log of `cases` cases, 10–30 events each (mean ~20). */
export function generateJourneyLog(cases: number, seed = 42): EventLog {
  let s = seed >>> 0;
  const rand = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cdf = chain(rand);
  const lengths = new Uint8Array(cases);
  let total = 0;
  for (let c = 0; c < cases; c++) total += lengths[c] = 10 + Math.floor(rand() * 21);
  const caseStart = new Uint32Array(cases + 1);
  const activity = new Uint32Array(total);
  const time = new Float64Array(total);
  const start = Date.UTC(2025, 0, 1);
  let e = 0;
  for (let c = 0; c < cases; c++) {
    caseStart[c] = e;
    let a = 0;
    let t = start + Math.floor(rand() * 365 * 86_400_000);
    for (let k = 0; k < lengths[c]!; k++) {
      activity[e] = a;
      time[e] = t;
      e++;
      const r = rand();
      const row = cdf[a]!;
      let next = 0;
      while (next < row.length - 1 && row[next]! < r) next++;
      a = next;
      // Exponential-ish waits, 1 minute to a few days.
      t += Math.floor(60_000 * Math.exp(rand() * 8));
    }
  }
  caseStart[cases] = e;
  return { caseIds: Array.from({ length: cases }, (_, c) => `case-${c}`), caseStart, activity, activityNames: ACTIVITIES, time };
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

export async function benchJourney(): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const small = generateJourneyLog(13_100);
  discover(small); // warm-up: JIT
  const s = timed(() => discover(small));
  out.push({ benchmark: 'journey', metric: `discover, ${small.activity.length.toLocaleString('en-GB')} events / 13,100 cases (in memory)`, value: round(s.ms, 1), unit: 'ms', goal: '< 1000', pass: s.ms < 1000, note: `${s.value.variants} variants, ${s.value.dfg.length} edges` });

  const csv = join(CACHE, 'journey-262k.csv');
  if (!existsSync(csv)) await writeEventLog(small, csv, 'csv');
  const t0 = performance.now();
  const read = await readEventLog(csv, { attributes: false });
  const fromFile = discover(read.log);
  const fileMs = performance.now() - t0;
  out.push({ benchmark: 'journey', metric: 'read CSV + discover, same log', value: round(fileMs, 1), unit: 'ms', goal: '< 1000', pass: fileMs < 1000, note: `${fromFile.events} events read` });

  const xes = join(CACHE, 'journey-262k.xes');
  if (!existsSync(xes)) await writeEventLog(small, xes, 'xes');
  const x0 = performance.now();
  const readXes = await readEventLog(xes);
  const fromXes = discover(readXes.log);
  const xesMs = performance.now() - x0;
  out.push({ benchmark: 'journey', metric: 'read XES + discover, same log', value: round(xesMs, 1), unit: 'ms', note: `${fromXes.events} events read` });

  const genStart = performance.now();
  const big = generateJourneyLog(1_000_000);
  const genMs = performance.now() - genStart;
  const b = timed(() => discover(big));
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  out.push({
    benchmark: 'journey',
    metric: `discover, ${(big.activity.length / 1e6).toFixed(1)}M events / 1M cases (columnar)`,
    value: round(b.ms / 1000, 2),
    unit: 's',
    goal: '< 10',
    pass: b.ms < 10_000,
    note: `${b.value.variants.toLocaleString('en-GB')} variants, ${b.value.dfg.length} edges; generated in ${round(genMs / 1000, 1)} s; RSS ${Math.round(rssMb)} MB`,
  });
  return out;
}
