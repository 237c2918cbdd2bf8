// Left navigation: the built pages first, then every capability still to come.
import { CAPABILITIES } from './capabilities';

export function Nav({ activeSlug }: { activeSlug: string }) {
  const built = CAPABILITIES.filter((c) => c.built);
  const upcoming = CAPABILITIES.filter((c) => !c.built);
  const link = (slug: string, label: string, soon: boolean) => (
    <li key={slug}>
      <a
        href={`#/${slug}`}
        className={`nav-link ${slug === activeSlug ? 'active' : ''}`}
        aria-current={slug === activeSlug ? 'page' : undefined}
        data-testid={`nav-${slug}`}
      >
        <span>{label}</span>
        {soon && <span className="nav-soon">soon</span>}
      </a>
    </li>
  );
  return (
    <nav className="nav" aria-label="Main">
      <a className="brand" href="#/overview">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Kept</span>
      </a>
      <ul className="nav-list">{built.map((c) => link(c.slug, c.label, false))}</ul>
      <div className="nav-section">Coming next</div>
      <ul className="nav-list nav-list-upcoming">{upcoming.map((c) => link(c.slug, c.label, true))}</ul>
      <div className="nav-footer">Open-source customer experience</div>
    </nav>
  );
}
