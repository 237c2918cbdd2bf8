/**
 * Personas: behavioural clusters of customers (k-means on standardised purchase behaviour, k by silhouette),
 * each named and described in plain language by what distinguishes it — the features whose cluster mean lies
 * furthest from the overall mean, in standard-deviation units of the (transformed) clustering features.
 *
 * Features: order rate (orders per month since the first order, log-scaled), days since the last order, mean
 * order value (log-scaled) and tenure. Skewed features are log-scaled before standardising so a few extreme
 * buyers do not become clusters of their own.
 */
import { chooseK, sampleIndices, standardise } from './kmeans.js';

export interface BehaviourColumns {
  n: number;
  ordersPerMonth: ArrayLike<number>;
  recencyDays: ArrayLike<number>;
  meanSpend: ArrayLike<number>;
  tenureDays: ArrayLike<number>;
}

type FeatureKey = 'ordersPerMonth' | 'recencyDays' | 'meanSpend' | 'tenureDays';

const FEATURES: readonly { key: FeatureKey; transform: (v: number) => number; high: string; low: string }[] = [
  { key: 'ordersPerMonth', transform: Math.log1p, high: 'Frequent', low: 'Occasional' },
  { key: 'recencyDays', transform: (v) => v, high: 'Lapsed', low: 'Recently active' },
  { key: 'meanSpend', transform: Math.log1p, high: 'Big-basket', low: 'Small-basket' },
  { key: 'tenureDays', transform: (v) => v, high: 'Long-standing', low: 'New' },
];

export interface Distinction {
  feature: FeatureKey;
  /** Cluster mean minus overall mean of the transformed feature, in standard deviations. */
  z: number;
  /** Cluster and overall mean of the raw feature. */
  clusterMean: number;
  overallMean: number;
}

export interface Persona {
  cluster: number;
  name: string;
  description: string;
  size: number;
  share: number;
  distinctions: Distinction[];
  /** Raw feature means of the cluster. */
  means: Record<FeatureKey, number>;
}

export interface PersonaModel {
  k: number;
  silhouette: { k: number; silhouette: number }[];
  personas: Persona[];
  /** Cluster of each customer (input order). */
  assignment: Int32Array;
}

const times = (ratio: number) => (ratio >= 1 ? `${ratio.toFixed(1)}× as` : `${(1 / ratio).toFixed(1)}× less`);

function phrase(d: Distinction, money: (v: number) => string): string {
  const r = d.overallMean > 0 ? d.clusterMean / d.overallMean : 1;
  switch (d.feature) {
    case 'ordersPerMonth':
      return r >= 1 ? `buys ${times(r)} often as average` : `buys ${times(r)} often than average`;
    case 'recencyDays':
      return `last bought ${Math.round(d.clusterMean)} days ago on average (everyone: ${Math.round(d.overallMean)})`;
    case 'meanSpend':
      return `spends ${money(d.clusterMean)} per order (average ${money(d.overallMean)})`;
    case 'tenureDays':
      return `first bought ${Math.round(d.clusterMean)} days ago on average (everyone: ${Math.round(d.overallMean)})`;
  }
}

/**
 * Clusters customers and describes each cluster. `money` formats an amount for descriptions (currency is the
 * caller's business). Needs at least 3 customers.
 */
export function buildPersonas(
  cols: BehaviourColumns,
  opts: { seed?: number; kMin?: number; kMax?: number; sampleSize?: number; maxFitRows?: number; money?: (v: number) => string } = {},
): PersonaModel {
  const money = opts.money ?? ((v: number) => v.toFixed(0));
  const transformed = FEATURES.map((f) => Float64Array.from({ length: cols.n }, (_, i) => f.transform(cols[f.key][i]!)));
  const z = standardise(transformed);
  // Centroids are found on a sample of a large base (a million customers would take minutes for eight values of
  // k); every customer is then assigned to the nearest centroid.
  const fitRows = sampleIndices(z.n, opts.maxFitRows ?? 20_000, (opts.seed ?? 42) + 7);
  const fitData = new Float64Array(fitRows.length * z.d);
  for (let r = 0; r < fitRows.length; r++) fitData.set(z.data.subarray(fitRows[r]! * z.d, fitRows[r]! * z.d + z.d), r * z.d);
  const choice = chooseK(fitData, fitRows.length, z.d, opts);
  const { k, centroids } = choice.result;
  const assignment = nearestCentroid(z.data, z.n, z.d, centroids, k);
  const overall = Object.fromEntries(FEATURES.map((f) => [f.key, mean(cols[f.key], cols.n)])) as Record<FeatureKey, number>;
  const personas: Persona[] = [];
  for (let c = 0; c < k; c++) {
    const members: number[] = [];
    for (let i = 0; i < cols.n; i++) if (assignment[i] === c) members.push(i);
    if (members.length === 0) continue;
    const means = Object.fromEntries(FEATURES.map((f) => [f.key, members.reduce((s, i) => s + cols[f.key][i]!, 0) / members.length])) as Record<FeatureKey, number>;
    // Cluster mean of the standardised features = distance from the overall mean in SD units.
    const zMean = (j: number) => members.reduce((s, i) => s + z.data[i * z.d + j]!, 0) / members.length;
    const distinctions = FEATURES.map((f, j) => ({ feature: f.key, z: zMean(j), clusterMean: means[f.key], overallMean: overall[f.key] })).sort(
      (a, b) => Math.abs(b.z) - Math.abs(a.z),
    );
    const notable = distinctions.filter((d) => Math.abs(d.z) >= 0.5).slice(0, 3);
    const shown = notable.length > 0 ? notable : distinctions.slice(0, 1);
    const adjective = (d: Distinction) => {
      const f = FEATURES.find((x) => x.key === d.feature)!;
      return d.z >= 0 ? f.high : f.low;
    };
    const name =
      shown.length >= 2 ? `${adjective(shown[0]!)}, ${adjective(shown[1]!).toLowerCase()} customers` : `${adjective(shown[0]!)} customers`;
    const description = notable.length > 0 ? capitalise(shown.map((d) => phrase(d, money)).join('; ')) : 'Close to the average customer on every measure';
    personas.push({ cluster: c, name, description, size: members.length, share: members.length / cols.n, distinctions, means });
  }
  personas.sort((a, b) => b.size - a.size);
  disambiguate(personas);
  return { k, silhouette: choice.scores, personas, assignment };
}

/** Two clusters can share their two most distinctive traits; number them so every name is unique. */
function disambiguate(personas: Persona[]): void {
  const seen = new Map<string, number>();
  for (const p of personas) {
    const n = (seen.get(p.name) ?? 0) + 1;
    seen.set(p.name, n);
    if (n > 1) p.name = `${p.name} (${n})`;
  }
}

function nearestCentroid(data: Float64Array, n: number, d: number, centroids: Float64Array, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (data[i * d + f]! - centroids[c * d + f]!) ** 2;
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

const mean = (v: ArrayLike<number>, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  return n ? s / n : 0;
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
