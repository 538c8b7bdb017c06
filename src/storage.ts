import type { Kysely } from 'kysely';
import type { Env } from './config/env.js';
import { createDb, ensureDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { checkDataKey, sealLegacyRows } from './db/sealed-columns.js';
import { seedShippedPolls } from './polls/catalog.js';
import { installDataKey, loadSealer } from './privacy/sealed.js';
import { checkRedis } from './queue/redis.js';

/**
 * Checks that PostgreSQL and Redis answer (one readable line when not), creates the database when
 * missing, migrates it and seeds the shipped polls (a changed poll file adds a version). Installs the process's data key and seals whatever is still stored in
 * plain text in a sealed column. Throws StartupError on anything an operator must fix.
 */
export async function prepareStorage(env: Env): Promise<void> {
  // Checked before any connection, so a missing key is the one line an operator sees.
  const sealer = loadSealer(env);
  await Promise.all([checkRedis(env.REDIS_URL), ensureDatabase(env.DATABASE_URL)]);
  const db = createDb(env.DATABASE_URL, 1);
  try {
    await migrateToLatest(db as Kysely<unknown>);
    await seedShippedPolls(db);
    await checkDataKey(db, sealer);
    installDataKey(sealer);
    await sealLegacyRows(db, sealer);
  } finally {
    await db.destroy();
  }
}
