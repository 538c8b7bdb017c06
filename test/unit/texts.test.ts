import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { THEMES } from '../../flows/asks.js';
import { STAFF_ROLES } from '../../flows/desk/types.js';
import { LEXICON } from '../../flows/i18n/lexicon.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { parseKeyword } from '../../flows/parse/keywords.js';
import { LANGUAGES, STAFF_LANGUAGES } from '../../src/domain/language.js';
import { CHANNELS } from '../../src/domain/messages.js';
import { AGE_GROUPS, AREAS, FORMER_AGE_GROUPS } from '../../src/domain/resident.js';

const texts = loadTexts();
const FLOWS = new URL('../../flows/', import.meta.url);
const WEB_DESK = new URL('../../src/http/desk/', import.meta.url);

/** Ids the flows build at run time (`area-${code}` and the like), which a grep cannot see. */
const DYNAMIC_IDS = [
  ...AREAS.map((a) => `area-${a}`),
  ...AGE_GROUPS.map((a) => `age-${a}`),
  // GEGEVENS still names the groups chosen before taking part started at 16.
  ...FORMER_AGE_GROUPS.map((a) => `age-${a}`),
  ...CHANNELS.map((c) => `channel-${c}`),
  ...THEMES.map((t) => `theme-${t.replace('_', '-')}`),
  ...STAFF_ROLES.map((r) => `web-role-${r}`),
  'ask-hint',
  'ask-hint-typed',
  'ask-hint-multi',
  'retry-hint',
  'retry-hint-multi',
  'consent-yes',
  'consent-no',
  'delete-yes',
  'delete-no',
  'data-news-on',
  'data-news-off',
  'data-status-active',
  'data-status-stopped',
];

/** Text ids written literally in the flows: say(ctx, lang, 'id'), askFixed(…, 'which', 'id'), retry('which', 'id'). */
function idsUsedInCode(): Set<string> {
  const used = new Set<string>();
  const patterns = [
    /say\(\s*ctx,\s*\w+,\s*'([a-z0-9-]+)'/g,
    /askFixed\(\s*ctx,\s*\w+,\s*'[a-z]+',\s*'([a-z0-9-]+)'/g,
    /retry\(\s*'[a-z]+',\s*'([a-z0-9-]+)'\s*\)/g,
    /ctx\.texts\.t\(\s*\w+,\s*'([a-z0-9-]+)'/g,
    /texts\.localized\(\s*'([a-z0-9-]+)'/g,
  ];
  const dirs = [FLOWS, new URL('desk/', FLOWS), new URL('parse/', FLOWS), new URL('polls/', FLOWS)];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      for (const pattern of patterns) for (const m of source.matchAll(pattern)) used.add(m[1]!);
    }
  }
  // The web desk's pages (src/http/desk/) name their texts `web-…` literally.
  for (const file of readdirSync(WEB_DESK).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, WEB_DESK), 'utf8');
    for (const m of source.matchAll(/'(web-[a-z0-9-]+)'/g)) used.add(m[1]!);
  }
  return used;
}

/** Placeables in a raw Fluent value. */
function variables(source: string): string[] {
  return [...source.matchAll(/\{\s*\$([a-zA-Z0-9_-]+)\s*\}/g)].map((m) => m[1]!).sort();
}

/** A text as residents see it, every placeable filled with one word. */
function filled(language: (typeof LANGUAGES)[number], id: string): string {
  const args = Object.fromEntries(variables(texts.source(language, id)!).map((v) => [v, 'X']));
  return texts.t(language, id, args);
}

