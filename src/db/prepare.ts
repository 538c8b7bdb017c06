import type { Kysely } from 'kysely';
import type { Env } from '../config/env.js';
import { checkRedis } from '../queue/redis.js';
import { createDb, ensureDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

/**
 * Checks that PostgreSQL and Redis answer (one readable line when not), creates the database when
 * missing and migrates it. Throws StartupError on anything an operator must fix.
 */
export async function prepareStorage(env: Env): Promise<void> {
  await Promise.all([checkRedis(env.REDIS_URL), ensureDatabase(env.DATABASE_URL)]);
  const db = createDb(env.DATABASE_URL, 1);
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } finally {
    await db.destroy();
  }
}
