/**
 * `kept journey discover` and `kept journey conform`: process mining on an event-log file (CSV or XES), without a
 * workspace or store. Problems with rows go to stderr (line, field, reason); the result goes to stdout.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { KeptConfig } from '../../config/env.js';
import { conformance, type Conformance } from '../../core/journeys/conformance.js';
import { discover, type Discovery } from '../../core/journeys/discovery.js';
import { splitCasesByGap } from '../../core/journeys/event-log.js';
import { parseBpmn } from '../../core/journeys/bpmn.js';
import { treeToPetriNet, type PetriNet } from '../../core/journeys/petri-net.js';
import { parsePtml, parseTreeJson } from '../../core/journeys/process-tree.js';
import { readEventLog, type LogReadResult } from '../../ingest/eventlog/index.js';
import { checkReadable, UsageError } from '../cli-options.js';
import { registerJourneyDefineCommand } from './journey-define.js';

interface LogOptions {
  log: string;
  case?: string;
  activity?: string;
  timestamp?: string;
  resource?: string;
  delimiter?: string;
  completeOnly?: boolean;
  sessionGap?: string;
  json?: boolean;
}

const round = (v: number, digits: number): number =>
  Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v;

function withLogOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--log <file>', 'event log: .csv or .xes (optionally .gz)')
    .option('--case <column>', 'case id column / trace attribute (default: detected, e.g. case:concept:name, case_id)')
    .option(
      '--activity <column>',
      'activity column / event attribute or XES classifier (default: concept:name, activity)',
    )
    .option('--timestamp <column>', 'timestamp column (default: time:timestamp, timestamp)')
    .option('--resource <column>', 'resource or team column (default: org:resource, resource)')
    .option('--delimiter <char>', 'CSV separator (default: sniffed from the header)')
    .option('--complete-only', 'keep only complete lifecycle transitions (default: every event, as PM4Py)')
    .option(
      '--session-gap <minutes>',
      'split a case (e.g. a customer) where events are more than this many minutes apart',
    )
    .option('--json', 'print JSON');
}

async function loadLog(opts: LogOptions): Promise<LogReadResult> {
  checkReadable('--log', opts.log);
  const result = await readEventLog(opts.log, {
    caseKey: opts.case,
    activityKey: opts.activity,
    timestampKey: opts.timestamp,
    resourceKey: opts.resource,
    delimiter: opts.delimiter === '\\t' ? '\t' : opts.delimiter,
    completeOnly: opts.completeOnly,
    attributes: false,
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw message.includes(opts.log) ? error : new UsageError(`--log ${opts.log}: ${message}`);
  });
  for (const p of result.problems.slice(0, 20))
    console.error(`kept: line ${p.line}${p.field ? `, ${p.field}` : ''}: ${p.reason} (${p.outcome})`);
  if (result.rejected + result.warnings > 20)
    console.error(`kept: … ${result.rejected} rejected and ${result.warnings} warnings in all`);
  if (opts.sessionGap !== undefined) {
    const minutes = Number(opts.sessionGap);
    if (!(minutes > 0)) throw new Error(`--session-gap must be a positive number of minutes, got '${opts.sessionGap}'`);
    return { ...result, log: splitCasesByGap(result.log, minutes * 60_000) };
  }
  if (result.log.activity.length === 0)
    throw new UsageError(`--log ${opts.log}: no events to mine (${result.rejected} rows rejected)`);
  return result;
}

/** The JSON printed by `journey discover` (documented in docs/journeys.md). */
export function discoveryJson(d: Discovery, read: LogReadResult): Record<string, unknown> {
  return {
    cases: d.cases,
    events: d.events,
    activities: d.activities,
    variants: d.variants,
    dfg: d.dfg.map((e) => ({
      from: e.from,
      to: e.to,
      count: e.count,
      mean_s: round(e.wait.mean, 3),
      median_s: round(e.wait.median, 3),
      p90_s: round(e.wait.p90, 3),
    })),
    start: d.start,
    end: d.end,
    case_duration_s: {
      mean: round(d.caseDuration.mean, 3),
      median: round(d.caseDuration.median, 3),
      min: round(d.caseDuration.min, 3),
      max: round(d.caseDuration.max, 3),
    },
    top_variants: d.topVariants.slice(0, 10).map((v) => ({ count: v.count, activities: v.activities })),
    rejected: read.rejected,
    warnings: read.warnings,
    skipped_lifecycle: read.skippedLifecycle,
  };
}

