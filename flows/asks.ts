import type { FluentVariable } from '@fluent/bundle';
import { LANGUAGES, type Language, type Localized, languageInfo, localize } from '../src/domain/language.js';
import { type InboundPayload, type OutboundMessageInput, TAP_CHANNELS } from '../src/domain/messages.js';
import {
  AGE_GROUPS,
  type AgeGroup,
  AREAS,
  type Area,
  MIN_AGE,
  UNDER_AGE_GROUP,
} from '../src/domain/resident.js';
import type { Texts } from './i18n/texts.js';
import { type ParsedAnswer, parseAnswer } from './parse/answer.js';
import { normalise } from './parse/normalise.js';
import { optionsFor } from './polls/options.js';
import type { Option, Question } from './polls/schema.js';

// Every resident-facing word comes from the language files through `say`; the texts test greps the
// flows for literal ids passed to it, so keep ids literal where possible.

/** How much of a message is read where only its start can matter (greetings, join links). */
export const READ_LIMIT = 300;

/** A resident-facing text from flows/i18n. */
export function say(
  ctx: { texts: Texts },
  lang: Language,
  id: string,
  args?: Record<string, FluentVariable>,
): string {
  return ctx.texts.t(lang, id, args);
}

/** A plain text reply. */
export function reply(text: string): OutboundMessageInput {
  return { kind: 'text', text };
}

/** Refs of the fixed questions, so a button press can be matched to the question it answers. */
export const REF = {
  language: 'taal',
  consent: 'toestemming',
  area: 'buurt',
  age: 'leeftijd',
  delete: 'verwijder',
  theme: 'thema',
} as const;

/** Idea themes, as stored with the idea. */
export const THEMES = ['gezondheid', 'geld_werk', 'leren', 'wonen', 'anders'] as const;
/** An idea's theme code. */
export type Theme = (typeof THEMES)[number];

/** Synonyms a resident may type, on top of the labels; matched in both languages. */
const SYNONYMS: Record<string, string[]> = {
  // The ways of naming a language are in its `flows/i18n/<language>/language.json`.
  ...Object.fromEntries(LANGUAGES.map((l) => [`language:${l}`, languageInfo(l).words])),
  'area:nazareth': ['naz'],
  'area:pottenberg': ['potteberg', 'pottenburg'],
  'area:elders': [
    'elders',
    'ergens anders',
    'anders',
    'ander deel',
    'andere wijk',
    'andere buurt',
    'maastricht',
    'other',
    'elsewhere',
    'somewhere else',
    'another part',
  ],
  'area:geen': [
    'zeg ik liever niet',
    'liever niet',
    'geen',
    'rather not say',
    'prefer not to say',
    'sla over',
    'skip',
  ],
  'age:tot16': ['onder 16', 'onder de 16', 'jonger dan 16', 'under 16', 'younger than 16'],
  'age:65plus': ['ouder dan 65', 'boven 65', 'boven de 65', 'over 65', 'older than 65', '65 plus', 'senior'],
  'age:geen': ['sla over', 'overslaan', 'skip', 'zeg ik liever niet', 'liever niet', 'rather not say'],
  'theme:gezondheid': ['gezondheid', 'welzijn', 'zorg', 'gezond', 'sport', 'health', 'wellbeing', 'care'],
  'theme:geld_werk': [
    'geld',
    'werk',
    'baan',
    'schulden',
    'inkomen',
    'money',
    'work',
    'job',
    'debt',
    'income',
  ],
  'theme:leren': ['leren', 'school', 'opleiding', 'kansen', 'cursus', 'learning', 'education', 'course'],
  'theme:wonen': ['wonen', 'huis', 'woning', 'straat', 'housing', 'home', 'street', 'living'],
  'theme:anders': ['iets anders', 'anders', 'overig', 'other', 'something else'],
};

type FixedQuestion = 'language' | 'consent' | 'area' | 'age' | 'theme' | 'delete';

