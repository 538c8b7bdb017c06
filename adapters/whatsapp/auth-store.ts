import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { ColumnSealer } from '../channel.js';
import { WHATSAPP_AUTH_COLUMN, type WhatsAppTables } from './tables.js';

/** The row that holds the credentials; Signal keys use their own type names. */
const CREDS = { type: 'creds', id: '' } as const;

/** Baileys' auth state plus the function that persists the credentials after `creds.update`. */
export interface StoredAuthState {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
}

/**
 * Baileys' authentication state (credentials and every Signal key type: sessions, pre-keys,
 * sender keys, app-state keys, `lid-mapping`, `device-list`, `tctoken`, ...) in PostgreSQL, one
 * row per key, encoded with Baileys' BufferJSON so Buffers survive, and sealed with the data key. Nothing goes to local files,
 * so any machine can take over the connection.
 */
export class PgAuthStore {
  readonly #db: Kysely<WhatsAppTables>;
  readonly #sealer: ColumnSealer;

  constructor(db: Kysely<WhatsAppTables>, sealer: ColumnSealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  // Sealed with the data key: whoever holds these can act as the linked device (read and send as the number).
  #encode(value: unknown): Buffer {
    return this.#sealer.seal(JSON.stringify(value, BufferJSON.replacer), WHATSAPP_AUTH_COLUMN);
  }

  #decode(stored: Buffer): unknown {
    return JSON.parse(this.#sealer.open(stored, WHATSAPP_AUTH_COLUMN), BufferJSON.reviver);
  }

  /** Reads the stored state, or fresh credentials (a device still to be paired) when there is none. */
  async load(): Promise<StoredAuthState> {
    const row = await this.#db
      .selectFrom('whatsapp_auth')
      .select('value')
      .where('type', '=', CREDS.type)
      .where('id', '=', CREDS.id)
      .executeTakeFirst();
    const creds = row ? (this.#decode(row.value) as AuthenticationCreds) : initAuthCreds();
    return {
      state: {
        creds,
        keys: {
          get: (type, ids) => this.#get(type, ids),
          set: (data) => this.#set(data),
          clear: () => this.clear(),
        },
      },
      saveCreds: () => this.saveCreds(creds),
    };
  }

  /** Writes the credentials (Baileys changes the object in place, then emits `creds.update`). */
  async saveCreds(creds: AuthenticationCreds): Promise<void> {
    const value = this.#encode(creds);
    await this.#db
      .insertInto('whatsapp_auth')
      .values({ ...CREDS, value })
      .onConflict((oc) => oc.columns(['type', 'id']).doUpdateSet({ value, updated_at: new Date() }))
      .execute();
  }

  /**
   * Whether a paired device is stored: WhatsApp accepted it (`account`, set by every pairing).
   * Baileys' `registered` is set by pairing with a code only, not by a QR code.
   */
  async isPaired(): Promise<boolean> {
    const row = await this.#db
      .selectFrom('whatsapp_auth')
      .select('value')
      .where('type', '=', CREDS.type)
      .where('id', '=', CREDS.id)
      .executeTakeFirst();
    return row ? (this.#decode(row.value) as AuthenticationCreds).account != null : false;
  }

  /** Forgets the device: after "logged out" the number must be paired again. */
  async clear(): Promise<void> {
    await this.#db.deleteFrom('whatsapp_auth').execute();
  }

  async #get<T extends keyof SignalDataTypeMap>(
    type: T,
    ids: string[],
  ): Promise<{ [id: string]: SignalDataTypeMap[T] }> {
    const found: { [id: string]: SignalDataTypeMap[T] } = {};
    if (ids.length === 0) return found;
    const rows = await this.#db
      .selectFrom('whatsapp_auth')
      .select(['id', 'value'])
      .where('type', '=', type)
      .where('id', 'in', ids)
      .execute();
    for (const row of rows) {
      let value = this.#decode(row.value);
      // Baileys reads these as protobuf objects, as its own file store does.
      if (type === 'app-state-sync-key' && value) {
        value = proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
      }
      found[row.id] = value as SignalDataTypeMap[T];
    }
    return found;
  }

  async #set(data: SignalDataSet): Promise<void> {
    const upserts: { type: string; id: string; value: Buffer }[] = [];
    const deletes = new Map<string, string[]>();
    for (const [type, entries] of Object.entries(data)) {
      for (const [id, value] of Object.entries(entries ?? {})) {
        if (value === null || value === undefined) deletes.set(type, [...(deletes.get(type) ?? []), id]);
        else upserts.push({ type, id, value: this.#encode(value) });
      }
    }
    if (upserts.length === 0 && deletes.size === 0) return;
    await this.#db.transaction().execute(async (tx) => {
      // Batches keep one statement under PostgreSQL's 65,535 parameters (pre-key uploads are large).
      for (let i = 0; i < upserts.length; i += 1000) {
        await tx
          .insertInto('whatsapp_auth')
          .values(upserts.slice(i, i + 1000))
          .onConflict((oc) =>
            oc.columns(['type', 'id']).doUpdateSet((eb) => ({
              value: eb.ref('excluded.value'),
              updated_at: new Date(),
            })),
          )
          .execute();
      }
      for (const [type, ids] of deletes) {
        await tx.deleteFrom('whatsapp_auth').where('type', '=', type).where('id', 'in', ids).execute();
      }
    });
  }
}
