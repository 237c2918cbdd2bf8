/**
 * Revenue is never added up across currencies: a customer (or a workspace) that bought in several reports its
 * main currency's revenue — the currency of most orders, ties broken alphabetically — and lists the others.
 */
export interface CurrencyRevenue {
  currency: string;
  orders: number;
  revenue: number;
}

export interface RevenueFigures {
  /** Orders in every currency. */
  orders: number;
  /** Revenue in `currency` only. */
  revenue: number;
  currency: string | null;
  /** Revenue in each other currency, most orders first. */
  otherCurrencies: CurrencyRevenue[];
}

export function revenueByCurrency(rows: readonly CurrencyRevenue[]): RevenueFigures {
  const sorted = [...rows].sort((a, b) => b.orders - a.orders || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  const main = sorted[0];
  return {
    orders: rows.reduce((n, r) => n + r.orders, 0),
    revenue: main?.revenue ?? 0,
    currency: main?.currency ?? null,
    otherCurrencies: sorted.slice(1),
  };
}
