import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../config/env.js';
import { StartupError } from '../errors.js';
import type { Logger } from '../log.js';

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
  if (env.PSEUDONYM_KEY) return Buffer.from(env.PSEUDONYM_KEY, 'utf8');
  if (env.PSEUDONYM_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(env.PSEUDONYM_KEY_FILE, 'utf8').trim();
    } catch {
      throw new StartupError(
        `Configuration error: PSEUDONYM_KEY_FILE points to ${env.PSEUDONYM_KEY_FILE}, which cannot be read.`,
      );
    }
    if (text.length < 32) {
      throw new StartupError(
        'Configuration error: PSEUDONYM_KEY_FILE must hold at least 32 characters of secret.',
      );
    }
    return Buffer.from(text, 'utf8');
  }
  if (env.NODE_ENV === 'production') {
    throw new StartupError(
      'Configuration error: PSEUDONYM_KEY or PSEUDONYM_KEY_FILE is required in production (a secret of at least 32 characters, kept outside the database).',
    );
  }
  const file = join(env.DATA_DIR, 'pseudonym.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    log?.warn({ file }, 'no PSEUDONYM_KEY set: generated a development key; set PSEUDONYM_KEY in production');
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}
