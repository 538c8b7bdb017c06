import { sql, type Transaction } from 'kysely';
import type { Database, ResidentRow } from '../db/schema.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';

/**
 * Moving from the linked number to the Cloud API: someone writing to the Cloud number for the first
 * time, whose phone number belongs to a resident of the linked-number channel (by their address or
 * their known phone-number JID), is that resident. Their row moves to the new channel and address,
 * so profile, consent, conversation and waves stay theirs; their answers in the monitor store are
 * re-keyed to the new pseudonym, so they stay one respondent (and VERWIJDER still finds them). The
 * linked channel's contact row goes, as nothing reaches them there any more. Runs inside the
 * engine's transaction, before a new resident would be created; returns the moved row, if any.
 */
export async function adoptLinkedResident(
  tx: Transaction<Database>,
  message: InboundMessage,
  pseudonyms: Pseudonymizer,
): Promise<ResidentRow | undefined> {
  if (message.channel !== 'whatsapp-cloud' || !/^\d{6,20}$/.test(message.address)) return undefined;
  const jid = `${message.address}@s.whatsapp.net`;
  const linked = await tx
    .selectFrom('residents as r')
    .leftJoin('whatsapp_contacts as c', 'c.address', 'r.address')
    .select(['r.id', 'r.address'])
    .where('r.channel', '=', 'whatsapp')
    .where((eb) => eb.or([eb('r.address', '=', jid), eb('c.pn', '=', jid)]))
    .forUpdate('r')
    .executeTakeFirst();
  if (!linked) return undefined;
  const before = pseudonyms.respondent('whatsapp', linked.address);
  const after = pseudonyms.respondent(message.channel, message.address);
  await tx.updateTable('answers').set({ respondent: after }).where('respondent', '=', before).execute();
  await tx.deleteFrom('whatsapp_contacts').where('address', '=', linked.address).execute();
  await tx.deleteFrom('whatsapp_polls').where('chat', '=', linked.address).execute();
  // Replies still waiting for the linked number would go nowhere: they are not sent.
  await tx
    .updateTable('outbound_messages')
    .set({ status: 'failed', error: 'moved to the whatsapp cloud api', drain_after: null })
    .where('resident_id', '=', linked.id)
    .where('status', '=', 'queued')
    .execute();
  return tx
    .updateTable('residents')
    .set({ channel: message.channel, address: message.address, updated_at: sql`now()` })
    .where('id', '=', linked.id)
    .returningAll()
    .executeTakeFirst();
}
