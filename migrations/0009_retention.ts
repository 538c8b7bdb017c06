import { type Kysely, type RawBuilder, sql } from 'kysely';
import { eraseFunction0003 } from './0003_whatsapp.js';

/**
 * Erasure that reaches WhatsApp's keys, and retention of identities without consent.
 *
 * `whatsapp_forget(address)` erases what the WhatsApp adapter keeps about one address: its polls,
 * its contact row and every Signal key of its users (the phone number and the LID its contact row
 * records). The erase trigger calls it when a resident row goes;
 * the outbound worker calls it again after the goodbye to an erased resident is sent, because
 * sending writes the session and device list back. It returns the keys it removed, so the adapter
 * can drop them from its memory cache too.
 *
 * The index serves the purge's search for silent identities without consent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await forgetFunction(db);
  await sql`
    create or replace function whatsapp_erase_resident() returns trigger language plpgsql as $$
    begin
      perform whatsapp_forget(old.address);
      return old;
    end
    $$
  `.execute(db);
  await sql`
    create index residents_without_consent_idx on residents (updated_at) where consent_at is null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists residents_without_consent_idx`.execute(db);
  await eraseFunction0003(db);
  await sql`drop function if exists whatsapp_forget(text)`.execute(db);
}

/**
 * Creates `whatsapp_forget(address)`; later migrations that keep more per address pass the statement
 * that erases it (`extra`), so the function is defined in one place.
 */
export async function forgetFunction(db: Kysely<unknown>, extra: RawBuilder<unknown> = sql``): Promise<void> {
  // Signal key ids start with the WhatsApp user (the phone number or the LID number), e.g.
  // `31612345678.0`, `123456789_1.0`, `123456789_reverse` or `31612345678@s.whatsapp.net`.
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
      ${extra}
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
