import { type Keyword, LEXICON } from '../i18n/lexicon.js';
import { normalise } from './normalise.js';

export type { Keyword };

/** The word to show residents for each keyword, per language (from `flows/i18n/<language>/lexicon.json`). */
export const KEYWORD_WORDS = LEXICON.keywordWords;

// The forms of every keyword come from the lexicon of each language; both languages work whatever the
// resident chose.
const BY_FORM = LEXICON.keywordForms;

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
