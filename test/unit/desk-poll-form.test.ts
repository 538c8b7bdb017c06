import { describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import { PollSchema } from '../../flows/polls/schema.js';
import { checkPoll } from '../../flows/polls/validate.js';
import {
  blankForm,
  definitionOf,
  formOf,
  formPath,
  readForm,
  withSlotAdded,
} from '../../src/http/desk/poll-form.js';

// The poll editor's form and the definition it stands for: a stored poll comes back unchanged through
// the form, empty slots are left out, and a problem lands on the slot it came from.

describe('the poll form', () => {
  it('gives every shipped poll back unchanged, with what the form does not show kept from the version before', () => {
    for (const poll of loadPolls().values()) {
      const { definition } = definitionOf(formOf(poll), poll);
      expect(PollSchema.parse(definition), poll.id).toEqual(poll);
    }
  });

  it('reads posted fields, leaves empty slots out and maps problems back to their slot', () => {
    const fields: Record<string, string> = {
      question_count: '3',
      id: 'buurtontbijt',
      'title-nl': 'Buurtontbijt',
      'title-en': 'Breakfast',
      'questions-0-type': 'yesno',
      'questions-0-option_count': '0',
      'questions-0-text-nl': 'Kom je? Neem je iemand mee?',
      'questions-0-text-en': 'Will you come?',
      // Question 2 left empty: not part of the poll.
      'questions-1-type': 'choice',
      'questions-1-option_count': '2',
      'questions-2-type': 'choice',
      'questions-2-option_count': '3',
      'questions-2-text-nl': 'Welke dag past?',
      'questions-2-text-en': 'Which day?',
      'questions-2-options-1-label-nl': 'Zaterdag',
      'questions-2-options-1-label-en': 'Saturday',
      'questions-2-options-2-label-nl': 'Woensdagochtend vroeg voor werk',
      'questions-2-options-2-label-en': 'Wednesday',
    };
    const form = readForm(fields)!;
    expect(form.questions).toHaveLength(3);
    const def = definitionOf(form);
    const check = checkPoll(def.definition);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const places = check.issues.map((i) => formPath(i, def).join('-'));
    // The first question asks two things; the third question's third answer is too long.
    expect(places).toContain('questions-0-text-nl');
    expect(places).toContain('questions-2-options-2-label-nl');
    expect((def.definition as { questions: { id: string }[] }).questions.map((q) => q.id)).toEqual([
      'v1',
      'v3',
    ]);
  });

  it('adds a question or an answer slot up to the limits', () => {
    let form = blankForm();
    for (let i = 0; i < 7; i++) form = withSlotAdded(form, 'add-question');
    expect(form.questions).toHaveLength(5);
    for (let i = 0; i < 12; i++) form = withSlotAdded(form, 'add-option-0');
    expect(form.questions[0]!.options).toHaveLength(10);
  });

  it('never takes the code of a new version from a field', () => {
    expect(readForm({ id: 'iets-anders', 'title-nl': 'X' }, 'cijfer')?.id).toBe('cijfer');
  });
});
