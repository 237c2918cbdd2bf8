/**
 * Throughput of the demo generator: records (customer records + events + orders + ticket entries + feedback)
 * per second of pure generation, no I/O.
 *
 *   node --import tsx bench/demo-generate.ts [customers=20000] [rounds=3]
 *
 * The first round includes JIT warm-up; the best round is the figure to quote.
 */

import { generateDemo } from '../src/core/demo/index.js';

const customers = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);

interface Counts {
  customers: number;
  events: number;
  orders: number;
  tickets: number;
  feedback: number;
}

let best = 0;
for (let round = 1; round <= rounds; round++) {
  const counts: Counts = { customers: 0, events: 0, orders: 0, tickets: 0, feedback: 0 };
  const started = performance.now();
  for (const life of generateDemo({ customers })) {
    counts.customers += life.customers.length;
    counts.events += life.events.length;
    counts.orders += life.orders.length;
    counts.tickets += life.tickets.length;
    counts.feedback += life.feedback.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const total = counts.customers + counts.events + counts.orders + counts.tickets + counts.feedback;
  const rate = total / seconds;
  best = Math.max(best, rate);
  console.log(
    `round ${round}: ${customers} people → ${total} records in ${seconds.toFixed(2)} s = ` +
      `${(rate / 1e6).toFixed(2)} M records/s (events ${(counts.events / customers).toFixed(1)}/person, ` +
      `${(counts.events / seconds / 1e6).toFixed(2)} M events/s)`,
  );
  if (round === 1) console.log('  counts:', JSON.stringify(counts));
}
console.log(`best: ${(best / 1e6).toFixed(2)} M records/s`);
