import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { questionRef } from '../../flows/poll.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { optionsFor } from '../../flows/polls/options.js';
import type { Question } from '../../flows/polls/schema.js';

const polls = loadPolls();

const SCALE5_NL = ['Nee, helemaal niet', 'Niet echt', 'Soms wel, soms niet', 'Ja, meestal', 'Ja, helemaal'];
const SCALE5_EN = ['No, not at all', 'Not really', 'Sometimes', 'Yes, mostly', 'Yes, completely'];

const THUIS = {
  id: 'thuis',
  type: 'scale5',
  indicator: 'thuis_in_buurt',
  text: { nl: 'Voel je je thuis in je buurt?', en: 'Do you feel at home in your neighbourhood?' },
  positive: ['4', '5'],
};
const HULP = {
  id: 'hulp',
  type: 'scale5',
  indicator: 'toegang_hulp',
  text: {
    nl: 'Weet je waar je terecht kunt als je hulp nodig hebt?',
    en: 'Do you know where to go when you need help?',
  },
  positive: ['4', '5'],
};
const VERTROUWEN = {
  id: 'vertrouwen',
  type: 'scale5',
  indicator: 'vertrouwen_instituties',
  text: {
    nl: 'Heb je vertrouwen in de gemeente en de organisaties in je buurt?',
    en: 'Do you trust the municipality and the organisations in your neighbourhood?',
  },
  positive: ['4', '5'],
};
const CIJFER = {
  id: 'cijfer',
  type: 'grade10',
  indicator: 'rapportcijfer_buurt',
  text: {
    nl: 'Welk cijfer geef je je buurt? Kies van 1 tot 10.',
    en: 'What mark do you give your neighbourhood? Choose from 1 to 10.',
  },
};

describe('the shipped polls', () => {
  it('are exactly thuis, hulp, vertrouwen, cijfer and veerkracht-kort', () => {
    expect([...polls.keys()].sort()).toEqual(['cijfer', 'hulp', 'thuis', 'veerkracht-kort', 'vertrouwen']);
  });

  it.each([
    ['thuis', THUIS],
    ['hulp', HULP],
    ['vertrouwen', VERTROUWEN],
    ['cijfer', CIJFER],
  ] as const)('%s asks its one question with the right indicator', (id, expected) => {
    const poll = polls.get(id)!;
    expect(poll.questions).toHaveLength(1);
    expect(poll.questions[0]).toMatchObject(expected);
  });

  it('veerkracht-kort asks thuis, hulp and vertrouwen in a row, then "Wat kan beter in je buurt?"', () => {
    const poll = polls.get('veerkracht-kort')!;
    expect(poll.questions.map((q) => q.id)).toEqual(['thuis', 'hulp', 'vertrouwen', 'beter']);
    expect(poll.questions[0]).toMatchObject(THUIS);
    expect(poll.questions[1]).toMatchObject(HULP);
    expect(poll.questions[2]).toMatchObject(VERTROUWEN);
    expect(poll.questions[3]).toMatchObject({
      type: 'text',
      text: { nl: 'Wat kan beter in je buurt?', en: 'What could be better in your neighbourhood?' },
    });
    expect(poll.questions[3]!.indicator).toBeUndefined();
  });

  it('scale5 questions offer the five answers of the spec in Dutch and English', () => {
    const scale5 = [...polls.values()].flatMap((p) => p.questions).filter((q) => q.type === 'scale5');
    expect(scale5.length).toBe(6);
    for (const q of scale5) {
      const options = optionsFor(q);
      expect(options.map((o) => o.code)).toEqual(['1', '2', '3', '4', '5']);
      expect(options.map((o) => o.label.nl)).toEqual(SCALE5_NL);
      expect(options.map((o) => o.label.en)).toEqual(SCALE5_EN);
    }
  });

  it('the mark question offers 1 to 10', () => {
    expect(optionsFor(polls.get('cijfer')!.questions[0]!).map((o) => o.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('have texts in Dutch and English, sentences of at most 15 words, and a short intro', () => {
    const texts = [...polls.values()].flatMap((p) => [
      p.title,
      ...(p.intro ? [p.intro] : []),
      ...p.questions.flatMap((q: Question) => [q.text, ...(q.followUp ? [q.followUp.text] : [])]),
    ]);
    for (const text of texts) {
      expect(text.en, text.nl).toBeTruthy();
      for (const sentence of text.nl.split(/[.!?]+\s|\n/)) {
        expect(sentence.split(/\s+/).filter(Boolean).length, sentence).toBeLessThanOrEqual(15);
      }
    }
  });

  it('fit what adapters can carry: refs of 40 characters and option values of 20', () => {
    for (const poll of polls.values()) {
      expect(poll.questions.length).toBeLessThanOrEqual(5);
      for (const q of poll.questions) {
        expect(questionRef(poll.id, q.id).length).toBeLessThanOrEqual(40);
        expect(optionsFor(q).every((o) => o.code.length <= 20)).toBe(true);
      }
    }
  });

  it('offer the optional follow-up on the one-question polls', () => {
    for (const id of ['thuis', 'hulp', 'vertrouwen', 'cijfer']) {
      expect(polls.get(id)!.questions[0]!.followUp?.text.nl).toBe('Wil je iets uitleggen?');
    }
  });
});

describe('loadPolls', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const folder = (files: Record<string, string>): string => {
    dir = mkdtempSync(join(tmpdir(), 'polls-'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
    return dir;
  };
  const valid = (id: string) =>
    JSON.stringify({
      id,
      title: { nl: 'T' },
      questions: [{ id: 'q', type: 'yesno', text: { nl: 'Vraag?' } }],
    });

  it('reads every JSON file of a folder', () => {
    expect([
      ...loadPolls(folder({ 'a.json': valid('a'), 'b.json': valid('b'), 'notes.txt': 'x' })).keys(),
    ]).toEqual(['a', 'b']);
  });

  it('names the file and the problem for an invalid poll', () => {
    const bad = JSON.stringify({
      id: 'kapot',
      title: { nl: 'T' },
      questions: [{ id: 'q', type: 'choice', text: { nl: 'V?' } }],
    });
    expect(() => loadPolls(folder({ 'a.json': valid('a'), 'kapot.json': bad }))).toThrow(
      /^flows\/polls\/kapot\.json: invalid poll definition: .*needs options/,
    );
  });

  it('names the file for broken JSON', () => {
    expect(() => loadPolls(folder({ 'stuk.json': '{ "id": ' }))).toThrow(
      /^flows\/polls\/stuk\.json: not valid JSON/,
    );
  });

  it('refuses a poll whose id differs from its file name', () => {
    expect(() => loadPolls(folder({ 'thuis2.json': valid('thuis') }))).toThrow(
      /thuis2\.json: poll id "thuis"/,
    );
  });
});
