import { type Kysely, sql } from 'kysely';

/**
 * The news topics a resident chose with NIEUWS (codes of config/news-topics.json); null is every
 * topic, which is where everyone starts. Not sealed: it says what news someone wants, not who they
 * are; GEGEVENS shows it and erasure removes it with the row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table residents add column news_topics text[]`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table residents drop column news_topics`.execute(db);
}
