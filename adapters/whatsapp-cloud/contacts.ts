import { type Kysely, sql } from 'kysely';
import type { CloudSender } from './normalise.js';
import type { WhatsAppCloudTables } from './tables.js';

/** Meta's customer-service window: free-form messages only this long after the person's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/** We stop sending free-form a little before Meta does, so a message queued at 23:59 is not refused. */
const WINDOW_MARGIN_MS = 5 * 60 * 1000;

/** How a message reaches a person: their number (`to`), else their business-scoped user id (`recipient`). */
export type Recipient = { to: string } | { recipient: string };

/** Whether a time lies inside the 24-hour window from the last inbound message. */
export function insideWindow(lastInbound: Date | null | undefined, now: Date): boolean {
  return (
    lastInbound != null && now.getTime() - new Date(lastInbound).getTime() < WINDOW_MS - WINDOW_MARGIN_MS
  );
}

/**
 * Cloud API residents' ids (identity store). A person reaches us with a phone number (`wa_id`), a
 * business-scoped user id, or both; the first one we saw is their address for good (the resident's
 * key), and the other is kept beside it when Meta tells us, so they are found by either. The time of
 * their last message is kept here too: it opens the 24-hour window.
 */
export class CloudContacts {
  readonly #db: Kysely<WhatsAppCloudTables>;

  constructor(db: Kysely<WhatsAppCloudTables>) {
    this.#db = db;
  }

  /** The address of a sender (created on first contact) after noting their message's time. */
  async resolve(sender: CloudSender, at: Date): Promise<string> {
    const waId = sender.waId ?? null;
    const userId = sender.userId ?? null;
    if (!waId && !userId) throw new Error('a sender needs a phone number or a user id');
    for (let attempt = 0; attempt < 3; attempt++) {
      const known = await this.#find(waId, userId);
      if (known.length > 0) {
        // Known twice (by number and by user id before Meta said they are one): the number's row wins.
        const row = known.find((c) => waId !== null && c.wa_id === waId) ?? known[0]!;
        await this.#db
          .updateTable('whatsapp_cloud_contacts')
          .set({
            ...(waId && !row.wa_id && known.length === 1 ? { wa_id: waId } : {}),
            ...(userId && !row.user_id && known.length === 1 ? { user_id: userId } : {}),
            last_inbound_at: sql`greatest(last_inbound_at, ${at})`,
            updated_at: new Date(),
          })
          .where('address', '=', row.address)
          .execute();
        return row.address;
      }
      const inserted = await this.#db
        .insertInto('whatsapp_cloud_contacts')
        .values({ address: (waId ?? userId)!, wa_id: waId, user_id: userId, last_inbound_at: at })
        .onConflict((oc) => oc.doNothing())
        .returning('address')
        .executeTakeFirst();
      if (inserted) return inserted.address;
      // Another delivery of this person won the insert: read what it stored.
    }
    throw new Error('could not store a whatsapp cloud contact');
  }

  /** How to address a message to `address`; undefined when it can never be reached. */
  async recipientOf(address: string): Promise<Recipient | undefined> {
    const row = await this.#db
      .selectFrom('whatsapp_cloud_contacts')
      .select(['wa_id', 'user_id'])
      .where('address', '=', address)
      .executeTakeFirst();
    if (row?.wa_id) return { to: row.wa_id };
    if (row?.user_id) return { recipient: row.user_id };
    // Not seen on the Cloud API yet (a resident moved from the linked number): their number.
    return /^\d{6,20}$/.test(address) ? { to: address } : undefined;
  }

  /** Meta said the window is closed (131047): free-form waits for the person's next message. */
  async closeWindow(address: string): Promise<void> {
    await this.#db
      .updateTable('whatsapp_cloud_contacts')
      .set({ last_inbound_at: null, updated_at: new Date() })
      .where('address', '=', address)
      .execute();
  }

  async #find(waId: string | null, userId: string | null) {
    return this.#db
      .selectFrom('whatsapp_cloud_contacts')
      .select(['address', 'wa_id', 'user_id'])
      .where((eb) =>
        eb.or([...(waId ? [eb('wa_id', '=', waId)] : []), ...(userId ? [eb('user_id', '=', userId)] : [])]),
      )
      .execute();
  }
}
