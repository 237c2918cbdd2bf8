/**
 * Revenue at risk: where customer value is exposed, weighted by CLV.
 *
 * A customer's value at risk is CLV × (1 − P(alive)): the part of their expected value that hinges on whether
 * they are still a customer at all. It is summed per group (segment, persona, service failure) next to the
 * group's CLV and mean P(alive), and — for service failures and journey friction items — compared with everyone
 * else (for friction: the customers on time there), including how P(alive) moved over the recent window (P(alive)
 * now minus at the window start).
 */
import type { CustomerFeatures } from './features.js';

export interface ExposureGroup {
  key: string;
  customers: number;
  clv: number;
  atRisk: number;
  meanPAlive: number;
  /** Mean of P(alive) now minus P(alive) at the start of the recent window (customers born before it). */
  meanPAliveChange: number | null;
}

export interface FailureExposure extends ExposureGroup {
  /** The same figures for every customer outside the group. */
  others: ExposureGroup;
  /** meanPAlive − others.meanPAlive. */
  pAliveGap: number;
}

export const atRisk = (f: CustomerFeatures) => f.clv * (1 - f.pAlive);

export function exposure(key: string, members: readonly CustomerFeatures[]): ExposureGroup {
  let clv = 0;
  let risk = 0;
  let alive = 0;
  let change = 0;
  let changeN = 0;
  for (const f of members) {
    clv += f.clv;
    risk += atRisk(f);
    alive += f.pAlive;
    if (f.pAliveBefore !== null) {
      change += f.pAlive - f.pAliveBefore;
      changeN++;
    }
  }
  const n = members.length;
  return { key, customers: n, clv, atRisk: risk, meanPAlive: n ? alive / n : 0, meanPAliveChange: changeN ? change / changeN : null };
}

/** Exposure per value of `keyOf` (customers without a key are left out), largest value at risk first. */
export function exposureBy(features: readonly CustomerFeatures[], keyOf: (f: CustomerFeatures) => string | null): ExposureGroup[] {
  const groups = new Map<string, CustomerFeatures[]>();
  for (const f of features) {
    const key = keyOf(f);
    if (key === null) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(f);
  }
  return [...groups].map(([key, members]) => exposure(key, members)).sort((a, b) => b.atRisk - a.atRisk);
}

/** Service failures in the recent window: a missed first-reply target, a detractor score, either. */
export const SERVICE_FAILURES: readonly { key: string; label: string; test: (f: CustomerFeatures) => boolean }[] = [
  { key: 'missed-reply-target', label: 'Ticket missed its first-reply target', test: (f) => f.missedReplyTargets > 0 },
  { key: 'detractor', label: 'Gave a detractor score (NPS ≤ 6)', test: (f) => f.detractor },
  { key: 'any-failure', label: 'Either', test: (f) => f.serviceFailure },
];

/** Exposure of a group next to a comparison group (everyone else, or those a friction item did not delay). */
export function comparedExposure(key: string, inside: readonly CustomerFeatures[], outside: readonly CustomerFeatures[]): FailureExposure {
  const group = exposure(key, inside);
  const others = exposure('others', outside);
  return { ...group, others, pAliveGap: group.meanPAlive - others.meanPAlive };
}

export function failureExposure(features: readonly CustomerFeatures[]): (FailureExposure & { label: string })[] {
  return SERVICE_FAILURES.map((failure) => ({
    ...comparedExposure(
      failure.key,
      features.filter(failure.test),
      features.filter((f) => !failure.test(f)),
    ),
    label: failure.label,
  }));
}

/**
 * Exposure per journey friction item: the customers delayed there (beyond the step's target at least once)
 * against those always on time there; items without delayed customers with a value are left out. Largest value
 * at risk first.
 */
export function frictionExposure<T extends { slowCustomers: readonly number[]; onTimeCustomers: readonly number[] }>(
  items: readonly T[],
  features: readonly CustomerFeatures[],
  keyOf: (item: T) => string,
): (FailureExposure & { item: T })[] {
  const byId = new Map(features.map((f) => [f.profileId, f]));
  const pick = (ids: readonly number[]) => ids.flatMap((id) => byId.get(id) ?? []);
  return items
    .map((item) => ({ ...comparedExposure(keyOf(item), pick(item.slowCustomers), pick(item.onTimeCustomers)), item }))
    .filter((x) => x.customers > 0)
    .sort((a, b) => b.atRisk - a.atRisk);
}
