/**
 * Per-customer summaries for the value models from raw transactions, with BTYD's conventions
 * (`dc.ElogToCbsCbt`), so results line up with published fits:
 * - purchases on the same day are one transaction (their amounts summed);
 * - a customer's first purchase is their "birth" and is not counted: x is the number of *repeat* purchases;
 * - calibration covers days up to and including `calibrationEnd`; customers born after it are left out;
 * - t_x = last calibration purchase − birth, T = calibrationEnd − birth, in the chosen time unit;
 * - holdout: x* = purchases after `calibrationEnd` up to and including `holdoutEnd`;
 * - mₓ = mean amount of the repeat calibration purchases (0 when x = 0).
 *
 * Input is columnar (customer index per transaction, day number, optional amount) so a million customers and
 * several million transactions summarise in well under a second; order does not matter.
 */

export interface TransactionColumns {
  /** Dense customer index 0 … customers−1, one per transaction. */
  customer: Int32Array;
  /** Day number (e.g. days since 1970-01-01, UTC) of each transaction. */
  day: Int32Array;
  /** Optional transaction amounts. */
  amount?: Float64Array | undefined;
  /** Number of distinct customers (max index + 1). */
  customers: number;
}

export interface SummaryOptions {
  /** Last day of the calibration period (inclusive), same numbering as `day`. */
  calibrationEnd: number;
  /** Last day of the holdout period (inclusive). @default the last transaction day */
  holdoutEnd?: number | undefined;
  /** Days per model time unit. @default 7 (weeks) */
  unitDays?: number | undefined;
}

export interface CustomerSummaries {
  n: number;
  /** Input customer index of each summary row (customers born after calibration are absent). */
  customer: Int32Array;
  /** Day of the first purchase. */
  birthDay: Int32Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Purchases in the holdout period. */
  xStar: Float64Array;
  /** Mean repeat spend in calibration (0 when x = 0 or no amounts were given). */
  mx: Float64Array;
  /** Length of the holdout period in time units (the same for every customer). */
  holdoutLength: number;
  unitDays: number;
  calibrationEnd: number;
  holdoutEnd: number;
}

/**
 * Orders transaction indices by (customer, day) in O(n): a counting sort on the customer, then an insertion sort
 * of each customer's few transactions by day. Insertion sort is stable, so same-day rows keep input order.
 */
function orderByCustomerAndDay(t: TransactionColumns): Uint32Array {
  const starts = new Uint32Array(t.customers + 1);
  for (let i = 0; i < t.customer.length; i++) starts[t.customer[i]! + 1]! += 1;
  for (let c = 0; c < t.customers; c++) starts[c + 1]! += starts[c]!;
  const next = starts.slice(0, t.customers);
  const order = new Uint32Array(t.customer.length);
  for (let i = 0; i < t.customer.length; i++) order[next[t.customer[i]!]!++] = i;
  for (let c = 0; c < t.customers; c++) {
    for (let i = starts[c]! + 1; i < starts[c + 1]!; i++) {
      const v = order[i]!;
      const d = t.day[v]!;
      let j = i;
      while (j > starts[c]! && t.day[order[j - 1]!]! > d) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = v;
    }
  }
  return order;
}

export function summariseTransactions(t: TransactionColumns, opts: SummaryOptions): CustomerSummaries {
  const unitDays = opts.unitDays ?? 7;
  const calEnd = opts.calibrationEnd;
  let lastDay = -Infinity;
  for (let i = 0; i < t.day.length; i++) if (t.day[i]! > lastDay) lastDay = t.day[i]!;
  const holdoutEnd = opts.holdoutEnd ?? Math.max(lastDay, calEnd);
  const order = orderByCustomerAndDay(t);
  const n0 = t.customers;
  const customer = new Int32Array(n0);
  const birthDay = new Int32Array(n0);
  const x = new Float64Array(n0);
  const tx = new Float64Array(n0);
  const T = new Float64Array(n0);
  const xStar = new Float64Array(n0);
  const mx = new Float64Array(n0);
  let rows = 0;
  let i = 0;
  const N = order.length;
  while (i < N) {
    const c = t.customer[order[i]!]!;
    const birth = t.day[order[i]!]!;
    let repeats = 0;
    let lastCal = birth;
    let holdout = 0;
    let spend = 0;
    let prevDay = NaN;
    let dayAmount = 0;
    // Walk the customer's transactions; a new day closes the previous day's (merged) transaction.
    for (; i < N && t.customer[order[i]!] === c; i++) {
      const k = order[i]!;
      const d = t.day[k]!;
      if (d !== prevDay) {
        if (prevDay === prevDay && prevDay !== birth && prevDay <= calEnd) spend += dayAmount;
        prevDay = d;
        dayAmount = 0;
        if (d !== birth) {
          if (d <= calEnd) {
            repeats++;
            lastCal = d;
          } else if (d <= holdoutEnd) {
            holdout++;
          }
        }
      }
      if (t.amount) dayAmount += t.amount[k]!;
    }
    if (prevDay !== birth && prevDay <= calEnd) spend += dayAmount;
    if (birth > calEnd) continue;
    customer[rows] = c;
    birthDay[rows] = birth;
    x[rows] = repeats;
    tx[rows] = (lastCal - birth) / unitDays;
    T[rows] = (calEnd - birth) / unitDays;
    xStar[rows] = holdout;
    mx[rows] = repeats > 0 ? spend / repeats : 0;
    rows++;
  }
  return {
    n: rows,
    customer: customer.slice(0, rows),
    birthDay: birthDay.slice(0, rows),
    x: x.slice(0, rows),
    tx: tx.slice(0, rows),
    T: T.slice(0, rows),
    xStar: xStar.slice(0, rows),
    mx: mx.slice(0, rows),
    holdoutLength: (holdoutEnd - calEnd) / unitDays,
    unitDays,
    calibrationEnd: calEnd,
    holdoutEnd,
  };
}

/**
 * Cumulative repeat transactions (same-day merged, first purchases excluded) per period since the first
 * transaction in the data: entry k counts those on days < start + (k+1)·unitDays. This is BTYD's tracking
 * curve (`btyd_cdnowSummary_cu_tracking.csv`: week 39 = 2,457, week 78 = 4,339 on CDNOW).
 */
export function cumulativeRepeatTransactions(t: TransactionColumns, periods: number, unitDays = 7): { start: number; cumulative: Float64Array } {
  const order = orderByCustomerAndDay(t);
  let start = Infinity;
  for (let i = 0; i < t.day.length; i++) if (t.day[i]! < start) start = t.day[i]!;
  const perPeriod = new Float64Array(periods);
  let prevCustomer = -1;
  let prevDay = NaN;
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    const c = t.customer[k]!;
    const d = t.day[k]!;
    if (c !== prevCustomer) {
      prevCustomer = c;
      prevDay = d;
      continue;
    }
    if (d === prevDay) continue;
    prevDay = d;
    const period = Math.floor((d - start) / unitDays);
    if (period < periods) perPeriod[period]! += 1;
  }
  const cumulative = new Float64Array(periods);
  let run = 0;
  for (let k = 0; k < periods; k++) cumulative[k] = run += perPeriod[k]!;
  return { start, cumulative };
}
