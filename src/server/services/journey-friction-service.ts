/**
 * Friction ranking and owner scorecards over the designed journeys (core: frictionEdges). With designed
 * journeys, candidates are the transitions between their steps, measured against the step targets, with the
 * step owners. Without any, every transition in the discovered log that ends at an event a team handles is a
 * candidate, its whole wait counts as delay and its owner is the team of the events. When customer value has been
 * computed (`customer_value`), each item carries the CLV and P(alive) of its customers, delayed vs on time, and the
 * relative CLV drop joins the downstream effect.
 */
import { durationSeconds, type DesignedJourney } from '../../core/journeys/designed.js';
import { NONE, type EventLog } from '../../core/journeys/event-log.js';
import { FeedbackTable, ValueTable } from '../../core/journeys/customer-tables.js';
import { frictionEdges, normalisedScore, type FrictionEdge, type FrictionValue } from '../../core/journeys/friction.js';
import { summarise } from '../../core/journeys/stats.js';
import { err, ok } from '../../core/result.js';
import type { Engine } from '../../store/engines/engine.js';
import { readCustomerValueBrief, readFeedbackScores, readValueRunStamp } from '../../store/repositories/journey-repository.js';
import { oneAtATime } from './heavy-work.js';
import { durationOut, finite, JourneyService } from './journey-service.js';

const DEFAULT_GAP_DAYS = 30;

export interface Owner {
  kind: 'person' | 'team';
  name: string;
}

export interface FrictionItem {
  rank: number;
  journeyId: string | null;
  journey: string | null;
  from: string;
  to: string;
  kind: 'handoff' | 'step';
  owner: Owner | null;
  nextOwner: Owner | null;
  fromTeam: string | null;
  toTeam: string | null;
  volume: number;
  medianWaitS: number | null;
  p90WaitS: number | null;
  targetS: number | null;
  delayH: number;
  slowShare: number;
  conversion: { slow: number | null; onTime: number | null; gap: number | null };
  feedback: { slow: number | null; onTime: number | null; gap: number | null };
  /** Null until customer value has been computed for the workspace. */
  value: FrictionValue | null;
  score: number;
}

/** A friction item with its customers (profile ids): delayed at least once there, and always on time. */
export interface FrictionItemCustomers {
  item: FrictionItem;
  slowCustomers: readonly number[];
  onTimeCustomers: readonly number[];
}

const services = new WeakMap<Engine, { journeys: JourneyService; friction: JourneyFrictionService }>();

/** One journey service (and its mining cache) per store, shared by the Journeys and Value routes. */
export function journeyServicesFor(engine: Engine): { journeys: JourneyService; friction: JourneyFrictionService } {
  let s = services.get(engine);
  if (!s) {
    const journeys = new JourneyService(engine);
    services.set(engine, (s = { journeys, friction: new JourneyFrictionService(journeys) }));
  }
  return s;
}

const customerOf = (log: EventLog) => (c: number) => {
  if (log.caseProfile) return Number.isNaN(log.caseProfile[c]!) ? undefined : log.caseProfile[c];
  const p = log.caseAttributes?.[c]?.profile_id;
  return p === undefined ? undefined : Number(p);
};

/** Target for a → b: the step targets summed from a up to b (a skip inherits the steps it skipped); none backwards. */
function stepTarget(j: DesignedJourney) {
  const targets = j.steps.map((s) => (s.target_to_next ? durationSeconds(s.target_to_next) : undefined));
  return (a: number, b: number): number | undefined => {
    if (b <= a) return undefined;
    let sum = 0;
    for (let s = a; s < b; s++) {
      if (targets[s] === undefined) return undefined;
      sum += targets[s]!;
    }
    return sum;
  };
}

function reachedLast(view: EventLog, last: number) {
  const converted = new Uint8Array(view.caseIds.length);
  for (let c = 0; c < view.caseIds.length; c++) {
    for (let e = view.caseStart[c]!; e < view.caseStart[c + 1]!; e++) if (view.activity[e] === last) converted[c] = 1;
  }
  return (c: number) => converted[c] === 1;
}

function item(e: FrictionEdge, names: readonly string[], extra: Pick<FrictionItem, 'journeyId' | 'journey' | 'owner' | 'nextOwner'>): FrictionItemCustomers {
  const fromTeam = e.fromTeam ?? null;
  const toTeam = e.toTeam ?? null;
  const teamsDiffer = fromTeam !== null && toTeam !== null ? fromTeam !== toTeam : extra.owner?.name !== extra.nextOwner?.name;
  const it: FrictionItem = {
    rank: 0,
    ...extra,
    from: names[e.from]!,
    to: names[e.to]!,
    kind: teamsDiffer ? 'handoff' : 'step',
    fromTeam,
    toTeam,
    volume: e.volume,
    medianWaitS: finite(e.medianWaitS),
    p90WaitS: finite(e.p90WaitS),
    targetS: e.targetS ?? null,
    delayH: e.delayH,
    slowShare: e.slowShare,
    conversion: { slow: e.conversionSlow, onTime: e.conversionOnTime, gap: e.conversionGap },
    feedback: { slow: e.feedbackSlow, onTime: e.feedbackOnTime, gap: e.feedbackGap },
    value: e.value,
    score: e.score,
  };
  return { item: it, slowCustomers: e.slowCustomers, onTimeCustomers: e.onTimeCustomers };
}

