import { html } from 'hono/html';
import { z } from 'zod';
import { LANGUAGES, type Localized, languageInfo } from '../../domain/language.js';
import { type Html, languageName, type Tr } from './page.js';

// What the wijkteam writes for residents (a flash, a session's words, its summary), one field per
// resident language: `text_nl`, `text_en`, `text_ar`, … from the language folders present. Dutch is
// required where a text is; every other language may stay empty and then falls back to Dutch.

/** The longest text a form takes, as `sendFlash` checks. */
export const MAX_TEXT = 2000;

/** A text per resident language as a form holds it: Dutch ('' when not written yet), others when written. */
export type LanguageTexts = { nl: string } & Record<string, string>;

const TextField = z.string().trim().max(MAX_TEXT);

/** Empty texts for every resident language. */
export function emptyTexts(): LanguageTexts {
  return Object.fromEntries(LANGUAGES.map((l) => [l, ''])) as LanguageTexts;
}

/**
 * Reads `text_<code>` of every resident language from posted fields. A field for a code that is no
 * resident language, or a text too long, is a problem: the field's name.
 */
export function readTexts(
  fields: Record<string, string>,
): { ok: true; texts: LanguageTexts } | { ok: false; problem: string } {
  for (const key of Object.keys(fields))
    if (key.startsWith('text_') && !(LANGUAGES as readonly string[]).includes(key.slice(5)))
      return { ok: false, problem: key };
  const texts = emptyTexts();
  for (const language of LANGUAGES) {
    const parsed = TextField.safeParse(fields[`text_${language}`] ?? '');
    if (!parsed.success) return { ok: false, problem: `text_${language}` };
    texts[language] = parsed.data;
  }
  return { ok: true, texts };
}

/** True when some language other than Dutch has a text. */
export const hasOtherText = (texts: Partial<LanguageTexts>) =>
  Object.entries(texts).some(([language, text]) => language !== 'nl' && Boolean(text));

/** The texts as a flash takes them: Dutch, and each other language that has a text. */
export function localizedOf(texts: LanguageTexts): Localized {
  const out: Localized = { nl: texts.nl };
  for (const language of LANGUAGES) if (language !== 'nl' && texts[language]) out[language] = texts[language];
  return out;
}

/** The texts kept by a flash (its `texts` column) as a form holds them. */
export function textsOf(stored: unknown): LanguageTexts {
  const texts = emptyTexts();
  if (stored && typeof stored === 'object')
    for (const [language, text] of Object.entries(stored))
      if ((LANGUAGES as readonly string[]).includes(language) && typeof text === 'string')
        texts[language] = text;
  return texts;
}

/** The `lang` and `dir` attributes of a text in a language, from its language.json. */
export const langAttributes = (language: string) =>
  html`lang="${language}" dir="${languageInfo(language).direction}"`;

/**
 * A textarea per resident language: Dutch first (its label and hint given), then the others, each
 * labelled with the language's name for the wijkteam and typed in its own direction.
 */
export function textAreas(
  tr: Tr,
  options: {
    /** The id of a language's textarea. */
    id: (language: string) => string;
    texts: Partial<LanguageTexts>;
    /** Dutch is required (a flash, a summary) or not (a session's extra words). */
    requireNl: boolean;
    nlLabel: string;
    /** The id of a hint shown above the Dutch textarea, and the hint itself. */
    nlHint?: { id: string; text: string };
    /** The id of a hint elsewhere on the page that describes the Dutch textarea. */
    nlDescribedBy?: string;
  },
): Html {
  const { id, texts, nlHint } = options;
  const describedBy = nlHint?.id ?? options.nlDescribedBy;
  return html`${LANGUAGES.map((language) => {
    if (language === 'nl')
      return html`<label for="${id(language)}">${options.nlLabel}</label>
          ${nlHint ? html`<p class="hint" id="${nlHint.id}">${nlHint.text}</p>` : ''}
          <textarea id="${id(language)}" name="text_nl" ${langAttributes(language)} maxlength="${MAX_TEXT}"${options.requireNl ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}>${texts.nl ?? ''}</textarea>`;
    const name = languageName(tr, language);
    return html`<label for="${id(language)}">${tr.t('web-flash-text-lang', { language: name })}</label>
          <p class="hint" id="${id(language)}-hint">${tr.t('web-flash-text-lang-hint', { language: name })}</p>
          <textarea id="${id(language)}" name="text_${language}" ${langAttributes(language)} maxlength="${MAX_TEXT}" aria-describedby="${id(language)}-hint">${texts[language] ?? ''}</textarea>`;
  })}`;
}

/** A flash's texts as sent, each in its language and direction; Dutch first. */
export function shownTexts(stored: unknown): Html {
  const texts = textsOf(stored);
  return html`${LANGUAGES.filter((l) => texts[l]).map(
    (language) => html`<p class="message" ${langAttributes(language)}>${texts[language]}</p>`,
  )}`;
}
