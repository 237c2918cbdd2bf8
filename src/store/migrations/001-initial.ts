/**
 * The data spine. Every row carries workspace_id. Facts (events, orders, ticket events, feedback) keep the
 * identifier they arrived with (`customer_key`, immutable) and the profile it currently resolves to
 * (`profile_id`, maintained by merges/unmerges) so per-customer reads filter on one integer column.
 *
 * Portable DDL: the same text runs on DuckDB and PostgreSQL except `DOUBLE` (below) and indexes, which only
 * PostgreSQL gets: DuckDB answers our reads by scanning compressed columns and its ART indexes would cost memory
 * and bulk-load speed (ADR 0002).
 */
import type { Migration } from './migration.js';

const common = (double: string): string[] => [
  `CREATE TABLE workspaces (
    workspace_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE SEQUENCE profile_id_seq START 1`,
  `CREATE SEQUENCE merge_id_seq START 1`,
  `CREATE SEQUENCE import_id_seq START 1`,
  `CREATE TABLE profiles (
    workspace_id TEXT NOT NULL,
    profile_id BIGINT NOT NULL,
    display_name TEXT,
    merged_into BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, profile_id)
  )`,
  `CREATE TABLE identities (
    workspace_id TEXT NOT NULL,
    id_key TEXT NOT NULL,
    id_type TEXT NOT NULL,
    id_value TEXT NOT NULL,
    profile_id BIGINT NOT NULL,
    origin_profile_id BIGINT NOT NULL,
    source_ref TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE TABLE profile_merges (
    workspace_id TEXT NOT NULL,
    merge_id BIGINT NOT NULL,
    from_profile_id BIGINT NOT NULL,
    into_profile_id BIGINT NOT NULL,
    via_key TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    unmerged_at TIMESTAMPTZ
  )`,
  `CREATE TABLE merge_exclusions (
    workspace_id TEXT NOT NULL,
    profile_a BIGINT NOT NULL,
    profile_b BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE TABLE customers (
    workspace_id TEXT NOT NULL,
    source TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    name TEXT,
    email TEXT,
    phone TEXT,
    country TEXT,
    created_at TIMESTAMPTZ,
    properties TEXT,
    import_id BIGINT,
    updated_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE TABLE events (
    workspace_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    occurred_at TIMESTAMPTZ NOT NULL,
    utc_offset_min SMALLINT NOT NULL DEFAULT 0,
    type TEXT NOT NULL,
    channel TEXT,
    touchpoint TEXT,
    team TEXT,
    value ${double},
    properties TEXT,
    import_id BIGINT
  )`,
  `CREATE TABLE orders (
    workspace_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    ordered_at TIMESTAMPTZ NOT NULL,
    utc_offset_min SMALLINT NOT NULL DEFAULT 0,
    amount NUMERIC(18, 4) NOT NULL,
    currency TEXT NOT NULL,
    channel TEXT,
    touchpoint TEXT,
    status TEXT,
    items INTEGER,
    properties TEXT,
    import_id BIGINT
  )`,
  `CREATE TABLE ticket_events (
    workspace_id TEXT NOT NULL,
    ticket_event_id TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    occurred_at TIMESTAMPTZ NOT NULL,
    utc_offset_min SMALLINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    status TEXT,
    author_role TEXT,
    author TEXT,
    team TEXT,
    channel TEXT,
    subject TEXT,
    priority TEXT,
    body TEXT,
    import_id BIGINT
  )`,
  `CREATE TABLE tickets (
    workspace_id TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    opened_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    status TEXT,
    channel TEXT,
    team TEXT,
    subject TEXT,
    priority TEXT,
    messages INTEGER NOT NULL DEFAULT 0,
    first_agent_reply_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    PRIMARY KEY (workspace_id, ticket_id)
  )`,
  `CREATE TABLE feedback (
    workspace_id TEXT NOT NULL,
    feedback_id TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    profile_id BIGINT,
    occurred_at TIMESTAMPTZ NOT NULL,
    utc_offset_min SMALLINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    survey TEXT,
    nps SMALLINT,
    csat SMALLINT,
    ces SMALLINT,
    stars SMALLINT,
    text TEXT,
    touchpoint TEXT,
    channel TEXT,
    team TEXT,
    properties TEXT,
    import_id BIGINT
  )`,
  `CREATE TABLE imports (
    workspace_id TEXT NOT NULL,
    import_id BIGINT NOT NULL,
    entity TEXT NOT NULL,
    origin TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_stored BIGINT NOT NULL DEFAULT 0,
    rows_skipped BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL
  )`,
];

const postgresIndexes = [
  `CREATE UNIQUE INDEX identities_key ON identities (workspace_id, id_key)`,
  `CREATE INDEX identities_profile ON identities (workspace_id, profile_id)`,
  `CREATE INDEX identities_origin ON identities (workspace_id, origin_profile_id)`,
  `CREATE INDEX identities_value ON identities (workspace_id, lower(id_value) text_pattern_ops)`,
  `CREATE INDEX profile_merges_into ON profile_merges (workspace_id, into_profile_id)`,
  `CREATE UNIQUE INDEX customers_source_id ON customers (workspace_id, source, customer_id)`,
  `CREATE INDEX customers_profile ON customers (workspace_id, profile_id)`,
  `CREATE INDEX customers_key ON customers (workspace_id, customer_key)`,
  `CREATE INDEX customers_name ON customers (workspace_id, lower(name) text_pattern_ops)`,
  `CREATE UNIQUE INDEX events_id ON events (workspace_id, event_id)`,
  `CREATE INDEX events_profile ON events (workspace_id, profile_id, occurred_at DESC)`,
  `CREATE INDEX events_key ON events (workspace_id, customer_key)`,
  `CREATE INDEX events_time ON events (workspace_id, occurred_at)`,
  `CREATE UNIQUE INDEX orders_id ON orders (workspace_id, order_id)`,
  `CREATE INDEX orders_profile ON orders (workspace_id, profile_id, ordered_at DESC)`,
  `CREATE INDEX orders_key ON orders (workspace_id, customer_key)`,
  `CREATE UNIQUE INDEX ticket_events_id ON ticket_events (workspace_id, ticket_event_id)`,
  `CREATE INDEX ticket_events_ticket ON ticket_events (workspace_id, ticket_id, occurred_at)`,
  `CREATE INDEX ticket_events_key ON ticket_events (workspace_id, customer_key)`,
  `CREATE INDEX tickets_profile ON tickets (workspace_id, profile_id, opened_at DESC)`,
  `CREATE INDEX tickets_key ON tickets (workspace_id, customer_key)`,
  `CREATE UNIQUE INDEX feedback_id ON feedback (workspace_id, feedback_id)`,
  `CREATE INDEX feedback_profile ON feedback (workspace_id, profile_id, occurred_at DESC)`,
  `CREATE INDEX feedback_key ON feedback (workspace_id, customer_key)`,
  `CREATE INDEX feedback_time ON feedback (workspace_id, occurred_at)`,
];

export const initial: Migration = {
  version: 1,
  name: 'initial data spine',
  statements: (kind) =>
    kind === 'postgres' ? [...common('DOUBLE PRECISION'), ...postgresIndexes] : common('DOUBLE'),
};
