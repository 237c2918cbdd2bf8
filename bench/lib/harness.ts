/** Small helpers shared by the benchmarks: timing statistics, child processes, the results table and file. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
export const CACHE = process.env.KEPT_BENCH_CACHE ?? '/tmp/kept-bench';
mkdirSync(CACHE, { recursive: true });

export interface Measurement {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  goal?: string;
  pass?: boolean;
  note?: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, digits = 1): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The gauge's work: a fixed integer loop, in a function of its own so that it is optimised before it is timed. */
function gaugeLoop(steps: number): number {
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += i % 7;
  return sum;
}

/**
 * How fast this machine is right now: the best of five timings of 3×10⁸ steps of {@link gaugeLoop}, in ms (on the
 * 2026-11-24 evening session's machine 290–450 ms from one process to the next). Only for comparing benchmark runs
 * taken on different days, and roughly: the same machine gives two or three distinct figures.
 */
export function machineGauge(): number {
  for (let i = 0; i < 20; i++) gaugeLoop(100_000);
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    // Used, so the loop cannot be dropped.
    if (gaugeLoop(300_000_000) < 0) throw new Error('unreachable');
    best = Math.min(best, performance.now() - started);
  }
  return round(best, 0);
}

/** Runs the CLI from dist/ (as a user would after `npm ci`) and returns stdout. */
export function runKept(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kept ${args.join(' ')} exited with ${code}`))));
  });
}

const keepAlive = new http.Agent({ keepAlive: true });

/**
 * POSTs a JSON body over a kept-alive connection and resolves with the status and the response text. Load
 * generators use this rather than `fetch`, whose streams cost the client about a third more CPU per request: on a
 * 2-core machine that CPU is taken from the server being measured, and the client's own work adds to each
 * measured latency.
 */
export function postJson(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: keepAlive, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A memory figure of a process (`VmRSS`, `VmHWM` …) from /proc, in MB. */
function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/** Starts `kept serve` and resolves once it answers /api/health. */
export async function startServer(db: string, port: number): Promise<{ child: ChildProcess; base: string; rssMb: () => number; peakRssMb: () => number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.KEPT_BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(ROOT, 'dist/cli/main.js'), 'serve', '--db', db, '--port', String(port)], {
    env: { ...process.env, KEPT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    base,
    rssMb: () => statusMb(child.pid, 'VmRSS'),
    peakRssMb: () => statusMb(child.pid, 'VmHWM'),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function timeRequests(urls: readonly string[], warmup = 3): Promise<number[]> {
  for (const url of urls.slice(0, warmup)) await (await fetch(url)).arrayBuffer();
  const times: number[] = [];
  for (const url of urls) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

export function report(results: readonly Measurement[]): void {
  const rows = results.map((r) => [r.benchmark, r.metric, `${r.value} ${r.unit}`, r.goal ?? '', r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL', r.note ?? '']);
  const header = ['benchmark', 'metric', 'value', 'goal', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const payload = JSON.stringify({ at: new Date().toISOString(), machine: { cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null, node: process.version }, results }, null, 2);
  writeFileSync(join(ROOT, 'bench/results', `bench-${stamp}.json`), payload);
  writeFileSync(join(ROOT, 'bench/results', 'latest.json'), payload);
  console.log(`\nwritten: bench/results/bench-${stamp}.json (and latest.json)`);
}
