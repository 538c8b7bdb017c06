import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';

// A resident language is data: a folder `flows/i18n/<code>/` with a `language.json` (its code, its
// name in itself, its writing direction and its name for the wijkteam), its Fluent texts, its lexicon
// and its poll translations. The languages residents can choose are the folders present, read once at
// start; Dutch must be one of them and is the fallback for every text.

/** Where the language folders live. */
export const I18N_ROOT = new URL('../../flows/i18n/', import.meta.url);

/** One language's `language.json`. */
export const LanguageFileSchema = z.strictObject({
  /** A note for translators; not read. */
  about: z.string().optional(),
  /** The folder name: an ISO 639-1 code such as `ar`. */
  code: z.string().regex(/^[a-z]{2,3}$/),
  /** The language's name in itself ("العربية"), shown in the language question. */
  name: z.string().min(1),
  /** Writing direction: `rtl` for Arabic script. */
  direction: z.enum(['ltr', 'rtl']),
  /** The language's name for the wijkteam (desk, exports), in Dutch and English. */
  staff: z.strictObject({ nl: z.string().min(1), en: z.string().min(1) }),
  /** Other ways residents may name the language when asked ("arabisch", "arabic", "عربي"). */
  words: z.array(z.string().min(1)).default([]),
  /** Words that mark a first message as this language ("merhaba"), written as typed without accents. */
  guess: z.array(z.string().min(1)).default([]),
  /** Letters only this language of the resident languages uses ("ğış"): each word with one counts. */
  letters: z.string().default(''),
  /** A Unicode script only this language uses (`Arabic`): each word in it counts. */
  script: z
    .string()
    .refine((name) => {
      try {
        new RegExp(`\\p{Script=${name}}`, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'is no Unicode script name')
    .optional(),
});
export type LanguageFile = z.infer<typeof LanguageFileSchema>;

/**
 * Reads `language.json` of every folder under `root` that has one: Dutch, English, then by code.
 * A file that is not valid, or whose code differs from its folder, throws naming the file.
 */
export function loadLanguages(root: URL = I18N_ROOT): LanguageFile[] {
  const out: LanguageFile[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const where = `flows/i18n/${entry.name}/language.json`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(new URL(`./${entry.name}/language.json`, root), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    const parsed = LanguageFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `${where}: ${issue.path.map(String).join('.') || '(the whole file)'}: ${issue.message}`,
      );
    }
    if (parsed.data.code !== entry.name)
      throw new Error(`${where}: code "${parsed.data.code}" must match the folder name "${entry.name}"`);
    out.push(parsed.data);
  }
  if (!out.some((l) => l.code === 'nl')) throw new Error('flows/i18n/nl/language.json: Dutch is required');
  // Dutch, English, then the others by code: the numbers of the language question stay put.
  const rank = (code: string) => (code === 'nl' ? 0 : code === 'en' ? 1 : 2);
  return out.sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

const FILES: readonly LanguageFile[] = loadLanguages();

/** Languages residents can choose: every folder of flows/i18n with a `language.json`, Dutch first. */
export const LANGUAGES = FILES.map((l) => l.code) as unknown as readonly ['nl', ...string[]];
export const LanguageSchema = z.enum(LANGUAGES as unknown as [string, ...string[]]);
/** A resident language code, one of LANGUAGES. */
export type Language = string;

/** The languages the wijkteam works in (desk chat, web desk, exports): always Dutch and English. */
export const STAFF_LANGUAGES = ['nl', 'en'] as const;

const BY_CODE = new Map(FILES.map((l) => [l.code, l]));

/** A language's `language.json`; Dutch for a code that is not (or no longer) present. */
export function languageInfo(language: string): LanguageFile {
  return BY_CODE.get(language) ?? BY_CODE.get('nl')!;
}

/** True for a language written right to left (Arabic). */
export function isRtl(language: string): boolean {
  return BY_CODE.get(language)?.direction === 'rtl';
}

/**
 * A text given per language: Dutch is required, every other present language optional (it falls back
 * to Dutch). A key that is no present language is an error, so a typo in a code is caught.
 */
export const LocalizedSchema = z
  .object({ nl: z.string().min(1) })
  .catchall(z.string().min(1).optional())
  .superRefine((text, ctx) => {
    for (const key of Object.keys(text))
      if (!BY_CODE.has(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is no language of flows/i18n` });
  });
export type Localized = z.infer<typeof LocalizedSchema>;

/** Picks the text for a language, falling back to Dutch. */
export function localize(text: Localized, language: Language): string {
  return text[language] ?? text.nl;
}
