import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { I18N_ROOT, LANGUAGES, type Language, type Localized } from '../../src/domain/language.js';
import type { Option, PollDefinition } from './schema.js';

// A language's poll texts live beside its other texts, in `flows/i18n/<language>/polls.json`, so adding a
// language is a folder and no edit of the poll files. The file holds the labels of the standard options
// (yes/no, the five answers of a scale) and, per shipped poll (by poll id, question id and option code),
// its title, intro, questions, follow-ups and own option labels. A text also written in the poll's own
// JSON (`flows/polls/<id>.json`, where Dutch and English are) wins over this file.

const Text = z.string().min(1);

/** One language's `polls.json`. */
export const PollTranslationsSchema = z.strictObject({
  /** A note for translators; not read. */
  about: z.string().optional(),
  /** Labels of the standard options, by option code. */
  options: z
    .strictObject({
      yesno: z.record(z.string(), Text).default({}),
      scale5: z.record(z.string(), Text).default({}),
    })
    .default({ yesno: {}, scale5: {} }),
  /** Per poll id. */
  polls: z
    .record(
      z.string(),
      z.strictObject({
        title: Text.optional(),
        intro: Text.optional(),
        /** Per question id. */
        questions: z
          .record(
            z.string(),
            z.strictObject({
              text: Text.optional(),
              followUp: Text.optional(),
              /** Labels of the question's own options, per option code. */
              options: z.record(z.string(), Text).default({}),
            }),
          )
          .default({}),
      }),
    )
    .default({}),
});
export type PollTranslations = z.infer<typeof PollTranslationsSchema>;

/**
 * Reads `<language>/polls.json` for each language under `root` (flows/i18n unless a test gives
 * another); a language without the file has no poll translations. A file that does not match throws
 * naming the file and field.
 */
export function loadPollTranslations(
  root: URL = I18N_ROOT,
  languages: readonly Language[] = LANGUAGES,
): Map<Language, PollTranslations> {
  const out = new Map<Language, PollTranslations>();
  for (const language of languages) {
    const where = `flows/i18n/${language}/polls.json`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(new URL(`./${language}/polls.json`, root), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    const parsed = PollTranslationsSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `${where}: ${issue.path.map(String).join('.') || '(the whole file)'}: ${issue.message}`,
      );
    }
    out.set(language, parsed.data);
  }
  return out;
}

/** The poll translations of this installation, read once. */
export const POLL_TRANSLATIONS: ReadonlyMap<Language, PollTranslations> = loadPollTranslations();

/** A standard option's label in every language that has one (Dutch required). */
export function standardLabel(
  kind: 'yesno' | 'scale5',
  code: string,
  translations: ReadonlyMap<Language, PollTranslations> = POLL_TRANSLATIONS,
): Localized {
  const out: Record<string, string> = {};
  for (const [language, file] of translations) {
    const label = file.options[kind][code];
    if (label) out[language] = label;
  }
  if (!out.nl) throw new Error(`flows/i18n/nl/polls.json: options.${kind}.${code}: is missing`);
  return out as Localized;
}

const fill = (text: Localized, language: Language, value: string | undefined): Localized =>
  value === undefined || text[language] !== undefined ? text : { ...text, [language]: value };

/** A poll with the translations of every language added where its own file has no text in that language. */
export function translatePoll(
  poll: PollDefinition,
  translations: ReadonlyMap<Language, PollTranslations> = POLL_TRANSLATIONS,
): PollDefinition {
  let out = poll;
  for (const [language, file] of translations) {
    const t = file.polls[poll.id];
    if (!t) continue;
    out = {
      ...out,
      title: fill(out.title, language, t.title),
      ...(out.intro && { intro: fill(out.intro, language, t.intro) }),
      questions: out.questions.map((q) => {
        const tq = t.questions[q.id];
        if (!tq) return q;
        return {
          ...q,
          text: fill(q.text, language, tq.text),
          ...(q.followUp && { followUp: { text: fill(q.followUp.text, language, tq.followUp) } }),
          ...(q.options && {
            options: q.options.map(
              (o): Option => ({ ...o, label: fill(o.label, language, tq.options[o.code]) }),
            ),
          }),
        };
      }),
    };
  }
  return out;
}
