// Why this profile is one customer: every identity it holds, how each was linked, and where it came from.
import type { CustomerProfile, IdentityType } from '../../app/api-types';
import { formatDate, humanize } from '../../app/format';
import { Card } from '../../app/ui';

const TYPE_LABELS: Record<IdentityType, string> = {
  customer_id: 'Customer id',
  email: 'Email',
  phone: 'Phone',
  anonymous_id: 'Anonymous id',
};

/** Show the normalised matching key only when normalising changed more than case or added the type prefix. */
function showKey(key: string, value: string): boolean {
  return !key.toLowerCase().endsWith(value.toLowerCase());
}

/** `linkedBy` is either a token (`email`, `source_record`) or already a sentence; show both readably. */
function linkText(linkedBy: string): string {
  return /^[a-z0-9_:-]+$/.test(linkedBy) ? humanize(linkedBy.replace(/:/g, ' ')) : linkedBy;
}

export function IdentitiesCard({ identities, profileId, merges }: Pick<CustomerProfile, 'identities' | 'profileId' | 'merges'>) {
  // An identity first linked to another profile is here because that profile was merged into this one.
  const mergeOf = new Map(merges.map((m) => [m.fromProfileId, m]));
  const viaMerge = (origin: number) => {
    if (origin === profileId) return null;
    const m = mergeOf.get(origin);
    return m ? `came with profile #${origin}, merged in: ${m.reason}` : `came with profile #${origin}, merged in`;
  };
  return (
    <Card title={`Identities (${identities.length})`} testId="identities">
      <p className="card-note">
        Every identifier below belongs to this profile. <em>Linked by</em> says what tied it here; <em>Source</em> is
        the record it came from.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Type</th>
            <th>Value</th>
            <th>Linked by</th>
            <th>Source</th>
            <th>First seen</th>
          </tr>
        </thead>
        <tbody>
          {identities.map((i) => (
            <tr key={i.key} data-testid="identity-row" data-identity-type={i.type}>
              <td>
                <span className={`badge badge-id-${i.type}`}>{TYPE_LABELS[i.type] ?? humanize(i.type)}</span>
              </td>
              <td>
                <div className="identity-value" title={`Matching key: ${i.key}`}>
                  {i.value}
                </div>
                {showKey(i.key, i.value) && <div className="mono muted small">{i.key}</div>}
              </td>
              <td>
                {linkText(i.linkedBy)}
                {viaMerge(i.originProfileId) && <div className="muted small">{viaMerge(i.originProfileId)}</div>}
              </td>
              <td className="mono small">{i.sourceRef}</td>
              <td>{formatDate(i.firstSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
