import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { NewsTopic } from '../../flows/types.js';
import { StartupError } from '../domain/errors.js';
import { LANGUAGES, type Localized } from '../domain/language.js';
import type { Env } from './env.js';

// The topics a news flash can carry and residents choose from with NIEUWS: a code (stored with the
// resident and the flash) and a label per language (what residents read). Read once at start.

/** The most topics: residents choose from a numbered list, which must stay short. */
export const MAX_NEWS_TOPICS = 9;

const Label = z.string().trim().min(1, 'expected a label').max(40, 'expected at most 40 characters');

const TopicSchema = z.strictObject({
  code: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{1,29}$/,
      'expected 2 to 30 lower-case letters, digits or -, starting with a letter',
    )
    // "alles" and "niets" are what residents type for every topic and none.
    .refine((c) => !['alles', 'niets', 'all', 'none'].includes(c), 'is a reserved word'),
  // Dutch required; every other language of LANGUAGES optional (falls back to Dutch).
  label: z.strictObject({
    nl: Label,
    ...Object.fromEntries(LANGUAGES.filter((l) => l !== 'nl').map((l) => [l, Label.optional()])),
  }),
});

const FileSchema = z.strictObject({
  topics: z
    .array(TopicSchema)
    .min(1, 'expected at least one topic')
    .max(MAX_NEWS_TOPICS, `expected at most ${MAX_NEWS_TOPICS} topics`)
    .superRefine((topics, ctx) => {
      const seen = new Set<string>();
      topics.forEach((t, i) => {
        if (seen.has(t.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'appears twice' });
        seen.add(t.code);
      });
    }),
});

/** The shipped file, next to the sources (and copied next to the build). */
export const DEFAULT_NEWS_TOPICS_FILE = fileURLToPath(
  new URL('../../config/news-topics.json', import.meta.url),
);

/** Reads and checks the news topics file (NEWS_TOPICS_FILE, else the shipped one); a bad file stops the start. */
export function loadNewsTopics(env: Pick<Env, 'NEWS_TOPICS_FILE'>): NewsTopic[] {
  const file = env.NEWS_TOPICS_FILE ?? DEFAULT_NEWS_TOPICS_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartupError(
      `Configuration error: NEWS_TOPICS_FILE ${file} cannot be read as JSON (${(error as Error).message}).`,
    );
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StartupError(
      `Configuration error: news topics in ${file}: ${issue.path.join('.') || 'file'}: ${issue.message}.`,
    );
  }
  return parsed.data.topics.map((t) => ({
    code: t.code,
    // Only the languages given: a missing one falls back to Dutch.
    label: Object.fromEntries(Object.entries(t.label).filter(([, v]) => v !== undefined)) as Localized,
  }));
}
