// The friction list: steps and handoffs ranked by delay × volume × downstream effect, each with its owner.
import { formatCount, formatDecimal } from '../../app/format';
import { Card, EmptyState } from '../../app/ui';
import { formatDuration, formatPct, type Friction, type FrictionValue } from './journey-types';

/** CLV of the item's customers and how the delayed ones compare with those on time (when value is computed). */
function FrictionValueLine({ value: v }: { value: FrictionValue }) {
  const both = v.slow !== null && v.onTime !== null;
  return (
    <div className="small muted friction-value" data-testid="friction-value">
      CLV {formatCount(Math.round(v.clv))} over {formatCount(v.customers)} customers (mean {formatCount(Math.round(v.meanClv))})
      {both ? (
        <>
          {' '}
          · delayed vs on time: CLV {formatCount(Math.round(v.slow!.meanClv))} vs {formatCount(Math.round(v.onTime!.meanClv))}, P(alive) {formatDecimal(v.slow!.meanPAlive, 2)} vs{' '}
          {formatDecimal(v.onTime!.meanPAlive, 2)}
          {v.clvGap !== null && v.clvGap > 0 && <> · CLV −{formatPct(v.clvGap)}</>}
        </>
      ) : (
        <> · {v.slow === null ? 'too few delayed customers' : 'too few on-time customers'} to compare</>
      )}
    </div>
  );
}

export function FrictionList({ friction, limit = 8 }: { friction: Friction; limit?: number }) {
  const items = friction.items.filter((i) => i.score > 0).slice(0, limit);
  return (
    <Card
      title="Friction"
      testId="friction-list"
      actions={<span className="muted">delay beyond target × volume × downstream effect (conversion, feedback, CLV)</span>}
    >
      {items.length === 0 ? (
        <EmptyState title="No friction measured">No step waits longer than its target.</EmptyState>
      ) : (
        <ol className="friction-list">
          {items.map((i) => (
            <li key={`${i.journeyId ?? ''}:${i.from}:${i.to}`} className="friction-item" data-testid="friction-item" data-from={i.from} data-to={i.to} data-kind={i.kind}>
              <div className="friction-rank">{i.rank}</div>
              <div className="friction-body">
                <div className="friction-title">
                  <strong>
                    {i.from} → {i.to}
                  </strong>{' '}
                  <span className={`badge ${i.kind === 'handoff' ? 'badge-over' : 'badge-muted'}`}>
                    {i.kind === 'handoff' ? `handoff ${i.fromTeam ?? i.owner?.name ?? '?'} → ${i.toTeam ?? i.nextOwner?.name ?? '?'}` : 'step'}
                  </span>
                </div>
                <div className="small muted">
                  {i.journey ?? 'Discovered'} · owner{' '}
                  {i.owner ? (
                    <a href={`#/journeys/owners/${encodeURIComponent(i.owner.name)}`} data-testid="friction-owner">
                      {i.owner.name}
                    </a>
                  ) : (
                    '—'
                  )}
                </div>
                <div className="small">
                  median {formatDuration(i.medianWaitS)}
                  {i.targetS !== null && <> vs target {formatDuration(i.targetS)}</>} · {formatCount(i.volume)} cases · {formatPct(i.slowShare)} slow ·{' '}
                  {formatDecimal(i.delayH, 1)} h lost each
                  {i.feedback.gap !== null && i.feedback.gap > 0 && <> · feedback −{formatPct(i.feedback.gap)}</>}
                  {i.conversion.gap !== null && i.conversion.gap > 0 && <> · conversion −{formatPct(i.conversion.gap, 1)}</>}
                </div>
                {i.value && <FrictionValueLine value={i.value} />}
              </div>
              <div className="friction-score" title="customer-hours beyond target, weighted by downstream effect">
                {formatCount(Math.round(i.score))}
                <div className="muted small">score</div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