/** Text ids of each option label of the fixed questions; the languages are named in themselves. */
const LABEL_IDS: Record<Exclude<FixedQuestion, 'language'>, [code: string, textId: string][]> = {
  consent: [
    ['ja', 'consent-yes'],
    ['nee', 'consent-no'],
  ],
  area: AREAS.map((a) => [a, `area-${a}`]),
  age: AGE_GROUPS.map((a) => [a, `age-${a}`]),
  theme: THEMES.map((t) => [t, `theme-${t.replace('_', '-')}`]),
  delete: [
    ['ja', 'delete-yes'],
    ['nee', 'delete-no'],
  ],
};

const QUESTION_TYPE: Record<FixedQuestion, Question['type']> = {
  language: 'choice',
  consent: 'yesno',
  area: 'choice',
  age: 'choice',
  theme: 'choice',
  delete: 'yesno',
};

const built = new WeakMap<Texts, Map<FixedQuestion, Question>>();

/** One of the fixed questions as a poll question, so parseAnswer reads typed answers to it. */
export function fixedQuestion(texts: Texts, which: FixedQuestion): Question {
  let cache = built.get(texts);
  if (!cache) {
    cache = new Map();
    built.set(texts, cache);
  }
  const known = cache.get(which);
  if (known) return known;
  const labels: [code: string, label: Localized][] =
    which === 'language'
      ? LANGUAGES.map((l) => [l, { nl: languageInfo(l).name }])
      : LABEL_IDS[which].map(([code, id]) => [code, texts.localized(id)]);
  const options: Option[] = labels.map(([code, label]) => {
    const synonyms = SYNONYMS[`${which}:${code}`];
    return { code, label, ...(synonyms && { synonyms: { nl: synonyms } }) };
  });
  const question: Question = { id: which, type: QUESTION_TYPE[which], text: { nl: which }, options };
  cache.set(which, question);
  return question;
}

/** The options of a question as an ask shows them. */
export function askOptions(question: Question, lang: Language): { value: string; label: string }[] {
  return optionsFor(question).map((o) => ({ value: o.code, label: localize(o.label, lang) }));
}

/**
 * A question with options as an `ask`. On a retry the hint says how to answer by typing, and a short
 * "I did not understand" line goes first.
 */
export function askMessages(
  ctx: { texts: Texts; resident?: { channel: string } },
  lang: Language,
  question: Question,
  ref: string,
  text: string,
  retry = false,
): OutboundMessageInput[] {
  const multiple = question.type === 'multi';
  // Where nothing can be tapped (the console), the hint only says to type.
  const taps = !ctx.resident || TAP_CHANNELS.has(ctx.resident.channel);
  const hintId = retry
    ? multiple
      ? 'retry-hint-multi'
      : 'retry-hint'
    : multiple
      ? 'ask-hint-multi'
      : taps
        ? 'ask-hint'
        : 'ask-hint-typed';
  const ask: OutboundMessageInput = {
    kind: 'ask',
    text,
    hint: say(ctx, lang, hintId),
    // Made for every channel at once (a wave invitation): the console takes the hint that says to type.
    ...(!ctx.resident && hintId === 'ask-hint' && { typedHint: say(ctx, lang, 'ask-hint-typed') }),
    options: askOptions(question, lang),
    ref,
    multiple,
  };
  return retry ? [reply(say(ctx, lang, 'retry')), ask] : [ask];
}

/** One of the fixed questions as an ask, with its question text id. */
export function askFixed(
  ctx: { texts: Texts; resident?: { channel: string } },
  lang: Language,
  which: FixedQuestion,
  textId: string,
  retry = false,
  args?: Record<string, FluentVariable>,
): OutboundMessageInput[] {
  return askMessages(
    ctx,
    lang,
    fixedQuestion(ctx.texts, which),
    REF[which],
    say(ctx, lang, textId, args),
    retry,
  );
}

/**
 * What an inbound message answers to a question with options or a text question: typed text goes
 * through parseAnswer; a button press or poll vote counts only when it carries this question's ref.
 */
