import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RLM } from '../../src/domain/rtl.js';
import { runCli } from '../helpers/cli.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

// Residents in Arabic, Turkish and Polish through the console, end to end: the greeting picks the
// language, the language is confirmed by its name, and veerkracht-kort is answered with a digit of
// the resident's script and with the words of the options in their language.

let setup: TestSetup;

beforeAll(() => {
  setup = testSetup();
});
afterAll(async () => {
  await setup.cleanup();
});

interface Case {
  language: string;
  name: string;
  session: string[];
  /** Something the bot says in the language, once joined. */
  says: RegExp;
}

const CASES: Case[] = [
  {
    language: 'ar',
    name: 'lang-amira',
    session: [
      'مرحبا',
      'العربية',
      'نعم',
      '1', // Nazareth
      '3', // 27–40
      '٤', // thuis: 4, in an Arabic-Indic digit
      'ليس حقًا', // hulp: 2
      'نعم، تمامًا', // vertrouwen: 5
      'مقاعد أكثر في الساحة',
    ],
    says: /\p{Script=Arabic}/u,
  },
  {
    language: 'tr',
    name: 'lang-emre',
    session: ['Merhaba', 'Türkçe', 'evet', '1', '3', '4', 'Pek değil', 'Evet, tamamen', 'Daha fazla bank'],
    says: /mahalle/i,
  },
  {
    language: 'pl',
    name: 'lang-kasia',
    session: ['Cześć', 'polski', 'tak', '1', '3', '4', 'Raczej nie', 'Tak, całkowicie', 'Więcej ławek'],
    says: /okolic/i,
  },
];

describe('residents in Arabic, Turkish and Polish through the console', () => {
  it.each(CASES)(
    'a $language resident joins by a greeting and answers veerkracht-kort in their own words',
    async (c) => {
      const chat = await runCli(['chat', '--as', c.name], setup.vars, `${c.session.join('\n')}\n`, 60_000);
      expect(chat.code).toBe(0);
      expect(chat.stdout).toMatch(c.says);
      // The Arabic messages start every line right to left; the others have no marks.
      if (c.language === 'ar') expect(chat.stdout).toContain(`${RLM}1. `);
      else expect(chat.stdout).not.toContain(RLM);
    },
    90_000,
  );

  it('exports their answers with the codes of the options and the language of each', async () => {
    const exported = await runCli(['export', 'responses', '--format', 'csv'], setup.vars);
    expect(exported.code).toBe(0);
    const [header, ...rows] = exported.stdout.trim().split('\n');
    const columns = header!.split(',');
    const at = (name: string) => columns.indexOf(name);
    const scored = rows
      .map((r) => r.split(','))
      .filter((cells) => cells[at('indicator')] !== '')
      .map((cells) => [cells[at('language')], cells[at('question')], cells[at('answer_code')]]);
    for (const { language } of CASES) {
      expect(scored.filter(([l]) => l === language)).toEqual([
        [language, 'thuis', '4'],
        [language, 'hulp', '2'],
        [language, 'vertrouwen', '5'],
      ]);
    }
  }, 60_000);
});
