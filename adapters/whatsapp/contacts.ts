import type { Kysely } from 'kysely';
import type { Logger } from '../../src/log.js';
import { isLid, isPhoneJid } from './jid.js';
import type { WhatsAppTables } from './tables.js';

/** What a message tells us about its sender: the phone-number JID and/or the LID. */
export interface SenderIds {
  pn?: string | undefined;
  lid?: string | undefined;
}

/** A known WhatsApp resident: the address they are known by, and both of their ids when known. */
export interface Contact {
  address: string;
  pn: string | null;
  lid: string | null;
}

/**
 * WhatsApp residents' ids (identity store). A person reaches us with a phone-number JID, a LID, or
 * both; the first address we saw stays their address for good (it is their resident's key), and the
 * other id is kept beside it when WhatsApp tells us, so a chat that switches from the phone number
 * to the LID still belongs to the same resident. Rows are erased with the resident (a trigger).
 */
export class WhatsAppContacts {
  readonly #db: Kysely<WhatsAppTables>;
  readonly #log: Logger;

  constructor(db: Kysely<WhatsAppTables>, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  /**
   * The address for a sender: their existing one, else the phone-number JID (readable for staff,
   * stable across devices), else the LID. Remembers the ids it learns.
   */
  async resolve(ids: SenderIds): Promise<Contact> {
    const pn = ids.pn && isPhoneJid(ids.pn) ? ids.pn : undefined;
    const lid = ids.lid && isLid(ids.lid) ? ids.lid : undefined;
    if (!pn && !lid) throw new Error('a sender needs a phone-number JID or a LID');
    const found = await this.#find(pn, lid);
    if (found.length > 1) {
      // Known twice: once by number, once by LID, before WhatsApp told us they are one person.
      // Keep answering the number's resident; merging two residents is not ours to do.
      this.#log.warn('a WhatsApp resident is known under two addresses; using the phone-number one');
      return found.find((c) => c.pn === pn) ?? found[0]!;
    }
    const [known] = found;
    if (known) {
      if ((pn && !known.pn) || (lid && !known.lid)) return this.#complete(known, pn, lid);
      return known;
    }
    const fresh: Contact = { address: (pn ?? lid)!, pn: pn ?? null, lid: lid ?? null };
    await this.#db
      .insertInto('whatsapp_contacts')
      .values(fresh)
      .onConflict((oc) => oc.doNothing())
      .execute();
    // A conflict means another id of this person was stored meanwhile; read what won.
    const [stored] = await this.#find(pn, lid);
    return stored ?? fresh;
  }

  /** Records that a phone-number JID and a LID are one person, for residents we already know. */
  async learn(ids: SenderIds): Promise<void> {
    if (!ids.pn || !ids.lid || !isPhoneJid(ids.pn) || !isLid(ids.lid)) return;
    const [known] = await this.#find(ids.pn, ids.lid);
    if (known && (!known.pn || !known.lid)) await this.#complete(known, ids.pn, ids.lid);
  }

  /** The contact behind an address, if known. */
  async byAddress(address: string): Promise<Contact | undefined> {
    return this.#db
      .selectFrom('whatsapp_contacts')
      .select(['address', 'pn', 'lid'])
      .where('address', '=', address)
      .executeTakeFirst();
  }

  async #find(pn: string | undefined, lid: string | undefined): Promise<Contact[]> {
    return this.#db
      .selectFrom('whatsapp_contacts')
      .select(['address', 'pn', 'lid'])
      .where((eb) => eb.or([...(pn ? [eb('pn', '=', pn)] : []), ...(lid ? [eb('lid', '=', lid)] : [])]))
      .execute();
  }

  async #complete(known: Contact, pn: string | undefined, lid: string | undefined): Promise<Contact> {
    const next = { pn: known.pn ?? pn ?? null, lid: known.lid ?? lid ?? null };
    try {
      await this.#db
        .updateTable('whatsapp_contacts')
        .set({ ...next, updated_at: new Date() })
        .where('address', '=', known.address)
        .execute();
      return { ...known, ...next };
    } catch {
      // The other id belongs to another row already (unique); leave both as they are.
      return known;
    }
  }
}
