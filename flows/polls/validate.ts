import { LANGUAGES } from '../../src/domain/language.js';
import { optionsFor } from './options.js';
import { type PollDefinition, PollSchema, type Question } from './schema.js';

/**
 * Checks a poll someone wrote (a file for `straatpraat poll create`, later a form in the web desk) the
 * way the shipped polls are checked: the schema, plus what residents and channels need. Every problem
 * is named by its field path, so a form can show it next to the field and the CLI can list them all.
 */

/** One problem with a poll, at a field. */
export interface PollIssue {
  /** The field as the segments of its path: `['questions', 1, 'options', 2, 'label', 'nl']`. */
  path: (string | number)[];
  /** The same path written out: `questions[1].options[2].label.nl` (empty for the whole poll). */
  field: string;
  /** What is wrong, in Dutch for the wijkteam: `te lang (30 tekens, max 24)`. */
  message: string;
}

/** The result: the definition when it passes, else every problem found. */
export type PollCheck = { ok: true; poll: PollDefinition } | { ok: false; issues: PollIssue[] };

/** A Dutch sentence has at most this many words (B1). */
export const MAX_SENTENCE_WORDS = 12;
/** A WhatsApp list row title; answers are shown as list rows when a question has more than 3. */
export const MAX_ROW_TITLE = 24;
/** A WhatsApp reply button title; answers are buttons when a question has at most 3. */
export const MAX_BUTTON_TITLE = 20;
/** How many answers fit on buttons rather than in a list. */
const BUTTON_OPTIONS = 3;
/** Telegram's callback data and WhatsApp's reply ids carry `q:<poll>:<question>` in 40 characters. */
export const MAX_QUESTION_REF = 40;
/** An answer code travels in the same callback data. */
export const MAX_OPTION_CODE = 20;

/** `['questions', 1, 'text', 'nl']` as `questions[1].text.nl`. */
export function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += `${out ? '.' : ''}${String(segment)}`;
  }
  return out;
}

/** Sentences of a text: split on . ! ? and line breaks. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/[.!?]+(?:\s|$)|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Words of a sentence: runs with a letter or digit. */
export function wordsOf(sentence: string): string[] {
  return sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Validates a poll definition: `PollSchema` first (a definition that does not parse gets only those
 * problems), then the checks on texts and lengths. `indicators`, when given, are the known indicator
 * codes (`data/indicators.json`).
 */
export function checkPoll(input: unknown, options: { indicators?: readonly string[] } = {}): PollCheck {
  const parsed = PollSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => issue(i.path, i.message)),
    };
  }
  const poll = parsed.data;
  const issues: PollIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push(issue(path, message));

  texts(add, ['title'], poll.title, { questions: 0, b1: false });
  if (poll.intro) texts(add, ['intro'], poll.intro, { questions: 0, b1: true });
  poll.questions.forEach((q, qi) => {
    const at: (string | number)[] = ['questions', qi];
    if (`q:${poll.id}:${q.id}`.length > MAX_QUESTION_REF) {
      add(
        [...at, 'id'],
        `te lang samen met de code van de peiling (max ${MAX_QUESTION_REF - 4} tekens samen)`,
      );
    }
    texts(add, [...at, 'text'], q.text, { questions: 1, b1: true });
    if (q.followUp) texts(add, [...at, 'followUp', 'text'], q.followUp.text, { questions: 1, b1: true });
    if (q.indicator !== undefined && options.indicators && !options.indicators.includes(q.indicator)) {
      add(
        [...at, 'indicator'],
        `onbekende indicator "${q.indicator}" (bekend: ${options.indicators.join(', ')})`,
      );
    }
    if (q.type === 'text' && q.options) add([...at, 'options'], 'een open vraag heeft geen antwoorden');
    optionChecks(add, at, q);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, poll };
}

function issue(path: readonly PropertyKey[], message: string): PollIssue {
  const segments = path.map((p) => (typeof p === 'number' ? p : String(p)));
  return { path: segments, field: fieldOf(segments), message };
}

type Add = (path: (string | number)[], message: string) => void;

/** A text in every language it has: English required, B1 sentences in Dutch, at most `questions` questions. */
function texts(
  add: Add,
  at: (string | number)[],
  text: Partial<Record<string, string>>,
  rules: { questions: number; b1: boolean },
): void {
  if (!text.en) add([...at, 'en'], 'ontbreekt (Nederlands en Engels zijn verplicht)');
  for (const language of LANGUAGES) {
    const value = text[language];
    if (value === undefined) continue;
    const asked = (value.match(/\?/g) ?? []).length;
    if (asked > rules.questions) {
      add(
        [...at, language],
        rules.questions === 0
          ? `geen vraag hier (${asked} vraagteken${asked === 1 ? '' : 's'})`
          : `één vraag per bericht (${asked} vraagtekens)`,
      );
    }
    if (rules.b1 && language === 'nl') {
      for (const sentence of sentencesOf(value)) {
        const n = wordsOf(sentence).length;
        if (n > MAX_SENTENCE_WORDS) {
          add([...at, language], `zin te lang (${n} woorden, max ${MAX_SENTENCE_WORDS}): "${sentence}"`);
        }
      }
    }
  }
}

/** Answer options: labels that fit a WhatsApp button or list row, short codes, positives that exist. */
function optionChecks(add: Add, at: (string | number)[], q: Question): void {
  const options = optionsFor(q);
  const max = options.length <= BUTTON_OPTIONS ? MAX_BUTTON_TITLE : MAX_ROW_TITLE;
  q.options?.forEach((o, oi) => {
    const where = [...at, 'options', oi];
    if (o.code.length > MAX_OPTION_CODE) {
      add([...where, 'code'], `te lang (${o.code.length} tekens, max ${MAX_OPTION_CODE})`);
    }
    if (!o.label.en) add([...where, 'label', 'en'], 'ontbreekt (Nederlands en Engels zijn verplicht)');
    for (const language of LANGUAGES) {
      const label = o.label[language];
      if (label !== undefined && [...label].length > max) {
        add([...where, 'label', language], `te lang (${[...label].length} tekens, max ${max})`);
      }
    }
  });
  const codes = new Set(options.map((o) => o.code));
  const seen = new Set<string>();
  q.options?.forEach((o, oi) => {
    if (seen.has(o.code)) add([...at, 'options', oi, 'code'], `code "${o.code}" komt twee keer voor`);
    seen.add(o.code);
  });
  q.positive?.forEach((code, pi) => {
    if (!codes.has(code)) add([...at, 'positive', pi], `"${code}" is geen antwoord van deze vraag`);
  });
}
