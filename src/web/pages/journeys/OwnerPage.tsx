// An owner's scorecard: the journey steps they own, each with its success measure, target and what the events
// measure (time to the next step, share on target, monthly trend), and the friction items that are theirs.
import { useMemo } from 'react';
import type { ChartOption } from '../../app/EChart';
import { Chart } from '../../app/LazyEChart';
import { formatCount } from '../../app/format';
import { Card, EmptyState, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import { FrictionList } from './FrictionList';
import { formatDuration, formatPct, type Scorecard } from './journey-types';
import './journeys.css';

function trendOption(card: Scorecard): ChartOption {
  const months = [...new Set(card.steps.flatMap((s) => s.trend.map((t) => t.month)))].sort();
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatDuration(typeof v === 'number' ? v * 3600 : null) },
    legend: { top: 0, left: 0, type: 'scroll' },
    grid: { top: 36, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${v} h` } },
    series: card.steps.map((s) => {
      const byMonth = new Map(s.trend.map((t) => [t.month, s.nextStep ? t.medianToNextS : t.medianWaitBeforeS]));
      return {
        name: s.nextStep ? `${s.step} → ${s.nextStep}` : `into ${s.step}`,
        type: 'line' as const,
        connectNulls: false,
        data: months.map((m) => {
          const v = byMonth.get(m);
          return v === null || v === undefined ? null : Math.round((v / 3600) * 10) / 10;
        }),
      };
    }),
  };
}

export function OwnerPage({ owner }: { owner: string }) {
  const workspace = useWorkspaceId();
  const { data, error, loading, reload } = useApiGet<Scorecard>(`/journeys/owners/${encodeURIComponent(owner)}`, { workspace });
  const trend = useMemo(() => (data && data.steps.length > 0 ? trendOption(data) : undefined), [data]);
  return (
    <div className="page" data-testid="owner-page">
      <a className="back-link" href="#/journeys">
        ← Journeys
      </a>
      <PageHeader title={owner} testId="page-title" subtitle="Journey steps owned, their measures and how they are doing" />
      <ErrorBanner message={error} onRetry={reload} />
      {loading && !data && <Loading label="Loading scorecard…" />}
      {data && (
        <>
          <Card title="Steps owned" testId="owner-steps">
            <table className="table">
              <thead>
                <tr>
                  <th>Journey</th>
                  <th>Step</th>
                  <th>Success measure</th>
                  <th className="num">Reached</th>
                  <th className="num">Wait before</th>
                  <th className="num">Target to next</th>
                  <th className="num">Median to next</th>
                  <th className="num">On target</th>
                </tr>
              </thead>
              <tbody>
                {data.steps.map((s) => (
                  <tr key={`${s.journeyId}:${s.step}`} data-testid="owner-step">
                    <td>{s.journey}</td>
                    <td>
                      <strong>{s.step}</strong>
                      {s.nextStep && <div className="muted small">→ {s.nextStep}</div>}
                    </td>
                    <td className="small">{s.successMeasure}</td>
                    <td className="num">{formatCount(s.reached)}</td>
                    <td className="num">{formatDuration(s.waitBefore?.medianS)}</td>
                    <td className="num">{formatDuration(s.targetToNextS)}</td>
                    <td className="num">{formatDuration(s.timeToNext?.medianS)}</td>
                    <td className="num">{formatPct(s.onTargetShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          <div className="grid-2">
            <Card title="Delay trend by month" testId="owner-trend">
              {trend ? <Chart option={trend} height={280} label="Median time to the next step per month" /> : <EmptyState title="No transitions measured" />}
            </Card>
            <FrictionList friction={{ basis: 'designed', items: data.friction }} />
          </div>
        </>
      )}
    </div>
  );
}
