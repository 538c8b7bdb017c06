import { LEXICON } from '../i18n/lexicon.js';
import type { Option, Question } from './schema.js';

// Synonyms are matched in both languages whatever the resident chose, so the split into nl and en is only
// for whoever maintains these lists. The ways of saying yes and no and of giving each answer of the scale
// are in each language's lexicon (`flows/i18n/<language>/lexicon.json`).
const { nl, en } = LEXICON.byLanguage;

/** The standard ja / nee / weet ik niet options of a `yesno` question. */
export const YESNO_OPTIONS: readonly Option[] = [
  {
    code: 'ja',
    label: { nl: 'Ja', en: 'Yes' },
    synonyms: { nl: nl.yes, en: en.yes },
  },
  {
    code: 'nee',
    label: { nl: 'Nee', en: 'No' },
    synonyms: { nl: nl.no, en: en.no },
  },
  { code: 'weet_niet', label: { nl: 'Weet ik niet', en: "Don't know" } },
];

/** The standard five answers of a `scale5` question, with a face for each. */
export const SCALE5_OPTIONS: readonly Option[] = [
  {
    code: '1',
    number: 1,
    label: { nl: 'Nee, helemaal niet', en: 'No, not at all' },
    emoji: ['😞'],
    synonyms: { nl: nl.scale5[1], en: en.scale5[1] },
  },
  {
    code: '2',
    number: 2,
    label: { nl: 'Niet echt', en: 'Not really' },
    emoji: ['🙁'],
    synonyms: { nl: nl.scale5[2], en: en.scale5[2] },
  },
  {
    code: '3',
    number: 3,
    label: { nl: 'Soms wel, soms niet', en: 'Sometimes' },
    emoji: ['😐'],
    synonyms: { nl: nl.scale5[3], en: en.scale5[3] },
  },
  {
    code: '4',
    number: 4,
    label: { nl: 'Ja, meestal', en: 'Yes, mostly' },
    emoji: ['🙂'],
    synonyms: { nl: nl.scale5[4], en: en.scale5[4] },
  },
  {
    code: '5',
    number: 5,
    label: { nl: 'Ja, helemaal', en: 'Yes, completely' },
    emoji: ['😀'],
    synonyms: { nl: nl.scale5[5], en: en.scale5[5] },
  },
];

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
