import { LANGUAGES, type Language, languageInfo } from '../src/domain/language.js';
import { normalise } from './parse/normalise.js';

// A first message is usually a greeting, so a handful of marker words is enough. The guess is only
// a default: the resident confirms the language in one tap right after. The marker words, letters and
// script of each language are in its `flows/i18n/<language>/language.json` (`guess`, `letters`, `script`).

interface Markers {
  language: Language;
  words: Set<string>;
  letters: Set<string>;
  script: RegExp | undefined;
}

const MARKERS: Markers[] = LANGUAGES.map((language) => {
  const info = languageInfo(language);
  return {
    language,
    words: new Set(info.guess.map(normalise)),
    letters: new Set([...info.letters.toLowerCase()].filter((c) => c > '\u007f' && !/\p{M}/u.test(c))),
    script: info.script ? new RegExp(`\\p{Script=${info.script}}`, 'u') : undefined,
  };
});

/** Only the start of a message is read: a greeting is short, and huge input must stay cheap. */
const READ_AT_MOST = 300;

/**
 * Guesses the language of a first message: each word counts for a language when it is one of its
 * marker words ("hello" → English, "merhaba" → Turkish), has one of its letters ("cześć" → Polish) or is
 * in its script ("مرحبا" → Arabic). The most counts win; with none or a tie, the platform's language
 * hint decides when it is a resident language, else Dutch.
 */
export function guessLanguage(text: string, hint?: string): Language {
  const start = text.slice(0, READ_AT_MOST);
  const raw = start.toLowerCase().split(/\s+/);
  const words = normalise(start).split(' ');
  const counts = MARKERS.map((m) => {
    let n = 0;
    for (const word of words) if (m.words.has(word)) n += 1;
    for (const word of raw) {
      if (m.script?.test(word) && !m.words.has(normalise(word))) n += 1;
      else if (m.letters.size > 0 && [...word].some((c) => m.letters.has(c))) n += 1;
    }
    return { language: m.language, n };
  });
  const best = Math.max(...counts.map((c) => c.n));
  const top = counts.filter((c) => c.n === best);
  if (best > 0 && top.length === 1) return top[0]!.language;
  // No marker, or a tie: the hint when it is one of the candidates, else Dutch when it is one.
  const code = (hint ?? '').toLowerCase().slice(0, 2);
  const candidates = best > 0 ? top : counts;
  return (
    candidates.find((c) => c.language === code)?.language ??
    candidates.find((c) => c.language === 'nl')?.language ??
    candidates[0]!.language
  );
}
