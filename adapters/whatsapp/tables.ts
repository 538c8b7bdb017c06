import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

/** Identity store: Baileys' auth state of the linked WhatsApp device (credentials and Signal keys). */
export interface WhatsappAuthTable {
  type: string;
  id: string;
  /** JSON with Baileys' BufferJSON encoding, sealed with the data key (bound to `WHATSAPP_AUTH_COLUMN`). */
  value: Buffer;
  updated_at: Timestamp;
}

/** The name `whatsapp_auth.value` is sealed under: a value copied into another column does not open there. */
export const WHATSAPP_AUTH_COLUMN = 'whatsapp_auth.value';
/** The column the messages kept for a phone's retry are sealed under. */
export const WHATSAPP_SENT_COLUMN = 'whatsapp_sent.message';

/** Identity store: a WhatsApp resident's phone-number JID and LID, under the address they are known by. */
export interface WhatsappContactsTable {
  address: string;
  pn: string | null;
  lid: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Identity store: polls sent on WhatsApp, with the secret their votes are encrypted with. */
export interface WhatsappPollsTable {
  message_id: string;
  chat: string;
  ref: string;
  options: Json<{ value: string; name: string }[]>;
  /** Base64 of the poll's 32-byte message secret. */
  secret: string;
  created_at: Timestamp;
}

/** Identity store: messages sent on WhatsApp, kept for a phone that asks for one again. */
export interface WhatsappSentTable {
  id: Generated<string>;
  message_id: string;
  chat: string;
  /** The message as Baileys' protobuf bytes, sealed with the data key (bound to `WHATSAPP_SENT_COLUMN`). */
  message: Buffer;
  created_at: Timestamp;
}

/**
 * The tables the WhatsApp adapter uses: its own, and the columns of the app's outbound rows it marks
 * failed when WhatsApp refuses a message after it left. The app's `Database` (src/db/schema.ts)
 * includes these, so the app's `Kysely<Database>` is a `Kysely<WhatsAppTables>`.
 */
export interface WhatsAppTables {
  whatsapp_auth: WhatsappAuthTable;
  whatsapp_contacts: WhatsappContactsTable;
  whatsapp_polls: WhatsappPollsTable;
  whatsapp_sent: WhatsappSentTable;
  outbound_messages: {
    channel: string;
    platform_message_id: string | null;
    status: Generated<string>;
    error: string | null;
    refusal: ColumnType<string | null, string | null | undefined, string | null>;
    refused_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
}
