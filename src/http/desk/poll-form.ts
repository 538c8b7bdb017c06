import { z } from 'zod';
import { optionsFor } from '../../../flows/polls/options.js';
import { type Poll, QUESTION_TYPES, type Question, type QuestionType } from '../../../flows/polls/schema.js';
import type { PollIssue } from '../../../flows/polls/validate.js';
import { LANGUAGES, type Language } from '../../domain/language.js';

// The poll editor's form as the browser posts it, and the poll definition it stands for. The form has
// one field per part of the definition, named by its path (`questions-0-options-2-label-nl`), so a
// problem `checkPoll` finds at `questions[0].options[2].label.nl` lands next to its field. Questions and
// answers are slots: an "add" button posts the form back with one more, which works without JavaScript.
// Empty slots are left out of the definition; problems are mapped back to the slot they came from.

/** Questions a poll may have (the schema's limit). */
export const MAX_QUESTIONS = 5;
/** Answers a question may have (the schema's limit). */
export const MAX_OPTIONS = 10;
/** Answer slots a new choice question starts with. */
const START_OPTIONS = 2;

/** A text per language as the form holds it: every language, empty when not filled in. */
export type Texts = Record<Language, string>;

export interface OptionSlot {
  code: string;
  label: Texts;
}

export interface QuestionSlot {
  id: string;
  type: QuestionType;
  /** An indicator code (admins only); empty for none. */
  indicator: string;
  text: Texts;
  followUp: Texts;
  options: OptionSlot[];
}

/** The form: `base` is the poll a new version is written for (its code cannot change). */
export interface PollForm {
  base?: string;
  id: string;
  title: Texts;
  intro: Texts;
  questions: QuestionSlot[];
}

/** What the form's buttons ask for. */
export const FormActionSchema = z.union([
  z.enum(['preview', 'test', 'save', 'add-question']),
  z.string().regex(/^add-option-[0-4]$/),
]);
export type FormAction = z.infer<typeof FormActionSchema>;

const FieldsSchema = z.record(z.string(), z.string().max(2_000));
const Count = (max: number) => z.coerce.number().int().min(0).max(max).catch(0);

const emptyTexts = (): Texts => Object.fromEntries(LANGUAGES.map((l) => [l, ''])) as Texts;
const blankOption = (): OptionSlot => ({ code: '', label: emptyTexts() });

export function blankQuestion(type: QuestionType = 'choice'): QuestionSlot {
  return {
    id: '',
    type,
    indicator: '',
    text: emptyTexts(),
    followUp: emptyTexts(),
    options: Array.from({ length: type === 'choice' || type === 'multi' ? START_OPTIONS : 0 }, blankOption),
  };
}

export function blankForm(): PollForm {
  return { id: '', title: emptyTexts(), intro: emptyTexts(), questions: [blankQuestion()] };
}

/** A stored poll as the form shows it, for writing its next version. */
export function formOf(poll: Poll): PollForm {
  const texts = (t: Partial<Record<Language, string>> | undefined): Texts =>
    Object.fromEntries(LANGUAGES.map((l) => [l, t?.[l] ?? ''])) as Texts;
  return {
    base: poll.id,
    id: poll.id,
    title: texts(poll.title),
    intro: texts(poll.intro),
    questions: poll.questions.map((q) => ({
      id: q.id,
      type: q.type,
      indicator: q.indicator ?? '',
      text: texts(q.text),
      followUp: texts(q.followUp?.text),
      options: (q.options ?? []).map((o) => ({ code: o.code, label: texts(o.label) })),
    })),
  };
}

/**
 * Reads the posted fields into a form (zod: strings of bounded length; counts and types from their
 * lists, anything else falls back); undefined when a field is far too long. `base` comes from the
 * route, never from a field.
 */
export function readForm(raw: Record<string, string>, base?: string): PollForm | undefined {
  const parsed = FieldsSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const fields = parsed.data;
  const get = (name: string) => fields[name] ?? '';
  const texts = (prefix: string): Texts =>
    Object.fromEntries(LANGUAGES.map((l) => [l, get(`${prefix}-${l}`)])) as Texts;
  const questionCount = Math.max(1, Count(MAX_QUESTIONS).parse(get('question_count')));
  const questions: QuestionSlot[] = [];
  for (let qi = 0; qi < questionCount; qi++) {
    const at = `questions-${qi}`;
    const type = z
      .enum(QUESTION_TYPES)
      .catch('choice')
      .parse(get(`${at}-type`));
    const optionCount = Count(MAX_OPTIONS).parse(get(`${at}-option_count`));
    questions.push({
      id: get(`${at}-id`),
      type,
      indicator: get(`${at}-indicator`),
      text: texts(`${at}-text`),
      followUp: texts(`${at}-followUp-text`),
      options: Array.from({ length: optionCount }, (_, oi) => ({
        code: get(`${at}-options-${oi}-code`),
        label: texts(`${at}-options-${oi}-label`),
      })),
    });
  }
  return {
    ...(base !== undefined && { base }),
    id: base ?? get('id'),
    title: texts('title'),
    intro: texts('intro'),
    questions,
  };
}

