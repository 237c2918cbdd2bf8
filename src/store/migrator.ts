/**
 * Applies pending migrations on start. Each migration runs in its own transaction and is recorded in
 * schema_migrations; the outcome is returned as data (what ran, what failed) rather than thrown half-way.
 */
import type { Engine } from './engines/engine.js';
import type { Migration } from './migrations/migration.js';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrationOutcome {
  version: number;
  name: string;
  status: 'applied' | 'already-applied' | 'failed' | 'not-run';
  error?: string;
}

export async function migrate(engine: Engine, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationOutcome[]> {
  await engine.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
  );
  const outcomes: MigrationOutcome[] = [];
  let failed = false;
  for (const migration of migrations) {
    if (failed) {
      outcomes.push({ version: migration.version, name: migration.name, status: 'not-run' });
      continue;
    }
    try {
      const status = await engine.transaction(async (tx) => {
        // Postgres: several processes may start at once; the lock makes the check-and-apply atomic.
        await tx.lockWorkspace('__schema__');
        const done = await tx.query('SELECT version FROM schema_migrations WHERE version = $1', [migration.version]);
        if (done.length > 0) return 'already-applied' as const;
        for (const statement of migration.statements(engine.kind)) await tx.run(statement);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, CAST($3 AS TIMESTAMPTZ))', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        return 'applied' as const;
      });
      outcomes.push({ version: migration.version, name: migration.name, status });
    } catch (error) {
      failed = true;
      outcomes.push({ version: migration.version, name: migration.name, status: 'failed', error: String(error) });
    }
  }
  return outcomes;
}
