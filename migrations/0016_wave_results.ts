import { type Kysely, sql } from 'kysely';
import { MONITOR_READER } from './0008_private_store.js';

/**
 * Views in the monitor schema for the wave results and the programme's participation indicators. Each
 * runs with its owner's rights, so the monitor reader role sees exactly these columns and nothing of the
 * identity store behind them: no resident id, no address, no day.
 *
 * - `monitor.wave_status`: each wave's id, poll and status (scheduled, open, closed), so the results of
 *   a wave can tell an unknown wave from one still running.
 * - `monitor.meeting_months`: per month with an activity (the month of the session, or of the "ja" for
 *   a flash without a date) and area, counts only: `residents` who receive flashes now (active, agreed,
 *   news on) or said they would come that month, and how many of them said they would come (`came`).
 *   No history of who received flashes is kept, so past months are measured against today's residents.
 * - `monitor.help_request_months`: per month of opening and area, help requests opened and answered
 *   within a working day (before `due_at`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create view monitor.wave_status as select id, poll, status from public.waves`.execute(db);
  // Per month with an activity (a session, or a flash that asked who comes) and area: the residents
  // who receive flashes now or said they would come that month, and how many of them said so.
  await sql`
    create view monitor.meeting_months as
    with said as (
      select distinct
        to_char(coalesce(f.session_at, x.created_at) at time zone 'Europe/Amsterdam', 'YYYY-MM') as month,
        x.resident_id
      from public.flash_rsvps x join public.flashes f on f.id = x.flash_id),
    months as (
      select to_char(coalesce(session_at, created_at) at time zone 'Europe/Amsterdam', 'YYYY-MM') as month
      from public.flashes where rsvp or kind = 'session'
      union select month from said),
    receiving as (
      select id from public.residents
      where status = 'active' and consent_at is not null and not news_opt_out),
    base as (
      select m.month, r.id as resident_id from months m cross join receiving r
      union select month, resident_id from said)
    select b.month, coalesce(r.area, 'onbekend') as area, count(*)::int as residents,
      count(s.resident_id)::int as came
    from base b
    join public.residents r on r.id = b.resident_id
    left join said s on s.month = b.month and s.resident_id = b.resident_id
    group by 1, 2`.execute(db);
  await sql`
    create view monitor.help_request_months as
    select to_char(created_at at time zone 'Europe/Amsterdam', 'YYYY-MM') as month,
           coalesce(area, 'onbekend') as area,
           count(*)::int as opened,
           (count(*) filter (where first_answered_at <= due_at))::int as answered_within_day
    from public.help_requests
    group by 1, 2`.execute(db);
  for (const view of ['wave_status', 'meeting_months', 'help_request_months'])
    await sql`grant select on ${sql.table(`monitor.${view}`)} to ${sql.id(MONITOR_READER)}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const view of ['help_request_months', 'meeting_months', 'wave_status'])
    await sql`drop view if exists ${sql.table(`monitor.${view}`)}`.execute(db);
}
