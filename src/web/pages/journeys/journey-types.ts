// Shapes of the Journeys API (`/api/v1/journeys/…`) as the Journeys page consumes them.
import type { FrictionValue } from '../../../core/journeys/friction';

export interface Owner {
  kind: 'person' | 'team';
  name: string;
}

export interface Duration {
  count: number;
  meanS: number | null;
  medianS: number | null;
  p90S: number | null;
}

export interface ActivityCount {
  activity: string;
  count: number;
}

export interface DfgEdge {
  from: string;
  to: string;
  count: number;
  meanS: number | null;
  medianS: number | null;
  p90S: number | null;
}

export interface Discovery {
  cases: number;
  events: number;
  activities: number;
  activityCounts: ActivityCount[];
  variants: number;
  dfg: DfgEdge[];
  dfgEdgesTotal: number;
  start: ActivityCount[];
  end: ActivityCount[];
  caseDurationS: Duration | null;
  caseNotion: { by: 'customer'; gapDays: number };
  computedMs: number;
}

export interface DesignedStep {
  name: string;
  owner: Owner;
  success_measure: string;
  target_to_next?: { value: number; unit: 'seconds' | 'hours' | 'days' };
}

export interface StoredJourney {
  id: string;
  updatedAt: string;
  journey: { name: string; owner: string; revenue_objective: { description: string; amount?: number; currency?: string }; steps: DesignedStep[] };
}

export interface FunnelStep {
  step: string;
  owner: Owner;
  successMeasure: string;
  targetToNextS: number | null;
  reached: number;
  reachedInOrder: number;
  conversion: number | null;
  timeFromPrevious: Duration | null;
  droppedAfter: number;
  pathsAfterDrop: ActivityCount[];
}

export interface Funnel {
  journeyId: string;
  name: string;
  windowDays: number;
  cases: number;
  steps: FunnelStep[];
}

export interface Gap {
  slow: number | null;
  onTime: number | null;
  gap: number | null;
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
  targetS: number | null;
  delayH: number;
  slowShare: number;
  conversion: Gap;
  feedback: Gap;
  /** Null until customer value has been computed for the workspace. */
  value: FrictionValue | null;
  score: number;
}

// The value side of a friction item is the core's own type: the API sends it as computed.
export type { FrictionValue, ValueGroup } from '../../../core/journeys/friction';

export interface Friction {
  basis: 'designed' | 'discovered';
  items: FrictionItem[];
}

export interface Conformance {
  derivedModel: boolean;
  cases: number;
  logFitness: number;
  fitCasesPct: number;
}

export interface Scorecard {
  owner: string;
  journeys: { journeyId: string; name: string }[];
  steps: {
    journeyId: string;
    journey: string;
    step: string;
    nextStep: string | null;
    successMeasure: string;
    targetToNextS: number | null;
    reached: number;
    timeToNext: Duration | null;
    onTargetShare: number | null;
    waitBefore: Duration | null;
    trend: { month: string; transitions: number; medianToNextS: number | null; onTargetShare: number | null; medianWaitBeforeS: number | null }[];
  }[];
  friction: FrictionItem[];
}

/** 345600 → "4.0 d", 64800 → "18 h", 1200 → "20 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.abs(seconds);
  if (s >= 2 * 86_400) return `${(seconds / 86_400).toFixed(1)} d`;
  if (s >= 2 * 3600) return `${(seconds / 3600).toFixed(seconds >= 36_000 ? 0 : 1)} h`;
  if (s >= 120) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds)} s`;
}

export const formatPct = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)} %`;
