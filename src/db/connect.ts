import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { StartupError } from '../domain/errors.js';
import { type Logger, logStoreErrors } from '../log.js';
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
 * creating it at the same time is fine). Throws a one-line StartupError (connectError) when PostgreSQL
 * cannot be reached within a few seconds or refuses to let the user in.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '3D000') throw connectError(url, error);
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
    if (code !== '42P04') throw connectError(url, error, `cannot create the database ${name}`);
  } finally {
    await admin.end().catch(() => {});
  }
}

// PostgreSQL's codes for a sign-in the server refused: a wrong password, and a role or host that
// may not sign in (no pg_hba.conf entry, NOLOGIN, no such role).
const REFUSED_SIGN_IN = new Set(['28P01', '28000']);

/**
 * One line for an operator on why PostgreSQL at `url` could not be used: a refused sign-in names the
 * user and the host, and is told apart from a server that does not answer. Never contains the password.
 */
export function connectError(url: string, error: unknown, doing?: string): StartupError {
  const where = describePostgres(url);
  const reason = (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? '';
  const code = (error as { code?: string }).code;
  const u = new URL(url);
  const user = decodeURIComponent(u.username) || 'postgres';
  if (code && REFUSED_SIGN_IN.has(code)) {
    return new StartupError(
      `PostgreSQL at ${where} refused user ${user} (${reason}); check the user and password in DATABASE_URL.`,
    );
  }
  // The server asked for a password and the URL has none (the pg client's own error, without a code).
  if (!code && u.password === '' && /password/i.test(reason)) {
    return new StartupError(
      `PostgreSQL at ${where} wants a password for user ${user} and DATABASE_URL has none; put it in DATABASE_URL (postgres://${user}:<password>@…).`,
    );
  }
  // An error with a SQLSTATE code came from a server that answered: not a reachability problem.
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    return new StartupError(
      `PostgreSQL at ${where} answered with an error${doing ? ` (${doing})` : ''}: ${reason} [${code}].`,
    );
  }
  return new StartupError(`PostgreSQL is not reachable at ${where} (${reason}); ${HOW_TO_START_PG}.`);
}

/**
 * The Kysely instance over a pg pool. With `log`, connection errors between queries are logged (the
 * service); without, they are dropped (a short CLI run, whose next query fails with the same error).
 */
export function createDb(url: string, poolSize = 10, log?: Logger): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: watchedPool(url, poolSize, log) }),
  });
}

/**
 * A pool that survives PostgreSQL going away: an idle client whose connection drops is removed by
 * the pool, which then emits 'error'; without listeners that would crash the process.
 */
function watchedPool(url: string, poolSize: number, log?: Logger): pg.Pool {
  const pool = new pg.Pool(poolConfig(url, poolSize));
  const onError = log ? logStoreErrors(log, 'postgres connection') : () => {};
  pool.on('error', onError);
  // A checked-out client between two queries reports a lost connection as an 'error' event too; the
  // query that follows fails with it (a transient error the workers retry).
  pool.on('connect', (client) => {
    client.on('error', onError);
    namePrepared(client);
  });
  return pool;
}

/** How a statement asks to be prepared once per connection: its text starts with this comment. */
const PREPARED = /^\/\* prepared ([a-z][a-z0-9_]*) \*\//;

/**
 * Put first in a `sql` statement: it runs as a named prepared statement, which PostgreSQL parses and
 * plans once per connection instead of at every call. Only for a statement whose text never changes
 * (arrays as parameters, not a `VALUES` list that grows with the rows); one name per text.
 */
export function prepared(name: string): RawBuilder<unknown> {
  return sql.raw(`/* prepared ${name} */`);
}

/**
 * Kysely hands pg a text and its values; a text made by `prepared` goes as pg's named statement
 * (`{ name, text, values }`), which pg parses once per connection.
 */
function namePrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (first: unknown, ...rest: unknown[]): unknown => {
    if (typeof first === 'string' && Array.isArray(rest[0])) {
      const name = PREPARED.exec(first)?.[1];
      if (name) return query({ name, text: first, values: rest[0] }, ...rest.slice(1));
    }
    return query(first, ...rest);
  };
  (client as { query: unknown }).query = named;
}
