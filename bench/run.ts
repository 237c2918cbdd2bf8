/**
 * `npm run bench [-- name …]`: runs the benchmarks (all, or those named: import, import-memory, http, http-large, heavy, api, journey, clv), prints a table and
 * writes JSON to bench/results/. Speed goals are checked here, never in unit tests. Needs `npm run build` first.
 */
import { benchApi } from './api-1m.bench.js';
import { benchClv } from './clv.bench.js';
import { benchHttpBatch } from './http-batch.bench.js';
import { benchHttpLarge } from './http-large.bench.js';
import { benchImportCli } from './import-cli.bench.js';
import { benchImportMemory } from './import-memory.bench.js';
import { benchHeavyCustomer } from './heavy-customer.bench.js';
import { benchJourney } from './journey.bench.js';
import { machineGauge, report, type Measurement } from './lib/harness.js';

const all: Record<string, () => Promise<Measurement[]>> = {
  import: () => benchImportCli(),
  'import-memory': () => benchImportMemory(),
  http: () => benchHttpBatch(),
  'http-large': () => benchHttpLarge(),
  heavy: () => benchHeavyCustomer(),
  api: () => benchApi(),
  journey: () => benchJourney(),
  clv: () => benchClv(),
};
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(all);
for (const name of names) {
  if (!all[name]) throw new Error(`unknown benchmark '${name}': use ${Object.keys(all).join(', ')}`);
}
const results: Measurement[] = [];
// The same machine kind runs at quite different speeds from one session to the next (and within one): each run
// records how fast it was, before and after, so its figures can be compared with others'.
const gaugeBefore = machineGauge();
for (const name of names) {
  const bench = all[name]!;
  console.log(`== ${name}`);
  results.push(...(await bench()));
}
const gaugeAfter = machineGauge();
const gaugeNote = 'a fixed loop of 3×10⁸ integer steps on the JavaScript thread (lower is a faster machine); before and after the run';
results.push({ benchmark: 'machine', metric: 'gauge before', value: gaugeBefore, unit: 'ms', note: gaugeNote });
results.push({ benchmark: 'machine', metric: 'gauge after', value: gaugeAfter, unit: 'ms' });
report(results);
