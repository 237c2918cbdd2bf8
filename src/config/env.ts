/**
 * The one place that reads process.env. Everything else receives a validated {@link KeptConfig}.
 * Fails fast with a message naming the variable and the reason.
 */
import { z } from 'zod';

const envSchema = z.object({
  /** PostgreSQL connection string; when set, Kept runs in server mode on PostgreSQL instead of DuckDB. */
  KEPT_DATABASE_URL: z.string().url().optional(),
  /** Embedded DuckDB file (used when KEPT_DATABASE_URL is not set). */
  KEPT_DB: z.string().min(1).default('.kept/kept.duckdb'),
  KEPT_PORT: z.coerce.number().int().min(0).max(65535).default(4400),
  KEPT_HOST: z.string().min(1).default('127.0.0.1'),
  /** Workspace used when a request or command does not name one. */
  KEPT_WORKSPACE: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/).default('demo'),
  KEPT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Seconds a large computation (a Journeys or Value page view; they run one at a time per store) may wait behind
   * others before its request is answered 503 with Retry-After (see src/server/services/heavy-work.ts).
   */
  KEPT_HEAVY_WAIT_S: z.coerce.number().int().min(1).max(86_400).default(300),
  /** Postgres URL used only by the test suites (a fresh database is created per run). */
  KEPT_TEST_PG_URL: z.string().optional(),
});

export interface KeptConfig {
  databaseUrl: string | undefined;
  duckdbPath: string;
  port: number;
  host: string;
  defaultWorkspace: string;
  logLevel: z.infer<typeof envSchema>['KEPT_LOG_LEVEL'];
  heavyWaitS: number;
}

export class ConfigError extends Error {}

/** Parses the environment once. Pass an object in tests instead of touching process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): KeptConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.KEPT_DATABASE_URL,
    duckdbPath: e.KEPT_DB,
    port: e.KEPT_PORT,
    host: e.KEPT_HOST,
    defaultWorkspace: e.KEPT_WORKSPACE,
    logLevel: e.KEPT_LOG_LEVEL,
    heavyWaitS: e.KEPT_HEAVY_WAIT_S,
  };
}

/** The Postgres URL the test suites use: KEPT_TEST_PG_URL, else the machine's local server. */
export function testPostgresUrl(env: Record<string, string | undefined> = process.env): string {
  return env.KEPT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}
