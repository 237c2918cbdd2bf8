// The Value page's tables: silent-churn radar, revenue at risk, personas and RFM segments, next-best-actions.
import { formatCount, formatDecimal, formatMoney } from '../../app/format';
import { href } from '../../app/router';
import { Card, EmptyState } from '../../app/ui';
import { FrictionRiskTable } from './FrictionRiskTable';
import type { NextBestActions, Personas, RevenueAtRisk, SilentChurn, ValueSummary } from './value-types';

const pct = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${Math.round(p * 100)} %`);
const customerLink = (id: number, name: string | null) => <a href={href(`/customers/${id}`)}>{name ?? `#${id}`}</a>;

export function SilentChurnCard({ data, currency }: { data: SilentChurn; currency: string | null }) {
  return (
    <Card
      title="Silent-churn radar"
      testId="silent-churn"
      actions={
        <span className="muted">
          {formatCount(data.total)} customers · {formatMoney(data.valueAtStake, currency, { compact: true })} at stake
        </span>
      }
    >
      <p className="card-note">
        Satisfied customers (good recent scores, no complaints, no open ticket) buying well below their own past pace
        in the last {data.recentWeeks} weeks, ranked by the yearly value at stake.
      </p>
      {data.items.length === 0 ? (
        <EmptyState title="Nobody is fading quietly right now" />
      ) : (
        <table className="table" data-testid="silent-churn-table">
          <thead>
            <tr>
              <th>Customer</th>
              <th className="num">At stake</th>
              <th className="num">CLV</th>
              <th className="num">P(alive)</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.profileId} data-testid="silent-churn-row">
                <td>
                  {customerLink(c.profileId, c.name)}
                  <div className="muted small">{c.segment}</div>
                </td>
                <td className="num">{formatMoney(c.valueAtStake, currency)}</td>
                <td className="num">{formatMoney(c.clv, currency)}</td>
                <td className="num">
                  {pct(c.pAlive)}
                  {c.pAliveBefore !== null && <div className="muted small">was {pct(c.pAliveBefore)}</div>}
                </td>
                <td className="small">{c.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function RevenueAtRiskCard({ data, currency }: { data: RevenueAtRisk; currency: string | null }) {
  const money = (v: number) => formatMoney(v, currency, { compact: true });
  return (
    <Card
      title="Revenue at risk"
      testId="revenue-at-risk"
      actions={<span className="muted">{money(data.totalAtRisk)} of {money(data.totalClv)} CLV</span>}
    >
      <p className="card-note">At risk = CLV × (1 − P(alive)): the value that hinges on whether they are still customers.</p>
      <table className="table" data-testid="risk-failures">
        <thead>
          <tr>
            <th>Service failure (last {data.recentWeeks} weeks)</th>
            <th className="num">Customers</th>
            <th className="num">CLV</th>
            <th className="num">At risk</th>
            <th className="num">P(alive) vs others</th>
          </tr>
        </thead>
        <tbody>
          {data.byServiceFailure.map((f) => (
            <tr key={f.key}>
              <td>{f.label}</td>
              <td className="num">{formatCount(f.customers)}</td>
              <td className="num">{money(f.clv)}</td>
              <td className="num">{money(f.atRisk)}</td>
              <td className="num">
                {pct(f.meanPAlive)} vs {pct(f.others.meanPAlive)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FrictionRiskTable items={data.byFrictionItem} currency={currency} />
      <div className="subheading">By segment</div>
      <table className="table" data-testid="risk-segments">
        <thead>
          <tr>
            <th>Segment</th>
            <th className="num">Customers</th>
            <th className="num">CLV</th>
            <th className="num">At risk</th>
            <th className="num">Mean P(alive)</th>
          </tr>
        </thead>
        <tbody>
          {data.bySegment.map((g) => (
            <tr key={g.key}>
              <td>{g.key}</td>
              <td className="num">{formatCount(g.customers)}</td>
              <td className="num">{money(g.clv)}</td>
              <td className="num">{money(g.atRisk)}</td>
              <td className="num">{pct(g.meanPAlive)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function PersonasCard({ personas, summary, currency }: { personas: Personas; summary: ValueSummary; currency: string | null }) {
  return (
    <Card title="Personas and segments" testId="personas" actions={<span className="muted">{personas.k} behavioural clusters</span>}>
      <ul className="plain-list" data-testid="persona-list">
        {personas.personas.map((p) => (
          <li key={p.name} data-testid="persona" style={{ marginBottom: 10 }}>
            <strong>{p.name}</strong>{' '}
            <span className="muted">
              · {formatCount(p.customers)} customers ({Math.round(p.share * 100)} %) · mean CLV {formatMoney(p.meanClv, currency)} · P(alive){' '}
              {pct(p.meanPAlive)}
            </span>
            <div className="small">{p.description}</div>
          </li>
        ))}
      </ul>
      <div className="subheading">RFM segments</div>
      <table className="table" data-testid="rfm-segments">
        <tbody>
          {summary.segments.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td className="num">{formatCount(s.customers)}</td>
              <td className="num">{formatMoney(s.clv, currency, { compact: true })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function ActionsCard({ data, currency }: { data: NextBestActions; currency: string | null }) {
  return (
    <Card title="Next-best-actions" testId="next-best-actions" actions={<span className="muted">{formatCount(data.total)} proposals</span>}>
      <p className="card-note">
        {data.byRule
          .filter((r) => r.enabled)
          .map((r) => `${r.action}: ${formatCount(r.customers)}`)
          .join(' · ')}
      </p>
      <table className="table" data-testid="nba-table">
        <thead>
          <tr>
            <th>Customer</th>
            <th>Action</th>
            <th>Why</th>
            <th className="num">CLV</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((a) => (
            <tr key={a.profileId} data-testid="nba-row">
              <td>{customerLink(a.profileId, a.name)}</td>
              <td>{a.action}</td>
              <td className="small">{a.reason}</td>
              <td className="num">{formatMoney(a.clv, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export const formatShare = (v: number) => `${formatDecimal(v * 100, 0)} %`;
