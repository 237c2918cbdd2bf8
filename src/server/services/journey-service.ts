/**
 * Journeys: discovery on the workspace's events, designed journeys (CRUD), their funnel and conformance.
 * Mining is the core's (src/core/journeys); this service picks the case notion, reads the log through the
 * repository (cached per data version) and shapes results for the API. Friction and owner scorecards are in
 * journey-friction-service.ts.
 */
import { conformance } from '../../core/journeys/conformance.js';
import {
  attributesNeeded,
  designedJourneySchema,
  durationSeconds,
  funnelSteps,
  journeyModel,
  journeyView,
  type DesignedJourney,
} from '../../core/journeys/designed.js';
import { Discoverer } from '../../core/journeys/discovery.js';
import { splitCasesByGap, type EventLog } from '../../core/journeys/event-log.js';
import { END_OF_CASE, funnel } from '../../core/journeys/funnel.js';
import { treeToPetriNet } from '../../core/journeys/petri-net.js';
import { treeToString } from '../../core/journeys/process-tree.js';
import { HandoffAccumulator, ReworkAccumulator, type HandoffReport } from '../../core/journeys/rework.js';
import type { DurationSummary } from '../../core/journeys/stats.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Engine } from '../../store/engines/engine.js';
import {
  deleteDesignedJourney,
  getDesignedJourney,
  listDesignedJourneys,
  putDesignedJourney,
  type DesignedJourneyRow,
} from '../../store/repositories/designed-journey-repository.js';
import { readJourneyDictionary, streamJourneyLogParts, type JourneyDictionary } from '../../store/repositories/journey-log-parts.js';
import { readJourneyLog } from '../../store/repositories/journey-repository.js';
import { readFunnelEvents, readJourneyView } from '../../store/repositories/journey-view.js';
import { oneAtATime } from './heavy-work.js';
import { JourneyCache } from './journey-log-cache.js';

const DAY_MS = 86_400_000;

/**
 * Logs up to this many events stay cached between requests. Larger ones (the funnel's log of the 1M-customer demo
 * holds 9M events) are read per request and only their results are cached, so `kept serve` keeps its memory.
 */
const KEEP_LOG_EVENTS = 1_000_000;
const small = (log: EventLog) => log.activity.length <= KEEP_LOG_EVENTS;

