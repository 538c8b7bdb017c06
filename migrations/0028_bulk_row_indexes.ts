import { type Kysely, sql } from 'kysely';

/**
 * Fewer indexes for a fan-out's rows to write. Every bulk row used to go into six indexes; two of
 * them are folded away here:
 *
 * - `outbound_messages_inbound_idx` holds only rows with an inbound message (replies): the foreign
 *   key's `on delete set null` and every lookup by `inbound_id` ask for a value, never for null.
 * - `outbound_messages_resident_idx` (resident) and `outbound_messages_resident_broadcast_idx`
 *   (resident + time, broadcast rows only) become one index on resident + time for every row: it
 *   serves the erasure's cascade, the sender's look for an earlier reply, and `broadcast_context`'s
 *   latest flash of a resident (a resident has few rows, so the broadcast rows are found by filter).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index outbound_messages_resident_time_idx on outbound_messages (resident_id, created_at)`.execute(
    db,
  );
  await sql`drop index if exists outbound_messages_resident_idx`.execute(db);
  await sql`drop index if exists outbound_messages_resident_broadcast_idx`.execute(db);
  await sql`drop index if exists outbound_messages_inbound_idx`.execute(db);
  await sql`create index outbound_messages_inbound_idx on outbound_messages (inbound_id) where inbound_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists outbound_messages_inbound_idx`.execute(db);
  await sql`create index outbound_messages_inbound_idx on outbound_messages (inbound_id)`.execute(db);
  await sql`create index outbound_messages_resident_idx on outbound_messages (resident_id)`.execute(db);
  await sql`create index outbound_messages_resident_broadcast_idx on outbound_messages (resident_id, created_at)
    where broadcast_id is not null`.execute(db);
  await sql`drop index if exists outbound_messages_resident_time_idx`.execute(db);
}
