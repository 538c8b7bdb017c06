import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixedQuestion } from '../../flows/asks.js';
import { type ParsedAnswer, parseAnswer } from '../../flows/parse/answer.js';
import { type Option, OptionSchema, type Question, QuestionSchema } from '../../flows/polls/schema.js';
import { testTexts } from '../helpers/flow.js';

interface Entry {
  type: Question['type'];
  input: string;
  options?: string;
  note?: string;
  expected: ParsedAnswer;
}
interface Corpus {
  optionSets: Record<string, unknown[]>;
  entries: Entry[];
}

const corpus = JSON.parse(
  readFileSync(new URL('../fixtures/answer-corpus.json', import.meta.url), 'utf8'),
) as Corpus;

const optionSets = new Map<string, Option[]>(
  Object.entries(corpus.optionSets).map(([name, list]) => [name, list.map((o) => OptionSchema.parse(o))]),
);

// One question object per type and option set, so the corpus also exercises the per-question cache.
const questions = new Map<string, Question>();
function questionFor(entry: Entry): Question {
  const key = `${entry.type}:${entry.options ?? ''}`;
  let question = questions.get(key);
  if (!question) {
    const options = entry.options === undefined ? undefined : optionSets.get(entry.options);
    if (entry.options !== undefined && !options) throw new Error(`unknown option set ${entry.options}`);
    question = QuestionSchema.parse({ id: 'corpus', type: entry.type, text: { nl: 'Vraag' }, options });
    questions.set(key, question);
  }
  return question;
}

describe('answer corpus', () => {
  it('holds at least 500 replies over every question type', () => {
    expect(corpus.entries.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.entries.map((e) => e.type))).toEqual(
      new Set(['yesno', 'scale5', 'grade10', 'choice', 'multi', 'text']),
    );
  });

  it('has typed replies for each way of choosing, including replies that are asked again', () => {
    const count = (pick: (e: Entry) => boolean) => corpus.entries.filter(pick).length;
    const askedAgain = (e: Entry) => e.expected.kind === 'unknown';
    // Two options in one reply, and ranges, on every question with options.
    for (const type of ['yesno', 'scale5', 'grade10', 'choice', 'multi'] as const) {
      expect(count((e) => e.type === type && askedAgain(e) && /[0-9].*[0-9]/.test(e.input))).toBeGreaterThan(
        4,
      );
    }
    expect(count((e) => askedAgain(e) && /tussen|between|[0-9] ?[-–/] ?[0-9]/.test(e.input))).toBeGreaterThan(
      15,
    );
    // Stray signs around a number.
    expect(count((e) => e.expected.kind === 'option' && /^[#*(~]|[)!]$/.test(e.input))).toBeGreaterThan(40);
    expect(count((e) => e.options === 'consent')).toBeGreaterThan(80);
  });

  it("has the consent question's real labels in its consent option set", () => {
    // The corpus holds the Dutch and English labels.
    const real = fixedQuestion(testTexts(), 'consent').options!.map((o) => ({
      code: o.code,
      label: { nl: o.label.nl, en: o.label.en },
    }));
    expect(optionSets.get('consent')!.map((o) => ({ code: o.code, label: o.label }))).toEqual(real);
  });

  it.each(corpus.entries.map((e) => [e.type, e.input, e] as const))('%s: %j', (_, input, entry) => {
    expect(parseAnswer(questionFor(entry), input)).toEqual(entry.expected);
  });
});
