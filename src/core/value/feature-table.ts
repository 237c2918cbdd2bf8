/**
 * Customer features held in columns, for workspaces with many customers. As plain objects a customer's
 * {@link CustomerFeatures} cost about 700 bytes of heap (31 fields, the fractional ones each a boxed number): 547 MB
 * for the 787k valued customers of the 1M-customer demo, which took `kept serve` past 1 GB on the Value page.
 * Here they are numbers in two typed arrays (≈ 150 bytes a customer) and each customer is a small row object whose
 * fields are read through getters, so every consumer of `CustomerFeatures` works unchanged.
 *
 * Each row is written from {@link featureOf}'s record, so the values are the same by construction; the store test
 * compares this path with the row-by-row one (test/store/value-repository.test.ts).
 */
import { Interner } from '../journeys/event-log.js';
import type { CustomerFeatures } from './features.js';

/** Fractional (or large) numbers: 8 bytes each. Nullable ones hold NaN for null. */
const DOUBLES = ['profileId', 'clv', 'clvPercentile', 'pAlive', 'pAliveBefore', 'expectedPurchases', 'meanSpend', 'totalSpend', 'pastRate'] as const;
const NULLABLE_DOUBLES: ReadonlySet<string> = new Set(['pAliveBefore']);
/** Whole numbers within ±2^31: 4 bytes each. Nullable ones hold {@link NULL_INT}. */
const INTS = [
  'orders', 'recencyDays', 'tenureDays', 'pastOrders', 'recentOrders', 'rfmR', 'rfmF', 'rfmM',
  'latestNps', 'latestCsat', 'latestCes', 'openTickets', 'recentTickets', 'missedReplyTargets',
] as const;
const NULLABLE_INTS: ReadonlySet<string> = new Set(['latestNps', 'latestCsat', 'latestCes']);
const BOOLEANS = ['satisfied', 'detractor', 'complained', 'serviceFailure', 'silentChurn'] as const;
/** Texts from a small set (segment and persona names): an index into the table's names, -1 for null. */
const TEXTS = ['rfmSegment', 'persona'] as const;

// Every field is in exactly one of the lists (checked when compiling).
type Listed = (typeof DOUBLES)[number] | (typeof INTS)[number] | (typeof BOOLEANS)[number] | (typeof TEXTS)[number];
type Exactly<A, B> = [Exclude<A, B>] extends [never] ? ([Exclude<B, A>] extends [never] ? true : never) : never;
export const FIELDS_LISTED: Exactly<Listed, keyof CustomerFeatures> = true;

const NULL_INT = -2147483648;
const D = DOUBLES.length;
/** Per row: the whole numbers, then one slot per boolean (0/1), then one per text. */
const I = INTS.length + BOOLEANS.length + TEXTS.length;

/**
 * A customer's features read from the table's columns: an object of two private fields instead of thirty-one
 * (private, so a row printed or compared shows its features, not the whole table).
 */
class FeatureRow {
  readonly #table: FeatureTable;
  readonly #index: number;
  constructor(table: FeatureTable, index: number) {
    this.#table = table;
    this.#index = index;
  }

  // Every field of CustomerFeatures as an accessor on the prototype (defined here, inside the class, to reach the
  // private fields), with setters: finishFeatures fills in clvPercentile and silentChurn.
  static {
    const define = (name: string, get: (this: FeatureRow) => unknown, set: (this: FeatureRow, v: never) => void) =>
      Object.defineProperty(FeatureRow.prototype, name, { enumerable: true, get, set });
    DOUBLES.forEach((name, k) => {
      const nullable = NULLABLE_DOUBLES.has(name);
      define(
        name,
        function () {
          const v = this.#table.doubles[this.#index * D + k]!;
          return nullable && Number.isNaN(v) ? null : v;
        },
        function (v: number | null) {
          this.#table.doubles[this.#index * D + k] = v ?? Number.NaN;
        },
      );
    });
    INTS.forEach((name, k) => {
      const nullable = NULLABLE_INTS.has(name);
      define(
        name,
        function () {
          const v = this.#table.ints[this.#index * I + k]!;
          return nullable && v === NULL_INT ? null : v;
        },
        function (v: number | null) {
          this.#table.ints[this.#index * I + k] = checkedInt(name, v);
        },
      );
    });
    BOOLEANS.forEach((name, b) => {
      const k = INTS.length + b;
      define(
        name,
        function () {
          return this.#table.ints[this.#index * I + k] === 1;
        },
        function (v: boolean) {
          this.#table.ints[this.#index * I + k] = v ? 1 : 0;
        },
      );
    });
    TEXTS.forEach((name, t) => {
      const k = INTS.length + BOOLEANS.length + t;
      define(
        name,
        function () {
          const id = this.#table.ints[this.#index * I + k]!;
          return id < 0 ? null : this.#table.names[id]!;
        },
        function (v: string | null) {
          this.#table.ints[this.#index * I + k] = v === null ? -1 : this.#table.nameId(v);
        },
      );
    });
  }
}

