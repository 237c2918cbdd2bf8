// One row of the cross-channel timeline.
import type { TimelineItem } from '../../app/api-types';
import { formatInt, formatMoney, formatNumber, formatTime, humanize } from '../../app/format';

const KIND_LABELS: Record<TimelineItem['kind'], string> = {
  event: 'Event',
  order: 'Order',
  ticket: 'Ticket',
  feedback: 'Feedback',
};

/** The figure on the right of a timeline row. */
function valueText(item: TimelineItem, currency: string): string | null {
  if (item.value === null) return null;
  switch (item.kind) {
    case 'order':
      return formatMoney(item.value, item.currency ?? currency);
    case 'feedback':
      return `score ${item.value}`;
    case 'event':
      // An event's value has no unit (a basket, a count, a duration): shown as stored, not rounded.
      return `value ${formatNumber(item.value)}`;
    case 'ticket':
      return formatInt(item.value);
  }
}

/** An event's properties (a JSON object) as 'Key: value · …'; any other detail as it is. */
function detailText(item: TimelineItem): string | null {
  const detail = item.detail;
  if (item.kind !== 'event' || !detail?.startsWith('{')) return detail;
  try {
    const properties = JSON.parse(detail) as Record<string, unknown>;
    const parts = Object.entries(properties).map(([k, v]) => `${humanize(k)}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
    return parts.length > 0 ? parts.join(' · ') : null;
  } catch {
    return detail;
  }
}

export function TimelineEntry({ item, currency }: { item: TimelineItem; currency: string }) {
  const meta = [item.channel, item.touchpoint, item.team].filter((v): v is string => Boolean(v));
  const value = valueText(item, currency);
  const title = item.kind === 'event' ? humanize(item.title) : item.title;
  const detail = detailText(item);
  return (
    <li
      className={`timeline-item timeline-${item.kind}`}
      data-testid="timeline-item"
      data-kind={item.kind}
      data-item-id={item.id}
    >
      <time className="timeline-time" dateTime={item.at}>
        {formatTime(item.at)}
      </time>
      <span className="timeline-dot" aria-hidden="true" />
      <div className="timeline-body">
        <div className="timeline-title">
          <span className={`badge badge-kind-${item.kind}`}>{KIND_LABELS[item.kind]}</span>
          <span>{title}</span>
        </div>
        {meta.length > 0 && <div className="timeline-meta">{meta.map(humanize).join(' · ')}</div>}
        {detail && <div className="timeline-detail">{detail}</div>}
      </div>
      {value && <div className="timeline-value">{value}</div>}
    </li>
  );
}
