/** Checks made when a DuckDB store is opened, so that a wrong file or a busy one is told plainly. */
import type { DuckDBInstance } from '@duckdb/node-api';

/**
 * DuckDB's error when another process has the file open: a DuckDB file has one writer process. Said in Kept's terms,
 * since the other process is usually `kept serve`.
 */
export function lockHeldElsewhere(error: unknown, path: string): Error | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/.test(message)) return undefined;
  const pid = /\(PID (\d+)\)/.exec(message)?.[1];
  return new Error(
    `${path} is open in another process${pid ? ` (PID ${pid})` : ''}, such as \`kept serve\`: a DuckDB store takes one ` +
      `process at a time. Stop that process, or send the data to the server over HTTP (POST /api/v1/{entity}/batch).`,
    { cause: error },
  );
}

/**
 * DuckDB opens an existing CSV, JSON or Parquet file given as the database as an in-memory database reading that
 * file: everything written would be lost at exit, silently (`kept import … --db events.csv` reported rows stored).
 * Such a database has no path.
 */
export async function refuseDataFile(instance: DuckDBInstance, path: string): Promise<void> {
  let opened: unknown;
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(`SELECT path FROM duckdb_databases() WHERE database_name = current_database()`);
      opened = reader.getRows()[0]?.[0];
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  if (opened == null) {
    instance.closeSync();
    throw new Error(`${path} is a data file (CSV, JSON or Parquet), not a DuckDB database: nothing written would be kept in it. Use a new or existing .duckdb file.`);
  }
}
