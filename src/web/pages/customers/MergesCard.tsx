// Profiles merged into this one, each with an "Unmerge" that asks for confirmation first; and the merges that were
// undone, so either side can tell why the two stay apart.
import { useState } from 'react';
import { apiPost, errorMessage } from '../../app/api';
import type { CustomerProfile, UnmergeResult } from '../../app/api-types';
import { formatDateTime } from '../../app/format';
import { href } from '../../app/router';
import { Card, EmptyState, ErrorBanner } from '../../app/ui';

export function MergesCard({
  profileId,
  workspace,
  merges,
  undone,
  onUnmerged,
}: {
  profileId: number;
  workspace: string;
  merges: CustomerProfile['merges'];
  undone: CustomerProfile['undoneMerges'];
  onUnmerged: (result: UnmergeResult) => void;
}) {
  const [confirming, setConfirming] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<UnmergeResult | null>(null);

  const unmerge = (mergeId: number) => {
    setBusy(mergeId);
    setError(undefined);
    apiPost<UnmergeResult>(`/customers/${profileId}/unmerge`, { workspace }, { mergeId }).then(
      (result) => {
        setBusy(null);
        setConfirming(null);
        setDone(result);
        onUnmerged(result);
      },
      (err: unknown) => {
        setBusy(null);
        setError(errorMessage(err));
      },
    );
  };

  return (
    <Card title={`Merges (${merges.length})`} testId="merges">
      <ErrorBanner message={error} />
      {done && <UnmergeNotice result={done} />}
      {merges.length === 0 && undone.length > 0 ? (
        <p className="muted small">No merges in effect.</p>
      ) : merges.length === 0 ? (
        <EmptyState title="No merges">This profile was never merged with another one.</EmptyState>
      ) : (
        <ul className="merge-list">
          {merges.map((m) => (
            <li key={m.mergeId} className="merge-item" data-testid="merge-row" data-merge-id={m.mergeId}>
              <div className="merge-text">
                <div>
                  Profile <span className="mono">#{m.fromProfileId}</span> merged in via{' '}
                  <span className="mono">{m.viaKey}</span>
                </div>
                <div className="muted small">
                  {m.reason} · {formatDateTime(m.mergedAt)}
                </div>
              </div>
              {confirming === m.mergeId ? (
                <div className="merge-confirm">
                  <span className="small">Split #{m.fromProfileId} back out?</span>
                  <button
                    type="button"
                    className="button button-danger button-small"
                    data-testid="unmerge-confirm"
                    disabled={busy !== null}
                    onClick={() => unmerge(m.mergeId)}
                  >
                    {busy === m.mergeId ? 'Unmerging…' : 'Yes, unmerge'}
                  </button>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    data-testid="unmerge-cancel"
                    // The confirm controls replace the button that had focus: keep keyboard users on the safe choice.
                    autoFocus
                    disabled={busy !== null}
                    onClick={() => setConfirming(null)}
                  >
                    Cancel
                  </button>
                </div>
              ) : (
                <button
                  type="button"
                  className="button button-small"
                  data-testid="unmerge-button"
                  onClick={() => setConfirming(m.mergeId)}
                >
                  Unmerge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {undone.length > 0 && <UndoneMerges undone={undone} />}
    </Card>
  );
}

function UndoneMerges({ undone }: { undone: CustomerProfile['undoneMerges'] }) {
  return (
    <div data-testid="undone-merges">
      <div className="subheading">Undone ({undone.length}): kept apart</div>
      <ul className="merge-list">
        {undone.map((m) => (
          <li key={m.mergeId} className="merge-item" data-testid="undone-merge-row">
            <div className="merge-text">
              <div>
                Profile <a href={href(`/customers/${m.fromProfileId}`)}>#{m.fromProfileId}</a> was merged into{' '}
                <a href={href(`/customers/${m.intoProfileId}`)}>#{m.intoProfileId}</a> via <span className="mono">{m.viaKey}</span>; undone{' '}
                {formatDateTime(m.unmergedAt)}
              </div>
              <div className="muted small">
                {m.reason} · merged {formatDateTime(m.mergedAt)}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function UnmergeNotice({ result }: { result: UnmergeResult }) {
  return (
    <div className="notice" role="status" data-testid="unmerge-notice">
      Unmerged. Profile <a href={href(`/customers/${result.restoredProfileId}`)}>#{result.restoredProfileId}</a> is a
      separate customer again.
    </div>
  );
}
