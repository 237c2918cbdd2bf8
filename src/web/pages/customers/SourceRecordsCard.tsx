// The records in source systems (shop, helpdesk, CRM…) that were unified into this profile.
import type { CustomerProfile } from '../../app/api-types';
import { humanize } from '../../app/format';
import { Card, EmptyState } from '../../app/ui';

export function SourceRecordsCard({ records }: Pick<CustomerProfile, 'records'>) {
  return (
    <Card title={`Source records (${records.length})`} testId="records">
      {records.length === 0 ? (
        <EmptyState title="No source records">This profile is known only from events.</EmptyState>
      ) : (
        <ul className="record-list">
          {records.map((r) => (
            <li key={`${r.source}:${r.customerId}`} className="record-item" data-testid="record-row">
              <div className="record-head">
                <span className="record-source">{humanize(r.source)}</span>
                <span className="mono small">{r.customerId}</span>
              </div>
              <div className="muted small">
                {[r.name, r.email, r.phone].filter(Boolean).join(' · ') || 'No name or contact details'}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
