import { type Kysely, sql } from 'kysely';

/** The role exports and the results page run under: it reads the monitor schema and nothing else. */
export const MONITOR_READER = 'straatpraat_monitor_reader';

/**
 * A database copy that links nothing.
 *
 * - The monitor store (`answers`, `session_questions`) moves into its own schema, `monitor`, with a
 *   view of what the ideas export publishes. The role `straatpraat_monitor_reader` (NOLOGIN) may read
 *   that schema and nothing else; export connections switch to it. The role is created here when the
 *   migrating user may create roles, else an operator creates it first (docs/operations.md).
 * - Answers keep fewer quasi-identifiers: no channel, and the day coarsened to its week (the Monday,
 *   or the first of the month when the week began in the month before), so they cannot be matched to
 *   a resident by channel or by the day someone joined.
 * - Texts the identity store keeps but a copy must not show become bytea, sealed by the application
 *   with the data key (src/privacy/sealed.ts): the message log, help-request subjects and
 *   conversations, the WhatsApp link's credentials and keys, and a resident's age group. Existing
 *   values are marked as plain text (a leading zero byte) and sealed at the next start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists monitor`.execute(db);
  await sql`alter table answers set schema monitor`.execute(db);
  await sql`alter table session_questions set schema monitor`.execute(db);

  await sql`alter table monitor.answers alter column channel drop not null`.execute(db);
  await sql`
    update monitor.answers set channel = null,
      answered_on = greatest(date_trunc('week', answered_on), date_trunc('month', answered_on))::date`.execute(
    db,
  );

  // What the ideas export shows, and no more: never the resident link.
  await sql`
    create view monitor.ideas_export as
    select id, area, theme, status, (created_at at time zone 'Europe/Amsterdam')::date as created_on, text
    from public.ideas`.execute(db);

  for (const [table, column] of [
    ['message_log', 'body'],
    ['help_messages', 'text'],
    ['help_requests', 'subject'],
    ['whatsapp_auth', 'value'],
    ['residents', 'age_group'],
  ] as const) {
    await sql`
      alter table ${sql.table(table)} alter column ${sql.ref(column)} type bytea
      using '\\x00'::bytea || convert_to(${sql.ref(column)}, 'UTF8')`.execute(db);
  }

  const reader = sql.id(MONITOR_READER);
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = ${sql.lit(MONITOR_READER)}) then
        begin
          create role ${reader} nologin;
        exception
          when duplicate_object then null; -- created by a migration running at the same moment
          when insufficient_privilege then
            raise exception 'role % is missing and this user may not create it: create it first, see docs/operations.md',
              ${sql.lit(MONITOR_READER)};
        end;
      end if;
      if not pg_has_role(current_user, ${sql.lit(MONITOR_READER)}, 'member') then
        execute format('grant %I to %I', ${sql.lit(MONITOR_READER)}, current_user);
      end if;
    end
    $$`.execute(db);
  await sql`grant usage on schema monitor to ${reader}`.execute(db);
  await sql`grant select on all tables in schema monitor to ${reader}`.execute(db);
  await sql`alter default privileges in schema monitor grant select on tables to ${reader}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const reader = sql.id(MONITOR_READER);
  await sql`alter default privileges in schema monitor revoke select on tables from ${reader}`.execute(db);
  await sql`revoke all on all tables in schema monitor from ${reader}`.execute(db);
  await sql`revoke usage on schema monitor from ${reader}`.execute(db);
  await sql`drop view if exists monitor.ideas_export`.execute(db);
  await sql`alter table monitor.session_questions set schema public`.execute(db);
  await sql`alter table monitor.answers set schema public`.execute(db);
  await sql`drop schema if exists monitor`.execute(db);
  // Sealed columns stay bytea: their values open only with the data key, not in SQL.
}
