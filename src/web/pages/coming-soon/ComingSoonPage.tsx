// Placeholder for a capability that is on the roadmap but not built: says so plainly.
import type { Capability } from '../../app/capabilities';
import { PageHeader } from '../../app/ui';

export function ComingSoonPage({ capability }: { capability: Capability }) {
  return (
    <div className="page" data-testid="coming-soon" data-capability={capability.slug}>
      <PageHeader title={capability.label} subtitle={capability.summary} testId="page-title" />
      <section className="card coming-soon">
        <span className="badge badge-muted">Not built yet</span>
        <p>
          This part of Kept does not exist yet. Nothing on this page is computed from your data, and no figures are
          shown until it is built.
        </p>
        {capability.planned.length > 0 && (
          <>
            <h2>What it is meant to show</h2>
            <ul className="plain-list">
              {capability.planned.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </>
        )}
        <p className="muted">
          In the meantime, <a href="#/overview">Overview</a> and <a href="#/customers">Customers</a> work on the data
          you have imported.
        </p>
      </section>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="page" data-testid="not-found">
      <PageHeader title="Page not found" testId="page-title" />
      <section className="card">
        <p>
          There is no page at this address. Go to the <a href="#/overview">Overview</a>.
        </p>
      </section>
    </div>
  );
}
