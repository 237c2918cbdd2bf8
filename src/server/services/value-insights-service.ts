/**
 * Reads behind the Value page: the run summary (CLV distribution, model and validation), personas, the
 * silent-churn radar, revenue at risk and next-best-actions. Each starts from the stored run plus live signals
 * (value-features.ts); nothing here writes.
 */
import type { CustomerFeatures } from '../../core/value/features.js';
import type { RadarFinding } from '../../core/value/silent-churn.js';
import { exposureBy, failureExposure, frictionExposure } from '../../core/value/revenue-at-risk.js';
import { RFM_SEGMENTS } from '../../core/value/rfm.js';
import { err, ok } from '../../core/result.js';
import type { Queryable } from '../../store/engines/engine.js';
import { readProfileNames } from '../../store/repositories/value-signals-repository.js';
import type { FrictionItemCustomers } from './journey-friction-service.js';
import { loadRun, loadValue, notComputed } from './value-features.js';
import { readNbaRules } from './value-rules-service.js';
import { firstMatchingRule, proposeAction } from '../../core/value/next-best-action.js';

const DAY_MS = 86_400_000;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Histogram bins on a "nice" width covering 0 … the 99th percentile; the rest go in the last (open) bin. */
export function histogram(values: ArrayLike<number>, bins = 20): { from: number; to: number | null; customers: number }[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
  const raw = Math.max(p99, 1) / bins;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((w) => w >= raw)!;
  const count = Math.ceil(Math.max(p99, 1) / width);
  const out = Array.from({ length: count + 1 }, (_, i) => ({ from: i * width, to: i < count ? (i + 1) * width : null, customers: 0 }));
  for (let i = 0; i < values.length; i++) out[Math.min(count, Math.max(0, Math.floor(values[i]! / width)))]!.customers++;
  while (out.length > 1 && out[out.length - 1]!.customers === 0) out.pop();
  out[out.length - 1]!.to = null;
  return out;
}

export async function getValueSummary(db: Queryable, workspaceId: string) {
  const loaded = await loadValue(db, workspaceId);
  if (!loaded.ok) return loaded;
  const { run, features } = loaded.value;
  // A typed array sorts numerically without a comparator: several times faster on a million customers.
  const clv = Float64Array.from(features, (f) => f.clv).sort();
  const total = clv.reduce((s, v) => s + v, 0);
  const top = clv.slice(Math.floor(clv.length * 0.9)).reduce((s, v) => s + v, 0);
  const chosen = run.validation?.models.find((m) => m.model === run.model) ?? null;
  return ok({
    computedAt: run.computedAt,
    currency: run.currency,
    customers: run.customers,
    horizonWeeks: run.horizonWeeks,
    annualDiscountRate: run.annualDiscountRate,
    dataFrom: isoDay(run.firstDay),
    dataTo: isoDay(run.lastDay),
    recentWeeks: run.recentWeeks,
    recentFrom: isoDay(run.recentFrom),
    totals: {
      clv: total,
      meanClv: clv.length ? total / clv.length : 0,
      medianClv: clv.length ? clv[Math.floor(clv.length / 2)]! : 0,
      topDecileShare: total > 0 ? top / total : 0,
      meanPAlive: features.reduce((s, f) => s + f.pAlive, 0) / Math.max(1, features.length),
      expectedPurchases: features.reduce((s, f) => s + f.expectedPurchases, 0),
      silentChurn: features.filter((f) => f.silentChurn).length,
    },
    distribution: histogram(clv),
    model: {
      name: run.model,
      params: run.params,
      logLikelihood: run.logLikelihood,
      spend: run.spend ? { params: { ...run.spend.params }, logLikelihood: run.spend.logLikelihood, customers: run.spend.customers } : null,
    },
    validation: run.validation
      ? {
          customers: run.validation.customers,
          holdoutWeeks: run.validation.holdoutLength,
          actualHoldout: run.validation.actualHoldout,
          recommended: run.validation.recommended,
          models: run.validation.models.map((m) => ({
            model: m.model,
            logLikelihood: m.logLikelihood,
            predictedHoldout: m.predictedHoldout,
            meanAbsoluteError: m.meanAbsoluteError,
            buckets: m.buckets,
          })),
          tracking: (chosen?.tracking ?? []).map((t) => ({ week: t.period, weekStart: isoDay(run.firstDay + (t.period - 1) * 7), actual: t.actual, expected: t.expected })),
          calibrationWeeks: (run.recentFrom - run.firstDay) / 7,
        }
      : null,
    segments: segmentTotals(features),
  });
}

/** Customers and CLV per RFM segment (in the segments' order, those with customers), in one pass. */
function segmentTotals(features: readonly CustomerFeatures[]): { name: string; customers: number; clv: number }[] {
  const totals = new Map<string, { customers: number; clv: number }>(RFM_SEGMENTS.map((name) => [name, { customers: 0, clv: 0 }]));
  for (const f of features) {
    const t = totals.get(f.rfmSegment);
    if (!t) continue;
    t.customers++;
    t.clv += f.clv;
  }
  return RFM_SEGMENTS.map((name) => ({ name, ...totals.get(name)! })).filter((s) => s.customers > 0);
}

export async function getPersonas(db: Queryable, workspaceId: string) {
  const loaded = await loadValue(db, workspaceId);
  if (!loaded.ok) return loaded;
  const { run, features } = loaded.value;
  return ok({
    computedAt: run.computedAt,
    k: run.personas.length,
    silhouette: run.silhouette,
    personas: run.personas.map((p) => {
      const members = features.filter((f) => f.persona === p.name);
      return {
        name: p.name,
        description: p.description,
        customers: members.length,
        share: p.share,
        clv: members.reduce((s, f) => s + f.clv, 0),
        meanClv: members.length ? members.reduce((s, f) => s + f.clv, 0) / members.length : 0,
        meanPAlive: members.length ? members.reduce((s, f) => s + f.pAlive, 0) / members.length : 0,
        distinctions: p.distinctions.map((d) => ({ feature: d.feature, z: d.z, clusterMean: d.clusterMean, overallMean: d.overallMean })),
      };
    }),
  });
}

