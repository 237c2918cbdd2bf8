// The eight headline figures of the Overview page.
import type { Overview } from '../../app/api-types';
import { formatCount, formatDecimal, formatMoney, formatNps, mainCurrencyOrders } from '../../app/format';
import { Figure } from '../../app/ui';

function npsTone(score: number | null): 'good' | 'bad' | 'neutral' | undefined {
  if (score === null) return undefined;
  return score >= 30 ? 'good' : score < 0 ? 'bad' : 'neutral';
}

function responses(n: number): string {
  return n === 1 ? '1 response' : `${formatCount(n)} responses`;
}

function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

export function OverviewKpis({ totals, scores }: Pick<Overview, 'totals' | 'scores'>) {
  const { nps, csat, ces } = scores;
  // Revenue is in the main currency only: so is the average.
  const main = mainCurrencyOrders(totals);
  const averageOrder = main.orders > 0 ? totals.revenue / main.orders : null;
  return (
    <div className="figure-grid figure-grid-4">
      <Figure
        label="Profiles"
        value={formatCount(totals.profiles)}
        sub={`${formatCount(totals.customers)} customer records`}
        testId="kpi-profiles"
      />
      <Figure
        label="Events"
        value={formatCount(totals.events)}
        sub="interactions on every channel"
        testId="kpi-events"
      />
      <Figure
        label="Orders"
        value={formatCount(totals.orders)}
        sub={totals.profiles > 0 ? `${formatDecimal(totals.orders / totals.profiles, 1)} per profile` : undefined}
        testId="kpi-orders"
      />
      <Figure
        label="Revenue"
        value={formatMoney(totals.revenue, totals.currency, { compact: true })}
        sub={[averageOrder !== null ? `${formatMoney(averageOrder, totals.currency)} per order` : null, main.note].filter(Boolean).join(' · ') || undefined}
        testId="kpi-revenue"
      />
      <Figure
        label="Tickets"
        value={formatCount(totals.tickets)}
        sub={`${formatCount(totals.feedback)} feedback responses`}
        testId="kpi-tickets"
      />
      <Figure
        label="NPS"
        value={formatNps(nps.score)}
        tone={npsTone(nps.score)}
        sub={
          nps.responses > 0
            ? `${percent(nps.promoters, nps.responses)} promoters · ${percent(nps.detractors, nps.responses)} detractors`
            : 'no responses'
        }
        title={
          nps.responses > 0
            ? `${responses(nps.responses)}: ${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors`
            : undefined
        }
        testId="kpi-nps"
      />
      <Figure
        label="CSAT"
        value={formatDecimal(csat.average)}
        sub={csat.responses > 0 ? `average of ${responses(csat.responses)}` : 'no responses'}
        testId="kpi-csat"
      />
      <Figure
        label="CES"
        value={formatDecimal(ces.average)}
        sub={ces.responses > 0 ? `average of ${responses(ces.responses)}` : 'no responses'}
        testId="kpi-ces"
      />
    </div>
  );
}
