// Overview: headline figures, interactions by channel and the NPS/CSAT trend for a period.
// The period and bucket live in the URL: #/overview?bucket=week&from=2024-01-01&to=2024-12-31.
import { useMemo } from 'react';
import type { Bucket, Overview } from '../../app/api-types';
import { Chart } from '../../app/LazyEChart';
import { formatCount, formatDate } from '../../app/format';
import { replaceRoute } from '../../app/router';
import { Card, EmptyState, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import { OverviewKpis } from './OverviewKpis';
import { scoresOption, volumesOption } from './overview-charts';

const BUCKETS: Bucket[] = ['day', 'week', 'month'];
const DEFAULT_BUCKET: Bucket = 'week';

function toBucket(value: string | null): Bucket {
  return BUCKETS.find((b) => b === value) ?? DEFAULT_BUCKET;
}

const DAY_MS = 86_400_000;
/** The API's `to` is exclusive; the page shows and takes the last day included. */
const shiftDay = (isoDate: string, days: number): string =>
  new Date(Date.parse(isoDate.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);

export function OverviewPage({ query }: { query: URLSearchParams }) {
  const workspace = useWorkspaceId();
  const bucket = toBucket(query.get('bucket'));
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const apiTo = to ? shiftDay(to, 1) : '';
  const { data, error, loading, reload } = useApiGet<Overview>('/overview', { workspace, bucket, from, to: apiTo });

  const setPeriod = (next: { bucket?: Bucket; from?: string; to?: string }) =>
    replaceRoute('/overview', {
      bucket: next.bucket ?? bucket,
      from: next.from ?? from,
      to: next.to ?? to,
    });

  const volumes = useMemo(() => (data ? volumesOption(data.volumes, data.bucket) : undefined), [data]);
  const scores = useMemo(() => (data ? scoresOption(data.scoreTrend, data.bucket) : undefined), [data]);
  const hasScores = data?.scoreTrend.some((r) => r.nps !== null || r.csat !== null) ?? false;
  const rangeFrom = from || data?.range.from.slice(0, 10) || '';
  const rangeTo = to || (data ? shiftDay(data.range.to, -1) : '');

  const controls = (
    <div className="toolbar">
      <label className="field-inline">
        <span>From</span>
        <input
          type="date"
          data-testid="range-from"
          value={rangeFrom}
          max={rangeTo || undefined}
          onChange={(e) => setPeriod({ from: e.target.value })}
        />
      </label>
      <label className="field-inline">
        <span>To</span>
        <input
          type="date"
          data-testid="range-to"
          value={rangeTo}
          min={rangeFrom || undefined}
          onChange={(e) => setPeriod({ to: e.target.value })}
        />
      </label>
      {(from || to) && (
        <button type="button" className="button button-small" onClick={() => replaceRoute('/overview', { bucket })}>
          Last 12 months
        </button>
      )}
      <div className="segmented" role="group" aria-label="Bucket" data-testid="bucket-select">
        {BUCKETS.map((b) => (
          <button
            key={b}
            type="button"
            aria-pressed={b === bucket}
            data-testid={`bucket-${b}`}
            onClick={() => setPeriod({ bucket: b })}
          >
            {b.charAt(0).toUpperCase() + b.slice(1)}
          </button>
        ))}
      </div>
    </div>
  );

  return (
    <div className="page" data-testid="overview-page">
      <PageHeader
        title="Overview"
        testId="page-title"
        subtitle={
          data
            ? `${formatDate(data.range.from)} – ${formatDate(shiftDay(data.range.to, -1))}`
            : 'Everything customers did and said, on every channel'
        }
        actions={controls}
      />
      <ErrorBanner message={error} onRetry={reload} />
      {!data && loading && <Loading label="Loading overview…" />}
      {data && (
        <div className={loading ? 'stale' : undefined}>
          <OverviewKpis totals={data.totals} scores={data.scores} />
          <div className="grid-2">
            <Card
              title="Interactions by channel"
              testId="chart-volumes"
              actions={<span className="muted">{formatCount(data.totals.events)} events</span>}
            >
              {data.volumes.length > 0 && volumes ? (
                <Chart option={volumes} label="Interactions by channel over time" />
              ) : (
                <EmptyState title="No interactions in this period" />
              )}
            </Card>
            <Card
              title="NPS and CSAT over time"
              testId="chart-scores"
              actions={<span className="muted">{formatCount(data.totals.feedback)} feedback responses</span>}
            >
              {hasScores && scores ? (
                <Chart option={scores} label="NPS and CSAT over time" />
              ) : (
                <EmptyState title="No survey scores in this period" />
              )}
            </Card>
          </div>
        </div>
      )}
    </div>
  );
}
