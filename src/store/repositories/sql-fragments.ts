/**
 * The few expressions whose fast form differs between the engines. DuckDB's time-zone-aware functions on
 * TIMESTAMPTZ go through ICU and are ~10× slower than integer arithmetic on epoch milliseconds.
 */
import type { EngineKind } from '../engines/engine.js';

/** Whole days since 1970-01-01 (UTC) of a TIMESTAMPTZ column, as an integer. */
export function epochDay(kind: EngineKind, column: string): string {
  return kind === 'duckdb' ? `CAST(floor(epoch_ms(${column}) / 86400000) AS BIGINT)` : `CAST(floor(extract(epoch FROM ${column}) / 86400) AS BIGINT)`;
}

/** Epoch milliseconds of a TIMESTAMPTZ column, as DOUBLE PRECISION (for `streamColumns`). */
export function epochMs(kind: EngineKind, column: string): string {
  return kind === 'duckdb' ? `CAST(epoch_ms(${column}) AS DOUBLE)` : `CAST(extract(epoch FROM ${column}) * 1000 AS DOUBLE PRECISION)`;
}
