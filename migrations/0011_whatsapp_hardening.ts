import { type Kysely, sql } from 'kysely';
import { forgetFunction } from './0009_retention.js';

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
  await forgetFunction(db, sql`delete from whatsapp_sent s where s.chat = addr;`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await forgetFunction(db);
  await db.schema.dropIndex('outbound_messages_platform_id_idx').ifExists().execute();
  await db.schema.dropIndex('outbound_messages_refused_idx').ifExists().execute();
  await db.schema.alterTable('outbound_messages').dropColumn('refused_at').execute();
  await db.schema.alterTable('outbound_messages').dropColumn('refusal').execute();
  await db.schema.dropTable('whatsapp_sent').ifExists().execute();
}
