import { type Kysely, sql } from 'kysely';

/**
 * WhatsApp's tables. All three belong to the identity store: WhatsApp ids (JIDs) contain phone
 * numbers. `whatsapp_auth` is the linked device's Baileys state (credentials and Signal keys),
 * `whatsapp_contacts` keeps a resident's phone-number JID and LID together under the address the
 * resident is known by, and `whatsapp_polls` the polls we sent (to decrypt the votes on them).
 *
 * Contacts and polls are created before the engine creates the resident, so they cannot hang off
 * `residents.id`; a trigger erases them (and the resident's Signal keys) when the resident row is
 * deleted, so VERWIJDER and the retention purge need no WhatsApp-specific code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('whatsapp_auth')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_auth_pkey', ['type', 'id'])
    .execute();

  await db.schema
    .createTable('whatsapp_contacts')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('pn', 'text', (c) => c.unique())
    .addColumn('lid', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('whatsapp_polls')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('chat', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('whatsapp_polls_chat_idx').on('whatsapp_polls').column('chat').execute();
  await db.schema
    .createIndex('whatsapp_polls_created_idx')
    .on('whatsapp_polls')
    .column('created_at')
    .execute();

  await eraseFunction0003(db);
  await sql`
    create trigger residents_whatsapp_erase after delete on residents
    for each row when (old.channel = 'whatsapp') execute function whatsapp_erase_resident()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists residents_whatsapp_erase on residents`.execute(db);
  await sql`drop function if exists whatsapp_erase_resident()`.execute(db);
  for (const t of ['whatsapp_polls', 'whatsapp_contacts', 'whatsapp_auth']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

/** The trigger function as this migration made it (also what 0009's `down` goes back to). */
export async function eraseFunction0003(db: Kysely<unknown>): Promise<void> {
  // Signal key ids start with the WhatsApp user (the phone number or the LID number), e.g.
  // `31612345678.0`, `123456789_1.0`, `123456789_reverse` or `31612345678@s.whatsapp.net`.
  await sql`
    create or replace function whatsapp_erase_resident() returns trigger language plpgsql as $$
    declare
      users text[];
    begin
      select array_agg(distinct split_part(split_part(jid, '@', 1), ':', 1)) into users
      from (
        select old.address as jid
        union all select pn from whatsapp_contacts where address = old.address and pn is not null
        union all select lid from whatsapp_contacts where address = old.address and lid is not null
      ) known;
      delete from whatsapp_polls where chat = old.address;
      delete from whatsapp_contacts where address = old.address;
      delete from whatsapp_auth
      where type in ('session', 'identity-key', 'lid-mapping', 'device-list', 'tctoken', 'sender-key-memory')
        and split_part(split_part(split_part(split_part(id, '@', 1), ':', 1), '.', 1), '_', 1) = any(users);
      return old;
    end
    $$
  `.execute(db);
}
