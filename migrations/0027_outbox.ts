import { type Kysely, sql } from 'kysely';

/**
 * Replies the engine writes are their own outbox: instead of one queue job per reply, each channel's
 * sender takes the `queued` rows whose `drain_after` has come, in order per resident, and is woken by
 * one Redis signal per batch (src/queue/outbox-drain.ts).
 *
 * `drain_after`: null for a row that has a queue job (bulk messages, staff messages held for quiet
 * hours, a WhatsApp message sent again as a template); otherwise the moment the sender may take it
 * (now, or later after a failed attempt or while the address must wait). Cleared once it is sent;
 * a reply that failed for good keeps it, so `straatpraat queue retry` knows it is the outbox's.
 * `claimed_until`: a sender working on the row holds it until then (renewed while it lives); a sender
 * that died lets it go when the time has passed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbound_messages')
    .addColumn('drain_after', 'timestamptz')
    .addColumn('claimed_until', 'timestamptz')
    .execute();
  await sql`
    create index outbound_messages_outbox_idx on outbound_messages (channel, drain_after)
    where status = 'queued' and drain_after is not null`.execute(db);
  // The sender's check for an earlier reply to the same resident uses the index on resident_id (a
  // resident has few rows); one index more would cost every reply's insert.
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists outbound_messages_outbox_idx`.execute(db);
  await db.schema
    .alterTable('outbound_messages')
    .dropColumn('claimed_until')
    .dropColumn('drain_after')
    .execute();
}
