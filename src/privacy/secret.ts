import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../config/env.js';
import { StartupError } from '../domain/errors.js';
import type { Logger } from '../log.js';

/** Where one secret of the installation comes from (a key kept outside the database). */
export interface SecretSource {
  /** The variable holding the secret itself, e.g. PSEUDONYM_KEY. */
  name: string;
  value: string | undefined;
  /** The variable naming a file that holds it, e.g. PSEUDONYM_KEY_FILE. */
  fileName: string;
  file: string | undefined;
  /** The file in DATA_DIR a development secret is generated into. */
  devFile: string;
}

/**
 * Finds a secret: the variable, else the file it names. Outside production a missing secret is
 * generated into DATA_DIR with a warning; in production it stops the start with one line.
 */
export function loadSecret(
  env: Pick<Env, 'NODE_ENV' | 'DATA_DIR'>,
  source: SecretSource,
  log?: Logger,
): Buffer {
  if (source.value) return Buffer.from(source.value, 'utf8');
  if (source.file) {
    let text: string;
    try {
      text = readFileSync(source.file, 'utf8').trim();
    } catch {
      throw new StartupError(
        `Configuration error: ${source.fileName} points to ${source.file}, which cannot be read.`,
      );
    }
    if (text.length < 32) {
      throw new StartupError(
        `Configuration error: ${source.fileName} must hold at least 32 characters of secret.`,
      );
    }
    return Buffer.from(text, 'utf8');
  }
  if (env.NODE_ENV === 'production') {
    throw new StartupError(
      `Configuration error: ${source.name} or ${source.fileName} is required in production (a secret of at least 32 characters, kept outside the database).`,
    );
  }
  const file = join(env.DATA_DIR, source.devFile);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    log?.warn(
      { file },
      `no ${source.name} set: generated a development key; set ${source.name} in production`,
    );
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}
