// Designed vs actual: each step as designed (owner, measure, target to the next step) next to what the events
// show (cases that reached it, in order, and the measured median time to the next step).
import { formatCount } from '../../app/format';
import { Card } from '../../app/ui';
import { formatDuration, type Funnel } from './journey-types';

export function DesignedVsActual({ funnel }: { funnel: Funnel }) {
  const steps = funnel.steps;
  return (
    <Card title="Designed vs actual" testId="designed-vs-actual" actions={<span className="muted">{formatCount(funnel.cases)} cases</span>}>
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>Owner</th>
            <th>Success measure</th>
            <th className="num">Target to next</th>
            <th className="num">Measured median</th>
            <th className="num">p90</th>
            <th className="num">Reached in order</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => {
            const next = steps[i + 1]?.timeFromPrevious ?? null;
            const median = next?.medianS ?? null;
            const over = s.targetToNextS !== null && median !== null && median > s.targetToNextS;
            return (
              <tr key={s.step} data-testid="designed-step" data-over-target={over ? 'true' : 'false'}>
                <td className="muted">{i + 1}</td>
                <td>
                  <strong>{s.step}</strong>
                </td>
                <td>
                  <a href={`#/journeys/owners/${encodeURIComponent(s.owner.name)}`} data-testid="owner-link">
                    {s.owner.name}
                  </a>
                  <div className="muted small">{s.owner.kind}</div>
                </td>
                <td className="small">{s.successMeasure}</td>
                <td className="num">{s.targetToNextS === null ? '—' : formatDuration(s.targetToNextS)}</td>
                <td className="num">
                  {i + 1 < steps.length ? (
                    <span className={`badge ${over ? 'badge-over' : s.targetToNextS === null ? 'badge-muted' : 'badge-ok'}`} data-testid="measured-median">
                      {formatDuration(median)}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="num">{i + 1 < steps.length ? formatDuration(next?.p90S) : '—'}</td>
                <td className="num">
                  {formatCount(s.reachedInOrder)} <span className="muted small">/ {formatCount(s.reached)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