export function readAnswer(question: Question, input: InboundPayload, ref: string): ParsedAnswer {
  switch (input.kind) {
    case 'text':
      return parseAnswer(question, input.text);
    case 'choice':
      return input.ref === ref ? fromCodes(question, [input.value]) : { kind: 'unknown' };
    case 'poll_vote':
      return input.ref === ref ? fromCodes(question, input.values) : { kind: 'unknown' };
    case 'command':
    case 'media':
      return { kind: 'unknown' };
  }
}

function fromCodes(question: Question, values: readonly string[]): ParsedAnswer {
  const options = optionsFor(question);
  const chosen = options.filter((o) => values.includes(o.code));
  const distinct = new Set(values);
  if (chosen.length === 0 || chosen.length !== distinct.size) return { kind: 'unknown' };
  if (chosen.length > 1 && question.type !== 'multi') return { kind: 'unknown' };
  const codes = chosen.map((o) => o.code);
  const number = chosen.length === 1 && question.type !== 'multi' ? chosen[0]!.number : undefined;
  return number === undefined ? { kind: 'option', codes } : { kind: 'option', codes, number };
}

/** The single code of an option answer, if that is what the answer is. */
export function singleCode(answer: ParsedAnswer): string | undefined {
  return answer.kind === 'option' && answer.codes.length === 1 ? answer.codes[0] : undefined;
}

/** Ages under 16 written as a word ("veertien"); smaller words are the options' numbers. */
const AGE_WORDS: Record<string, number> = {
  tien: 10,
  elf: 11,
  twaalf: 12,
  dertien: 13,
  veertien: 14,
  vijftien: 15,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
};

/** A typed age ("34", "34 jaar", "ik ben 14", "veertien") as its age group; small numbers are option numbers instead. */
export function ageGroupOfTypedAge(input: InboundPayload): AgeGroup | undefined {
  if (input.kind !== 'text' || input.text.length > 40) return undefined;
  const match =
    /^(?:ik ben |i am |im )?([0-9]{1,3}|[a-z]{3,9})(?: jaar| jaar oud| years?| years? old| yrs)?$/.exec(
      normalise(input.text),
    );
  if (!match) return undefined;
  const word = match[1]!;
  const age = /^[0-9]+$/.test(word)
    ? Number(word)
    : Object.hasOwn(AGE_WORDS, word)
      ? AGE_WORDS[word]
      : undefined;
  if (age === undefined) return undefined;
  // 1 to 6 are the options' numbers; nobody younger than 7 joins by themselves.
  if (age <= AGE_GROUPS.length || age > 120) return undefined;
  if (age < MIN_AGE) return UNDER_AGE_GROUP;
  if (age <= 26) return '16-26';
  if (age <= 40) return '27-40';
  if (age <= 65) return '41-65';
  return '65plus';
}

/** The age group an answer to the age question gives: a typed age, an option, or `geen` when skipped. */
export function ageAnswer(ctx: { texts: Texts }, input: InboundPayload): AgeGroup | undefined {
  const typed = ageGroupOfTypedAge(input);
  if (typed) return typed;
  const answer = readAnswer(fixedQuestion(ctx.texts, 'age'), input, REF.age);
  if (answer.kind === 'skip') return 'geen';
  const code = singleCode(answer);
  return code && (AGE_GROUPS as readonly string[]).includes(code) ? (code as AgeGroup) : undefined;
}

/** The area a join link names: Telegram `/start nazareth`, or WhatsApp's "Hallo Straatpraat Nazareth". */
export function areaOfJoinText(text: string, needsName: boolean): 'nazareth' | 'pottenberg' | undefined {
  if (text.length > 200) return undefined;
  const words = normalise(text).split(' ');
  if (needsName && !words.includes('straatpraat')) return undefined;
  if (words.includes('nazareth')) return 'nazareth';
  if (words.includes('pottenberg')) return 'pottenberg';
  return undefined;
}

/** True for an area of the city we know. */
export function isArea(value: string): value is Area {
  return (AREAS as readonly string[]).includes(value);
}
