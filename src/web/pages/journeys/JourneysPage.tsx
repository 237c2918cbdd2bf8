// Journeys: the designed journey next to how customers actually move — designed vs actual per step, the funnel,
// the friction list with owners, and the process map mined from every event.
// The selected journey lives in the URL: #/journeys?journey=returns.
import { useMemo } from 'react';
import { Chart } from '../../app/LazyEChart';
import { formatDecimal } from '../../app/format';
import { replaceRoute } from '../../app/router';
import { Card, EmptyState, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import { DesignedVsActual } from './DesignedVsActual';
import { FrictionList } from './FrictionList';
import { funnelOption } from './journey-charts';
import type { Conformance, Discovery, Friction, Funnel, StoredJourney } from './journey-types';
import { formatPct } from './journey-types';
import { ProcessMap } from './ProcessMap';
import './journeys.css';

export function JourneysPage({ query }: { query: URLSearchParams }) {
  const workspace = useWorkspaceId();
  const designed = useApiGet<{ items: StoredJourney[] }>('/journeys/designed', { workspace });
  const items = designed.data?.items ?? [];
  const selected = items.find((j) => j.id === query.get('journey')) ?? items[0];
  const id = selected ? encodeURIComponent(selected.id) : null;
  const funnel = useApiGet<Funnel>(id ? `/journeys/designed/${id}/funnel` : null, { workspace });
  const fit = useApiGet<Conformance>(id ? `/journeys/designed/${id}/conformance` : null, { workspace });
  const friction = useApiGet<Friction>('/journeys/friction', { workspace, limit: 20 });
  const discovery = useApiGet<Discovery>('/journeys/discover', { workspace, activity: 'type' });
  const funnelChart = useMemo(() => (funnel.data ? funnelOption(funnel.data.steps) : undefined), [funnel.data]);

  const picker = (
    <div className="toolbar">
      {items.length > 0 && (
        <label className="field-inline">
          <span>Designed journey</span>
          <select data-testid="journey-picker" value={selected?.id ?? ''} onChange={(e) => replaceRoute('/journeys', { journey: e.target.value })}>
            {items.map((j) => (
              <option key={j.id} value={j.id}>
                {j.journey.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {selected && (
        <a className="button" href={`#/journeys/designed/${encodeURIComponent(selected.id)}/edit`} data-testid="journey-edit">
          Edit journey
        </a>
      )}
      <a className="button" href="#/journeys/designed/new" data-testid="journey-new">
        New journey
      </a>
    </div>
  );

  const error = designed.error ?? funnel.error ?? friction.error ?? discovery.error;
  return (
    <div className="page" data-testid="journeys-page">
      <PageHeader
        title="Journeys"
        testId="page-title"
        subtitle={
          selected
            ? `${selected.journey.name} · owner ${selected.journey.owner} · objective: ${selected.journey.revenue_objective.description}`
            : 'How customers should be handled, and how they actually are'
        }
        actions={picker}
      />
      <ErrorBanner message={error} onRetry={() => window.location.reload()} />
      {designed.loading && !designed.data && <Loading label="Loading journeys…" />}
      {designed.data && items.length === 0 && (
        <EmptyState title="No designed journey yet">
          <a href="#/journeys/designed/new">Design one here</a>, or define one with <code>PUT /api/v1/journeys/designed/:id</code> or <code>kept journey define FILE.json</code>; the process map and
          friction below come from the events alone.
        </EmptyState>
      )}
      {funnel.data && <DesignedVsActual funnel={funnel.data} />}
      <div className="grid-2">
        {selected && (
          <Card
            title="Funnel"
            testId="journey-funnel"
            actions={
              fit.data && (
                <span className="muted" data-testid="journey-fitness" title="token-replay fitness against the designed model">
                  fitness {formatDecimal(fit.data.logFitness, 3)} · {formatPct(fit.data.fitCasesPct / 100)} of cases fit
                </span>
              )
            }
          >
            {funnelChart && funnel.data ? (
              <>
                <p className="card-note">Reached: the step happened at all. Reached in order: steps 1…k one after another within {funnel.data.windowDays} days.</p>
                <Chart option={funnelChart} height={260} label="Funnel: reached and reached in order per step" />
              </>
            ) : (
              <Loading label="Measuring the funnel…" />
            )}
          </Card>
        )}
        {friction.data ? <FrictionList friction={friction.data} /> : <Loading label="Ranking friction…" />}
      </div>
      <div className="stack" style={{ marginTop: 16 }}>
        {discovery.data ? <ProcessMap discovery={discovery.data} /> : <Loading label="Mining the process from every event…" />}
      </div>
    </div>
  );
}