/** Sentences of a text: split on . ! ? and line breaks. */
function sentences(text: string): string[] {
  return text
    .split(/[.!?]+(?:\s|$)|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function words(sentence: string): string[] {
  return sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

describe('the language files', () => {
  it('have the same ids in Dutch and English', () => {
    expect([...texts.ids('en')].sort()).toEqual([...texts.ids('nl')].sort());
  });

  it('contain every id the flows use', () => {
    const used = [...idsUsedInCode(), ...DYNAMIC_IDS];
    expect(used.length).toBeGreaterThan(40);
    // The other resident languages need only the texts residents read: test/unit/languages.test.ts.
    for (const language of STAFF_LANGUAGES) {
      const known = new Set(texts.ids(language));
      expect(
        used.filter((id) => !known.has(id)),
        language,
      ).toEqual([]);
    }
  });

  it('contain no text the flows never use', () => {
    const used = new Set([...idsUsedInCode(), ...DYNAMIC_IDS]);
    expect(texts.ids('nl').filter((id) => !used.has(id))).toEqual([]);
  });

  it('use the same placeholders in both languages, and every placeholder can be filled', () => {
    for (const id of texts.ids('nl')) {
      const nl = variables(texts.source('nl', id)!);
      expect(variables(texts.source('en', id)!), id).toEqual(nl);
      const args = Object.fromEntries(nl.map((v) => [v, 'VALUE']));
      for (const language of LANGUAGES) {
        const out = texts.t(language, id, args);
        expect(out, `${language} ${id}`).not.toMatch(/\{|\}/);
        if (nl.length > 0) expect(out).toContain('VALUE');
      }
    }
  });

  it.each(LANGUAGES)('keep every %s sentence at 12 words or fewer', (language) => {
    const long: string[] = [];
    for (const id of texts.ids(language)) {
      for (const sentence of sentences(filled(language, id))) {
        if (words(sentence).length > 12) long.push(`${id}: ${sentence}`);
      }
    }
    expect(long).toEqual([]);
  });

  it('ask one question per Dutch message (the language question asks it in both languages)', () => {
    for (const id of texts.ids('nl')) {
      if (id === 'language-ask') continue;
      const questions = (filled('nl', id).match(/\?/g) ?? []).length;
      expect(questions, id).toBeLessThanOrEqual(1);
    }
  });

  it('show only real keywords in capitals', () => {
    // Answers residents are told to send ("EVET gönderin") are no keywords.
    const answers = Object.values(LEXICON.byLanguage).flatMap((f) => [...f.yes, ...f.no, ...f.skip]);
    const notKeywords = new Set(['SLA OVER', 'SKIP', 'JA', 'YES', ...answers.map((a) => a.toUpperCase())]);
    for (const language of LANGUAGES) {
      for (const id of texts.ids(language)) {
        for (const [caps] of texts
          .source(language, id)!
          .matchAll(/(?<!\p{L})\p{Lu}{2,}(?: \p{Lu}{2,})*(?!\p{L})/gu)) {
          if (notKeywords.has(caps)) continue;
          expect(parseKeyword(caps), `${language} ${id}: ${caps}`).not.toBeNull();
        }
      }
    }
  });

  it('never say anything with emoji alone', () => {
    for (const language of LANGUAGES) {
      for (const id of texts.ids(language)) {
        const letters = filled(language, id).replace(/\bX\b/g, '');
        expect(letters, id).toMatch(/[\p{L}\p{N}]/u);
      }
    }
  });

  it('count with Fluent plurals: 1 bewoner, 2 bewoners', () => {
    expect(texts.t('nl', 'desk-audience-count', { audience: 'Nazareth', count: 1 })).toBe(
      'Voor: Nazareth. Dat is nu 1 bewoner.',
    );
    expect(texts.t('nl', 'desk-audience-count', { audience: 'Nazareth', count: 2 })).toBe(
      'Voor: Nazareth. Dat zijn nu 2 bewoners.',
    );
    expect(texts.t('en', 'desk-audience-count', { audience: 'Nazareth', count: 1 })).toBe(
      'For: Nazareth. That is 1 resident now.',
    );
    expect(texts.t('nl', 'desk-help-closed', { id: 4, days: 1 })).toContain('Na 1 dag wissen');
    expect(
      texts.t('en', 'desk-results-help', { days: 30, opened: 1, answered: 1, open: 0, flagged: 0 }),
    ).toMatch(/^Help requests in 30 days/);
    // No text puts a plural noun after a count of one.
    const plurals =
      /\b1 (bewoners|dagen|uren|weken|vragen|hulpvragen|ideeën|residents|days|hours|weeks|questions|requests|ideas)\b/;
    for (const language of LANGUAGES) {
      for (const id of texts.ids(language)) {
        const args = Object.fromEntries(variables(texts.source(language, id)!).map((v) => [v, 1]));
        expect(texts.t(language, id, args), `${language} ${id}`).not.toMatch(plurals);
      }
    }
  });

  it('mention the keywords in the language of the file', () => {
    expect(texts.t('nl', 'keywords-list')).toContain('GEGEVENS');
    expect(texts.t('en', 'keywords-list')).toContain('MY DATA');
  });
});
