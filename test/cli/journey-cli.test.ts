/**
 * `kept journey discover|conform` end to end through the real CLI (run from source with tsx), on the reference
 * logs: the JSON has the documented shape and REFERENCE.md's figures.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const DATA = '../shared/data/journey';
const kept = async (...args: string[]) => {
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, KEPT_LOG_LEVEL: 'warn' } });
  return { stdout, stderr };
};

interface DiscoverJson {
  cases: number;
  events: number;
  activities: number;
  variants: number;
  dfg: { from: string; to: string; count: number; mean_s: number; median_s: number }[];
  start: { activity: string; count: number }[];
  end: { activity: string; count: number }[];
  case_duration_s: { mean: number; median: number; min: number; max: number };
  rejected: number;
}

describe('kept journey (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kept-journey-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('discover --json on the XES running example prints the documented fields and figures', async () => {
    const out = JSON.parse((await kept('journey', 'discover', '--log', `${DATA}/running-example.xes`, '--json')).stdout) as DiscoverJson;
    expect({ cases: out.cases, events: out.events, activities: out.activities, variants: out.variants, edges: out.dfg.length }).toEqual({ cases: 6, events: 42, activities: 8, variants: 6, edges: 16 });
    expect(Object.keys(out.dfg[0]!)).toEqual(expect.arrayContaining(['from', 'to', 'count', 'mean_s', 'median_s']));
    expect((out.case_duration_s.mean / 86400).toFixed(3)).toBe('11.191');
    expect((out.case_duration_s.median / 86400).toFixed(3)).toBe('9.444');
    expect(out.start).toEqual([{ activity: 'register request', count: 6 }]);
  });

  it('discover --json on road traffic with explicit columns', async () => {
    const out = JSON.parse((await kept('journey', 'discover', '--log', `${DATA}/roadtraffic100traces.csv`, '--case', 'case:concept:name', '--activity', 'concept:name', '--timestamp', 'time:timestamp', '--json')).stdout) as DiscoverJson;
    expect([out.cases, out.events, out.activities, out.variants, out.dfg.length]).toEqual([100, 390, 10, 10, 18]);
    expect((out.case_duration_s.mean / 86400).toFixed(1)).toBe('312.5');
    expect(out.case_duration_s.median / 86400).toBe(253);
  });

  it('conform --json gives PM4Py token-replay fitness for the .ptml and the .bpmn model', async () => {
    for (const model of ['running-example-im.ptml', 'running-example.bpmn']) {
      const out = JSON.parse((await kept('journey', 'conform', '--log', `${DATA}/running_example_broken.csv`, '--model', `${DATA}/${model}`, '--json')).stdout) as Record<string, number>;
      expect(Math.abs(out.log_fitness! - 0.8156)).toBeLessThan(0.001);
      expect(Math.abs(out.avg_trace_fitness! - 0.8078)).toBeLessThan(0.001);
      expect(out.fit_cases_pct).toBe(16.67);
    }
  });

  it('reports bad rows on stderr with line, field and reason and still discovers the good ones', async () => {
    const log = join(dir, 'bad.csv');
    writeFileSync(log, 'case,activity,timestamp\n1,a,2024-01-01T00:00:00Z\n1,b,not-a-date\n1,c,2024-01-01T02:00:00Z\n');
    const { stdout, stderr } = await kept('journey', 'discover', '--log', log, '--json');
    expect(stderr).toMatch(/line 3, timestamp: 'not-a-date' is not a timestamp/);
    const out = JSON.parse(stdout) as DiscoverJson;
    expect(out.events).toBe(2);
    expect(out.rejected).toBe(1);
    expect(out.dfg).toEqual([{ from: 'a', to: 'c', count: 1, mean_s: 7200, median_s: 7200, p90_s: 7200 }]);
  });

  it('fails with a clear message for an unknown model format', async () => {
    await expect(kept('journey', 'conform', '--log', `${DATA}/running-example.csv`, '--model', 'model.txt', '--json')).rejects.toThrow(/cannot tell the model format/);
  });
});
