import { type Kysely, sql } from 'kysely';

/**
 * Replies to one resident are sealed with the data key: they can hold that resident's own words (the
 * GEGEVENS copy of their answers and ideas, a staff member's answer to their help request) and wait
 * here, linked to their address, for up to 7 days. `sealed_body` holds such a message (AES-256-GCM,
 * src/privacy/sealed.ts, bound to `outbound_messages.sealed_body`) and `body` is null; a broadcast's
 * rows (the same text for everyone, written by the fan-out in one statement) keep `body` in plain
 * JSON. A row has exactly one of the two. Rows already stored in plain text are sealed at the next
 * start (`sealLegacyReplies`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table outbound_messages add column sealed_body bytea,
    alter column body drop not null,
    add constraint outbound_messages_one_body check ((body is null) <> (sealed_body is null))`.execute(db);
  // What the start's pass still has to seal: empty once it ran, so the look at every start is cheap
  // (a broadcast's rows never enter it).
  await sql`create index outbound_messages_plain_reply_idx on outbound_messages (id)
    where body is not null and broadcast_id is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Sealed rows cannot be read back here without the data key: they go (they are at most 7 days old).
  await sql`drop index if exists outbound_messages_plain_reply_idx`.execute(db);
  await sql`delete from outbound_messages where body is null`.execute(db);
  await sql`alter table outbound_messages drop constraint outbound_messages_one_body,
    drop column sealed_body, alter column body set not null`.execute(db);
}
