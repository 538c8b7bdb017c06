import { describe, expect, it } from 'vitest';
import { loadPolls } from '../../flows/polls/catalog.js';
import { checkPoll, fieldOf } from '../../flows/polls/validate.js';
import { loadIndicators } from '../../src/export/indicators.js';

const indicators = loadIndicators().indicators.map((i) => i.code);

interface DraftQuestion {
  id: string;
  type: string;
  text: { nl: string; en?: string };
  options?: { code: string; label: { nl: string; en?: string } }[];
  indicator?: string;
  positive?: string[];
}

/** A poll the wijkteam might write: valid as it stands. */
function breakfast(): { id: string; title: object; intro: object; questions: DraftQuestion[] } {
  return {
    id: 'buurtontbijt',
    title: { nl: 'Buurtontbijt', en: 'Neighbourhood breakfast' },
    intro: { nl: 'Een korte vraag over het ontbijt.', en: 'One short question about the breakfast.' },
    questions: [
      {
        id: 'dag',
        type: 'choice',
        text: { nl: 'Welke dag past voor het buurtontbijt?', en: 'Which day suits the breakfast?' },
        options: [
          { code: 'za', label: { nl: 'Zaterdag', en: 'Saturday' } },
          { code: 'zo', label: { nl: 'Zondag', en: 'Sunday' } },
          { code: 'wo', label: { nl: 'Woensdag', en: 'Wednesday' } },
          { code: 'geen', label: { nl: 'Geen van deze', en: 'None of these' } },
        ],
      },
      {
        id: 'komen',
        type: 'yesno',
        text: { nl: 'Kom je zelf ook?', en: 'Will you come yourself?' },
      },
    ],
  };
}

describe('checking a poll someone wrote', () => {
  it('accepts every shipped poll, so the CLI holds new polls to the same rules', () => {
    for (const poll of loadPolls().values()) {
      expect(checkPoll(poll, { indicators }), poll.id).toMatchObject({ ok: true });
    }
  });

  it('accepts a well-written ad-hoc poll without an indicator', () => {
    expect(checkPoll(breakfast(), { indicators })).toMatchObject({ ok: true, poll: { id: 'buurtontbijt' } });
  });

  it('names the field of every problem at once: length, B1 sentence, one question, English, indicator', () => {
    const poll = breakfast();
    poll.questions[0]!.options![2]!.label.nl = 'Woensdagochtend vroeg voor werk';
    poll.questions[0]!.text.nl =
      'Op welke dag van de week zou jij het liefst met de hele buurt samen ontbijten op het plein?';
    poll.questions[1]!.text = { nl: 'Kom je? Neem je iemand mee?' };
    poll.questions[1]!.indicator = 'geen_indicator';
    const check = checkPoll(poll, { indicators });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    const lines = check.issues.map((i) => `${i.field}: ${i.message}`);
    expect(lines).toContain('questions[0].options[2].label.nl: te lang (31 tekens, max 24)');
    expect(lines.some((l) => l.startsWith('questions[0].text.nl: zin te lang (19 woorden, max 12)'))).toBe(
      true,
    );
    expect(lines).toContain('questions[1].text.nl: één vraag per bericht (2 vraagtekens)');
    expect(lines).toContain('questions[1].text.en: ontbreekt (Nederlands en Engels zijn verplicht)');
    expect(
      lines.some((l) => l.startsWith('questions[1].indicator: onbekende indicator "geen_indicator"')),
    ).toBe(true);
    // The path as segments too, for a form that shows the message next to its field.
    expect(check.issues[0]!.path).toEqual(['questions', 0, 'text', 'nl']);
  });

  it('holds labels of three answers or fewer to the 20 characters of a WhatsApp button', () => {
    const poll = breakfast();
    poll.questions[0]!.options = poll.questions[0]!.options!.slice(0, 3);
    poll.questions[0]!.options![1]!.label.en = 'Sunday, after church';
    expect(checkPoll(poll, { indicators }).ok).toBe(true);
    poll.questions[0]!.options![1]!.label.en = 'Sunday, after the market';
    const check = checkPoll(poll, { indicators });
    expect(check.ok ? [] : check.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      'questions[0].options[1].label.en: te lang (24 tekens, max 20)',
    ]);
  });

  it('reports schema problems with their path: a choice without options, too many questions', () => {
    const poll = breakfast();
    delete poll.questions[0]!.options;
    const noOptions = checkPoll(poll);
    expect(noOptions.ok ? [] : noOptions.issues.map((i) => i.message)).toEqual([
      'question dag: type choice needs options',
    ]);
    const many = breakfast();
    many.questions = Array.from({ length: 6 }, (_, i) => ({ ...breakfast().questions[1]!, id: `q${i}` }));
    const tooMany = checkPoll(many);
    expect(tooMany.ok ? [] : tooMany.issues.map((i) => i.field)).toEqual(['questions']);
    const badLabel = breakfast();
    (badLabel.questions[0]!.options![1]!.label as Record<string, unknown>).nl = '';
    const empty = checkPoll(badLabel);
    expect(empty.ok ? [] : empty.issues.map((i) => i.field)).toEqual(['questions[0].options[1].label.nl']);
  });

  it('refuses answer codes that repeat and positives that are no answer', () => {
    const poll = breakfast();
    poll.questions[0]!.options![1]!.code = 'za';
    poll.questions[0]!.positive = ['za', 'ma'];
    const check = checkPoll(poll);
    expect(check.ok ? [] : check.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      'questions[0].options[1].code: code "za" komt twee keer voor',
      'questions[0].positive[1]: "ma" is geen antwoord van deze vraag',
    ]);
  });

  it('refuses a poll code or an indicator that a spreadsheet would read as a formula (the monitor stores them)', () => {
    const dash = { ...breakfast(), id: '-ontbijt' };
    const dashCheck = checkPoll(dash);
    expect(dashCheck.ok ? [] : dashCheck.issues.map((i) => i.field)).toEqual(['id']);
    const formula = breakfast();
    formula.questions[0]!.indicator = '=HYPERLINK("x")';
    const formulaCheck = checkPoll(formula);
    expect(formulaCheck.ok ? [] : formulaCheck.issues.map((i) => i.field)).toEqual([
      'questions[0].indicator',
    ]);
  });

  it('writes paths the way a form and the CLI show them', () => {
    expect(fieldOf(['questions', 1, 'options', 2, 'label', 'nl'])).toBe('questions[1].options[2].label.nl');
    expect(fieldOf([])).toBe('');
  });
});
