import type { Language } from '../src/domain/language.js';
import { normalise } from './parse/normalise.js';

// A first message is usually a greeting, so a handful of marker words is enough. The guess is only
// a default: the resident confirms the language in one tap right after.
const ENGLISH = new Set([
  'hello',
  'hi',
  'hiya',
  'good',
  'morning',
  'afternoon',
  'evening',
  'english',
  'please',
  'thanks',
  'thank',
  'want',
  'join',
  'yes',
  'the',
  'i',
  'im',
  'what',
  'how',
  'this',
  'help',
  'can',
  'you',
  'my',
  'is',
  'are',
  'who',
  'sign',
  'up',
  'greetings',
]);

const DUTCH = new Set([
  'hallo',
  'hoi',
  'hoe',
  'goedemorgen',
  'goedemiddag',
  'goedenavond',
  'goeiemorgen',
  'dag',
  'ik',
  'wil',
  'graag',
  'de',
  'het',
  'een',
  'wat',
  'dit',
  'mijn',
  'meedoen',
  'aanmelden',
  'hulp',
  'nederlands',
  'ja',
  'nee',
  'bedankt',
  'dank',
  'goede',
  'morgen',
  'middag',
  'avond',
  'is',
  'straatpraat',
  'nazareth',
  'pottenberg',
]);

/** Only the start of a message is read: a greeting is short, and huge input must stay cheap. */
const READ_AT_MOST = 300;

/**
 * Guesses Dutch or English from a first message ("hello", "hi", "good morning" → English), using the
 * platform's language hint when the words say nothing. Dutch is the default.
 */
export function guessLanguage(text: string, hint?: string): Language {
  let english = 0;
  let dutch = 0;
  for (const word of normalise(text.slice(0, READ_AT_MOST)).split(' ')) {
    if (ENGLISH.has(word)) english += 1;
    if (DUTCH.has(word)) dutch += 1;
  }
  if (english > dutch) return 'en';
  if (dutch > english) return 'nl';
  const code = (hint ?? '').toLowerCase();
  return code.startsWith('en') ? 'en' : 'nl';
}
