import { type Kysely, sql } from 'kysely';
import { MONITOR_READER } from './0008_private_store.js';

/**
 * Views in the monitor schema for the wave results and the programme's participation indicators. Each
 * runs with its owner's rights, so the monitor reader role sees exactly these columns and nothing of the
 * identity store behind them: no resident id, no address, no day.
 *
 * - `monitor.wave_status`: each wave's id, poll and status (scheduled, open, closed), so the results of
 *   a wave can tell an unknown wave from one still running.
 * - `monitor.rsvp_months`: per month (of the session, or of the "ja" for a flash without a date) and the
 *   resident's area, how many residents said they would come to at least one activity.
 * - `monitor.news_audience`: per area, how many residents receive flashes now (active, agreed, news on).
 * - `monitor.help_request_months`: per month of opening and area, help requests opened and answered
 *   within a working day (before `due_at`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create view monitor.wave_status as select id, poll, status from public.waves`.execute(db);
  await sql`
    create view monitor.rsvp_months as
    select to_char(coalesce(f.session_at, x.created_at) at time zone 'Europe/Amsterdam', 'YYYY-MM') as month,
           coalesce(r.area, 'onbekend') as area,
           count(distinct x.resident_id)::int as residents
    from public.flash_rsvps x
    join public.flashes f on f.id = x.flash_id
    join public.residents r on r.id = x.resident_id
    group by 1, 2`.execute(db);
  await sql`
    create view monitor.news_audience as
    select coalesce(area, 'onbekend') as area, count(*)::int as residents
    from public.residents
    where status = 'active' and consent_at is not null and not news_opt_out
    group by 1`.execute(db);
  await sql`
    create view monitor.help_request_months as
    select to_char(created_at at time zone 'Europe/Amsterdam', 'YYYY-MM') as month,
           coalesce(area, 'onbekend') as area,
           count(*)::int as opened,
           (count(*) filter (where first_answered_at <= due_at))::int as answered_within_day
    from public.help_requests
    group by 1, 2`.execute(db);
  for (const view of ['wave_status', 'rsvp_months', 'news_audience', 'help_request_months'])
    await sql`grant select on ${sql.table(`monitor.${view}`)} to ${sql.id(MONITOR_READER)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const view of ['help_request_months', 'news_audience', 'rsvp_months', 'wave_status'])
    await sql`drop view if exists ${sql.table(`monitor.${view}`)}`.execute(db);
}
