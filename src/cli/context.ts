import type { Kysely } from 'kysely';
import { loadTexts, type Texts } from '../../flows/i18n/texts.js';
import type { Poll } from '../../flows/polls/schema.js';
import { type Env, parseEnv } from '../config/env.js';
import { loadPollCatalog as loadPollFiles } from '../config/polls.js';
import { createDb, ensureDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { QuietHours } from '../domain/quiet-hours.js';
import { loadPollCatalog, type PollCatalog, seedShippedPolls } from '../polls/catalog.js';
import type { Queues } from '../queue/queues.js';
import { guarded } from './guarded.js';

/**
 * What a command works with — the environment, the database, the queues, the texts and the polls —
 * each opened on first use and all closed once when the command ends. A command that never asks for
 * the queues never connects to Redis; one that never asks for the database never connects to
 * PostgreSQL. Redis and BullMQ are loaded only when asked for, so `export` or `token` stay quick.
 */
export class CliContext {
  #env: Env | undefined;
  #storage: Promise<void> | undefined;
  #db: Promise<Kysely<Database>> | undefined;
  #queues: Promise<Queues> | undefined;
  #texts: Texts | undefined;
  #polls: Promise<PollCatalog> | undefined;

  /** The settings, read and validated on first use (a bad value stops with one line). */
  get env(): Env {
    this.#env ??= parseEnv();
    return this.#env;
  }

  /**
   * PostgreSQL and Redis both answer, the database is created and migrated, the data key is
   * installed (sealed columns can be read and written). Needed by commands that queue messages.
   */
  storage(): Promise<void> {
    this.#storage ??= import('../storage.js').then(({ prepareStorage }) => prepareStorage(this.env));
    return this.#storage;
  }

  /** The database, created and migrated when needed; needs PostgreSQL only, not Redis. */
  db(): Promise<Kysely<Database>> {
    this.#db ??= this.#openDb();
    return this.#db;
  }

  async #openDb(): Promise<Kysely<Database>> {
    const url = this.env.DATABASE_URL;
    if (this.#storage) {
      await this.#storage;
      return createDb(url, 2);
    }
    await ensureDatabase(url);
    const db = createDb(url, 2);
    try {
      await migrateToLatest(db as Kysely<unknown>);
      await seedShippedPolls(db, loadPollFiles());
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return db;
  }

  /** Every BullMQ queue, after `storage()` (so an unreachable Redis is one readable line). */
  queues(): Promise<Queues> {
    this.#queues ??= (async () => {
      await this.storage();
      const [{ Queues }, { createRedis }] = await Promise.all([
        import('../queue/queues.js'),
        import('../queue/redis.js'),
      ]);
      const redis = createRedis(this.env.REDIS_URL, { cluster: this.env.REDIS_CLUSTER });
      // A short command: the command that needs Redis fails with its own line if it stays away.
      redis.on('error', () => {});
      return new Queues(redis, this.env.QUEUE_PREFIX, this.env.INBOUND_PARTITIONS);
    })();
    return this.#queues;
  }

  /** The residents' texts in every language. */
  texts(): Texts {
    this.#texts ??= loadTexts();
    return this.#texts;
  }

  /** Every poll and version, from the database (the shipped files seeded first; a bad file stops with one line). */
  pollCatalog(): Promise<PollCatalog> {
    this.#polls ??= this.db().then((db) => loadPollCatalog(db));
    return this.#polls;
  }

  /** The latest version of every poll, from the database. */
  async polls(): Promise<ReadonlyMap<string, Poll>> {
    return (await this.pollCatalog()).current;
  }

  /** The quiet hours in which messages to residents wait. */
  quietHours(): QuietHours {
    const { QUIET_HOURS_START, QUIET_HOURS_END, TIME_ZONE } = this.env;
    return new QuietHours(QUIET_HOURS_START, QUIET_HOURS_END, TIME_ZONE);
  }

  /** Closes whatever was opened; never throws (the command's own outcome is what counts). */
  async close(): Promise<void> {
    const queues = await this.#queues?.catch(() => undefined);
    if (queues) {
      await queues.close().catch(() => {});
      queues.connection.disconnect();
    }
    const db = await this.#db?.catch(() => undefined);
    await db?.destroy().catch(() => {});
  }
}

/**
 * Runs a command's work with a fresh context, closes the context, and turns a failure into one line
 * on stderr and its exit code (2 for what the operator must fix).
 */
export function run(work: (ctx: CliContext) => Promise<void>): Promise<void> {
  return guarded(async () => {
    const ctx = new CliContext();
    try {
      await work(ctx);
    } finally {
      await ctx.close();
    }
  });
}
