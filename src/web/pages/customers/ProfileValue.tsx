// Customer value on Customer 360: CLV, P(alive), expected purchases, RFM segment and persona (from the latest
// `kept value compute`; nothing is shown before it ran or for a customer without orders).
import type { CustomerProfile } from '../../app/api-types';
import { formatDate, formatDecimal, formatMoney } from '../../app/format';
import { Figure } from '../../app/ui';

export function ProfileValue({ value, currency }: { value: CustomerProfile['value']; currency: string | null }) {
  if (!value) return null;
  const tone = value.pAlive >= 0.7 ? 'good' : value.pAlive < 0.3 ? 'bad' : 'neutral';
  return (
    <div className="figure-grid figure-grid-4" data-testid="profile-value" style={{ marginTop: 12 }}>
      <Figure label="CLV (52 weeks)" value={formatMoney(value.clv, currency)} sub={`${value.model.toUpperCase()} · ${formatDate(value.computedAt)}`} testId="figure-clv" />
      <Figure label="P(alive)" value={`${Math.round(value.pAlive * 100)} %`} tone={tone} sub="chance they are still a customer" testId="figure-p-alive" />
      <Figure
        label="Expected purchases"
        value={formatDecimal(value.expectedPurchases, 1)}
        sub={value.expectedSpend !== null ? `${formatMoney(value.expectedSpend, currency)} per order expected` : 'next 52 weeks'}
        testId="figure-expected-purchases"
      />
      <Figure label="Segment" value={value.segment} sub={value.persona ?? undefined} testId="figure-segment" />
    </div>
  );
}
