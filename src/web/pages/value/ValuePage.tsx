// Value (#/value): what customers are worth (CLV), who is quietly fading, where value is at risk and what to do.
import { useMemo } from 'react';
import { Chart } from '../../app/LazyEChart';
import { formatCount, formatDate, formatDecimal, formatMoney } from '../../app/format';
import { Card, EmptyState, ErrorBanner, Figure, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import { SegmentsCard } from './SegmentEditor';
import { clvHistogramOption, trackingOption } from './value-charts';
import { ActionsCard, formatShare, PersonasCard, RevenueAtRiskCard, SilentChurnCard } from './ValueCards';
import type { NextBestActions, Personas, RevenueAtRisk, SavedSegments, SilentChurn, ValueSummary } from './value-types';

export function ValuePage() {
  const workspace = useWorkspaceId();
  const summary = useApiGet<ValueSummary>('/value/summary', { workspace });
  const s = summary.data;
  // The other reads wait for the summary: without a computed run they would all answer 404.
  const after = (path: string) => (s ? path : null);
  const personas = useApiGet<Personas>(after('/value/personas'), { workspace });
  const radar = useApiGet<SilentChurn>(after('/value/silent-churn'), { workspace, limit: 15 });
  const risk = useApiGet<RevenueAtRisk>(after('/value/revenue-at-risk'), { workspace });
  const actions = useApiGet<NextBestActions>(after('/value/next-best-actions'), { workspace, limit: 10 });
  const saved = useApiGet<SavedSegments>(after('/value/segments'), { workspace });
  const currency = s?.currency ?? null;
  const histogram = useMemo(() => (s ? clvHistogramOption(s.distribution, s.currency) : undefined), [s]);
  const tracking = useMemo(() => (s?.validation ? trackingOption(s.validation) : undefined), [s]);

  if (!s) {
    return (
      <div className="page" data-testid="value-page">
        <PageHeader title="Value" testId="page-title" subtitle="What customers are worth, and what experience does to that worth" />
        {summary.loading && <Loading label="Loading customer value…" />}
        {summary.error && /kept value compute/.test(summary.error) ? (
          <EmptyState title="Customer value has not been computed yet">
            Run <code>npx kept value compute</code> for this workspace; the figures appear here afterwards.
          </EmptyState>
        ) : (
          <ErrorBanner message={summary.error} onRetry={summary.reload} />
        )}
      </div>
    );
  }
  const chosen = s.validation?.models.find((m) => m.model === s.model.name);
  return (
    <div className="page" data-testid="value-page">
      <PageHeader
        title="Value"
        testId="page-title"
        subtitle={`${formatCount(s.customers)} customers · ${s.model.name.toUpperCase()} + Gamma-Gamma, ${s.horizonWeeks}-week CLV · data ${formatDate(s.dataFrom)} – ${formatDate(s.dataTo)} · computed ${formatDate(s.computedAt)}`}
      />
      <div className="figure-grid figure-grid-4">
        <Figure label="Total CLV" value={formatMoney(s.totals.clv, currency, { compact: true })} sub={`next ${s.horizonWeeks} weeks, discounted`} testId="kpi-clv" />
        <Figure label="Mean CLV" value={formatMoney(s.totals.meanClv, currency)} sub={`median ${formatMoney(s.totals.medianClv, currency)}`} testId="kpi-mean-clv" />
        <Figure label="Top 10 % hold" value={formatShare(s.totals.topDecileShare)} sub="of all CLV" testId="kpi-top-decile" />
        <Figure label="Mean P(alive)" value={formatShare(s.totals.meanPAlive)} sub={`${formatCount(Math.round(s.totals.expectedPurchases))} purchases expected`} testId="kpi-p-alive" />
      </div>
      <div className="grid-2">
        <Card title="CLV distribution" testId="chart-clv">
          {histogram && <Chart option={histogram} label="Customers per CLV band" height={280} />}
        </Card>
        <Card
          title="Model check: predicted vs actual"
          testId="chart-validation"
          actions={
            chosen && s.validation ? (
              <span className="muted">
                holdout {formatDecimal(s.validation.holdoutWeeks, 0)} wk: {formatCount(s.validation.actualHoldout)} actual vs {formatCount(Math.round(chosen.predictedHoldout))} predicted
              </span>
            ) : undefined
          }
        >
          {tracking ? (
            <Chart option={tracking} label="Cumulative repeat purchases per week, actual and model" height={280} />
          ) : (
            <EmptyState title="Too little history for a holdout check" />
          )}
          {s.validation && (
            <p className="card-note" style={{ marginTop: 8 }} data-testid="validation-models">
              Fitted on the first {formatDecimal(s.validation.calibrationWeeks, 0)} weeks; shaded weeks are the holdout.{' '}
              {s.validation.models.map((m) => `${m.model} MAE ${formatDecimal(m.meanAbsoluteError, 3)}`).join(' · ')} (chosen: lowest).
            </p>
          )}
        </Card>
      </div>
      {/* The radar and the actions give a reason per customer: full width, so the reasons are not squeezed into a
          narrow column of a half-width card. */}
      {radar.data ? <SilentChurnCard data={radar.data} currency={currency} /> : <Loading label="Loading radar…" />}
      <div className="grid-2">
        {risk.data ? <RevenueAtRiskCard data={risk.data} currency={currency} /> : <Loading label="Loading revenue at risk…" />}
        {personas.data ? <PersonasCard personas={personas.data} summary={s} currency={currency} /> : <Loading label="Loading personas…" />}
      </div>
      {actions.data ? <ActionsCard data={actions.data} currency={currency} /> : <Loading label="Loading next-best-actions…" />}
      <SegmentsCard saved={saved.data} workspace={workspace} currency={currency} onChanged={saved.reload} />
      <ErrorBanner message={personas.error ?? radar.error ?? risk.error ?? actions.error ?? saved.error} />
    </div>
  );
}
