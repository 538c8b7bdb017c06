import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Identity store: a WhatsApp Cloud API resident's phone number and business-scoped user id. */
export interface WhatsappCloudContactsTable {
  address: string;
  wa_id: string | null;
  user_id: string | null;
  /** The resident's last message: Meta's 24-hour customer-service window runs from here. */
  last_inbound_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Cloud API statuses waiting for their outbound row to carry the message id. */
export interface WhatsappCloudStatusesTable {
  id: Generated<string>;
  wamid: string;
  status: string;
  at: Date;
  error_code: number | null;
  received_at: Timestamp;
}

/**
 * The tables the Cloud API adapter uses: its own, and the columns of the app's tables it reads and
 * updates (delivery statuses on outbound rows; a row's language and broadcast kind to pick a
 * template). The app's `Database` (src/db/schema.ts) includes these, so the app's `Kysely<Database>`
 * is a `Kysely<WhatsAppCloudTables>`.
 */
export interface WhatsAppCloudTables {
  whatsapp_cloud_contacts: WhatsappCloudContactsTable;
  whatsapp_cloud_statuses: WhatsappCloudStatusesTable;
  outbound_messages: {
    id: Generated<string>;
    resident_id: string;
    channel: string;
    broadcast_id: string | null;
    platform_message_id: string | null;
    /** queued, sent or failed. */
    status: Generated<string>;
    error: string | null;
    delivered_at: Date | null;
    read_at: Date | null;
  };
  residents: { id: Generated<string>; address: string; language: string | null };
  broadcasts: { id: Generated<string>; kind: string };
}
