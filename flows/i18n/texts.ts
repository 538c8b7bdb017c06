import { readdirSync, readFileSync } from 'node:fs';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { I18N_ROOT, LANGUAGES, type Language, type Localized } from '../../src/domain/language.js';

/** Looks up a resident-facing text. Pure once loaded: the same arguments give the same text. */
export type Translate = (language: Language, id: string, args?: Record<string, FluentVariable>) => string;

export interface Texts {
  t: Translate;
  /** A text in every language that has it (Dutch always), for option labels matched in any language. */
  localized(id: string, args?: Record<string, FluentVariable>): Localized;
  /** Every message id of a language, for completeness checks. */
  ids(language: Language): string[];
  /** The ids of a language that residents read (see `isResidentText`). */
  residentIds(language: Language): string[];
  /** The raw text of a message with its placeables shown as `{ $name }`, for length checks. */
  source(language: Language, id: string): string | undefined;
}

/**
 * Whether a text is read by residents, so every resident language needs it. The wijkteam's texts are
 * only in Dutch and English: the web desk's file (`web.ftl`) and the ids starting with `desk-` (the chat
 * desk's commands and notices). The rest of `desk.ftl` (the answer to a help request, news about an
 * idea) goes to residents.
 */
export function isResidentText(file: string, id: string): boolean {
  return file !== 'web.ftl' && !id.startsWith('desk-');
}

/** Every `.ftl` file of a language folder (`flows/i18n/nl/*.ftl`), one per feature, in name order. */
function readResources(
  root: URL,
  language: Language,
): { file: string; name: string; text: string; resource: FluentResource }[] {
  const dir = new URL(`./${language}/`, root);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ftl'))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      return { file: `${language}/${file}`, name: file, text, resource: new FluentResource(text) };
    });
}

/**
 * Loads the Fluent language files next to this module: a folder per language, a file per feature
 * (`nl/resident.ftl`, `nl/staff.ftl`, …). An id defined twice throws; a missing message in a language
 * falls back to Dutch; an id missing everywhere throws, so tests catch it. A test may give another
 * root folder and list of languages.
 */
export function loadTexts(root: URL = I18N_ROOT, languages: readonly Language[] = LANGUAGES): Texts {
  const bundles = new Map<Language, FluentBundle>();
  const sources = new Map<Language, Map<string, string>>();
  const resident = new Map<Language, string[]>();
  for (const language of languages) {
    // Chat apps show Unicode isolation marks as boxes on some phones.
    const bundle = new FluentBundle(language, { useIsolating: false });
    const messages = new Map<string, string>();
    const residentIds: string[] = [];
    for (const { file, name, text, resource } of readResources(root, language)) {
      const errors = bundle.addResource(resource);
      if (errors.length > 0) throw new Error(`flows/i18n/${file}: ${errors[0]!.message}`);
      for (const [id, value] of parseSources(text)) {
        if (messages.has(id)) throw new Error(`flows/i18n/${file}: text ${id} is defined twice`);
        messages.set(id, value);
        if (isResidentText(name, id)) residentIds.push(id);
      }
    }
    bundles.set(language, bundle);
    sources.set(language, messages);
    resident.set(language, residentIds);
  }
  const format = (
    language: Language,
    id: string,
    args?: Record<string, FluentVariable>,
  ): string | undefined => {
    const bundle = bundles.get(language);
    const message = bundle?.getMessage(id);
    if (!message?.value) return undefined;
    const errors: Error[] = [];
    const out = bundle!.formatPattern(message.value, args ?? null, errors);
    if (errors.length > 0) throw new Error(`text ${id} (${language}): ${errors[0]!.message}`);
    return out;
  };
  const t: Translate = (language, id, args) => {
    // A language missing a text falls back to Dutch for that text only.
    const out = format(language, id, args) ?? format('nl', id, args);
    if (out === undefined) throw new Error(`text ${id} is missing in flows/i18n`);
    return out;
  };
  return {
    t,
    localized(id, args) {
      const out: Record<string, string> = { nl: t('nl', id, args) };
      for (const language of languages) {
        const text = format(language, id, args);
        if (text !== undefined) out[language] = text;
      }
      return out as Localized;
    },
    ids: (language) => [...(sources.get(language)?.keys() ?? [])],
    residentIds: (language) => [...(resident.get(language) ?? [])],
    source: (language, id) => sources.get(language)?.get(id),
  };
}

/** Message id → raw (possibly multi-line) value, read straight from the file. */
function parseSources(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const start = /^([a-z][a-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (start) {
      current = start[1]!;
      out.set(current, start[2]!.trim());
    } else if (current && /^\s+\S/.test(line)) {
      out.set(current, `${out.get(current)} ${line.trim()}`.trim());
    } else if (!line.startsWith('#')) {
      current = undefined;
    }
  }
  return out;
}
