import { type Kysely, sql } from 'kysely';
import { MONITOR_READER } from './0008_private_store.js';

/**
 * `monitor.settled_waves`: the ids of closed waves, readable by the monitor reader role (a view runs
 * with its owner's rights, so the reader sees these ids and nothing else of `waves`). Releases for
 * tokens that cannot read answer rows count only closed waves and past onboarding months, so two
 * looks at a wave that is still open cannot be subtracted to find one resident's answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create view monitor.settled_waves as select id from public.waves where status = 'closed'`.execute(
    db,
  );
  await sql`grant select on monitor.settled_waves to ${sql.id(MONITOR_READER)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view if exists monitor.settled_waves`.execute(db);
}
