import { type Kysely, sql } from 'kysely';

/**
 * WhatsApp Cloud API. `whatsapp_cloud_contacts` (identity store) keeps a resident's WhatsApp ids
 * under the address they are known by: the phone number (`wa_id`) and/or the business-scoped user
 * id (`user_id`), either of which a webhook may leave out, and the time of their last message, which
 * opens Meta's 24-hour customer-service window. A trigger erases the row with the resident.
 *
 * Delivery: `delivered_at` and `read_at` on outbound rows come from Meta's status webhooks; the
 * index on `platform_message_id` finds the row of a status. Statuses that arrive before the row has
 * its message id (Meta is fast, our worker records the id just after the send) wait in
 * `whatsapp_cloud_statuses` until it has; they hold no personal data, only the message id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('whatsapp_cloud_contacts')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('wa_id', 'text', (c) => c.unique())
    .addColumn('user_id', 'text', (c) => c.unique())
    .addColumn('last_inbound_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('whatsapp_cloud_contacts_some_id', sql`wa_id is not null or user_id is not null`)
    .execute();

  await db.schema
    .createTable('whatsapp_cloud_statuses')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('wamid', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('error_code', 'integer')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('whatsapp_cloud_statuses_wamid_idx')
    .on('whatsapp_cloud_statuses')
    .column('wamid')
    .execute();

  await db.schema
    .alterTable('outbound_messages')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`
    create index outbound_messages_platform_message_id_idx on outbound_messages (platform_message_id)
    where platform_message_id is not null
  `.execute(db);

  await sql`
    create function whatsapp_cloud_erase_resident() returns trigger language plpgsql as $$
    begin
      delete from whatsapp_cloud_contacts where address = old.address;
      return old;
    end
    $$
  `.execute(db);
  await sql`
    create trigger residents_whatsapp_cloud_erase after delete on residents
    for each row when (old.channel = 'whatsapp-cloud') execute function whatsapp_cloud_erase_resident()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists residents_whatsapp_cloud_erase on residents`.execute(db);
  await sql`drop function if exists whatsapp_cloud_erase_resident()`.execute(db);
  await sql`drop index if exists outbound_messages_platform_message_id_idx`.execute(db);
  await db.schema.alterTable('outbound_messages').dropColumn('delivered_at').dropColumn('read_at').execute();
  await db.schema.dropTable('whatsapp_cloud_statuses').ifExists().execute();
  await db.schema.dropTable('whatsapp_cloud_contacts').ifExists().execute();
}
