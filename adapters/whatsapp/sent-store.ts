import { proto } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { ColumnSealer } from '../channel.js';
import { WHATSAPP_SENT_COLUMN, type WhatsAppTables } from './tables.js';

/**
 * Messages we sent, for a resident's phone that could not decrypt one and asks for it again
 * (Baileys' `getMessage`). In PostgreSQL, so the answer survives a restart and reaches whichever
 * process holds the connection. Identity store: erased with the resident (`whatsapp_forget`) and
 * by the retention purge after the message log's retention. The message (its text) is sealed with
 * the data key, like the message log; the chat stays readable, as erasure looks rows up by it.
 */
export class SentStore {
  readonly #db: Kysely<WhatsAppTables>;
  readonly #sealer: ColumnSealer;

  constructor(db: Kysely<WhatsAppTables>, sealer: ColumnSealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  async save(messageId: string, chat: string, message: proto.IMessage): Promise<void> {
    const bytes = this.#sealer.seal(
      Buffer.from(proto.Message.encode(message).finish()),
      WHATSAPP_SENT_COLUMN,
    );
    await this.#db
      .insertInto('whatsapp_sent')
      .values({ message_id: messageId, chat, message: bytes })
      .onConflict((oc) => oc.column('message_id').doUpdateSet({ chat, message: bytes }))
      .execute();
  }

  /**
   * The message with this id. Looked up by id alone: the phone may ask under the resident's LID for
   * a message we sent to their number (ids are not guessable: random, or a hash of the outbound row).
   */
  async find(messageId: string): Promise<proto.IMessage | undefined> {
    const row = await this.#db
      .selectFrom('whatsapp_sent')
      .select('message')
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row ? proto.Message.decode(this.#sealer.openBytes(row.message, WHATSAPP_SENT_COLUMN)) : undefined;
  }
}
