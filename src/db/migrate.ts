import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../migrations/index.js';

/**
 * Brings the schema up to date. Kysely's migrator takes a PostgreSQL advisory lock, so processes
 * starting together run each migration once.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
