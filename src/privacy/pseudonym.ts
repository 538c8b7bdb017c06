import { createHmac } from 'node:crypto';
import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';
import { loadSecret } from './secret.js';

/**
 * Keyed pseudonyms (HMAC-SHA256). The key lives outside the database, so a copy of the database
 * alone cannot link an answer to a phone number; plain hashing would not do, since every Dutch
 * mobile number can be tried in about a minute.
 */
export class Pseudonymizer {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('pseudonym key must be at least 32 bytes');
    this.#key = key;
  }

  /** The respondent id of a resident in the monitor store. */
  respondent(channel: string, address: string): string {
    return this.#mac(`respondent\u0000${channel}\u0000${address}`);
  }

  /** The ledger key of an inbound platform message id (WhatsApp ids contain phone numbers). */
  platformKey(channel: string, platformId: string): string {
    return this.#mac(`inbound\u0000${channel}\u0000${platformId}`);
  }

  #mac(input: string): string {
    return createHmac('sha256', this.#key).update(input).digest('base64url');
  }
}

/**
 * Finds the pseudonym key: PSEUDONYM_KEY, else PSEUDONYM_KEY_FILE. Outside production a missing key
 * is generated into DATA_DIR with a warning; in production it stops the start.
 */
export function loadPseudonymKey(env: Env, log?: Logger): Buffer {
  return loadSecret(
    env,
    {
      name: 'PSEUDONYM_KEY',
      value: env.PSEUDONYM_KEY,
      fileName: 'PSEUDONYM_KEY_FILE',
      file: env.PSEUDONYM_KEY_FILE,
      devFile: 'pseudonym.key',
    },
    log,
  );
}
