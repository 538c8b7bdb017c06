import { type Kysely, sql } from 'kysely';

/**
 * The ideas export's day in the city's time zone (`TIME_ZONE`), not a fixed one: `created_on` is the
 * idea's moment as a date in the reading connection's time zone, which export connections set to
 * `TIME_ZONE` (src/export/pool.ts). The view still shows the day only, never the moment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace view monitor.ideas_export as
    select id, area, theme, status, created_at::date as created_on, text
    from public.ideas`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace view monitor.ideas_export as
    select id, area, theme, status, (created_at at time zone 'Europe/Amsterdam')::date as created_on, text
    from public.ideas`.execute(db);
}
