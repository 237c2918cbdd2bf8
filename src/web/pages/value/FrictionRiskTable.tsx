// Revenue at risk per journey friction item: the customers delayed beyond the step's target there, their CLV and
// value at risk, and their P(alive) against the customers who were on time there.
import { formatCount, formatMoney } from '../../app/format';
import type { FrictionExposure } from './value-types';

const pct = (v: number) => `${Math.round(v * 100)}%`;
/** As the friction ranking: fewer on-time customers than this are not compared. */
const MIN_GROUP = 10;

export function FrictionRiskTable({
  items,
  currency,
}: {
  items: readonly FrictionExposure[];
  currency: string | null;
}) {
  const money = (v: number) => formatMoney(v, currency, { compact: true });
  if (items.length === 0) return null;
  return (
    <>
      <div className="subheading">By journey friction (customers delayed there)</div>
      <table className="table" data-testid="risk-friction">
        <thead>
          <tr>
            <th>Friction item</th>
            <th className="num">Delayed</th>
            <th className="num">CLV</th>
            <th className="num">At risk</th>
            <th className="num" title="mean P(alive) of the delayed customers / of those on time there">
              P(alive)
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr key={f.key} data-testid="risk-friction-item" data-from={f.from} data-to={f.to}>
              <td style={{ minWidth: 170 }}>
                <a href={`#/journeys${f.journeyId ? `?journey=${encodeURIComponent(f.journeyId)}` : ''}`}>
                  {f.from} → {f.to}
                </a>
                <div className="muted small">
                  #{f.rank} in friction · {f.journey ?? 'discovered'}
                  {f.owner && <> · owner {f.owner}</>}
                </div>
              </td>
              <td className="num">{formatCount(f.customers)}</td>
              <td className="num">{money(f.clv)}</td>
              <td className="num">{money(f.atRisk)}</td>
              <td className="num">
                {pct(f.meanPAlive)}
                <div className="muted small">
                  on time {f.others.customers >= MIN_GROUP ? pct(f.others.meanPAlive) : '—'}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
