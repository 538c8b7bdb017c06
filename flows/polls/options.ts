import { LEXICON, type LexiconFile } from '../i18n/lexicon.js';
import type { Option, Question } from './schema.js';
import { standardLabel } from './translations.js';

// Synonyms are matched in every language whatever the resident chose, so the split per language is only
// for whoever maintains these lists. The labels are in each language's `flows/i18n/<language>/polls.json`;
// the ways of saying yes and no and of giving each answer of the scale in its `lexicon.json`.

/** Every language's words of one lexicon list, per language. */
const synonyms = (pick: (file: LexiconFile) => string[]): Record<string, string[]> =>
  Object.fromEntries(Object.entries(LEXICON.byLanguage).map(([language, file]) => [language, pick(file)]));

/** The standard ja / nee / weet ik niet options of a `yesno` question. */
export const YESNO_OPTIONS: readonly Option[] = [
  { code: 'ja', label: standardLabel('yesno', 'ja'), synonyms: synonyms((f) => f.yes) },
  { code: 'nee', label: standardLabel('yesno', 'nee'), synonyms: synonyms((f) => f.no) },
  { code: 'weet_niet', label: standardLabel('yesno', 'weet_niet') },
];

const FACES = ['😞', '🙁', '😐', '🙂', '😀'];

/** The standard five answers of a `scale5` question, with a face for each. */
export const SCALE5_OPTIONS: readonly Option[] = ([1, 2, 3, 4, 5] as const).map((n) => ({
  code: String(n),
  number: n,
  label: standardLabel('scale5', String(n)),
  emoji: [FACES[n - 1]!],
  synonyms: synonyms((f) => f.scale5[n]),
}));

/** The standard marks 1 to 10 of a `grade10` question; the label is the digit itself. */
export const GRADE10_OPTIONS: readonly Option[] = Array.from({ length: 10 }, (_, i) => ({
  code: String(i + 1),
  number: i + 1,
  label: { nl: String(i + 1) },
}));

/** The options a question offers: its own when given, else the standard ones of its type; none for text. */
export function optionsFor(question: Question): Option[] {
  const own = question.options;
  switch (question.type) {
    case 'text':
      return [];
    case 'choice':
    case 'multi':
      return own ? [...own] : [];
    case 'yesno':
      return [...(own ?? YESNO_OPTIONS)];
    case 'scale5':
      return [...(own ?? SCALE5_OPTIONS)];
    case 'grade10':
      return [...(own ?? GRADE10_OPTIONS)];
  }
}
