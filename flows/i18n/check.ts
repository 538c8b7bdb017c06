import {
  I18N_ROOT,
  type Language,
  type Localized,
  loadLanguages,
  STAFF_LANGUAGES,
} from '../../src/domain/language.js';
import { loadPolls, POLLS_DIR } from '../polls/catalog.js';
import { loadPollTranslations, type PollTranslations } from '../polls/translations.js';
import { LexiconError, loadLexicon } from './lexicon.js';
import { loadTexts } from './texts.js';

// The language check: every resident language has every text residents read, every text of the shipped
// polls and a valid lexicon. At run time a missing text falls back to Dutch; this check (in `npm test`,
// test/unit/languages.test.ts) lists what is missing, by language and id, so nothing ships half done.

/** The variables a raw Fluent value uses, sorted and distinct. */
const placeables = (source: string | undefined): string =>
  [...new Set([...(source ?? '').matchAll(/\$([a-zA-Z0-9_-]+)/g)].map((m) => m[1]!))].sort().join(' ');

/**
 * What is missing or wrong in the languages under `root` (flows/i18n unless a test gives a copy), one
 * line each: `ar: text help-offer-yes is missing`. Empty when every language is complete.
 */
export function checkLanguages(root: URL = I18N_ROOT, pollsDir: string = POLLS_DIR): string[] {
  const problems: string[] = [];
  let languages: Language[];
  try {
    languages = loadLanguages(root).map((l) => l.code);
  } catch (error) {
    return [(error as Error).message];
  }

  // Texts: the wijkteam's languages need every text, the other languages every text residents read.
  try {
    const texts = loadTexts(root, languages);
    const all = texts.ids('nl');
    const resident = new Set(texts.residentIds('nl'));
    for (const language of languages.filter((l) => l !== 'nl')) {
      const has = new Set(texts.ids(language));
      const staff = (STAFF_LANGUAGES as readonly string[]).includes(language);
      for (const id of all)
        if (!has.has(id) && (staff || resident.has(id))) problems.push(`${language}: text ${id} is missing`);
      for (const id of has) {
        if (!all.includes(id)) problems.push(`${language}: text ${id} is not a Dutch text`);
        else if (placeables(texts.source(language, id)) !== placeables(texts.source('nl', id)))
          problems.push(`${language}: text ${id} has other placeables than the Dutch`);
      }
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  // Lexicons: each on its own, then all together (a keyword form may not mean two keywords).
  for (const language of languages) {
    try {
      loadLexicon(root, [language]);
    } catch (error) {
      if (!(error instanceof LexiconError)) throw error;
      problems.push(`${language}: ${error.message}`);
    }
  }
  try {
    loadLexicon(root, languages);
  } catch (error) {
    if (!(error instanceof LexiconError)) throw error;
    if (!problems.some((p) => p.endsWith(error.message))) problems.push(error.message);
  }

  // Polls: every text of every shipped poll, and the labels of the standard options they use.
  let translations: Map<Language, PollTranslations>;
  try {
    translations = loadPollTranslations(root, languages);
  } catch (error) {
    problems.push((error as Error).message);
    return problems;
  }
  const polls = loadPolls(pollsDir, translations);
  const usesType = (type: string) =>
    [...polls.values()].some((p) => p.questions.some((q) => q.type === type));
  for (const language of languages) {
    const file = translations.get(language);
    const need = (text: Localized | undefined, what: string) => {
      if (text && text[language] === undefined) problems.push(`${language}: poll text ${what} is missing`);
    };
    for (const [kind, codes] of [
      ['yesno', ['ja', 'nee', 'weet_niet']],
      ['scale5', ['1', '2', '3', '4', '5']],
    ] as const) {
      if (!usesType(kind) && language !== 'nl') continue;
      for (const code of codes)
        if (!file?.options[kind][code])
          problems.push(`${language}: poll text options.${kind}.${code} is missing`);
    }
    for (const poll of polls.values()) {
      need(poll.title, `${poll.id}.title`);
      need(poll.intro, `${poll.id}.intro`);
      for (const q of poll.questions) {
        need(q.text, `${poll.id}.${q.id}.text`);
        need(q.followUp?.text, `${poll.id}.${q.id}.followUp`);
        for (const o of q.options ?? []) need(o.label, `${poll.id}.${q.id}.options.${o.code}`);
      }
    }
    // Translations of polls, questions or options that do not exist are typos or leftovers.
    for (const [pollId, t] of Object.entries(file?.polls ?? {})) {
      const poll = polls.get(pollId);
      if (!poll) {
        problems.push(`${language}: polls.json has poll ${pollId}, which is no shipped poll`);
        continue;
      }
      for (const [questionId, tq] of Object.entries(t.questions)) {
        const q = poll.questions.find((x) => x.id === questionId);
        if (!q)
          problems.push(`${language}: polls.json has question ${pollId}.${questionId}, which the poll lacks`);
        for (const code of Object.keys(tq.options))
          if (!q?.options?.some((o) => o.code === code))
            problems.push(
              `${language}: polls.json has option ${pollId}.${questionId}.${code}, which the poll lacks`,
            );
      }
    }
  }
  return problems;
}
