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

/** Sums for an {@link ExposureGroup}, customer by customer: no list of members is needed. */
class ExposureSums {
  n = 0;
  clv = 0;
  risk = 0;
  alive = 0;
  change = 0;
  changeN = 0;
  add(f: CustomerFeatures): void {
    this.n++;
    this.clv += f.clv;
    this.risk += atRisk(f);
    this.alive += f.pAlive;
    if (f.pAliveBefore !== null) {
      this.change += f.pAlive - f.pAliveBefore;
      this.changeN++;
    }
  }
  group(key: string): ExposureGroup {
    const n = this.n;
    return { key, customers: n, clv: this.clv, atRisk: this.risk, meanPAlive: n ? this.alive / n : 0, meanPAliveChange: this.changeN ? this.change / this.changeN : null };
  }
}

/** Exposure of a group next to a comparison group (everyone else, or those a friction item did not delay). */
function compared(key: string, inside: ExposureSums, outside: ExposureSums): FailureExposure {
  const group = inside.group(key);
  const others = outside.group('others');
  return { ...group, others, pAliveGap: group.meanPAlive - others.meanPAlive };
}

/** Exposure per value of `keyOf` (customers without a key are left out), largest value at risk first. */
export function exposureBy(features: readonly CustomerFeatures[], keyOf: (f: CustomerFeatures) => string | null): ExposureGroup[] {
  const groups = new Map<string, ExposureSums>();
  for (const f of features) {
    const key = keyOf(f);
    if (key === null) continue;
    let sums = groups.get(key);
    if (!sums) groups.set(key, (sums = new ExposureSums()));
    sums.add(f);
  }
  return [...groups].map(([key, sums]) => sums.group(key)).sort((a, b) => b.atRisk - a.atRisk);
}

/** Service failures in the recent window: a missed first-reply target, a detractor score, either. */
export const SERVICE_FAILURES: readonly { key: string; label: string; test: (f: CustomerFeatures) => boolean }[] = [
  { key: 'missed-reply-target', label: 'Ticket missed its first-reply target', test: (f) => f.missedReplyTargets > 0 },
  { key: 'detractor', label: 'Gave a detractor score (NPS ≤ 6)', test: (f) => f.detractor },
  { key: 'any-failure', label: 'Either', test: (f) => f.serviceFailure },
];

export function failureExposure(features: readonly CustomerFeatures[]): (FailureExposure & { label: string })[] {
  return SERVICE_FAILURES.map((failure) => {
    const inside = new ExposureSums();
    const outside = new ExposureSums();
    for (const f of features) (failure.test(f) ? inside : outside).add(f);
    return { ...compared(failure.key, inside, outside), label: failure.label };
  });
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
  // Summed id by id, with no list of members per item: items list hundreds of thousands of customers on a large base.
  const byId = new Map<number, CustomerFeatures>();
  for (const f of features) byId.set(f.profileId, f);
  const sums = (ids: readonly number[]) => {
    const s = new ExposureSums();
    for (const id of ids) {
      const f = byId.get(id);
      if (f) s.add(f);
    }
    return s;
  };
  return items
    .map((item) => ({ ...compared(keyOf(item), sums(item.slowCustomers), sums(item.onTimeCustomers)), item }))
    .filter((x) => x.customers > 0)
    .sort((a, b) => b.atRisk - a.atRisk);
}
