import { type Kysely, sql } from 'kysely';

/**
 * A fan-out's messages (flashes, invitations, reminders) wait in the outbox as replies do, instead of
 * one queue job each: the rows the fan-out writes are the queue. The sender takes replies first and
 * bulk messages after them, so the outbox's index leads with the kind: each kind is read in its own
 * order (due time, then the order written) without sorting a flash's 100,000 waiting rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index outbound_messages_outbox_kind_idx on outbound_messages (channel, kind, drain_after, created_at, seq)
    where status = 'queued' and drain_after is not null`.execute(db);
  await sql`drop index if exists outbound_messages_outbox_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index outbound_messages_outbox_idx on outbound_messages (channel, drain_after)
    where status = 'queued' and drain_after is not null`.execute(db);
  await sql`drop index if exists outbound_messages_outbox_kind_idx`.execute(db);
}
