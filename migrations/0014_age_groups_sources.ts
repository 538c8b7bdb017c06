import { type Kysely, sql } from 'kysely';

/**
 * The age group stays current, and joins are counted per flyer.
 *
 * - `residents.age_confirmed_at`: when the resident last gave or confirmed their age group (joining,
 *   LEEFTIJD, or the yearly check). Existing groups count as given when consent was.
 * - `residents.age_asked_at`: when the yearly check last asked, so a skipped check is not asked again
 *   within the year.
 * - `join_counts.code`: the flyer's source code of a join link (`poster-trefpunt`; empty for a link
 *   without one). A count, nothing about who joined.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('residents')
    .addColumn('age_confirmed_at', 'timestamptz')
    .addColumn('age_asked_at', 'timestamptz')
    .execute();
  await sql`update residents set age_confirmed_at = coalesce(consent_at, created_at) where age_group is not null`.execute(
    db,
  );
  await sql`alter table join_counts add column code text not null default ''`.execute(db);
  await sql`alter table join_counts drop constraint join_counts_pkey`.execute(db);
  await sql`alter table join_counts add constraint join_counts_pkey primary key (source, code, day)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from join_counts where code <> ''`.execute(db);
  await sql`alter table join_counts drop constraint join_counts_pkey`.execute(db);
  await sql`alter table join_counts drop column code`.execute(db);
  await sql`alter table join_counts add constraint join_counts_pkey primary key (source, day)`.execute(db);
  await db.schema.alterTable('residents').dropColumn('age_asked_at').dropColumn('age_confirmed_at').execute();
}
