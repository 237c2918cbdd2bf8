// The application frame: navigation, header and the page for the current route.
import { useEffect, type ReactNode } from 'react';
import { findCapability } from './capabilities';
import { Header } from './Header';
import { Nav } from './Nav';
import { useRoute, type Route } from './router';
import { EmptyState, ErrorBanner, Loading } from './ui';
import { useWorkspaces } from './workspace';
import { OverviewPage } from '../pages/overview/OverviewPage';
import { CustomersPage } from '../pages/customers/CustomersPage';
import { CustomerProfilePage } from '../pages/customers/CustomerProfilePage';
import { ComingSoonPage, NotFoundPage } from '../pages/coming-soon/ComingSoonPage';
import { ValuePage } from '../pages/value/ValuePage';
import { JourneysPage } from '../pages/journeys/JourneysPage';
import { OwnerPage } from '../pages/journeys/OwnerPage';
import { JourneyEditor } from '../pages/journeys/JourneyEditor';

/** Routes: #/overview (also #/), #/customers?q=, #/customers/:profileId, #/journeys?journey=, #/journeys/owners/:owner,
 *  #/journeys/designed/new, #/journeys/designed/:id/edit, #/<capability>. */
function resolve(route: Route): { slug: string; title: string; render: () => ReactNode } {
  const [first = 'overview', second] = route.segments;
  // Pages without sub-pages do not take extra path segments ('#/overview/x' is not the Overview).
  if (['overview', 'value'].includes(first) && route.segments.length > 1) return { slug: first, title: 'Not found', render: () => <NotFoundPage /> };
  if (first === 'overview')
    return { slug: first, title: 'Overview', render: () => <OverviewPage query={route.query} /> };
  if (first === 'customers' && second !== undefined) {
    // A profile id is written in digits ('1e3' is not profile 1000).
    const id = /^\d{1,15}$/.test(second) && route.segments.length === 2 ? Number(second) : 0;
    if (id <= 0) return { slug: first, title: 'Not found', render: () => <NotFoundPage /> };
    return { slug: first, title: 'Customer 360', render: () => <CustomerProfilePage key={id} profileId={id} /> };
  }
  if (first === 'customers') {
    return { slug: first, title: 'Customers', render: () => <CustomersPage query={route.query.get('q') ?? ''} /> };
  }
  if (first === 'journeys' && second === 'owners' && route.segments[2]) {
    const owner = route.segments[2];
    return { slug: first, title: 'Owner scorecard', render: () => <OwnerPage key={owner} owner={owner} /> };
  }
  if (first === 'journeys' && second === 'designed') {
    const [, , id, action] = route.segments;
    if (id === 'new' && action === undefined) return { slug: first, title: 'New journey', render: () => <JourneyEditor id={null} /> };
    if (id !== undefined && action === 'edit') return { slug: first, title: 'Edit journey', render: () => <JourneyEditor key={id} id={id} /> };
  }
  if (first === 'journeys') return { slug: first, title: 'Journeys', render: () => <JourneysPage query={route.query} /> };
  if (first === 'value') return { slug: first, title: 'Value', render: () => <ValuePage /> };
  const capability = findCapability(first);
  if (capability)
    return { slug: first, title: capability.label, render: () => <ComingSoonPage capability={capability} /> };
  return { slug: '', title: 'Not found', render: () => <NotFoundPage /> };
}

export function Shell() {
  const route = useRoute();
  const { workspaceId, workspaces, loading, error } = useWorkspaces();
  const page = resolve(route);
  // The tab says which page it is (history and bookmarks too).
  useEffect(() => {
    document.title = `${page.title} · Kept`;
  }, [page.title]);
  const capability = findCapability(page.slug);
  const needsWorkspace = capability?.built ?? false;

  let content: ReactNode;
  if (!needsWorkspace) content = page.render();
  else if (error) content = <ErrorBanner message={error} onRetry={() => window.location.reload()} />;
  else if (loading && !workspaceId) content = <Loading label="Loading workspaces…" />;
  else if (!workspaceId || workspaces.length === 0)
    content = (
      <EmptyState title="No workspaces yet">
        Import customer data into Kept first; each import creates or fills a workspace.
      </EmptyState>
    );
  else content = <div key={workspaceId}>{page.render()}</div>;

  return (
    <div className="shell">
      <Nav activeSlug={page.slug} />
      <div className="main">
        <Header title={page.title} />
        <main className="content">{content}</main>
      </div>
    </div>
  );
}