/** Activities whose events a team handles (most of their events carry a team). */
function teamHandled(log: EventLog): boolean[] {
  const withTeam = new Uint32Array(log.activityNames.length);
  const all = new Uint32Array(log.activityNames.length);
  for (let e = 0; e < log.activity.length; e++) {
    all[log.activity[e]!]!++;
    if (log.resource && log.resource[e] !== NONE) withTeam[log.activity[e]!]!++;
  }
  return Array.from(all, (n, a) => n > 0 && withTeam[a]! * 2 > n);
}

/**
 * The friction ranking is cached; its inputs only while small. On the 1M-customer demo the feedback and value tables
 * hold ~230 MB of typed arrays, which the Value page then carried into building every customer's features; a
 * re-ranking (a designed journey edited) reads them again instead (a few seconds there).
 */
const SMALL_TABLE_ROWS = 250_000;
const smallFeedback = (t: FeedbackTable): boolean => t.customers <= SMALL_TABLE_ROWS;
const smallValues = (t: ValueTable): boolean => t.size <= SMALL_TABLE_ROWS;

export class JourneyFrictionService {
  constructor(private readonly journeys: JourneyService) {}

  private async feedback(workspaceId: string, version: string): Promise<FeedbackTable> {
    const { value } = await this.journeys.cache.get(`feedback|${workspaceId}`, version, async () => {
      const f = await readFeedbackScores(this.journeys.engine, workspaceId);
      const num = (v: number) => (Number.isNaN(v) ? null : v);
      // One record reused for every row (millions on a large base), not an object each.
      const row: Parameters<typeof normalisedScore>[0] = {};
      const score = new Float64Array(f.p.length);
      for (let i = 0; i < score.length; i++) {
        row.nps = num(f.nps[i]!);
        row.csat = num(f.csat[i]!);
        row.ces = num(f.ces[i]!);
        row.stars = num(f.stars[i]!);
        score[i] = normalisedScore(row) ?? NaN;
      }
      return new FeedbackTable(f.p, f.t, score);
    }, smallFeedback);
    return value;
  }

  /** CLV and P(alive) per customer of the latest value run; undefined when value was never computed. */
  private async customerValue(workspaceId: string, version: string, stamp: string | null): Promise<ValueTable | undefined> {
    if (stamp === null) return undefined;
    const { value } = await this.journeys.cache.get(`value|${workspaceId}|${stamp}`, version, async () => {
      const v = await readCustomerValueBrief(this.journeys.engine, workspaceId);
      return new ValueTable(v.p, v.clv, v.pAlive, v.pAliveBefore);
    }, smallValues);
    return value.size > 0 ? value : undefined;
  }

  /** All friction items, highest score first (cached per data version and designed-journey update). */
  async friction(workspaceId: string): Promise<{ basis: 'designed' | 'discovered'; items: FrictionItem[]; cached: boolean }> {
    const { basis, entries, cached } = await this.frictionWithCustomers(workspaceId);
    return { basis, items: entries.map((e) => e.item), cached };
  }

  /** Friction items with the customers delayed there and those on time (for revenue at risk). */
  async frictionWithCustomers(workspaceId: string): Promise<{ basis: 'designed' | 'discovered'; entries: FrictionItemCustomers[]; cached: boolean }> {
    const designed = await this.journeys.listDesigned(workspaceId);
    const version = await this.journeys.cache.version(workspaceId);
    const stamp = await readValueRunStamp(this.journeys.engine, workspaceId);
    const key = `friction|${workspaceId}|${designed.map((d) => `${d.id}@${d.updatedAt}`).join(',')}|value@${stamp ?? ''}`;
    const { value, cached } = await this.journeys.cache.get(key, version, () => oneAtATime(this.journeys.engine, async () => {
      // One read after another: side by side, their sorts held DuckDB's working memory at once (the friction
      // ranking alone on the 1M-customer demo: VmHWM 906 and 978 MB read together, 810 and 810 MB in turn, ~2 s
      // slower). And each journey's view is ranked as soon as it is read, then let go before the next is read.
      const feedback = await this.feedback(workspaceId, version);
      const customerValue = await this.customerValue(workspaceId, version, stamp);
      const items: FrictionItemCustomers[] = [];
      for (const d of designed) {
        const j = d.journey;
        const view = await this.journeys.journeyView(workspaceId, version, j);
        const edges = frictionEdges(view, {
          target: stepTarget(j),
          converted: reachedLast(view, j.steps.length - 1),
          customerOf: customerOf(view),
          feedback,
          value: customerValue,
        });
        for (const e of edges) items.push(item(e, view.activityNames, { journeyId: d.id, journey: j.name, owner: j.steps[e.from]!.owner, nextOwner: j.steps[e.to]!.owner }));
      }
      if (designed.length === 0) {
        const log = await this.journeys.log(workspaceId, version, { activity: 'type', caseBy: { by: 'customer', gap_days: DEFAULT_GAP_DAYS } });
        const handled = teamHandled(log);
        const edges = frictionEdges(log, { target: () => undefined, include: (_a, b) => handled[b]!, customerOf: customerOf(log), feedback, value: customerValue });
        for (const e of edges) {
          const team = e.fromTeam ?? e.toTeam;
          const owner = team ? { kind: 'team' as const, name: team } : null;
          items.push(item(e, log.activityNames, { journeyId: null, journey: null, owner, nextOwner: e.toTeam ? { kind: 'team', name: e.toTeam } : null }));
        }
      }
      items.sort((a, b) => b.item.score - a.item.score);
      items.forEach((it, i) => (it.item.rank = i + 1));
      return { basis: designed.length > 0 ? ('designed' as const) : ('discovered' as const), entries: items };
    }));
    return { ...value, cached };
  }