/** Whether a wijkteam member tried to set an indicator (only admins see that field). */
export function hasIndicator(form: PollForm): boolean {
  return form.questions.some((q) => q.indicator.trim() !== '');
}

/** The form with one more question or answer slot, as an "add" button asks. */
export function withSlotAdded(form: PollForm, action: FormAction): PollForm {
  if (action === 'add-question') {
    if (form.questions.length >= MAX_QUESTIONS) return form;
    return { ...form, questions: [...form.questions, blankQuestion()] };
  }
  const match = /^add-option-(\d)$/.exec(action);
  if (!match) return form;
  const qi = Number(match[1]);
  return {
    ...form,
    questions: form.questions.map((q, i) =>
      i === qi && q.options.length < MAX_OPTIONS ? { ...q, options: [...q.options, blankOption()] } : q,
    ),
  };
}

const filled = (t: Texts) => LANGUAGES.some((l) => t[l].trim() !== '');
/** Dutch always (empty when not filled in, so the check names it), other languages when filled in. */
const localized = (t: Texts) => {
  const out: Record<string, string> = { nl: t.nl.trim() };
  for (const l of LANGUAGES) if (l !== 'nl' && t[l].trim() !== '') out[l] = t[l].trim();
  return out;
};
const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 20)
    .replace(/_+$/, '');

const slotIsEmpty = (q: QuestionSlot) =>
  q.id.trim() === '' &&
  !filled(q.text) &&
  !filled(q.followUp) &&
  q.indicator.trim() === '' &&
  q.options.every((o) => o.code.trim() === '' && !filled(o.label));

/** The definition a form stands for, and where each question and answer of it sits in the form. */
export interface Definition {
  /** For `checkPoll`: not checked yet. */
  definition: unknown;
  /** `slots[i]` is the form slot of question i; `optionSlots[i][j]` that of its answer j. */
  slots: number[];
  optionSlots: number[][];
}

/**
 * The poll definition of a form. An empty question or answer slot is left out; a question without a
 * code gets `v<n>`, an answer without one a code made from its Dutch label. What the form does not show
 * (which answers count as positive, an answer's number, synonyms and emoji) is kept from `previous`, the
 * version this one follows, for a question with the same code and type and an answer with the same code.
 */
export function definitionOf(form: PollForm, previous?: Poll): Definition {
  const slots: number[] = [];
  const optionSlots: number[][] = [];
  const questions = form.questions.flatMap((q, qi) => {
    if (slotIsEmpty(q)) return [];
    slots.push(qi);
    const used: number[] = [];
    optionSlots.push(used);
    const id = q.id.trim() || `v${qi + 1}`;
    const before = previous?.questions.find((p) => p.id === id && p.type === q.type);
    const options = q.options.flatMap((o, oi) => {
      if (o.code.trim() === '' && !filled(o.label)) return [];
      used.push(oi);
      const code = o.code.trim() || slug(o.label.nl) || `a${oi + 1}`;
      const kept = before?.options?.find((p) => p.code === code);
      return [
        {
          code,
          label: localized(o.label),
          ...(kept?.number !== undefined && { number: kept.number }),
          ...(kept?.synonyms && { synonyms: kept.synonyms }),
          ...(kept?.emoji && { emoji: kept.emoji }),
        },
      ];
    });
    const question: Record<string, unknown> = {
      id,
      type: q.type,
      ...(q.indicator.trim() !== '' && { indicator: q.indicator.trim() }),
      text: localized(q.text),
      ...(options.length > 0 && { options }),
      ...(filled(q.followUp) && { followUp: { text: localized(q.followUp) } }),
    };
    if (before?.positive) {
      const codes = new Set(
        optionsFor({ ...before, options: options.length > 0 ? options : undefined } as Question).map(
          (o) => o.code,
        ),
      );
      const positive = before.positive.filter((c) => codes.has(c));
      if (positive.length > 0) question.positive = positive;
    }
    return [question];
  });
  const definition = {
    id: (form.base ?? form.id).trim(),
    title: localized(form.title),
    ...(filled(form.intro) && { intro: localized(form.intro) }),
    questions,
  };
  return { definition, slots, optionSlots };
}

/** A problem's path in the form: question and answer numbers of the definition turned into slots. */
export function formPath(issue: PollIssue, def: Definition): (string | number)[] {
  const path = [...issue.path];
  if (path[0] === 'questions' && typeof path[1] === 'number') {
    const qi = path[1];
    path[1] = def.slots[qi] ?? qi;
    if (path[2] === 'options' && typeof path[3] === 'number')
      path[3] = def.optionSlots[qi]?.[path[3]] ?? path[3];
  }
  return path;
}

/** The form field (or group) a path names: `questions-0-text-nl`. */
export const fieldId = (path: readonly (string | number)[]) => path.join('-');
