import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';
import { loadSecret } from './secret.js';

/**
 * Encryption at rest for what the identity store must keep but a copy of the database must not
 * show: the message log, help-request conversations, the WhatsApp link's credentials and a
 * resident's age group. AES-256-GCM (node:crypto) under the data key, which lives outside the
 * database like the pseudonym key (DATA_KEY or DATA_KEY_FILE).
 *
 * A sealed value is `[key id][12-byte nonce][16-byte tag][ciphertext]` in a bytea column. The key
 * id byte (1 for now) lets a later key rotation tell old and new values apart. The column's name is
 * bound in as associated data, so a value copied into another column does not open there.
 *
 * Rows written before sealing existed were converted to bytea by migration 0008 with a leading
 * zero byte; `openBytes` reads those (and any value not starting with a key id) as plain text,
 * and `sealLegacyRows` seals them all at the next start.
 */

/** The key id of values sealed with the current data key. */
export const KEY_ID = 1;
/** The first byte of a value written in plain text before sealing existed. */
const LEGACY = 0;
const NONCE = 12;
const TAG = 16;

/** The AES key derived from a data key. */
const deriveKey = (secret: Buffer): Buffer => {
  if (secret.length < 32) throw new Error('data key must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', secret, 'straatpraat', 'data key 1: aes-256-gcm', 32));
};

/** Opens a sealed value with one key; throws when the key does not fit or the value was changed. */
function openWith(key: Buffer, stored: Buffer, column: string): Buffer {
  const nonce = stored.subarray(1, 1 + NONCE);
  const tag = stored.subarray(1 + NONCE, 1 + NONCE + TAG);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(column, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(stored.subarray(1 + NONCE + TAG)), decipher.final()]);
}

export class Sealer {
  readonly #key: Buffer;
  readonly #previous: readonly Buffer[];

  /**
   * `secret`: at least 32 bytes; the AES key is derived from it with HKDF-SHA256. `previous`: the
   * data keys used before a rotation; they only open values (GCM's tag tells which key fits), and
   * `straatpraat data-key reseal` seals what they opened with the current key.
   */
  constructor(secret: Buffer, previous: readonly Buffer[] = []) {
    this.#key = deriveKey(secret);
    this.#previous = previous.map(deriveKey);
  }

  /** Whether earlier data keys are configured: a rotation is under way. */
  get rotating(): boolean {
    return this.#previous.length > 0;
  }

  /** Seals a text (or bytes) for one column, e.g. `message_log.body`. */
  seal(plain: string | Buffer, column: string): Buffer {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(Buffer.from(column, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(KEY_ID), nonce, cipher.getAuthTag(), body]);
  }

  /**
   * Opens a value of `column` with the current key, else with an earlier one; a legacy plain-text
   * value comes back as it is. Throws when no key fits or the value was tampered with.
   */
  openBytes(stored: Buffer, column: string): Buffer {
    if (stored.length === 0) return stored;
    const id = stored[0];
    if (id === LEGACY) return stored.subarray(1);
    if (id !== KEY_ID) return stored;
    try {
      return openWith(this.#key, stored, column);
    } catch (error) {
      for (const key of this.#previous) {
        try {
          return openWith(key, stored, column);
        } catch {
          // not this one either
        }
      }
      throw error;
    }
  }

  /** Whether the current key opens this value (false for plain text and for an earlier key's value). */
  opensWithCurrentKey(stored: Buffer, column: string): boolean {
    if (!isSealed(stored)) return false;
    try {
      openWith(this.#key, stored, column);
      return true;
    } catch {
      return false;
    }
  }

  open(stored: Buffer, column: string): string {
    return this.openBytes(stored, column).toString('utf8');
  }
}

/** Whether a stored value is sealed (and not plain text from before). */
export const isSealed = (stored: Buffer) => stored.length > 0 && stored[0] === KEY_ID;

/**
 * Finds the data key: DATA_KEY, else DATA_KEY_FILE; generated into DATA_DIR outside production,
 * required in production.
 */
export function loadDataKey(env: Env, log?: Logger): Buffer {
  return loadSecret(
    env,
    {
      name: 'DATA_KEY',
      value: env.DATA_KEY,
      fileName: 'DATA_KEY_FILE',
      file: env.DATA_KEY_FILE,
      devFile: 'data.key',
    },
    log,
  );
}

/** The data key used before a rotation (DATA_KEY_PREVIOUS or DATA_KEY_PREVIOUS_FILE), if one is set. */
export function loadPreviousDataKeys(env: Env): Buffer[] {
  if (!env.DATA_KEY_PREVIOUS && !env.DATA_KEY_PREVIOUS_FILE) return [];
  return [
    loadSecret(env, {
      name: 'DATA_KEY_PREVIOUS',
      value: env.DATA_KEY_PREVIOUS,
      fileName: 'DATA_KEY_PREVIOUS_FILE',
      file: env.DATA_KEY_PREVIOUS_FILE,
      devFile: 'data-previous.key',
    }),
  ];
}

/** The installation's sealer: the data key, and the earlier one while a rotation is under way. */
export function loadSealer(env: Env, log?: Logger): Sealer {
  return new Sealer(loadDataKey(env, log), loadPreviousDataKeys(env));
}

// One data key per process, installed at start (prepareStorage), like the environment itself: the
// desk, the engine, the scheduler and the WhatsApp adapter all seal with it.
let installed: Sealer | undefined;

/** Installs the process's data key (and the earlier one during a rotation). */
export function installDataKey(sealer: Sealer): Sealer {
  installed = sealer;
  return installed;
}

/** The process's sealer; a start that skipped `prepareStorage` is a programming error. */
export function dataSealer(): Sealer {
  if (!installed) throw new Error('no data key installed: prepareStorage(env) installs it at start');
  return installed;
}

/** Seals a text for one column with the process's data key. */
export const seal = (plain: string | Buffer, column: string): Buffer => dataSealer().seal(plain, column);

/** Opens one column's value with the process's data key. */
export const unseal = (stored: Buffer, column: string): string => dataSealer().open(stored, column);

/** Like `unseal`, for a nullable column. */
export const unsealNullable = (stored: Buffer | null, column: string): string | null =>
  stored === null ? null : unseal(stored, column);

/** The process's data key as the channel contract's `ColumnSealer`, for adapters that keep sealed values. */
export const dataKeySealer = {
  seal,
  open: unseal,
  openBytes: (stored: Buffer, column: string): Buffer => dataSealer().openBytes(stored, column),
} as const;
