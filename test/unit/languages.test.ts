import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLanguages } from '../../flows/i18n/check.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { isRtl, LANGUAGES, languageInfo, loadLanguages } from '../../src/domain/language.js';

const I18N = fileURLToPath(new URL('../../flows/i18n/', import.meta.url));
const copies: string[] = [];

/** A copy of flows/i18n in a temporary folder, for a test to break. */
function copy(): { dir: string; url: URL } {
  const dir = mkdtempSync(join(tmpdir(), 'languages-'));
  copies.push(dir);
  cpSync(I18N, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  return { dir, url: pathToFileURL(`${dir}/`) };
}

/** Removes one message (its id line and indented continuation lines) from a Fluent file. */
function withoutText(file: string, id: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${id} =`));
  expect(start, `${id} in ${file}`).toBeGreaterThanOrEqual(0);
  let end = start + 1;
  while (end < lines.length && /^\s+\S/.test(lines[end]!)) end += 1;
  lines.splice(start, end - start);
  writeFileSync(file, lines.join('\n'));
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the resident languages', () => {
  it('are the folders of flows/i18n, Dutch first, with Arabic, Turkish and Polish', () => {
    expect(LANGUAGES[0]).toBe('nl');
    expect([...LANGUAGES].sort()).toEqual(['ar', 'en', 'nl', 'pl', 'tr']);
    expect(languageInfo('ar')).toMatchObject({ name: 'العربية', direction: 'rtl' });
    expect(isRtl('ar')).toBe(true);
    expect(isRtl('tr')).toBe(false);
  });

  it('each have every resident text, every shipped poll text and a valid lexicon', () => {
    expect(checkLanguages()).toEqual([]);
  });

  it('fail the check naming the language and the id when one text is missing', () => {
    const { dir, url } = copy();
    withoutText(join(dir, 'tr', 'resident.ftl'), 'consent-ask');
    const before = new Set(checkLanguages());
    expect(checkLanguages(url).filter((p) => !before.has(p))).toEqual(['tr: text consent-ask is missing']);
  });

  it('fall back to Dutch for that one text at run time', () => {
    const { dir, url } = copy();
    withoutText(join(dir, 'tr', 'resident.ftl'), 'retry');
    const texts = loadTexts(
      url,
      loadLanguages(url).map((l) => l.code),
    );
    expect(texts.t('tr', 'retry')).toBe(texts.t('nl', 'retry'));
    expect(texts.t('tr', 'welcome')).not.toBe(texts.t('nl', 'welcome'));
  });

  it('fail the check naming a missing poll text and a broken lexicon', () => {
    const { dir, url } = copy();
    const polls = JSON.parse(readFileSync(join(dir, 'pl', 'polls.json'), 'utf8'));
    delete polls.polls['veerkracht-kort'].questions.hulp;
    polls.options.scale5['4'] = undefined;
    writeFileSync(join(dir, 'pl', 'polls.json'), JSON.stringify(polls));
    const lexicon = JSON.parse(readFileSync(join(dir, 'tr', 'lexicon.json'), 'utf8'));
    delete lexicon.yes;
    writeFileSync(join(dir, 'tr', 'lexicon.json'), JSON.stringify(lexicon));
    const before = new Set(checkLanguages());
    expect(checkLanguages(url).filter((p) => !before.has(p))).toEqual([
      'tr: flows/i18n/tr/lexicon.json: yes: Invalid input: expected array, received undefined',
      'pl: poll text options.scale5.4 is missing',
      'pl: poll text veerkracht-kort.hulp.text is missing',
    ]);
  });

  it('need no code: a folder with a language.json is a language, and the check lists all it lacks', () => {
    const { dir, url } = copy();
    cpSync(join(dir, 'tr'), join(dir, 'de'), { recursive: true });
    const de = JSON.parse(readFileSync(join(dir, 'de', 'language.json'), 'utf8'));
    writeFileSync(join(dir, 'de', 'language.json'), JSON.stringify({ ...de, code: 'de', name: 'Deutsch' }));
    rmSync(join(dir, 'de', 'flood.ftl'));
    expect(loadLanguages(url).map((l) => l.code)).toContain('de');
    const before = new Set(checkLanguages());
    const problems = checkLanguages(url).filter((p) => !before.has(p));
    expect(problems).toContain('de: text flood-slow-down is missing');
    expect(problems.filter((p) => !p.startsWith('de: '))).toEqual([]);
  });

  it('refuse a language.json whose code is not its folder, naming the file', () => {
    const { dir, url } = copy();
    const tr = JSON.parse(readFileSync(join(dir, 'tr', 'language.json'), 'utf8'));
    writeFileSync(join(dir, 'tr', 'language.json'), JSON.stringify({ ...tr, code: 'tk' }));
    expect(() => loadLanguages(url)).toThrow(
      'flows/i18n/tr/language.json: code "tk" must match the folder name "tr"',
    );
    expect(checkLanguages(url)).toEqual([
      'flows/i18n/tr/language.json: code "tk" must match the folder name "tr"',
    ]);
  });
});
