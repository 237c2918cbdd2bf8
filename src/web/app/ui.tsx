// Small shared building blocks: error banner, loading/empty states, cards, page header.
import type { ReactNode } from 'react';

export function ErrorBanner({ message, onRetry }: { message: string | undefined; onRetry?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="page-header">
      <div>
        <h1 data-testid={testId}>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

/** A single headline number with a label and an optional supporting line. */
export function Figure({
  label,
  value,
  sub,
  testId,
  tone,
  title,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId: string;
  tone?: 'good' | 'bad' | 'neutral';
  /** Tooltip with the full story behind the number. */
  title?: string;
}) {
  return (
    <div className={`figure ${tone ? `figure-${tone}` : ''}`} data-testid={testId} title={title}>
      <div className="figure-label">{label}</div>
      <div className="figure-value" data-testid={`${testId}-value`}>
        {value}
      </div>
      {sub && <div className="figure-sub">{sub}</div>}
    </div>
  );
}
