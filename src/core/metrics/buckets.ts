/**
 * Calendar buckets in UTC. Stores group by day number (days since 1970-01-01, an integer both engines compute
 * fast); weeks (ISO, starting Monday) and months are rolled up from days here, exactly, by summing.
 */
export type Bucket = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

/** ISO timestamp of the start of the bucket containing `epochDay`. */
export function bucketStart(epochDay: number, bucket: Bucket): string {
  const ms = epochDay * DAY_MS;
  if (bucket === 'day') return new Date(ms).toISOString();
  if (bucket === 'week') {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    const monday = epochDay - ((((epochDay + 3) % 7) + 7) % 7);
    return new Date(monday * DAY_MS).toISOString();
  }
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
}

/**
/**
 * Sums numeric fields of day rows into buckets, keyed by bucket start and `keyOf(row)` (e.g. channel).
 * A sum stays null only if every row of the bucket had null.
 */
export interface RolledUp {
  bucket: string;
  key: string;
  sums: Record<string, number | null>;
}

export function rollUp<R extends { day: number }>(
  rows: readonly R[],
  bucket: Bucket,
  fields: readonly (keyof R & string)[],
  keyOf: (row: R) => string = () => '',
): RolledUp[] {
  const out = new Map<string, RolledUp>();
  for (const row of rows) {
    const start = bucketStart(row.day, bucket);
    const key = keyOf(row);
    const id = `${start}\u0000${key}`;
    let acc = out.get(id);
    if (!acc) {
      acc = { bucket: start, key, sums: Object.fromEntries(fields.map((f) => [f, null])) };
      out.set(id, acc);
    }
    for (const f of fields) {
      const v = row[f] as unknown;
      if (typeof v === 'number') acc.sums[f] = (acc.sums[f] ?? 0) + v;
    }
  }
  return [...out.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
