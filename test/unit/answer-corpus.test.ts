import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ParsedAnswer, parseAnswer } from '../../flows/parse/answer.js';
import { type Option, OptionSchema, type Question, QuestionSchema } from '../../flows/polls/schema.js';

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
  it('holds at least 180 replies over every question type', () => {
    expect(corpus.entries.length).toBeGreaterThanOrEqual(180);
    expect(new Set(corpus.entries.map((e) => e.type))).toEqual(
      new Set(['yesno', 'scale5', 'grade10', 'choice', 'multi', 'text']),
    );
  });

  it.each(corpus.entries.map((e) => [e.type, e.input, e] as const))('%s: %j', (_, input, entry) => {
    expect(parseAnswer(questionFor(entry), input)).toEqual(entry.expected);
  });
});
