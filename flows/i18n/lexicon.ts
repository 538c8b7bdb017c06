import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../src/domain/language.js';
import { normalise } from '../parse/normalise.js';

// The words the reply parser knows, one `lexicon.json` per language folder next to the Fluent texts
// (`flows/i18n/nl/lexicon.json`), so a translator adds a language's words without touching code.
// Every language is read together: residents mix languages whatever they chose.

/** The resident keywords; a keyword beats an answer. */
export const KEYWORDS = [
  'start',
  'stop',
  'stop_news',
  'news_on',
  'news',
  'help',
  'idea',
  'language',
  'area',
  'age',
  'my_data',
  'delete',
  'poll',
  'question',
] as const;
export type Keyword = (typeof KEYWORDS)[number];

const Phrase = z
  .string()
  .refine((text) => normalise(text).length > 0, { message: 'has no letters, digits or emoji' });
const Word = Phrase.refine((text) => !normalise(text).includes(' '), { message: 'must be one word' });
const Phrases = z.array(Phrase);
const Words = z.array(Word);

const KeywordEntry = z.strictObject({
  /** The word residents are told to send ("STOP NIEUWS"); it must be one of the forms. */
  word: z.string().min(1),
  /** Every way of writing it that counts as the keyword (the whole message). */
  forms: Phrases.min(1),
});

/** One language's `lexicon.json`. */
export const LexiconFileSchema = z.strictObject({
  /** A note for translators; not read. */
  about: z.string().optional(),
  /** Ways of saying yes and no, on top of the labels of a yes/no question. */
  yes: Phrases,
  no: Phrases,
  /** Ways of giving each of the five answers of a standard scale, from 1 ("not at all") to 5 ("completely"). */
  scale5: z.strictObject({ 1: Phrases, 2: Phrases, 3: Phrases, 4: Phrases, 5: Phrases }),
  /** "Don't know", anywhere in a reply. */
  dontKnow: Phrases,
  /** "Skip this question", anywhere in a reply. */
  skip: Phrases,
  /** A skip verb split in two with words in between ("sla deze maar over"): its first and last word. */
  splitSkip: z.array(z.strictObject({ first: Word, last: Word })),
  /** Skip words that only count as the whole reply ("volgende" also starts questions of its own). */
  wholeSkip: Phrases,
  /** Declining words that skip a free-text question ("nee", "no comment"). */
  textDecline: Phrases,
  /** Politeness around a whole-reply word ("nee dank je", "volgende graag"); ignored there. */
  polite: Words,
  /** Number words and ordinals, as the option they pick ("drie", "derde", "third"). */
  numberWords: z.record(Word, z.number().int().min(0)),
  /** Words for 1 that are articles as often ("een", "one"): 1 only as the last word or after a prefix. */
  weakOne: Words,
  /** Words before a number that say "option number …" ("nummer 2", "option 3", "cijfer 8"). */
  numberPrefixes: Words,
  /** Words between a mark and the top of its scale ("8 van de 10", "4 out of 5"). */
  outOf: Phrases,
  /** Words that, right before an answer, turn it around ("niet helemaal", "not at all"). */
  negators: Words,
  /** Words that turn an answer around right after it ("meestal niet"). */
  negatorsAfter: Words,
  /** Small words that are no answer on their own, even when an option's label has them. */
  stopWords: Words,
  /** Words between two answers that leave the choice open ("2 of 3", "yes or no"): asked again. */
  alternatives: Words.default([]),
  /** Words that make two answers a range ("tussen 2 en 3", "3 t/m 5"): asked again. */
  ranges: Phrases.default([]),
  /** Common misspellings of single words, read as the word ("nie" for "niet"). */
  spellings: z.record(Word, Word).default({}),
  /** The resident keywords: what residents are told to send, and the forms that count. */
  keywords: z.strictObject(
    Object.fromEntries(KEYWORDS.map((k) => [k, KeywordEntry])) as Record<Keyword, typeof KeywordEntry>,
  ),
});
export type LexiconFile = z.infer<typeof LexiconFileSchema>;

/** The words of every language together, normalised as the parser compares them. */
export interface Lexicon {
  /** Per language, as written in its file (for the standard yes/no and scale options). */
  byLanguage: Record<Language, LexiconFile>;
  dontKnow: string[];
  skip: string[];
  splitSkip: { first: string; last: string }[];
  wholeSkip: string[];
  textDecline: string[];
  polite: string[];
  numberWords: Map<string, number>;
  weakOne: string[];
  numberPrefixes: string[];
  /** Longest first, each split into words. */
  outOf: string[][];
  negators: string[];
  negatorsAfter: string[];
  stopWords: string[];
  alternatives: string[];
  /** Each split into words. */
  ranges: string[][];
  /** Normalised misspelling → normalised word. */
  spellings: Map<string, string>;
  /** Normalised form → keyword. */
  keywordForms: Map<string, Keyword>;
  /** The word to show residents for each keyword, per language. */
  keywordWords: Record<Keyword, Record<Language, string>>;
}

