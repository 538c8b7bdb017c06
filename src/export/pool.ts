import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { MONITOR_READER } from '../../migrations/0008_private_store.js';
import type { Database } from '../db/schema.js';
import { type Logger, logStoreErrors } from '../log.js';

/** How export connections show in pg_stat_activity, so an operator can tell them apart. */
export const EXPORT_APPLICATION_NAME = 'straatpraat-export';

export interface ExportPoolOptions {
  databaseUrl: string;
  /** Connections at most (EXPORT_POOL_SIZE). */
  size?: number;
  /** statement_timeout of export connections (EXPORT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** idle_in_transaction_session_timeout: a cursor nobody fetches from is ended (EXPORT_STALL_MS). */
  idleTimeoutMs?: number;
  /** The city's time zone (TIME_ZONE): the day of an idea in the ideas export is its day there. */
  timeZone?: string;
  /** Where lost connections are logged; without, they are dropped (a one-off CLI export). */
  log?: Logger;
}

// Dates stay the text PostgreSQL sends (YYYY-MM-DD under DateStyle ISO), whatever parsers the rest of
// the process has set.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The connections exports and the results page read from: a small pool of its own, so downloads can
 * never take the connections residents' messages need. Every connection runs as
 * `straatpraat_monitor_reader` (it may read the `monitor` schema and nothing else), with a statement
 * timeout and an idle-in-transaction timeout; the role is set at connection start-up (the login user
 * must be a member of it: migration 0008 grants that, docs/operations.md says how otherwise).
 */
export class ExportPool {
  readonly pool: pg.Pool;
  /** The same connections for Kysely queries (aggregates). */
  readonly db: Kysely<Database>;

  constructor(opts: ExportPoolOptions) {
    const settings = [
      `role=${MONITOR_READER}`,
      'search_path=monitor',
      'DateStyle=ISO,YMD',
      `TimeZone=${opts.timeZone ?? 'Europe/Amsterdam'}`,
      `statement_timeout=${opts.statementTimeoutMs ?? 300_000}`,
      `idle_in_transaction_session_timeout=${opts.idleTimeoutMs ?? 30_000}`,
    ];
    this.pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.size ?? 4,
      application_name: EXPORT_APPLICATION_NAME,
      options: settings.map((s) => `-c ${s}`).join(' '),
      types,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // A connection lost while idle is dropped by the pool; the next export gets a fresh one.
    const onError = opts.log ? logStoreErrors(opts.log, 'export connection') : () => {};
    this.pool.on('error', onError);
    this.pool.on('connect', (client) => client.on('error', onError));
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  /**
   * Runs `use` on one connection. A connection whose export failed half-way (a cut-off download, a
   * timeout) is closed rather than returned: it may still be in the middle of a COPY or a cursor.
   */
  async withClient<T>(use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      const result = await use(client);
      client.release();
      return result;
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  async close(): Promise<void> {
    // Kysely ends the pool only when it has used it; exports that streamed leave it to us.
    await this.db.destroy();
    if (!this.pool.ended) await this.pool.end();
  }
}

/** Where an export reads from: the process's export pool, or a database URL for one export alone. */
export type ExportSource = ExportPool | string;

/** Runs `use` on a connection of `source` (a URL gets a pool of one, closed afterwards). */
export async function withExportClient<T>(
  source: ExportSource,
  use: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  if (typeof source !== 'string') return source.withClient(use);
  const pool = new ExportPool({ databaseUrl: source, size: 1 });
  try {
    return await pool.withClient(use);
  } finally {
    await pool.close();
  }
}
