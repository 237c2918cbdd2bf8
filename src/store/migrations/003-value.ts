/**
 * Customer value (issue 4): per-customer model results, the run that produced them, saved rule-based segments
 * and the editable next-best-action rule set. Results are recomputed as a whole (`kept value compute`), so
 * `customer_value` is replaced per workspace rather than updated row by row; rules and segments are JSON text
 * (portable, ADR 0002) validated by zod in the service layer.
 */
import type { Migration } from './migration.js';

const tables = (double: string): string[] => [
  `CREATE TABLE customer_value (
    workspace_id TEXT NOT NULL,
    profile_id BIGINT NOT NULL,
    model TEXT NOT NULL,
    frequency INTEGER NOT NULL,
    recency ${double} NOT NULL,
    age ${double} NOT NULL,
    orders INTEGER NOT NULL,
    total_spend ${double} NOT NULL,
    mean_spend ${double} NOT NULL,
    first_order_at TIMESTAMPTZ NOT NULL,
    last_order_at TIMESTAMPTZ NOT NULL,
    past_rate ${double} NOT NULL,
    recent_orders INTEGER NOT NULL,
    p_alive ${double} NOT NULL,
    p_alive_before ${double},
    expected_purchases_52w ${double} NOT NULL,
    expected_spend ${double},
    clv ${double},
    rfm_r SMALLINT NOT NULL,
    rfm_f SMALLINT NOT NULL,
    rfm_m SMALLINT NOT NULL,
    segment TEXT NOT NULL,
    cluster SMALLINT,
    persona TEXT,
    computed_at TIMESTAMPTZ NOT NULL
  )`,
  `CREATE TABLE value_runs (
    workspace_id TEXT NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL,
    model TEXT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (workspace_id, computed_at)
  )`,
  `CREATE TABLE segments (
    workspace_id TEXT NOT NULL,
    segment_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    rule TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, segment_id)
  )`,
  `CREATE TABLE value_rules (
    workspace_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    rules TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, kind)
  )`,
];

// No key on customer_value for DuckDB: it is replaced per workspace in one transaction, and an ART index would
// only cost memory there (ADR 0002). PostgreSQL gets the index per-customer reads need.
const postgresIndexes = [`CREATE UNIQUE INDEX customer_value_profile ON customer_value (workspace_id, profile_id)`];

export const value: Migration = {
  version: 3,
  name: 'customer value, segments and next-best-action rules',
  statements: (kind) => (kind === 'postgres' ? [...tables('DOUBLE PRECISION'), ...postgresIndexes] : tables('DOUBLE')),
};
