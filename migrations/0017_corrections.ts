import { type Kysely, sql } from 'kysely';

/**
 * Corrections: a flash, a session or a wave can be cancelled before it goes (`cancelled`), and a
 * session that is called off tells the residents who said they would come (`session_cancelled`, a
 * fan-out of its own). `flashes.cancelled_at` marks a flash or session the wijkteam called off.
 * Outbound rows of a cancelled broadcast that were not sent yet get the status `cancelled` (that
 * column has no check), which the outbound worker skips like any row that is no longer `queued`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table waves drop constraint if exists waves_status_check`.execute(db);
  await sql`alter table waves add constraint waves_status_check
    check (status in ('scheduled', 'open', 'closed', 'cancelled'))`.execute(db);
  await sql`alter table broadcasts drop constraint if exists broadcasts_status_check`.execute(db);
  await sql`alter table broadcasts add constraint broadcasts_status_check
    check (status in ('scheduled', 'sending', 'sent', 'cancelled'))`.execute(db);
  await sql`alter table broadcasts drop constraint if exists broadcasts_kind_check`.execute(db);
  await sql`alter table broadcasts add constraint broadcasts_kind_check
    check (kind in ('flash', 'wave_invitation', 'wave_reminder', 'session_reminder', 'session_summary',
                    'session_cancelled'))`.execute(db);
  await sql`alter table broadcasts add column cancelled_at timestamptz`.execute(db);
  await sql`alter table flashes add column cancelled_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table flashes drop column if exists cancelled_at`.execute(db);
  await sql`alter table broadcasts drop column if exists cancelled_at`.execute(db);
  await sql`delete from broadcasts where kind = 'session_cancelled'`.execute(db);
  await sql`update broadcasts set status = 'sent' where status = 'cancelled'`.execute(db);
  await sql`update waves set status = 'closed' where status = 'cancelled'`.execute(db);
  await sql`alter table broadcasts drop constraint if exists broadcasts_kind_check`.execute(db);
  await sql`alter table broadcasts add constraint broadcasts_kind_check
    check (kind in ('flash', 'wave_invitation', 'wave_reminder', 'session_reminder', 'session_summary'))`.execute(
    db,
  );
  await sql`alter table broadcasts drop constraint if exists broadcasts_status_check`.execute(db);
  await sql`alter table broadcasts add constraint broadcasts_status_check
    check (status in ('scheduled', 'sending', 'sent'))`.execute(db);
  await sql`alter table waves drop constraint if exists waves_status_check`.execute(db);
  await sql`alter table waves add constraint waves_status_check
    check (status in ('scheduled', 'open', 'closed'))`.execute(db);
}
