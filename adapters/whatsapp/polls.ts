import { createHash } from 'node:crypto';
import { decryptPollVote } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { PollOption } from './render.js';
import type { WhatsAppTables } from './tables.js';

/** A poll we sent: enough to decrypt its votes and map them back to the ask's option values. */
export interface SentPoll {
  messageId: string;
  /** The address it went to. */
  chat: string;
  ref: string;
  options: PollOption[];
  /** The poll's 32-byte message secret; votes are encrypted with keys derived from it. */
  secret: Buffer;
}

/** An encrypted vote as it arrives in a `pollUpdateMessage`. */
export interface EncryptedVote {
  encPayload: Uint8Array;
  encIv: Uint8Array;
}

/** What a vote says: the chosen option values, or that it could not be read. */
export type VoteResult = { readable: true; values: string[] } | { readable: false };

/** Polls older than this get no more votes that matter; they are deleted. */
const POLL_RETENTION_DAYS = 30;

/** The sent polls (identity store: they hold the resident's address). */
export class PollStore {
  readonly #db: Kysely<WhatsAppTables>;

  constructor(db: Kysely<WhatsAppTables>) {
    this.#db = db;
  }

  /** Stores a poll before it is sent, so a vote can never arrive for a poll we do not know. */
  async save(poll: SentPoll): Promise<void> {
    await this.#db
      .insertInto('whatsapp_polls')
      .values({
        message_id: poll.messageId,
        chat: poll.chat,
        ref: poll.ref,
        options: JSON.stringify(poll.options),
        secret: poll.secret.toString('base64'),
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
  }

  async find(messageId: string): Promise<SentPoll | undefined> {
    const row = await this.#db
      .selectFrom('whatsapp_polls')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      messageId: row.message_id,
      chat: row.chat,
      ref: row.ref,
      options: row.options as PollOption[],
      secret: Buffer.from(row.secret, 'base64'),
    };
  }

  /** Deletes polls past their use; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const result = await this.#db
      .deleteFrom('whatsapp_polls')
      .where('created_at', '<', new Date(now.getTime() - POLL_RETENTION_DAYS * 86_400_000))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** The hash WhatsApp puts in a vote for an option: SHA-256 of the option's name. */
export function optionHash(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

/**
 * Decrypts a vote on one of our polls. The key depends on the poll creator's and the voter's JIDs,
 * and WhatsApp uses the phone-number JID or the LID depending on how the chat is addressed (in
 * 1:1 chats today: our LID and the voter's phone number), so every combination is tried.
 */
export function decryptVote(
  poll: SentPoll,
  vote: EncryptedVote,
  creatorJids: readonly string[],
  voterJids: readonly string[],
): VoteResult {
  for (const pollCreatorJid of new Set(creatorJids)) {
    for (const voterJid of new Set(voterJids)) {
      let selected: Uint8Array[];
      try {
        selected = decryptPollVote(vote, {
          pollCreatorJid,
          pollMsgId: poll.messageId,
          pollEncKey: poll.secret,
          voterJid,
        }).selectedOptions;
      } catch {
        continue;
      }
      const byHash = new Map(poll.options.map((o) => [optionHash(o.name), o.value]));
      const values = selected.map((hash) => byHash.get(Buffer.from(hash).toString('hex')));
      // A hash we never sent means the vote is not for these options: treat it as unreadable.
      if (values.some((v) => v === undefined)) return { readable: false };
      return { readable: true, values: [...new Set(values as string[])] };
    }
  }
  return { readable: false };
}
