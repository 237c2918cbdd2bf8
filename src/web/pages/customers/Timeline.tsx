// The customer's cross-channel timeline: newest first, grouped by day, filterable by kind and channel.
import { useState } from 'react';
import { TIMELINE_KINDS, type TimelineItem, type TimelineKind } from '../../app/api-types';
import { formatDate, humanize } from '../../app/format';
import { Card, EmptyState, ErrorBanner, Loading } from '../../app/ui';
import { usePagedList } from '../../app/use-api';
import { TimelineEntry } from './TimelineEntry';

const PAGE_SIZE = 50;

function dayOf(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toDateString();
}

/** Consecutive items of the same local day, in the order received. */
function groupByDay(items: TimelineItem[]): { day: string; items: TimelineItem[] }[] {
  const groups: { day: string; items: TimelineItem[] }[] = [];
  for (const item of items) {
    const day = dayOf(item.at);
    const last = groups.at(-1);
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

export function Timeline({
  profileId,
  workspace,
  currency,
  refreshKey,
}: {
  profileId: number;
  workspace: string;
  currency: string;
  /** Bump to reload from the first page, keeping the filters (e.g. after an unmerge). */
  refreshKey: number;
}) {
  const [kinds, setKinds] = useState<TimelineKind[]>([...TIMELINE_KINDS]);
  const [channel, setChannel] = useState('');
  const [channels, setChannels] = useState<string[]>([]);
  const list = usePagedList<TimelineItem>(
    `/customers/${profileId}/timeline`,
    {
      workspace,
      kinds: kinds.join(','),
      channel,
      limit: PAGE_SIZE,
    },
    refreshKey,
  );

  // Channels offered in the filter: every channel seen so far for this customer (the list only grows).
  const seen = list.items
    .map((i) => i.channel)
    .filter((c): c is string => Boolean(c) && !channels.includes(c as string));
  if (seen.length > 0) setChannels([...new Set([...channels, ...seen])].sort());

  const toggleKind = (kind: TimelineKind) =>
    setKinds((current) =>
      current.includes(kind)
        ? current.filter((k) => k !== kind)
        : TIMELINE_KINDS.filter((k) => k === kind || current.includes(k)),
    );

  const filters = (
    <div className="toolbar">
      <fieldset className="checkbox-group">
        <legend className="sr-only">Kinds</legend>
        {TIMELINE_KINDS.map((kind) => {
          const checked = kinds.includes(kind);
          return (
            <label key={kind} className="checkbox">
              <input
                type="checkbox"
                data-testid={`timeline-kind-${kind}`}
                checked={checked}
                disabled={checked && kinds.length === 1}
                onChange={() => toggleKind(kind)}
              />
              {humanize(kind)}
            </label>
          );
        })}
      </fieldset>
      <select
        aria-label="Channel"
        data-testid="timeline-channel"
        value={channel}
        onChange={(e) => setChannel(e.target.value)}
      >
        <option value="">All channels</option>
        {channels.map((c) => (
          <option key={c} value={c}>
            {humanize(c)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <Card title="Timeline" actions={filters} testId="timeline">
      <ErrorBanner message={list.error} onRetry={list.reload} />
      {list.loading && list.items.length === 0 && !list.error ? (
        <Loading label="Loading timeline…" />
      ) : list.items.length === 0 && list.error ? null : list.items.length === 0 && !list.loading ? (
        <EmptyState title="Nothing on the timeline">
          No {kinds.length < TIMELINE_KINDS.length ? 'matching ' : ''}activity recorded for this customer.
        </EmptyState>
      ) : (
        <ol className={`timeline ${list.loading ? 'stale' : ''}`}>
          {groupByDay(list.items).flatMap((group, index) => [
            <li className="timeline-day" key={`day-${index}-${group.day}`}>
              {formatDate(group.items[0]?.at)}
            </li>,
            ...group.items.map((item) => (
              <TimelineEntry key={`${item.kind}-${item.id}`} item={item} currency={currency} />
            )),
          ])}
        </ol>
      )}
      {list.hasMore && (
        <div className="list-footer">
          <span className="muted">{list.items.length} shown</span>
          <button
            type="button"
            className="button"
            data-testid="timeline-more"
            disabled={list.loadingMore}
            onClick={list.loadMore}
          >
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </Card>
  );
}