/** A whole-number field's value for its column: a value the column cannot hold exactly is refused, not changed. */
function checkedInt(name: string, v: number | null): number {
  if (v === null) return NULL_INT;
  if (!Number.isInteger(v) || v <= NULL_INT || v > 2147483647) throw new RangeError(`feature ${name}: ${v} is not a 32-bit integer`);
  return v;
}

/** Features appended one customer at a time; {@link rows} gives them as `CustomerFeatures`. */
export class FeatureTable {
  doubles: Float64Array;
  ints: Int32Array;
  /** Segment and persona names, by the ids stored in the rows. */
  private readonly interner = new Interner();
  private length = 0;

  constructor(capacity = 1024) {
    this.doubles = new Float64Array(Math.max(1, capacity) * D);
    this.ints = new Int32Array(Math.max(1, capacity) * I);
  }

  get names(): readonly string[] {
    return this.interner.names;
  }

  nameId(name: string): number {
    return this.interner.id(name);
  }

  /** Appends a customer's features (as {@link featureOf} made them). */
  add(f: CustomerFeatures): void {
    const i = this.length;
    if ((i + 1) * D > this.doubles.length) {
      const grown = Math.ceil((i + 1) * 1.5);
      const doubles = new Float64Array(grown * D);
      doubles.set(this.doubles);
      this.doubles = doubles;
      const ints = new Int32Array(grown * I);
      ints.set(this.ints);
      this.ints = ints;
    }
    this.length = i + 1;
    // Written field by field (not through the row's setters): this runs once per customer, a million times.
    const d = this.doubles;
    let o = i * D;
    d[o++] = f.profileId;
    d[o++] = f.clv;
    d[o++] = f.clvPercentile;
    d[o++] = f.pAlive;
    d[o++] = f.pAliveBefore ?? Number.NaN;
    d[o++] = f.expectedPurchases;
    d[o++] = f.meanSpend;
    d[o++] = f.totalSpend;
    d[o] = f.pastRate;
    const n = this.ints;
    o = i * I;
    try {
      n[o++] = checkedInt('orders', f.orders);
      n[o++] = checkedInt('recencyDays', f.recencyDays);
      n[o++] = checkedInt('tenureDays', f.tenureDays);
      n[o++] = checkedInt('pastOrders', f.pastOrders);
      n[o++] = checkedInt('recentOrders', f.recentOrders);
      n[o++] = checkedInt('rfmR', f.rfmR);
      n[o++] = checkedInt('rfmF', f.rfmF);
      n[o++] = checkedInt('rfmM', f.rfmM);
      n[o++] = checkedInt('latestNps', f.latestNps);
      n[o++] = checkedInt('latestCsat', f.latestCsat);
      n[o++] = checkedInt('latestCes', f.latestCes);
      n[o++] = checkedInt('openTickets', f.openTickets);
      n[o++] = checkedInt('recentTickets', f.recentTickets);
      n[o++] = checkedInt('missedReplyTargets', f.missedReplyTargets);
    } catch (error) {
      this.length = i;
      throw new RangeError(`profile ${f.profileId}: ${(error as Error).message}`, { cause: error });
    }
    n[o++] = f.satisfied ? 1 : 0;
    n[o++] = f.detractor ? 1 : 0;
    n[o++] = f.complained ? 1 : 0;
    n[o++] = f.serviceFailure ? 1 : 0;
    n[o++] = f.silentChurn ? 1 : 0;
    n[o++] = this.nameId(f.rfmSegment);
    n[o] = f.persona === null ? -1 : this.nameId(f.persona);
  }

  /** Every customer, in the order added, as `CustomerFeatures` backed by the columns (spare capacity released). */
  rows(): CustomerFeatures[] {
    const n = this.length;
    if (this.doubles.length > n * D) {
      this.doubles = this.doubles.slice(0, n * D);
      this.ints = this.ints.slice(0, n * I);
    }
    const out = new Array<CustomerFeatures>(n);
    for (let i = 0; i < n; i++) out[i] = new FeatureRow(this, i) as unknown as CustomerFeatures;
    return out;
  }
}

/** A row's fields as a plain object, for comparing with records made by featureOf (tests). */
export const plainFeatures = (f: CustomerFeatures): CustomerFeatures => {
  const out: Record<string, unknown> = {};
  for (const name of [...DOUBLES, ...INTS, ...BOOLEANS, ...TEXTS]) out[name] = (f as unknown as Record<string, unknown>)[name];
  return out as unknown as CustomerFeatures;
};
