/** The Overview page: how much is happening where, and how customers rate it, over a date range. */
import { rollUp, type Bucket } from '../../core/metrics/buckets.js';
import { average, netPromoterScore } from '../../core/metrics/scores.js';
import { err, ok, type AppError, type Result } from '../../core/result.js';
import type { Queryable } from '../../store/engines/engine.js';
import { parseTimestamp } from '../../ingest/timestamps.js';
import { readDailyVolumes, readLastEventDay, readScores, readTotals, type ScoreRow } from '../../store/repositories/overview-repository.js';

const DAY = 86_400_000;
/** Fewest NPS answers a trend bucket needs to show a score. */
export const MIN_NPS_SAMPLE = 10;

/** Default range: the twelve months up to the workspace's latest event (or today when it has none). */
async function resolveRange(db: Queryable, workspaceId: string, from?: string, to?: string): Promise<Result<{ from: string; to: string }, AppError>> {
  // ISO 8601 dates or date-times only, checked as ingestion checks timestamps (no impossible dates, years in
  // range): Date.parse would take '1', 'Jan 1 2026' or 2026-02-30, and instants the store cannot represent.
  const parse = (v: string, field: string): Result<number, AppError> => {
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(v) ? parseTimestamp(v) : undefined;
    if (parsed?.ok) return ok(parsed.ms);
    const reason = parsed && !parsed.ok ? parsed.reason : 'not an ISO 8601 date (YYYY-MM-DD) or date-time';
    return err({ type: 'bad_request', detail: `${field} must be an ISO 8601 date or date-time, got '${v}': ${reason}`, errors: [{ field, reason }] });
  };
  let toMs: number;
  if (to) {
    const t = parse(to, 'to');
    if (!t.ok) return t;
    toMs = t.value;
  } else {
    const lastDay = await readLastEventDay(db, workspaceId);
    toMs = (lastDay ?? Math.floor(Date.now() / DAY)) * DAY + DAY;
  }
  let fromMs: number;
  if (from) {
    const f = parse(from, 'from');
    if (!f.ok) return f;
    fromMs = f.value;
  } else {
    const d = new Date(toMs);
    fromMs = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate());
  }
  if (fromMs >= toMs) return err({ type: 'bad_request', detail: '`from` must be before `to`', errors: [{ field: 'from', reason: 'not before to' }] });
  return ok({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
}

export async function getOverview(db: Queryable, workspaceId: string, params: { from?: string | undefined; to?: string | undefined; bucket: Bucket }) {
  const range = await resolveRange(db, workspaceId, params.from, params.to);
  if (!range.ok) return range;
  const { from, to } = range.value;
  const [totals, dailyVolumes, dailyScores] = await Promise.all([
    readTotals(db, workspaceId, from, to),
    readDailyVolumes(db, workspaceId, from, to),
    readScores(db, workspaceId, from, to, true),
  ]);
  // The range's totals are the sum of its days: one scan of feedback instead of two.
  const s = sumScores(dailyScores);
  const volumes = rollUp(dailyVolumes, params.bucket, ['count'], (r) => r.channel ?? 'unknown');
  const scoreFields = ['responses', 'promoters', 'passives', 'detractors', 'nps_n', 'csat_sum', 'csat_n', 'ces_sum', 'ces_n'] as const;
  const scoreBuckets = rollUp(dailyScores as (ScoreRow & { day: number })[], params.bucket, scoreFields);
  const n = (v: number | null | undefined) => v ?? 0;
  return ok({
    range: { from, to },
    bucket: params.bucket,
    totals,
    volumes: volumes.map((v) => ({ bucket: v.bucket, channel: v.key, count: n(v.sums.count) })),
    scores: {
      nps: {
        score: s ? netPromoterScore(s.promoters, s.detractors, s.nps_n) : null,
        responses: s?.nps_n ?? 0,
        promoters: s?.promoters ?? 0,
        passives: s?.passives ?? 0,
        detractors: s?.detractors ?? 0,
      },
      csat: { average: s ? average(s.csat_sum, s.csat_n) : null, responses: s?.csat_n ?? 0 },
      ces: { average: s ? average(s.ces_sum, s.ces_n) : null, responses: s?.ces_n ?? 0 },
    },
    scoreTrend: scoreBuckets.map((b) => ({
      bucket: b.bucket,
      // An NPS of a handful of answers swings between −100 and +100: a bucket shows one from MIN_NPS_SAMPLE on.
      nps: n(b.sums.nps_n) >= MIN_NPS_SAMPLE ? netPromoterScore(n(b.sums.promoters), n(b.sums.detractors), n(b.sums.nps_n)) : null,
      csat: average(b.sums.csat_sum ?? null, n(b.sums.csat_n)),
      ces: average(b.sums.ces_sum ?? null, n(b.sums.ces_n)),
      responses: n(b.sums.responses),
      npsResponses: n(b.sums.nps_n),
      csatResponses: n(b.sums.csat_n),
      cesResponses: n(b.sums.ces_n),
    })),
  });
}

function sumScores(rows: readonly ScoreRow[]): ScoreRow | undefined {
  if (rows.length === 0) return undefined;
  const total: ScoreRow = { day: null, responses: 0, promoters: 0, passives: 0, detractors: 0, nps_n: 0, csat_sum: null, csat_n: 0, ces_sum: null, ces_n: 0 };
  for (const r of rows) {
    total.responses += Number(r.responses);
    total.promoters += Number(r.promoters ?? 0);
    total.passives += Number(r.passives ?? 0);
    total.detractors += Number(r.detractors ?? 0);
    total.nps_n += Number(r.nps_n);
    total.csat_n += Number(r.csat_n);
    total.ces_n += Number(r.ces_n);
    if (r.csat_sum !== null) total.csat_sum = (total.csat_sum ?? 0) + Number(r.csat_sum);
    if (r.ces_sum !== null) total.ces_sum = (total.ces_sum ?? 0) + Number(r.ces_sum);
  }
  return total;
}
