import { readdirSync, readFileSync } from 'node:fs';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { LANGUAGES, type Language } from '../../src/domain/language.js';

/** Looks up a resident-facing text. Pure once loaded: the same arguments give the same text. */
export type Translate = (language: Language, id: string, args?: Record<string, FluentVariable>) => string;

export interface Texts {
  t: Translate;
  /** Every message id of a language, for completeness checks. */
  ids(language: Language): string[];
  /** The raw text of a message with its placeables shown as `{ $name }`, for length checks. */
  source(language: Language, id: string): string | undefined;
}

/** Every `.ftl` file of a language folder (`flows/i18n/nl/*.ftl`), one per feature, in name order. */
function readResources(language: Language): { file: string; text: string; resource: FluentResource }[] {
  const dir = new URL(`./${language}/`, import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ftl'))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      return { file: `${language}/${file}`, text, resource: new FluentResource(text) };
    });
}

/**
 * Loads the Fluent language files next to this module: a folder per language, a file per feature
 * (`nl/resident.ftl`, `nl/staff.ftl`, …). An id defined twice throws; a missing message in a language
 * falls back to Dutch; an id missing everywhere throws, so tests catch it.
 */
export function loadTexts(): Texts {
  const bundles = new Map<Language, FluentBundle>();
  const sources = new Map<Language, Map<string, string>>();
  for (const language of LANGUAGES) {
    // Chat apps show Unicode isolation marks as boxes on some phones.
    const bundle = new FluentBundle(language, { useIsolating: false });
    const messages = new Map<string, string>();
    for (const { file, text, resource } of readResources(language)) {
      const errors = bundle.addResource(resource);
      if (errors.length > 0) throw new Error(`flows/i18n/${file}: ${errors[0]!.message}`);
      for (const [id, value] of parseSources(text)) {
        if (messages.has(id)) throw new Error(`flows/i18n/${file}: text ${id} is defined twice`);
        messages.set(id, value);
      }
    }
    bundles.set(language, bundle);
    sources.set(language, messages);
  }
  const format = (
    language: Language,
    id: string,
    args?: Record<string, FluentVariable>,
  ): string | undefined => {
    const bundle = bundles.get(language)!;
    const message = bundle.getMessage(id);
    if (!message?.value) return undefined;
    const errors: Error[] = [];
    const out = bundle.formatPattern(message.value, args ?? null, errors);
    if (errors.length > 0) throw new Error(`text ${id} (${language}): ${errors[0]!.message}`);
    return out;
  };
  return {
    t(language, id, args) {
      const out = format(language, id, args) ?? format('nl', id, args);
      if (out === undefined) throw new Error(`text ${id} is missing in flows/i18n`);
      return out;
    },
    ids: (language) => [...sources.get(language)!.keys()],
    source: (language, id) => sources.get(language)!.get(id),
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