const customerBase = (f: CustomerFeatures, names: Map<number, string>) => ({
  profileId: f.profileId,
  name: names.get(f.profileId) ?? null,
  clv: f.clv,
  pAlive: f.pAlive,
  segment: f.rfmSegment,
  persona: f.persona,
});

export async function getSilentChurn(db: Queryable, workspaceId: string, limit: number) {
  const loaded = await loadValue(db, workspaceId);
  if (!loaded.ok) return loaded;
  const { run, features, radar } = loaded.value;
  const flagged: { f: CustomerFeatures; r: RadarFinding }[] = [];
  features.forEach((f, i) => {
    const r = radar[i];
    if (f.silentChurn && r) flagged.push({ f, r });
  });
  flagged.sort((a, b) => b.r.valueAtStake - a.r.valueAtStake || a.f.profileId - b.f.profileId);
  const page = flagged.slice(0, limit);
  const names = await readProfileNames(db, workspaceId, page.map((x) => x.f.profileId));
  return ok({
    computedAt: run.computedAt,
    recentWeeks: run.recentWeeks,
    total: flagged.length,
    valueAtStake: flagged.reduce((s, x) => s + x.r.valueAtStake, 0),
    items: page.map(({ f, r }) => ({
      ...customerBase(f, names),
      pAliveBefore: f.pAliveBefore,
      valueAtStake: r.valueAtStake,
      pastOrdersPerMonth: (f.pastRate * 365.25) / 12 / 7,
      recentOrders: f.recentOrders,
      expectedRecent: r.expectedRecent,
      daysSinceLastOrder: f.recencyDays,
      latestNps: f.latestNps,
      latestCsat: f.latestCsat,
      reason: r.reason,
    })),
  });
}

/** Friction items shown with revenue at risk (largest value at risk first). */
const FRICTION_RISK_ITEMS = 10;

/**
 * Revenue at risk per segment, persona, service failure and — given `friction` (the workspace's ranked journey
 * friction items with their customers) — per friction item.
 */
export async function getRevenueAtRisk(db: Queryable, workspaceId: string, friction?: () => Promise<readonly FrictionItemCustomers[]>) {
  // Friction first: its journey views are garbage once the items are ranked, before every customer's features are
  // loaded (on the 1M demo each is hundreds of MB; together they took the server past 1.9 GB).
  if (!(await loadRun(db, workspaceId))) return err(notComputed(workspaceId));
  const frictionItems = friction ? (await friction()).filter((e) => e.item.score > 0) : [];
  const loaded = await loadValue(db, workspaceId);
  if (!loaded.ok) return loaded;
  const { run, features } = loaded.value;
  const byFrictionItem = frictionExposure(frictionItems, features, (e) => `${e.item.journeyId ?? 'discovered'}:${e.item.from}→${e.item.to}`)
    .slice(0, FRICTION_RISK_ITEMS)
    .map(({ item: { item }, ...x }) => ({
      ...x,
      rank: item.rank,
      journeyId: item.journeyId,
      journey: item.journey,
      from: item.from,
      to: item.to,
      kind: item.kind,
      owner: item.owner?.name ?? null,
      delayH: item.delayH,
      frictionScore: item.score,
    }));
  return ok({
    computedAt: run.computedAt,
    recentWeeks: run.recentWeeks,
    totalClv: features.reduce((s, f) => s + f.clv, 0),
    totalAtRisk: features.reduce((s, f) => s + f.clv * (1 - f.pAlive), 0),
    bySegment: exposureBy(features, (f) => f.rfmSegment),
    byPersona: exposureBy(features, (f) => f.persona),
    byServiceFailure: failureExposure(features),
    byFrictionItem,
    silentChurn: exposureBy(features, (f) => (f.silentChurn ? 'silent churn' : null))[0] ?? null,
  });
}

export async function getNextBestActions(db: Queryable, workspaceId: string, limit: number) {
  const loaded = await loadValue(db, workspaceId);
  if (!loaded.ok) return loaded;
  const { run, features } = loaded.value;
  const rules = await readNbaRules(db, workspaceId);
  // Every customer's rule is counted; the sentences are written for the page shown only.
  const proposals: CustomerFeatures[] = [];
  const counts = new Map<string, { action: string; customers: number; clv: number }>();
  for (const f of features) {
    const rule = firstMatchingRule(f, rules.ruleSet);
    if (!rule) continue;
    proposals.push(f);
    const c = counts.get(rule.id) ?? { action: rule.action, customers: 0, clv: 0 };
    c.customers++;
    c.clv += f.clv;
    counts.set(rule.id, c);
  }
  proposals.sort((a, b) => b.clv - a.clv || a.profileId - b.profileId);
  const page = proposals.slice(0, limit).map((f) => ({ f, p: proposeAction(f, rules.ruleSet, run.currency)! }));
  const names = await readProfileNames(db, workspaceId, page.map((x) => x.f.profileId));
  return ok({
    computedAt: run.computedAt,
    rulesCustomised: rules.customised,
    total: proposals.length,
    byRule: rules.ruleSet.rules.map((r) => ({ ruleId: r.id, action: r.action, enabled: r.enabled, customers: counts.get(r.id)?.customers ?? 0, clv: counts.get(r.id)?.clv ?? 0 })),
    items: page.map(({ f, p }) => ({ ...customerBase(f, names), ...p })),
  });
}

export { notComputed };
