import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StartupError } from '../errors.js';
import type { Database } from './schema.js';

// Dates as plain strings; numeric counts as numbers (they stay far below 2^53).
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Where a PostgreSQL URL points, without its password, for messages. */
export function describePostgres(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

const HOW_TO_START_PG = 'start it with `docker compose up -d postgres` (or check DATABASE_URL)';

// The monitor store lives in its own schema (migration 0008); the application's connections find
// its tables by name, as before. Export connections see only `monitor` (src/export/pool.ts).
const SEARCH_PATH = '-c search_path=public,monitor';

function poolConfig(url: string, max: number): pg.PoolConfig {
  return {
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    options: SEARCH_PATH,
  };
}

/**
 * Makes sure the database in `url` exists and answers: creates it when missing (another process
 * creating it at the same time is fine). Throws a one-line StartupError when PostgreSQL cannot be
 * reached within a few seconds.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const where = describePostgres(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '3D000') throw unreachable(where, error);
  } finally {
    await client.end().catch(() => {});
  }
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P04: created by a process that started at the same moment.
    if (code !== '42P04') throw unreachable(where, error);
  } finally {
    await admin.end().catch(() => {});
  }
}

function unreachable(where: string, error: unknown): StartupError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new StartupError(`PostgreSQL is not reachable at ${where} (${reason}); ${HOW_TO_START_PG}.`);
}

/** The Kysely instance over a pg pool. */
export function createDb(url: string, poolSize = 10): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: watchedPool(url, poolSize) }),
  });
}

/**
 * A pool that survives PostgreSQL going away: an idle client whose connection drops is removed by
 * the pool, which then emits 'error'; without listeners that would crash the process.
 */
function watchedPool(url: string, poolSize: number): pg.Pool {
  const pool = new pg.Pool(poolConfig(url, poolSize));
  pool.on('error', () => {});
  // A checked-out client between two queries reports a lost connection as an 'error' event too; the
  // query that follows fails with it (a transient error the workers retry), so the event is not needed.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
