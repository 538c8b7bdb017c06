import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Language } from '../../src/domain/language.js';
import { type Poll, PollSchema } from './schema.js';
import { POLL_TRANSLATIONS, type PollTranslations, translatePoll } from './translations.js';

/** Where the shipped poll definitions live: every `*.json` next to this module. */
export const POLLS_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * Reads and validates every poll definition in a folder (the shipped ones by default). A file that is
 * not valid JSON, does not match PollSchema, or whose poll id differs from its file name throws one
 * error naming the file and what is wrong, so a bad poll stops the process at start. Each poll gets
 * the texts of the languages that translate it in `flows/i18n/<language>/polls.json`.
 */
export function loadPolls(
  dir: string = POLLS_DIR,
  translations: ReadonlyMap<Language, PollTranslations> = POLL_TRANSLATIONS,
): Map<string, Poll> {
  const polls = new Map<string, Poll>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const where = `flows/polls/${file}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = PollSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw new Error(`${where}: invalid poll definition: ${path}${issue.message}`);
    }
    const id = file.slice(0, -'.json'.length);
    if (parsed.data.id !== id) {
      throw new Error(`${where}: poll id "${parsed.data.id}" must match the file name "${id}"`);
    }
    polls.set(parsed.data.id, translatePoll(parsed.data, translations));
  }
  return polls;
}
