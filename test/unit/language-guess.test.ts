import { describe, expect, it } from 'vitest';
import { guessLanguage } from '../../flows/language-guess.js';
import { parseAnswer } from '../../flows/parse/answer.js';
import { normalise } from '../../flows/parse/normalise.js';
import { QuestionSchema } from '../../flows/polls/schema.js';

describe('the language of a first message', () => {
  it.each([
    ['مرحبا', 'ar'],
    ['السلام عليكم', 'ar'],
    ['Merhaba', 'tr'],
    ['Günaydın', 'tr'],
    ['selam, katılmak istiyorum', 'tr'],
    ['Cześć', 'pl'],
    ['Dzień dobry', 'pl'],
    ['witam', 'pl'],
    ['hello', 'en'],
    ['Hallo, ik wil meedoen', 'nl'],
    ['hoi', 'nl'],
  ])('%s is %s', (text, language) => {
    expect(guessLanguage(text)).toBe(language);
  });

  it('follows the platform hint when the words say nothing, if it is a resident language', () => {
    expect(guessLanguage('👋', 'tr-TR')).toBe('tr');
    expect(guessLanguage('👋', 'ar')).toBe('ar');
    expect(guessLanguage('👋', 'fr')).toBe('nl');
    expect(guessLanguage('👋')).toBe('nl');
  });
});

describe('Arabic-Indic and Persian digits', () => {
  const scale5 = QuestionSchema.parse({ id: 'q', type: 'scale5', text: { nl: 'Vraag?' } });
  const grade10 = QuestionSchema.parse({ id: 'q', type: 'grade10', text: { nl: 'Vraag?' } });

  it('read as the digits 0 to 9', () => {
    expect(normalise('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalise('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
  });

  it('answer a question like Western digits', () => {
    expect(parseAnswer(scale5, '٤')).toEqual({ kind: 'option', codes: ['4'], number: 4 });
    expect(parseAnswer(scale5, '۲')).toEqual({ kind: 'option', codes: ['2'], number: 2 });
    expect(parseAnswer(grade10, '١٠')).toEqual({ kind: 'option', codes: ['10'], number: 10 });
    expect(parseAnswer(grade10, '۸')).toEqual({ kind: 'option', codes: ['8'], number: 8 });
  });
});
