// Customers: search by any identifier or name, page through results, open a Customer 360.
// The search lives in the URL (#/customers?q=ann) so "back" from a profile returns to the same list.
import { useEffect, useState } from 'react';
import type { CustomerListItem } from '../../app/api-types';
import { formatCount, formatDateTime, formatMoney, formatRelative, mainCurrencyOrders } from '../../app/format';
import { href, navigate, replaceRoute } from '../../app/router';
import { Card, EmptyState, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { usePagedList } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';

const PAGE_SIZE = 50;
const DEBOUNCE_MS = 300;

let lastSearch = '';

/** Link back to the customer list with the last search, for the profile page's back link. */
export function customersListHref(): string {
  return href('/customers', { q: lastSearch });
}

export function CustomersPage({ query }: { query: string }) {
  const workspace = useWorkspaceId();
  const [text, setText] = useState(query);
  const [seenQuery, setSeenQuery] = useState(query);
  if (query !== seenQuery) {
    // The URL changed from outside (nav link, back button): follow it.
    setSeenQuery(query);
    if (query !== text.trim()) setText(query);
  }

  useEffect(() => {
    const q = text.trim();
    if (q === query) return;
    const timer = window.setTimeout(() => replaceRoute('/customers', { q }), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, query]);

  useEffect(() => {
    lastSearch = query;
  }, [query]);

  const list = usePagedList<CustomerListItem>('/customers', { workspace, q: query, limit: PAGE_SIZE });

  return (
    <div className="page" data-testid="customers-page">
      <PageHeader
        title="Customers"
        testId="page-title"
        subtitle="Search by name, email, phone, customer id or anonymous id."
      />
      <div className="search-bar">
        <input
          type="search"
          className="search-input"
          placeholder="Search customers…"
          aria-label="Search customers"
          data-testid="customer-search"
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
        />
        {(list.loading || text.trim() !== query) && <span className="spinner" aria-label="Searching" />}
      </div>
      <ErrorBanner message={list.error} onRetry={list.reload} />
      <Card>
        {list.loading && list.items.length === 0 && !list.error ? (
          <Loading label="Loading customers…" />
        ) : list.items.length === 0 && list.error ? null : list.items.length === 0 && !list.loading ? (
          <EmptyState title={query ? `No customers match “${query}”` : 'No customers in this workspace yet'} />
        ) : (
          <table className={`table table-clickable ${list.loading ? 'stale' : ''}`} data-testid="customer-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Phone</th>
                <th>Last seen</th>
                <th className="num">Orders</th>
                <th className="num">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr
                  key={c.profileId}
                  data-testid="customer-row"
                  data-profile-id={c.profileId}
                  onClick={() => navigate(`/customers/${c.profileId}`)}
                >
                  <td>
                    <a href={href(`/customers/${c.profileId}`)} onClick={(e) => e.stopPropagation()}>
                      {c.name ?? <span className="muted">Unnamed #{c.profileId}</span>}
                    </a>
                  </td>
                  <td>{c.email ?? <span className="muted">—</span>}</td>
                  <td>{c.phone ?? <span className="muted">—</span>}</td>
                  <td title={formatDateTime(c.lastSeenAt)}>{formatRelative(c.lastSeenAt)}</td>
                  <td className="num">{formatCount(c.orders)}</td>
                  <td className="num">
                    {/* No orders, no currency: a dash rather than an amount without its unit. */}
                    {c.orders > 0 ? formatMoney(c.revenue, c.currency) : <span className="muted">—</span>}
                    {c.otherCurrencies?.length ? <div className="muted small">{mainCurrencyOrders(c).note}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.items.length > 0 && (
          <div className="list-footer">
            <span className="muted" data-testid="customer-count">
              Showing {formatCount(list.items.length)} {list.items.length === 1 ? 'customer' : 'customers'}
              {list.hasMore ? ' — more available' : ''}
            </span>
            {list.hasMore && (
              <button
                type="button"
                className="button"
                data-testid="customers-more"
                disabled={list.loadingMore}
                onClick={list.loadMore}
              >
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
