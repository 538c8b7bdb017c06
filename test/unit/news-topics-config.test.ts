import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNewsTopics } from '../../src/config/news-topics.js';
import { StartupError } from '../../src/domain/errors.js';

function fileWith(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sp-topics-')), 'news-topics.json');
  writeFileSync(file, content);
  return file;
}

const topic = (code: string, nl = 'Iets', en?: string) => ({ code, label: { nl, ...(en && { en }) } });
const load = (content: unknown) => loadNewsTopics({ NEWS_TOPICS_FILE: fileWith(JSON.stringify(content)) });

describe('the news topics file', () => {
  it('ships the programme topics with a Dutch and an English label', () => {
    const topics = loadNewsTopics({});
    expect(topics.map((t) => t.code)).toEqual([
      'activiteiten',
      'wonen-en-buurt',
      'jongeren',
      'ouderen',
      'veiligheid',
    ]);
    expect(topics.find((t) => t.code === 'ouderen')?.label).toMatchObject({
      nl: 'Ouderen',
      en: 'Older people',
    });
  });

  it('takes a file with Dutch labels only', () => {
    expect(load({ topics: [topic('sport', 'Sport')] })).toEqual([{ code: 'sport', label: { nl: 'Sport' } }]);
  });

  it.each([
    ['no topics', { topics: [] }, /topics: expected at least one topic/],
    ['a code twice', { topics: [topic('sport'), topic('sport')] }, /topics\.1\.code: appears twice/],
    ['a reserved word', { topics: [topic('alles')] }, /topics\.0\.code: is a reserved word/],
    ['a code with capitals', { topics: [topic('Sport')] }, /topics\.0\.code: expected 2 to 30 lower-case/],
    ['no Dutch label', { topics: [{ code: 'sport', label: { en: 'Sport' } }] }, /topics\.0\.label\.nl/],
    ['an unknown field', { topics: [{ ...topic('sport'), colour: 'red' }] }, /topics\.0/],
    ['too many topics', { topics: Array.from({ length: 10 }, (_, i) => topic(`t${i}`)) }, /at most 9 topics/],
  ])('stops the start with one line naming the field: %s', (_, content, message) => {
    expect(() => load(content)).toThrow(StartupError);
    expect(() => load(content)).toThrow(message);
  });

  it('stops the start when the file is not JSON', () => {
    const file = fileWith('{ topics: ');
    expect(() => loadNewsTopics({ NEWS_TOPICS_FILE: file })).toThrow(
      new RegExp(`NEWS_TOPICS_FILE ${file} cannot be read as JSON`),
    );
  });
});