function loadModel(path: string): PetriNet {
  const kind = /\.(ptml|bpmn|bpmn\.xml|json)$/i.exec(path)?.[1]?.toLowerCase();
  if (!kind) throw new UsageError(`cannot tell the model format of '${path}': expected .ptml, .bpmn or .json`);
  checkReadable('--model', path);
  const text = readFileSync(path, 'utf8');
  try {
    if (kind === 'ptml') return treeToPetriNet(parsePtml(text));
    if (kind === 'json') return treeToPetriNet(parseTreeJson(JSON.parse(text) as unknown));
    return parseBpmn(text).net;
  } catch (error) {
    // The parsers' messages name the problem, not the file; JSON.parse's may quote a line break.
    throw new UsageError(
      `--model ${path}: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}`,
    );
  }
}

export function conformanceJson(c: Conformance): Record<string, unknown> {
  return {
    log_fitness: round(c.logFitness, 10),
    avg_trace_fitness: round(c.averageTraceFitness, 10),
    fit_cases_pct: round(c.fitCasesPct, 2),
    cases: c.cases,
    fit_cases: c.fitCases,
    tokens: { missing: c.missing, consumed: c.consumed, remaining: c.remaining, produced: c.produced },
    deviations: c.deviations
      .slice(0, 10)
      .map((d) => ({ activity: d.activity, skipped: d.skipped, inserted: d.inserted, out_of_order: d.outOfOrder })),
  };
}

export function registerJourneyCommands(program: Command, config: KeptConfig): void {
  const journey = program
    .command('journey')
    .description('process mining on an event log file (CSV or XES); designed journeys');
  registerJourneyDefineCommand(journey, config);
  withLogOptions(
    journey.command('discover').description('variants, directly-follows graph, start/end activities, case durations'),
  ).action(async (opts: LogOptions) => {
    const read = await loadLog(opts);
    const d = discover(read.log);
    if (opts.json) {
      console.log(JSON.stringify(discoveryJson(d, read)));
      return;
    }
    const days = (s: number) => `${(s / 86400).toFixed(3)} d`;
    console.log(
      `${d.cases} cases · ${d.events} events · ${d.activities} activities · ${d.variants} variants · ${d.dfg.length} directly-follows edges`,
    );
    console.log(
      `case duration: mean ${days(d.caseDuration.mean)} · median ${days(d.caseDuration.median)} · min ${days(d.caseDuration.min)} · max ${days(d.caseDuration.max)}`,
    );
    console.log(`start: ${d.start.map((s) => `${s.activity} ×${s.count}`).join(', ')}`);
    console.log(`end:   ${d.end.map((s) => `${s.activity} ×${s.count}`).join(', ')}`);
    console.log('top edges (count, median wait):');
    for (const e of d.dfg.slice(0, 15))
      console.log(`  ${e.from} → ${e.to}  ${e.count}  ${(e.wait.median / 3600).toFixed(1)} h`);
  });
  withLogOptions(
    journey
      .command('conform')
      .description('token-based replay fitness of the log against a model (.ptml, .bpmn or .json)'),
  )
    .requiredOption('--model <file>', 'designed model: process tree (.ptml or .json) or BPMN 2.0 (.bpmn)')
    .action(async (opts: LogOptions & { model: string }) => {
      const net = loadModel(opts.model);
      const read = await loadLog(opts);
      const c = conformance(read.log, net, { perCase: false });
      if (opts.json) {
        console.log(JSON.stringify(conformanceJson(c)));
        return;
      }
      console.log(
        `log fitness ${c.logFitness.toFixed(4)} · average trace fitness ${c.averageTraceFitness.toFixed(4)} · ${c.fitCasesPct.toFixed(2)}% of ${c.cases} cases fit`,
      );
      console.log('most frequent deviations (skipped / inserted / out of order):');
      for (const d of c.deviations.slice(0, 10))
        console.log(`  ${d.activity}: ${d.skipped} / ${d.inserted} / ${d.outOfOrder}`);
    });
}
