import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYWORD_WORDS, type Keyword, parseKeyword } from '../../flows/parse/keywords.js';
import { LANGUAGES } from '../../src/domain/language.js';

const EVERY_FORM: [string, Keyword][] = [
  ['START', 'start'],
  ['AANMELDEN', 'start'],
  ['BEGIN', 'start'],
  ['STOP', 'stop'],
  ['AFMELDEN', 'stop'],
  ['STOPPEN', 'stop'],
  ['STOP NIEUWS', 'stop_news'],
  ['STOP NEWS', 'stop_news'],
  ['GEEN NIEUWS', 'stop_news'],
  ['NIEUWS', 'news'],
  ['NEWS', 'news'],
  ['ONDERWERPEN', 'news'],
  ['HULP', 'help'],
  ['HELP', 'help'],
  ['IDEE', 'idea'],
  ['IDEA', 'idea'],
  ['TAAL', 'language'],
  ['LANGUAGE', 'language'],
  ['BUURT', 'area'],
  ['AREA', 'area'],
  ['WIJK', 'area'],
  ['LEEFTIJD', 'age'],
  ['LEEFTIJDSGROEP', 'age'],
  ['AGE', 'age'],
  ['AGE GROUP', 'age'],
  ['GEGEVENS', 'my_data'],
  ['MY DATA', 'my_data'],
  ['MIJN GEGEVENS', 'my_data'],
  ['DATA', 'my_data'],
  ['VERWIJDER', 'delete'],
  ['VERWIJDEREN', 'delete'],
  ['DELETE', 'delete'],
  ['PEILING', 'poll'],
  ['POLL', 'poll'],
  ['VRAAG', 'question'],
  ['QUESTION', 'question'],
];

describe('parseKeyword', () => {
  it.each(EVERY_FORM)('recognises %s as %s', (text, keyword) => {
    expect(parseKeyword(text)).toBe(keyword);
    expect(parseKeyword(text.toLowerCase())).toBe(keyword);
  });

  it.each([
    ['Stop!', 'stop'],
    [' hulp? ', 'help'],
    ['STOP  NIEUWS', 'stop_news'],
    ['stop\tnieuws', 'stop_news'],
    ['Stop nieuws.', 'stop_news'],
    ['"Help"', 'help'],
    ['¡Stop!', 'stop'],
    ['Idée', 'idea'],
    ['ideeën', 'idea'],
    ['VERWIJDER!!!', 'delete'],
    ['ＳＴＯＰ', 'stop'],
    ['stop ✋', 'stop'],
    ['Taal?', 'language'],
    ['mijn gegevens?', 'my_data'],
    ['Peiling.', 'poll'],
  ] as [string, Keyword][])('ignores case, accents, punctuation and spaces: %j is %s', (text, keyword) => {
    expect(parseKeyword(text)).toBe(keyword);
  });

  it.each([
    ['/start', 'start'],
    ['/stop', 'stop'],
    ['/help', 'help'],
    ['/hulp', 'help'],
    ['/stop_news', 'stop_news'],
    ['/my_data', 'my_data'],
    ['/start nazareth', 'start'],
    ['/help@straatpraat_bot', 'help'],
    ['/stop nieuws', 'stop_news'],
  ] as [string, Keyword][])('reads the slash command %j as %s', (text, keyword) => {
    expect(parseKeyword(text)).toBe(keyword);
  });

  it.each([
    'ik wil stoppen met roken',
    'stop de bus hier ook?',
    'kun je me helpen',
    'help me alsjeblieft met mijn huur',
    'ik heb een idee voor de buurt',
    'welke taal spreek je',
    'de buurt is mooi',
    'Hallo Straatpraat Nazareth',
    'ja',
    '4',
    'stop stop',
    '',
    '   ',
    '!!!',
    '👍',
    '/onbekend',
    '/',
    'stopnieuws',
  ])('does not treat %j as a keyword', (text) => {
    expect(parseKeyword(text)).toBeNull();
  });

  it('has a word to show in every language for every keyword', () => {
    const keywords = Object.keys(KEYWORD_WORDS) as Keyword[];
    expect(keywords).toHaveLength(14);
    for (const keyword of keywords) {
      expect(Object.keys(KEYWORD_WORDS[keyword]).sort()).toEqual([...LANGUAGES].sort());
      for (const word of Object.values(KEYWORD_WORDS[keyword])) expect(parseKeyword(word!)).toBe(keyword);
    }
    expect(KEYWORD_WORDS.help).toMatchObject({ nl: 'HULP', en: 'HELP' });
    expect(KEYWORD_WORDS.news).toMatchObject({ nl: 'NIEUWS', en: 'NEWS' });
    expect(KEYWORD_WORDS.age).toMatchObject({ nl: 'LEEFTIJD', en: 'AGE' });
  });

  it('does not take a long message for a keyword', () => {
    expect(parseKeyword(`stop ${' '.repeat(200)}`)).toBe('stop');
    expect(parseKeyword(`stop ${'x'.repeat(200)}`)).toBeNull();
    expect(parseKeyword('stop '.repeat(20_000))).toBeNull();
  });

  it('never throws, whatever the text', () => {
    const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
    for (const text of [
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: anyCodeUnit }),
    ]) {
      fc.assert(
        fc.property(text, (t) => {
          const k = parseKeyword(t);
          expect(k === null || k in KEYWORD_WORDS).toBe(true);
        }),
        { numRuns: 500 },
      );
    }
  });
});
