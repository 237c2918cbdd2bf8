/**
 * What an open DuckDB transaction has not sent yet. Every call into DuckDB comes back through the event loop, and
 * under load (the HTTP writer parsing and validating the next requests) each return waits for the JavaScript
 * thread: a group of HTTP batches with new customers made six calls (profiles, identities, events, rollup, import
 * record, COMMIT), and those waits, more than DuckDB's work, set much of its time. So within a transaction:
 * - `BEGIN` is sent with the first statement;
 * - writes whose outcome nobody reads (`insertRows`, `write`) are held and sent in one call with the next
 *   statement, or with `COMMIT`. Reads see them (they run first, on the same connection), and an error in one of
 *   them fails that call, and so the transaction.
 *
 * A DuckDB transaction in which a statement failed is aborted, and a `COMMIT` of it silently rolls back. So the
 * first failure is remembered, and ending such a transaction with `COMMIT` rolls back and throws: a caller that
 * caught a failed statement's error (or a held write's, reported by a later statement) never mistakes the
 * rollback for a commit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** A write held for the next call: its text, and the file it reads (removed once sent or dropped). */
export interface HeldWrite {
  sql: string;
  bytes: number;
  cleanup?: (() => void) | undefined;
}

interface OpenTransaction {
  /** `BEGIN` not sent yet. */
  begin: boolean;
  held: HeldWrite[];
  heldBytes: number;
  /** The first statement of the transaction that failed. */
  failed: unknown;
}

/** Held writes are sent anyway beyond these: their files are on disk until then, and one call's text is bounded. */
const MAX_HELD = 32;
const MAX_HELD_BYTES = 64 << 20;

const open = new WeakMap<DuckDBConnection, OpenTransaction>();

export function beginTransaction(connection: DuckDBConnection): void {
  open.set(connection, { begin: true, held: [], heldBytes: 0, failed: undefined });
}

export function inTransaction(connection: DuckDBConnection): boolean {
  return open.has(connection);
}

/**
 * Holds `write` for the next call; `true` when enough is held that the caller should send it now. Outside a
 * transaction nothing is held (`false`, and the caller runs the write itself): check {@link inTransaction} first.
 */
export function hold(connection: DuckDBConnection, write: HeldWrite): boolean {
  const state = open.get(connection);
  if (state === undefined) throw new Error('hold: no transaction is open on this connection');
  state.held.push(write);
  state.heldBytes += write.bytes;
  return state.held.length >= MAX_HELD || state.heldBytes >= MAX_HELD_BYTES;
}

/** The statements to send before the next one (`BEGIN`, held writes), taken off the transaction. */
export interface Prefix {
  statements: string[];
  /** To call once the call that carried them has returned, whatever its outcome. */
  cleanup: () => void;
}

const NOTHING: Prefix = { statements: [], cleanup: () => undefined };

export function takePrefix(connection: DuckDBConnection): Prefix {
  const state = open.get(connection);
  if (state === undefined || (!state.begin && state.held.length === 0)) return NOTHING;
  return takeAll(state);
}

function takeAll(state: OpenTransaction): Prefix {
  const statements = state.begin ? ['BEGIN TRANSACTION'] : [];
  const held = state.held;
  for (const w of held) statements.push(w.sql);
  state.begin = false;
  state.held = [];
  state.heldBytes = 0;
  return { statements, cleanup: () => cleanupAll(held) };
}

/** Remembers the first failure in the open transaction (if any). */
export function noteFailure(connection: DuckDBConnection, error: unknown): void {
  const state = open.get(connection);
  if (state !== undefined && state.failed === undefined) state.failed = error ?? new Error('statement failed');
}

/** How the transaction must end, with what is still to send; the transaction is closed. */
export type Ending =
  /** Nothing was ever sent: nothing to send now. */
  | { kind: 'nothing' }
  /** `COMMIT`, after the statements in `prefix`. */
  | { kind: 'commit'; prefix: Prefix }
  /** `ROLLBACK` (when `send`: something was begun); `failed` when a `COMMIT` was asked for but a statement had failed. */
  | { kind: 'rollback'; send: boolean; failed: unknown };

export function endTransaction(connection: DuckDBConnection, how: 'COMMIT' | 'ROLLBACK'): Ending {
  const state = open.get(connection);
  open.delete(connection);
  if (state === undefined) return how === 'COMMIT' ? { kind: 'commit', prefix: NOTHING } : { kind: 'rollback', send: true, failed: undefined };
  if (how === 'ROLLBACK' || state.failed !== undefined) {
    cleanupAll(state.held);
    return { kind: 'rollback', send: !state.begin, failed: how === 'COMMIT' ? state.failed : undefined };
  }
  if (state.begin && state.held.length === 0) return { kind: 'nothing' };
  return { kind: 'commit', prefix: takeAll(state) };
}

function cleanupAll(writes: readonly HeldWrite[]): void {
  for (const w of writes) w.cleanup?.();
}
