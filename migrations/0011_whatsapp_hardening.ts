import { type Kysely, sql } from 'kysely';

/**
 * The linked-number channel, hardened.
 *
 * `whatsapp_sent` keeps what a message we sent needs to be sent again: a resident's phone that
 * could not decrypt it asks for it again (Baileys' `getMessage`), also after a restart or when
 * another process took the connection over. It is identity-store data (the chat and the text): it
 * goes with the resident (`whatsapp_forget`) and after the message log's retention.
 *
 * `outbound_messages.refusal` is the code with which WhatsApp refused a message after it left
 * (463 reach-out time-lock, 479 and others): warnings of a coming ban, counted in /metrics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('whatsapp_sent')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('chat', 'text', (c) => c.notNull())
    .addColumn('message', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('whatsapp_sent_chat_idx').on('whatsapp_sent').column('chat').execute();
  await db.schema.createIndex('whatsapp_sent_created_idx').on('whatsapp_sent').column('created_at').execute();
  await db.schema.alterTable('outbound_messages').addColumn('refusal', 'text').execute();
  await db.schema.alterTable('outbound_messages').addColumn('refused_at', 'timestamptz').execute();
  await db.schema
    .createIndex('outbound_messages_refused_idx')
    .on('outbound_messages')
    .column('refused_at')
    .where(sql.ref('refused_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('outbound_messages_platform_id_idx')
    .on('outbound_messages')
    .columns(['channel', 'platform_message_id'])
    .where(sql.ref('platform_message_id'), 'is not', null)
    .execute();
  await forgetFunction(db, true);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await forgetFunction(db, false);
  await db.schema.dropIndex('outbound_messages_platform_id_idx').ifExists().execute();
  await db.schema.dropIndex('outbound_messages_refused_idx').ifExists().execute();
  await db.schema.alterTable('outbound_messages').dropColumn('refused_at').execute();
  await db.schema.alterTable('outbound_messages').dropColumn('refusal').execute();
  await db.schema.dropTable('whatsapp_sent').ifExists().execute();
}

/** `whatsapp_forget` as 0009 made it, erasing the sent messages of the address too when `sent`. */
async function forgetFunction(db: Kysely<unknown>, sent: boolean): Promise<void> {
  const eraseSent = sent ? sql`delete from whatsapp_sent s where s.chat = addr;` : sql``;
  await sql`
    create or replace function whatsapp_forget(addr text)
    returns table (key_type text, key_id text) language plpgsql as $$
    declare
      users text[];
    begin
      select array_agg(distinct split_part(split_part(jid, '@', 1), ':', 1)) into users
      from (
        select addr as jid
        union all select c.pn from whatsapp_contacts c where c.address = addr and c.pn is not null
        union all select c.lid from whatsapp_contacts c where c.address = addr and c.lid is not null
      ) known;
      -- The stored lid-mapping values are sealed (data key), so the number's LID comes from the
      -- contact row, where the adapter records both (it asks Baileys' mapping before making one).
      delete from whatsapp_polls p where p.chat = addr;
      ${eraseSent}
      delete from whatsapp_contacts c where c.address = addr;
      return query
        delete from whatsapp_auth a
        where a.type in ('session', 'identity-key', 'lid-mapping', 'device-list', 'tctoken', 'sender-key-memory')
          and split_part(split_part(split_part(split_part(a.id, '@', 1), ':', 1), '.', 1), '_', 1) = any(users)
        returning a.type, a.id;
    end
    $$
  `.execute(db);
}