/** Thrown for a lexicon file that is missing, not JSON, or not the shape above; names the file and field. */
export class LexiconError extends Error {
  override readonly name = 'LexiconError';
}

function readFile(root: URL, language: string): LexiconFile {
  const file = `flows/i18n/${language}/lexicon.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(new URL(`./${language}/lexicon.json`, root), 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : (error as Error).message;
    throw new LexiconError(`${file}: ${why}`);
  }
  const parsed = LexiconFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(the whole file)';
    throw new LexiconError(`${file}: ${field}: ${issue.message}`);
  }
  return parsed.data;
}

const unique = (items: string[]): string[] => [...new Set(items)];

/** The folders under `root` that hold a `lexicon.json`. */
function foldersWithLexicon(root: URL): Language[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(new URL(`./${e.name}/lexicon.json`, root)))
    .map((e) => e.name)
    .sort((a, b) => (a === 'nl' ? -1 : b === 'nl' ? 1 : a.localeCompare(b)));
}

/**
 * Reads `<language>/lexicon.json` for the given languages under `root` (this folder unless a test gives
 * another; by default every folder there with one) and merges them. Throws a `LexiconError` naming the
 * file and field of the first mistake.
 */
export function loadLexicon(
  root: URL = new URL('./', import.meta.url),
  languages: readonly Language[] = foldersWithLexicon(root),
): Lexicon {
  const files = languages.map((l) => ({ language: l, file: readFile(root, l) }));
  const byLanguage: Record<Language, LexiconFile> = Object.fromEntries(
    files.map(({ language, file }) => [language, file]),
  );
  const all = (pick: (f: LexiconFile) => string[]) =>
    unique(files.flatMap(({ file }) => pick(file).map(normalise)));

  const numberWords = new Map<string, number>();
  const keywordForms = new Map<string, Keyword>();
  for (const { language, file } of files) {
    for (const [word, n] of Object.entries(file.numberWords)) {
      const key = normalise(word);
      const known = numberWords.get(key);
      if (known !== undefined && known !== n)
        throw new LexiconError(
          `flows/i18n/${language}/lexicon.json: numberWords.${word}: is ${known} in another file`,
        );
      numberWords.set(key, n);
    }
    for (const keyword of KEYWORDS) {
      const entry = file.keywords[keyword];
      const forms = entry.forms.map(normalise);
      if (!forms.includes(normalise(entry.word)))
        throw new LexiconError(
          `flows/i18n/${language}/lexicon.json: keywords.${keyword}.word: is not one of its forms`,
        );
      for (const form of forms) {
        const known = keywordForms.get(form);
        if (known !== undefined && known !== keyword)
          throw new LexiconError(
            `flows/i18n/${language}/lexicon.json: keywords.${keyword}.forms: "${form}" is already the keyword ${known}`,
          );
        keywordForms.set(form, keyword);
      }
    }
  }

  return {
    byLanguage,
    dontKnow: all((f) => f.dontKnow),
    skip: all((f) => f.skip),
    splitSkip: files.flatMap(({ file }) =>
      file.splitSkip.map(({ first, last }) => ({ first: normalise(first), last: normalise(last) })),
    ),
    wholeSkip: all((f) => f.wholeSkip),
    textDecline: all((f) => f.textDecline),
    polite: all((f) => f.polite),
    numberWords,
    weakOne: all((f) => f.weakOne),
    numberPrefixes: all((f) => f.numberPrefixes),
    outOf: all((f) => f.outOf)
      .map((phrase) => phrase.split(' '))
      .sort((a, b) => b.length - a.length),
    negators: all((f) => f.negators),
    negatorsAfter: all((f) => f.negatorsAfter),
    stopWords: all((f) => f.stopWords),
    alternatives: all((f) => f.alternatives),
    ranges: all((f) => f.ranges).map((phrase) => phrase.split(' ')),
    spellings: new Map(
      files.flatMap(({ file }) =>
        Object.entries(file.spellings).map(([k, v]) => [normalise(k), normalise(v)]),
      ),
    ),
    keywordForms,
    keywordWords: Object.fromEntries(
      KEYWORDS.map((k) => [k, Object.fromEntries(files.map((f) => [f.language, f.file.keywords[k].word]))]),
    ) as Record<Keyword, Record<Language, string>>,
  };
}

/** The lexicon of this installation, read once when the parser is first imported. */
export const LEXICON: Lexicon = loadLexicon(new URL('./', import.meta.url), LANGUAGES);
