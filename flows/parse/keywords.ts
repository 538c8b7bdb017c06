import { normalise } from './normalise.js';

/** The resident keywords; a keyword beats an answer. */
export type Keyword =
  | 'start'
  | 'stop'
  | 'stop_news'
  | 'help'
  | 'idea'
  | 'language'
  | 'area'
  | 'my_data'
  | 'delete'
  | 'poll'
  | 'question';

/** The word to show residents for each keyword, per language. */
export const KEYWORD_WORDS: Record<Keyword, { nl: string; en: string }> = {
  start: { nl: 'START', en: 'START' },
  stop: { nl: 'STOP', en: 'STOP' },
  stop_news: { nl: 'STOP NIEUWS', en: 'STOP NEWS' },
  help: { nl: 'HULP', en: 'HELP' },
  idea: { nl: 'IDEE', en: 'IDEA' },
  language: { nl: 'TAAL', en: 'LANGUAGE' },
  area: { nl: 'BUURT', en: 'AREA' },
  my_data: { nl: 'GEGEVENS', en: 'MY DATA' },
  delete: { nl: 'VERWIJDER', en: 'DELETE' },
  poll: { nl: 'PEILING', en: 'POLL' },
  question: { nl: 'VRAAG', en: 'QUESTION' },
};

// Every form is written as it looks after normalise(); both languages work whatever the resident chose.
const FORMS: Record<Keyword, string[]> = {
  start: ['start', 'aanmelden', 'begin', 'starten'],
  stop: ['stop', 'afmelden', 'stoppen', 'unsubscribe'],
  stop_news: [
    'stop nieuws',
    'stop news',
    'geen nieuws',
    'no news',
    'stop nieuwsflitsen',
    'geen nieuwsflitsen',
  ],
  help: ['hulp', 'help'],
  idea: ['idee', 'idea', 'ideeen'],
  language: ['taal', 'language'],
  area: ['buurt', 'area', 'wijk', 'neighbourhood', 'neighborhood'],
  my_data: ['gegevens', 'mijn gegevens', 'my data', 'mijn data', 'data'],
  delete: [
    'verwijder',
    'verwijderen',
    'delete',
    'verwijder mij',
    'verwijder mijn gegevens',
    'delete my data',
  ],
  poll: ['peiling', 'poll'],
  question: ['vraag', 'question', 'vraag stellen', 'ask a question'],
};

const BY_FORM = new Map<string, Keyword>(
  (Object.entries(FORMS) as [Keyword, string[]][]).flatMap(([keyword, forms]) =>
    forms.map((form) => [form, keyword] as const),
  ),
);

/** Longer messages cannot be a keyword; checking this first keeps huge input cheap. */
const MAX_KEYWORD_MESSAGE = 100;
// Emoji around a keyword ("STOP ✋") carry no meaning; only letters and digits decide.
const NOT_WORD = /[^\p{L}\p{N} ]+/gu;

function lookup(text: string): Keyword | null {
  const words = normalise(text).replace(NOT_WORD, ' ').replace(/ {2,}/g, ' ').trim();
  return BY_FORM.get(words) ?? null;
}

// A leading slash makes a command ("/start nazareth", "/help@straatpraat_bot") whose arguments do not matter.
/** The keyword a whole message is (case, accents, punctuation and emoji ignored), or null. */
export function parseKeyword(text: string): Keyword | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_KEYWORD_MESSAGE) return null;
  const whole = lookup(trimmed);
  if (whole || !trimmed.startsWith('/')) return whole;
  const command = trimmed.slice(1).split(/\s/, 1)[0]!.replace(/@\S*$/, '');
  return lookup(command);
}
