/**
 * Runs a store suite on every engine: DuckDB (in memory) and PostgreSQL (a fresh database per run on the
 * machine's server). Where no PostgreSQL answers, the Postgres suite is skipped and says why.
 * KEPT_TEST_ENGINES=duckdb|postgres narrows the list.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { testPostgresUrl } from '../../src/config/env.js';
import type { Engine } from '../../src/store/engines/engine.js';
import { openEngine } from '../../src/store/open-store.js';

type Ctx = { engine: Engine };

async function postgresAvailable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const adminUrl = testPostgresUrl();
const pgProblem = await postgresAvailable(adminUrl);
const wanted = (process.env.KEPT_TEST_ENGINES ?? 'duckdb,postgres').split(',');
if (pgProblem && wanted.includes('postgres')) {
  console.warn(`[kept] PostgreSQL suite skipped: no server answered at ${adminUrl} (${pgProblem})`);
}

/** Creates a uniquely named database and returns its URL plus a dropper. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kept_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function describeEachEngine(title: string, suite: (ctx: Ctx) => void): void {
  if (wanted.includes('duckdb')) {
    describe(`${title} [duckdb]`, () => {
      const ctx = {} as Ctx;
      beforeAll(async () => {
        ctx.engine = await openEngine({ duckdbPath: ':memory:' });
      });
      afterAll(async () => ctx.engine?.close());
      suite(ctx);
    });
  }
  if (wanted.includes('postgres')) {
    const run = pgProblem ? describe.skip : describe;
    run(`${title} [postgres]${pgProblem ? ' (skipped: no PostgreSQL server)' : ''}`, () => {
      const ctx = {} as Ctx;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const db = await freshPostgresDatabase();
        drop = db.drop;
        ctx.engine = await openEngine({ databaseUrl: db.url });
      });
      afterAll(async () => {
        await ctx.engine?.close();
        await drop?.();
      });
      suite(ctx);
    });
  }
}
