// Key figures of one customer: when we first/last saw them, what they bought, what they said, what is open.
import type { CustomerProfile } from '../../app/api-types';
import { formatCount, formatDate, formatDecimal, formatMoney, formatRelative, mainCurrencyOrders } from '../../app/format';
import { Figure } from '../../app/ui';

export function ProfileFigures({ figures }: { figures: CustomerProfile['figures'] }) {
  const f = figures;
  // Revenue is in the main currency only: so is the average order.
  const main = mainCurrencyOrders(f);
  const nps = f.latestNps;
  const csat = f.latestCsat;
  const npsTone = nps ? (nps.score >= 9 ? 'good' : nps.score <= 6 ? 'bad' : 'neutral') : undefined;
  return (
    <div className="figure-grid figure-grid-4">
      <Figure
        label="First seen"
        value={formatDate(f.firstSeenAt)}
        sub={formatRelative(f.firstSeenAt)}
        testId="figure-first-seen"
      />
      <Figure
        label="Last seen"
        value={formatDate(f.lastSeenAt)}
        sub={formatRelative(f.lastSeenAt)}
        testId="figure-last-seen"
      />
      <Figure
        label="Events"
        value={formatCount(f.events)}
        sub={`${formatCount(f.feedback)} feedback responses`}
        testId="figure-events"
      />
      <Figure
        label="Orders"
        value={formatCount(f.orders)}
        sub={`${formatCount(f.tickets)} support tickets`}
        testId="figure-orders"
      />
      <Figure
        label="Revenue"
        value={f.orders > 0 ? formatMoney(f.revenue, f.currency, { compact: true }) : '—'}
        sub={main.orders > 0 ? [`${formatMoney(f.revenue / main.orders, f.currency)} per order`, main.note].filter(Boolean).join(' · ') : main.note ?? 'no orders'}
        testId="figure-revenue"
      />
      <Figure
        label="Latest NPS"
        value={nps ? String(nps.score) : '—'}
        tone={npsTone}
        sub={nps ? `on ${formatDate(nps.at)}` : 'no NPS response'}
        testId="figure-nps"
      />
      <Figure
        label="Latest CSAT"
        value={csat ? formatDecimal(csat.score, Number.isInteger(csat.score) ? 0 : 1) : '—'}
        sub={csat ? `on ${formatDate(csat.at)}` : 'no CSAT response'}
        testId="figure-csat"
      />
      <Figure
        label="Open tickets"
        value={formatCount(f.openTickets)}
        tone={f.openTickets > 0 ? 'bad' : undefined}
        sub={`of ${formatCount(f.tickets)} tickets`}
        testId="figure-open-tickets"
      />
    </div>
  );
}