  /** An owner's steps across designed journeys: measures, targets, measured time to the next step, monthly trend. */
  async scorecard(workspaceId: string, ownerName: string) {
    const designed = await this.journeys.listDesigned(workspaceId);
    const version = await this.journeys.cache.version(workspaceId);
    const same = (o: string) => o.toLowerCase() === ownerName.toLowerCase();
    const steps = [];
    for (const d of designed) {
      const j = d.journey;
      const mine = j.steps.map((s, i) => (same(s.owner.name) ? i : -1)).filter((i) => i >= 0);
      if (mine.length === 0) continue;
      // Read and measured in the store's queue of big computations (heavy-work.ts), the view let go before the
      // next: the order journey's view alone is 5M events on the 1M-customer demo.
      const measured = await oneAtATime(this.journeys.engine, async () => {
        const view = await this.journeys.journeyView(workspaceId, version, j);
        const out = [];
        for (const s of mine) {
          const step = j.steps[s]!;
          const target = step.target_to_next ? durationSeconds(step.target_to_next) : null;
          // Waits out of the step (its target) and into it (what the owner waits for), from in-order transitions.
          const toNext: number[] = [];
          const before: number[] = [];
          const byMonth = new Map<string, { toNext: number[]; before: number[] }>();
          const monthOf = (t: number) => {
            const month = new Date(t).toISOString().slice(0, 7);
            let m = byMonth.get(month);
            if (!m) byMonth.set(month, (m = { toNext: [], before: [] }));
            return m;
          };
          let reached = 0;
          for (let c = 0; c < view.caseIds.length; c++) {
            let seen = false;
            for (let e = view.caseStart[c]!; e < view.caseStart[c + 1]!; e++) {
              if (view.activity[e] !== s) continue;
              seen = true;
              if (e + 1 < view.caseStart[c + 1]! && view.activity[e + 1] === s + 1) {
                const w = (view.time[e + 1]! - view.time[e]!) / 1000;
                toNext.push(w);
                monthOf(view.time[e]!).toNext.push(w);
              }
              if (e > view.caseStart[c]! && view.activity[e - 1] === s - 1) {
                const w = (view.time[e]! - view.time[e - 1]!) / 1000;
                before.push(w);
                monthOf(view.time[e]!).before.push(w);
              }
            }
            if (seen) reached++;
          }
          const onTarget = (ws: number[]) => (target === null || ws.length === 0 ? null : ws.filter((w) => w <= target).length / ws.length);
          out.push({
            journeyId: d.id,
            journey: j.name,
            step: step.name,
            nextStep: j.steps[s + 1]?.name ?? null,
            owner: step.owner,
            successMeasure: step.success_measure,
            targetToNextS: target,
            reached,
            timeToNext: durationOut(summarise(toNext)),
            onTargetShare: onTarget(toNext),
            waitBefore: durationOut(summarise(before)),
            trend: [...byMonth.entries()]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([month, m]) => ({
                month,
                transitions: m.toNext.length,
                medianToNextS: finite(summarise(m.toNext).median),
                onTargetShare: onTarget(m.toNext),
                medianWaitBeforeS: finite(summarise(m.before).median),
              })),
          });
        }
        return out;
      });
      steps.push(...measured);
    }
    const journeysOwned = designed.filter((d) => same(d.journey.owner)).map((d) => ({ journeyId: d.id, name: d.journey.name }));
    if (steps.length === 0 && journeysOwned.length === 0) {
      return err({ type: 'not_found' as const, detail: `no designed journey or step is owned by '${ownerName}'` });
    }
    // Items they hold the target for, and handoffs into their steps (the wait is for them to act).
    const friction = (await this.friction(workspaceId)).items
      .filter((i) => (i.owner !== null && same(i.owner.name)) || (i.nextOwner !== null && same(i.nextOwner.name)))
      .slice(0, 10);
    return ok({ owner: ownerName, journeys: journeysOwned, steps, friction });
  }
}
