// Customer 360 (#/customers/:profileId): who the customer is, why we think so, and everything they did.
import { useState } from 'react';
import type { CustomerProfile } from '../../app/api-types';
import { formatCount } from '../../app/format';
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import { customersListHref } from './CustomersPage';
import { IdentitiesCard } from './IdentitiesCard';
import { MergesCard } from './MergesCard';
import { ProfileFigures } from './ProfileFigures';
import { ProfileValue } from './ProfileValue';
import { SourceRecordsCard } from './SourceRecordsCard';
import { Timeline } from './Timeline';

function BackLink() {
  return (
    <a className="back-link" href={customersListHref()}>
      ← Customers
    </a>
  );
}

export function CustomerProfilePage({ profileId }: { profileId: number }) {
  const workspace = useWorkspaceId();
  const {
    data: profile,
    error,
    errorStatus,
    loading,
    reload,
  } = useApiGet<CustomerProfile>(`/customers/${profileId}`, { workspace });
  const [timelineVersion, setTimelineVersion] = useState(0);

  // An unmerge moves identities, records and activity to the restored profile: refresh everything shown.
  const onUnmerged = () => {
    reload();
    setTimelineVersion((v) => v + 1);
  };

  if (!profile && errorStatus === 404) {
    return (
      <div className="page" data-testid="profile-page">
        <BackLink />
        <PageHeader title="Customer not found" subtitle={<>No profile #{profileId} in this workspace.</>} />
        <EmptyState title="Nothing to show">Search the customers for a name or identifier instead.</EmptyState>
      </div>
    );
  }
  if (!profile) {
    return (
      <div className="page" data-testid="profile-page">
        <BackLink />
        <ErrorBanner message={error} onRetry={reload} />
        {loading && <Loading label="Loading customer…" />}
      </div>
    );
  }

  const name = profile.name ?? `Unnamed customer #${profile.profileId}`;
  return (
    <div className={`page ${loading ? 'stale' : ''}`} data-testid="profile-page" data-profile-id={profile.profileId}>
      <BackLink />
      <PageHeader
        title={<span data-testid="profile-name">{name}</span>}
        subtitle={
          <>
            Profile <span className="mono">#{profile.profileId}</span> · {formatCount(profile.identities.length)}{' '}
            identities · {formatCount(profile.records.length)} source records · {formatCount(profile.merges.length)}{' '}
            merges
          </>
        }
      />
      <ErrorBanner message={error} onRetry={reload} />
      <ProfileFigures figures={profile.figures} />
      <ProfileValue value={profile.value} currency={profile.figures.currency} />
      <IdentitiesCard identities={profile.identities} profileId={profile.profileId} merges={profile.merges} />
      <div className="grid-profile">
        <Timeline
          profileId={profile.profileId}
          workspace={workspace}
          currency={profile.figures.currency}
          refreshKey={timelineVersion}
        />
        <div className="stack">
          <MergesCard
            profileId={profile.profileId}
            workspace={workspace}
            merges={profile.merges}
            undone={profile.undoneMerges}
            onUnmerged={onUnmerged}
          />
          <SourceRecordsCard records={profile.records} />
        </div>
      </div>
    </div>
  );
}
