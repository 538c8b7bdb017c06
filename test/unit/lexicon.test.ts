import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LexiconError, loadLexicon } from '../../flows/i18n/lexicon.js';
import { parseAnswer } from '../../flows/parse/answer.js';
import type { Question } from '../../flows/polls/schema.js';

const shipped = (language: string) =>
  JSON.parse(readFileSync(new URL(`../../flows/i18n/${language}/lexicon.json`, import.meta.url), 'utf8'));

/** A folder with the shipped lexicons, `change` applied to the Dutch one. */
function folderWith(change: (nl: Record<string, unknown>) => unknown): URL {
  const dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
  for (const language of ['nl', 'en']) {
    mkdirSync(join(dir, language));
    const file = shipped(language);
    writeFileSync(
      join(dir, language, 'lexicon.json'),
      JSON.stringify(language === 'nl' ? change(file) : file),
    );
  }
  return pathToFileURL(`${dir}/`);
}

describe('lexicon files', () => {
  it('loads the shipped files of every language, merged', () => {
    const lexicon = loadLexicon();
    expect(lexicon.numberWords.get('drie')).toBe(3);
    expect(lexicon.numberWords.get('three')).toBe(3);
    expect(lexicon.keywordForms.get('stop nieuws')).toBe('stop_news');
    expect(lexicon.keywordForms.get('no news')).toBe('stop_news');
  });

  it('reads words as residents type them: capitals and accents are normalised', () => {
    const lexicon = loadLexicon(
      folderWith((nl) => ({ ...nl, polite: [...(nl.polite as string[]), 'Alstublieft'] })),
    );
    expect(lexicon.polite).toContain('alstublieft');
    expect(lexicon.keywordForms.get('ideeen')).toBe('idea');
  });

  it('names the file and the field of a wrong value', () => {
    const root = folderWith((nl) => ({
      ...nl,
      numberWords: { ...(nl.numberWords as object), drie: 'drie' },
    }));
    expect(() => loadLexicon(root)).toThrow(LexiconError);
    expect(() => loadLexicon(root)).toThrow(/^flows\/i18n\/nl\/lexicon\.json: numberWords\.drie: /);
  });

  it('names the file and the list of an entry that is no word', () => {
    const root = folderWith((nl) => ({ ...nl, dontKnow: ['geen idee', '?!'] }));
    expect(() => loadLexicon(root)).toThrow(
      'flows/i18n/nl/lexicon.json: dontKnow.1: has no letters, digits or emoji',
    );
  });

  it('names a missing list, a misspelt field and a missing keyword', () => {
    const { skip: _skip, ...withoutSkip } = shipped('nl');
    expect(() => loadLexicon(folderWith(() => withoutSkip))).toThrow(/nl\/lexicon\.json: skip: /);
    expect(() => loadLexicon(folderWith((nl) => ({ ...nl, dontknow: [] })))).toThrow(
      /nl\/lexicon\.json: .*dontknow/,
    );
    expect(() =>
      loadLexicon(folderWith((nl) => ({ ...nl, keywords: { ...(nl.keywords as object), poll: undefined } }))),
    ).toThrow(/nl\/lexicon\.json: keywords\.poll: /);
  });

  it('refuses a form that would mean two keywords, and a shown word that is not a form', () => {
    const keywords = (nl: Record<string, unknown>) =>
      nl.keywords as Record<string, { word: string; forms: string[] }>;
    expect(() =>
      loadLexicon(
        folderWith((nl) => ({
          ...nl,
          keywords: { ...keywords(nl), poll: { word: 'PEILING', forms: ['peiling', 'vraag'] } },
        })),
      ),
    ).toThrow('flows/i18n/nl/lexicon.json: keywords.question.forms: "vraag" is already the keyword poll');
    expect(() =>
      loadLexicon(
        folderWith((nl) => ({
          ...nl,
          keywords: { ...keywords(nl), poll: { word: 'ENQUETE', forms: ['peiling'] } },
        })),
      ),
    ).toThrow('flows/i18n/nl/lexicon.json: keywords.poll.word: is not one of its forms');
  });

  it('refuses a number word that means another number in another language', () => {
    const root = folderWith((nl) => ({ ...nl, numberWords: { ...(nl.numberWords as object), three: 4 } }));
    expect(() => loadLexicon(root)).toThrow(
      'flows/i18n/en/lexicon.json: numberWords.three: is 4 in another file',
    );
  });

  it('says which file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    expect(() => loadLexicon(pathToFileURL(`${dir}/`), ['nl'])).toThrow(
      'flows/i18n/nl/lexicon.json: is missing',
    );
    mkdirSync(join(dir, 'nl'));
    writeFileSync(join(dir, 'nl', 'lexicon.json'), '{ "yes": [');
    expect(() => loadLexicon(pathToFileURL(`${dir}/`), ['nl'])).toThrow(
      /^flows\/i18n\/nl\/lexicon\.json: .*JSON/,
    );
  });

  it('is what the answer parser reads: a word from each file is understood', () => {
    const question: Question = { id: 'q', type: 'yesno', text: { nl: 'Vraag?' } };
    expect(parseAnswer(question, 'geen flauw benul')).toEqual({ kind: 'option', codes: ['weet_niet'] });
    expect(parseAnswer(question, 'dunno')).toEqual({ kind: 'option', codes: ['weet_niet'] });
    expect(parseAnswer(question, 'jazeker')).toEqual({ kind: 'option', codes: ['ja'] });
    expect(parseAnswer(question, 'no way')).toEqual({ kind: 'option', codes: ['nee'] });
  });
});