/** NaN and ±Infinity become null: JSON has no NaN, and "not measurable" is what they mean here. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

export const durationOut = (d: DurationSummary | undefined) =>
  d === undefined || d.count === 0
    ? null
    : { count: d.count, meanS: finite(d.mean), medianS: finite(d.median), p90S: finite(d.p90), minS: finite(d.min), maxS: finite(d.max) };

export interface StoredJourney {
  id: string;
  updatedAt: string;
  journey: DesignedJourney;
}

export interface DiscoverParams {
  activity: 'type' | 'touchpoint';
  gapDays: number;
  minEdgeCount: number;
  topVariants: number;
}

function handoffOut(report: HandoffReport | undefined) {
  if (!report) return null;
  return {
    handoffs: report.handoffs,
    transitions: report.transitions,
    pairs: report.pairs.slice(0, 50).map((p) => ({ from: p.from, to: p.to, count: p.count, medianDelayS: finite(p.delay.median), p90DelayS: finite(p.delay.p90) })),
  };
}

export class JourneyService {
  readonly cache: JourneyCache;

  constructor(readonly engine: Engine) {
    this.cache = new JourneyCache(engine);
  }

  /** A page-level computation's loader, run one at a time with the store's other big ones (heavy-work.ts). */
  private heavy<T>(work: () => Promise<T>): () => Promise<T> {
    return () => oneAtATime(this.engine, work);
  }

  /**
   * Distinct activities, teams and channels of the workspace's events (a scan of all of them), read once per data
   * version and shared by every bulk read: discovery, views, funnels, logs.
   */
  dictionary(workspaceId: string, version: string, activity: 'type' | 'touchpoint'): Promise<JourneyDictionary> {
    return this.cache.get(`dict|${workspaceId}|${activity}`, version, () => readJourneyDictionary(this.engine, workspaceId, activity)).then((r) => r.value);
  }

  /** The workspace's log with the given case notion and activity column (cached per data version). */
  async log(
    workspaceId: string,
    version: string,
    q: { activity: 'type' | 'touchpoint'; caseBy: DesignedJourney['case']; attributes?: readonly string[] },
  ): Promise<EventLog> {
    const attributes = [...new Set(q.attributes ?? [])].filter((a) => a !== q.activity).sort();
    const caseKey = q.caseBy.by === 'customer' ? 'customer' : `property:${q.caseBy.property}`;
    const base = await this.cache.get(
      `log|${workspaceId}|${q.activity}|${caseKey}|${attributes.join(',')}`,
      version,
      async () =>
        readJourneyLog(this.engine, workspaceId, {
          activity: q.activity,
          caseBy: q.caseBy.by === 'customer' ? { by: 'customer' } : { by: 'property', property: q.caseBy.property },
          attributes,
          dictionary: attributes.length === 0 ? await this.dictionary(workspaceId, version, q.activity) : undefined,
        }),
      small,
    );
    return q.caseBy.by === 'customer' ? splitCasesByGap(base.value, q.caseBy.gap_days * DAY_MS) : base.value;
  }

  /** Discovery on all events, one case per customer visit (events more than `gapDays` apart start a new case). */
  async discover(workspaceId: string, p: DiscoverParams) {
    const version = await this.cache.version(workspaceId);
    const key = `discover|${workspaceId}|${p.activity}|${p.gapDays}|${p.topVariants}`;
    const started = performance.now();
    const { value, cached } = await this.cache.get(key, version, this.heavy(async () => {
      // Streamed in parts of whole customers: the 1M-customer demo's 20M events never sit in memory at once.
      const dict = await this.dictionary(workspaceId, version, p.activity);
      const discoverer = new Discoverer(dict.activities);
      const reworkAcc = new ReworkAccumulator(dict.activities);
      const teams = new HandoffAccumulator('resource', dict.teams);
      const channels = new HandoffAccumulator('channel', dict.channels);
      for await (const part of streamJourneyLogParts(this.engine, workspaceId, p.activity, dict)) {
        const log = splitCasesByGap(part, p.gapDays * DAY_MS);
        discoverer.add(log);
        reworkAcc.add(log);
        teams.add(log);
        channels.add(log);
      }
      const d = discoverer.result({ maxVariants: p.topVariants });
      const r = reworkAcc.result();
      return {
        activity: p.activity,
        caseNotion: { by: 'customer' as const, gapDays: p.gapDays },
        cases: d.cases,
        events: d.events,
        activities: d.activities,
        activityCounts: d.activityCounts,
        variants: d.variants,
        topVariants: d.topVariants.map((v) => ({ count: v.count, activities: v.activities })),
        dfg: d.dfg.map((e) => ({ from: e.from, to: e.to, count: e.count, meanS: finite(e.wait.mean), medianS: finite(e.wait.median), p90S: finite(e.wait.p90) })),
        start: d.start,
        end: d.end,
        caseDurationS: durationOut(d.caseDuration),
        handoffs: {
          team: dict.teams.length > 0 ? handoffOut(teams.result()) : null,
          channel: dict.channels.length > 0 ? handoffOut(channels.result()) : null,
        },
        rework: { casesWithRework: r.casesWithRework, activities: r.activities.slice(0, 20), backAndForth: r.backAndForth.slice(0, 20) },
      };
    }));
    const dfg = value.dfg.filter((e) => e.count >= p.minEdgeCount);
    return ok({ ...value, dfgEdgesTotal: value.dfg.length, dfg, cached, computedMs: Math.round(performance.now() - started) });
  }

  // ---- designed journeys ----

  private parseRow(row: DesignedJourneyRow): StoredJourney {
    // Stored definitions were validated on the way in; parsing again applies defaults added since.
    return { id: row.journey_id, updatedAt: row.updated_at, journey: designedJourneySchema.parse(JSON.parse(row.definition)) };
  }

  async listDesigned(workspaceId: string): Promise<StoredJourney[]> {
    return (await listDesignedJourneys(this.engine, workspaceId)).map((r) => this.parseRow(r));
  }

  async getDesigned(workspaceId: string, id: string): Promise<Result<StoredJourney, AppError>> {
    const row = await getDesignedJourney(this.engine, workspaceId, id);
    return row ? ok(this.parseRow(row)) : err({ type: 'not_found', detail: `designed journey '${id}' does not exist` });
  }

  /** Validates and stores a definition; `created` tells a new journey from a replaced one. */
  async putDesigned(workspaceId: string, id: string, body: unknown): Promise<Result<StoredJourney & { created: boolean }, AppError>> {
    const parsed = designedJourneySchema.safeParse(body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', reason: i.message }));
      return err({ type: 'bad_request', detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors });
    }
    const existed = await putDesignedJourney(this.engine, workspaceId, id, parsed.data.name, JSON.stringify(parsed.data));
    const stored = await this.getDesigned(workspaceId, id);
    return stored.ok ? ok({ ...stored.value, created: !existed }) : stored;
  }

  async deleteDesigned(workspaceId: string, id: string): Promise<Result<{ deleted: string }, AppError>> {
    return (await deleteDesignedJourney(this.engine, workspaceId, id))
      ? ok({ deleted: id })
      : err({ type: 'not_found', detail: `designed journey '${id}' does not exist` });
  }

  /** The journey's case log: every event of its cases (for the funnel's paths after a drop). */
  async journeyLog(workspaceId: string, version: string, journey: DesignedJourney): Promise<EventLog> {
    return this.log(workspaceId, version, { activity: 'type', caseBy: journey.case, attributes: attributesNeeded(journey) });
  }

  /**
   * The journey's view: only its step events, named by step. Journeys keyed by an entity id are read as the
   * view straight from the store; customer journeys need the full log first (cases are cut at pauses between
   * any of the customer's events).
   */
  async journeyView(workspaceId: string, version: string, journey: DesignedJourney): Promise<EventLog> {
    const c = journey.case;
    if (c.by === 'customer') return journeyView(await this.journeyLog(workspaceId, version, journey), journey);
    const key = `view|${workspaceId}|${c.property}|${JSON.stringify(journey.steps.map((s) => [s.name, s.match]))}`;
    const read = async () => readJourneyView(this.engine, workspaceId, c.property, journey.steps, await this.dictionary(workspaceId, version, 'type'));
    return (await this.cache.get(key, version, read, small)).value;
  }

  async funnel(workspaceId: string, id: string, windowDays: number | undefined) {
    const stored = await this.getDesigned(workspaceId, id);
    if (!stored.ok) return stored;
    const j = stored.value.journey;
    const version = await this.cache.version(workspaceId);
    const days = windowDays ?? j.window_days;
    const key = `funnel|${workspaceId}|${id}|${stored.value.updatedAt}|${days}`;
    const { value } = await this.cache.get(key, version, this.heavy(async () => {
      const options = { windowMs: days * DAY_MS, topPaths: 5 };
      if (j.case.by === 'property') {
        // Only the step events and what followed each come across (rules evaluated in SQL).
        const f = await readFunnelEvents(this.engine, workspaceId, j.case.property, j.steps, await this.dictionary(workspaceId, version, 'type'));
        return { cases: f.cases, steps: funnel(f.log, funnelSteps(j), { ...options, matches: f.matches, after: (e) => f.next[e] ?? END_OF_CASE }) };
      }
      const log = await this.journeyLog(workspaceId, version, j);
      return { cases: log.caseIds.length, steps: funnel(log, funnelSteps(j), options) };
    }));
    const { cases, steps } = value;
    return ok({
      journeyId: id,
      name: j.name,
      windowDays: days,
      cases,
      steps: steps.map((s, i) => {
        const step = j.steps[i]!;
        return {
          step: s.step,
          owner: step.owner,
          successMeasure: step.success_measure,
          targetToNextS: step.target_to_next ? durationSeconds(step.target_to_next) : null,
          reached: s.reached,
          reachedInOrder: s.reachedInOrder,
          conversion: finite(s.conversion),
          timeFromPrevious: durationOut(s.timeFromPrevious),
          droppedAfter: s.droppedAfter,
          pathsAfterDrop: s.pathsAfterDrop,
        };
      }),
    });
  }

  async conformance(workspaceId: string, id: string) {
    const stored = await this.getDesigned(workspaceId, id);
    if (!stored.ok) return stored;
    const j = stored.value.journey;
    const version = await this.cache.version(workspaceId);
    const { tree, derived } = journeyModel(j);
    const key = `conformance|${workspaceId}|${id}|${stored.value.updatedAt}`;
    const { value: c } = await this.cache.get(
      key,
      version,
      this.heavy(async () => conformance(await this.journeyView(workspaceId, version, j), treeToPetriNet(tree), { perCase: false })),
    );
    return ok({
      journeyId: id,
      model: treeToString(tree),
      derivedModel: derived,
      cases: c.cases,
      logFitness: c.logFitness,
      averageTraceFitness: c.averageTraceFitness,
      fitCasesPct: c.fitCasesPct,
      fitCases: c.fitCases,
      tokens: { missing: c.missing, consumed: c.consumed, remaining: c.remaining, produced: c.produced },
      deviations: c.deviations.slice(0, 20).map((d) => ({ activity: d.activity, skipped: d.skipped, inserted: d.inserted, outOfOrder: d.outOfOrder })),
    });
  }
}
