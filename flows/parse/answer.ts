import { LEXICON } from '../i18n/lexicon.js';
import { optionsFor, YESNO_OPTIONS } from '../polls/options.js';
import type { Option, Question } from '../polls/schema.js';
import { normalise } from './normalise.js';

/** What a resident's reply to a poll question means. */
export type ParsedAnswer =
  | { kind: 'option'; codes: string[]; number?: number } // one code unless the question is multi
  | { kind: 'dont_know' }
  | { kind: 'skip' }
  | { kind: 'text'; text: string } // only for type 'text' questions (raw text, trimmed; scrubbing happens elsewhere)
  | { kind: 'unknown' };

/** Replies longer than this are messages, not answers to a choice question; they parse as unknown. */
export const MAX_ANSWER_LENGTH = 1000;

// How the parser reads a reply (never by exact matches only):
// - The reply is normalised and split into words, numbers and emoji. Misspellings are forgiven by
//   squeezing repeated letters ("jaaa", "neee"), reading y as ij ("natuurlyk"), the lexicon's
//   `spellings` ("nie" for "niet") and, for words of five letters or more, one typo ("helemal",
//   "meestel", "realy").
// - Scanning left to right, the longest known phrase wins ("helemaal niet" before "helemaal"). Known
//   phrases are option labels, option synonyms and emoji, the don't-know and skip families, and "clear
//   parts" of labels: runs of label words that belong to one option only ("meestal", "ander deel"), so
//   a bare "ja" or "nee" on scale5 (4 or 5? 1 or 2?) is unknown.
// - Words that mean nothing here ("hoor", "denk ik", "ik geef") are ignored.
// - Every signal must agree: two different options, a number that is no option, or "niet"/"not"/"geen"
//   right before an answer ("niet helemaal") or "niet" right after it ("meestal niet") make the reply
//   unknown, so the flow asks once more. A label part only counts when nothing stronger was said, so
//   "nee, niet echt" is "niet echt".
// - Two different answers given as alternatives or a range leave the choice open, also where several
//   answers may be chosen: "of"/"or" between them, "tussen"/"between"/"t/m" before the last, or a
//   dash or slash between two numbers ("1 of 3", "tussen 2 en 3", "3-4", "1/3") are asked again;
//   "1 en 3" picks two on a multi question.
// - "een"/"one" are articles as often as numbers: they count as 1 only as the last word, after "nummer"
//   and the like, or written "één".
// - grade10 accepts decimals and rounds half up ("7,5" → 8, "7.4" → 7); out of range stays unknown.
// - "misschien"/"maybe" are not understood on purpose: the re-ask offers "weet ik niet" explicitly.

type Signal = { t: 'code'; code: string } | { t: 'dont_know' } | { t: 'skip' } | { t: 'invalid' };
type Strength = 1 | 2;

interface Entry {
  signal: Signal;
  strength: Strength;
  /** Option-specific phrases beat the global families when both claim the same words. */
  own: boolean;
}

interface Matcher {
  options: Option[];
  /** Phrases keyed by their first word, longest first. */
  byFirst: Map<string, { tokens: string[]; entry: Entry }[]>;
  vocabulary: Set<string>;
  fuzzyTargets: string[];
  dontKnowCode: string | undefined;
  scaleMax: number | undefined;
  numberToCode: (n: number) => string | undefined;
}

// The word lists are per language in `flows/i18n/<language>/lexicon.json`, read together.
const DONT_KNOW = LEXICON.dontKnow;
const SKIP = LEXICON.skip;
/** Skip words that only count as the whole reply: "volgende" also starts questions of its own. */
const WHOLE_SKIP = new Set(LEXICON.wholeSkip);
/** Declining words that skip a free-text question ("Wil je iets uitleggen?" — "nee"). */
const TEXT_DECLINE = new Set(LEXICON.textDecline);
/** Politeness around a whole-reply word ("nee dank je", "volgende graag"). */
const POLITE = new Set(LEXICON.polite);
const NUMBER_WORDS = LEXICON.numberWords;
const WEAK_ONE = new Set(LEXICON.weakOne);
const NUMBER_PREFIXES = new Set(LEXICON.numberPrefixes);
/** Words that introduce the top of the scale after a number: "8 van de 10", "4 out of 5". */
const OUT_OF = LEXICON.outOf;
const NEGATORS = new Set(LEXICON.negators);
const NEGATORS_AFTER = new Set(LEXICON.negatorsAfter);
const STOP_WORDS = new Set(LEXICON.stopWords);
/** A skip verb split in two: "sla deze maar over", "sla hem over". */
const SPLIT_SKIP = LEXICON.splitSkip;
/** "2 of 3", "yes or no": between two different answers, the choice is left open. */
const ALTERNATIVES = new Set(LEXICON.alternatives);
/** "tussen 2 en 3", "3 t/m 5": before the last of two different answers, a range. */
const RANGES = LEXICON.ranges;
/** Misspellings of short words that typo forgiveness cannot reach ("nie" for "niet"). */
const SPELLINGS = LEXICON.spellings;
/** Two numbers joined by a dash or slash ("3-4", "1/3"): a range or alternatives. */
const NUMBERS_JOINED = /[0-9]\s{0,3}[-‐‑–—/]\s{0,3}[0-9]/u;
/** Words at least this long are forgiven one typo ("meestl", "realy"). */
const FUZZY_MIN_LENGTH = 5;

const TOKEN =
  /[0-9]+|\p{L}+|\p{Regional_Indicator}{2}|\p{Extended_Pictographic}(?:\u200D\p{Extended_Pictographic})*/gu;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const DIGITS = /^[0-9]+$/;
const LETTERS = /^\p{L}+$/u;
const ACCENTED_EEN = /(?<!\p{L})(?:[eé]én|éen)(?!\p{L})/u;
const ONLY_QUESTION_MARKS = /^[?¿？\s]+$/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function tokenize(normalised: string): string[] {
  const tokens: string[] = [];
  for (const m of normalised.matchAll(TOKEN)) {
    const t = m[0];
    // An emoji sequence ("🤷‍♀️") means what its first pictograph means.
    tokens.push(
      DIGITS.test(t) || LETTERS.test(t) || FLAG.test(t) ? t : String.fromCodePoint(t.codePointAt(0)!),
    );
  }
  return tokens;
}

function phraseTokens(text: string): string[] {
  // Known phrases are read with the same spellings as replies: Polish "nie" is also a Dutch "niet".
  return tokenize(normalise(text)).map((t) => SPELLINGS.get(t) ?? t);
}

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function sameSignal(a: Signal, b: Signal): boolean {
  return a.t === b.t && (a.t !== 'code' || (b.t === 'code' && a.code === b.code));
}

/** True when a and b differ by one insertion, deletion, substitution or swap of neighbours. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function buildMatcher(question: Question): Matcher {
  const options = optionsFor(question);
  const table = new Map<string, { tokens: string[]; entry: Entry }>();

  const add = (tokens: string[], entry: Entry): void => {
    if (tokens.length === 0) return;
    // Numbers are read as option numbers, never as a label that happens to be a digit.
    if (tokens.length === 1 && DIGITS.test(tokens[0]!)) return;
    const key = tokens.join(' ');
    const existing = table.get(key);
    if (!existing) {
      table.set(key, { tokens, entry });
      return;
    }
    const old = existing.entry;
    if (sameSignal(old.signal, entry.signal)) {
      if (entry.strength > old.strength) existing.entry = entry;
      return;
    }
    const rank = (e: Entry) => e.strength * 2 + (e.own ? 1 : 0);
    if (rank(entry) > rank(old)) existing.entry = entry;
    else if (rank(entry) === rank(old)) existing.entry = { signal: { t: 'invalid' }, strength: 2, own: true };
  };

  const labelsOf = (o: Option): string[] => [
    ...new Set(Object.values(o.label).filter((l): l is string => l !== undefined)),
  ];
  const synonymsList = (o: Option): string[] =>
    Object.values(o.synonyms ?? {}).flatMap((words) => words ?? []);
  const synonymsOf = (o: Option): string[] => {
    const own = [...synonymsList(o), ...(o.emoji ?? [])];
    // A yes/no question with its own labels still understands the standard yes/no families.
    if (question.type === 'yesno' && question.options) {
      const standard = YESNO_OPTIONS.find((s) => s.code === o.code);
      if (standard) own.push(...labelsOf(standard), ...synonymsList(standard));
    }
    return own;
  };

  const explicit = options.map((o) => [...labelsOf(o), ...synonymsOf(o)].map(phraseTokens));
  options.forEach((o, i) => {
    for (const tokens of explicit[i]!)
      add(tokens, { signal: { t: 'code', code: o.code }, strength: 2, own: true });
  });

  const dontKnowRuns = DONT_KNOW.map(phraseTokens);
  const dontKnowCode =
    options.find((o) => o.code === 'weet_niet')?.code ??
    options.find((o) =>
      labelsOf(o).some((l) => dontKnowRuns.some((run) => containsRun(phraseTokens(l), run))),
    )?.code;

  if (options.length > 0) {
    for (const p of DONT_KNOW) add(phraseTokens(p), { signal: { t: 'dont_know' }, strength: 2, own: false });
    for (const p of SKIP) add(phraseTokens(p), { signal: { t: 'skip' }, strength: 2, own: false });
  }

  // Clear parts of labels: runs of label words no other option uses.
  options.forEach((o, i) => {
    const others = explicit.filter((_, j) => j !== i).flat();
    for (const label of labelsOf(o)) {
      const words = phraseTokens(label).slice(0, 12);
      for (let from = 0; from < words.length; from++) {
        for (let to = from + 1; to <= words.length; to++) {
          if (from === 0 && to === words.length) continue;
          const run = words.slice(from, to);
          if (run.every((w) => STOP_WORDS.has(w))) continue;
          if (run.length === 1 && (run[0]!.length < 2 || DIGITS.test(run[0]!))) continue;
          // Words a label negates mean the opposite on their own: "wissen" in "Nee, niet wissen".
          if (NEGATORS.has(words[from - 1] ?? '') || NEGATORS_AFTER.has(words[to] ?? '')) continue;
          if (others.some((other) => containsRun(other, run))) continue;
          add(run, { signal: { t: 'code', code: o.code }, strength: 1, own: true });
        }
      }
    }
  });

  const byFirst = new Map<string, { tokens: string[]; entry: Entry }[]>();
  const wholeSkipWords = [...WHOLE_SKIP, ...POLITE].flatMap(phraseTokens);
  const vocabulary = new Set<string>([
    ...NUMBER_WORDS.keys(),
    ...WEAK_ONE,
    ...NUMBER_PREFIXES,
    ...wholeSkipWords,
  ]);
  const fuzzy = new Set<string>(wholeSkipWords.filter((t) => t.length >= FUZZY_MIN_LENGTH));
  for (const phrase of table.values()) {
    const list = byFirst.get(phrase.tokens[0]!) ?? [];
    list.push(phrase);
    byFirst.set(phrase.tokens[0]!, list);
    for (const t of phrase.tokens) {
      vocabulary.add(t);
      if (t.length >= FUZZY_MIN_LENGTH && LETTERS.test(t)) fuzzy.add(t);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  const scaled = question.type === 'scale5' || question.type === 'grade10';
  const numberToCode = (n: number): string | undefined => {
    if (scaled && options.some((o) => o.number !== undefined))
      return options.find((o) => o.number === n)?.code;
    return Number.isInteger(n) && n >= 1 ? options[n - 1]?.code : undefined;
  };
  const numbers = options.map((o) => o.number).filter((n): n is number => n !== undefined);
  const scaleMax = scaled && numbers.length > 0 ? Math.max(...numbers) : undefined;

  return {
    options,
    byFirst,
    vocabulary,
    fuzzyTargets: [...fuzzy],
    dontKnowCode,
    scaleMax,
    numberToCode,
  };
}

// Poll questions are parsed once from their definitions and never changed, so a matcher can be kept per
// question object.
const matchers = new WeakMap<Question, Matcher>();
function matcherFor(question: Question): Matcher {
  let m = matchers.get(question);
  if (!m) {
    m = buildMatcher(question);
    matchers.set(question, m);
  }
  return m;
}

/** The words a whole free-text reply is compared with ("nee dank je", "weet ik niet"). */
const TEXT_VOCABULARY = new Set(
  [...DONT_KNOW, ...SKIP, ...WHOLE_SKIP, ...TEXT_DECLINE, ...POLITE].flatMap((p) => phraseTokens(p)),
);
const TEXT_FUZZY_TARGETS = [...TEXT_VOCABULARY].filter(
  (t) => t.length >= FUZZY_MIN_LENGTH && LETTERS.test(t),
);

function canonical(typed: string, vocabulary: Set<string>, fuzzyTargets: string[]): string {
  const token = SPELLINGS.get(typed) ?? typed;
  if (vocabulary.has(token) || !LETTERS.test(token)) return token;
  const squeezedToTwo = token.replace(/(\p{L})\1{2,}/gu, '$1$1');
  if (vocabulary.has(squeezedToTwo)) return squeezedToTwo;
  const squeezedToOne = token.replace(/(\p{L})\1+/gu, '$1');
  if (vocabulary.has(squeezedToOne)) return squeezedToOne;
  // Dutch typists often write y for ij: "natuurlyk", "wyk".
  const withIj = squeezedToTwo.replaceAll('y', 'ij');
  if (withIj !== squeezedToTwo && vocabulary.has(withIj)) return withIj;
  if (token.length >= FUZZY_MIN_LENGTH) {
    let found: string | undefined;
    for (const target of fuzzyTargets) {
      if (withinOneEdit(squeezedToTwo, target)) {
        if (found !== undefined && found !== target) return token;
        found = target;
      }
    }
    if (found !== undefined) return found;
  }
  return token;
}

function numberValue(token: string): number | undefined {
  if (DIGITS.test(token)) return token.length > 6 ? Number.POSITIVE_INFINITY : Number.parseInt(token, 10);
  return NUMBER_WORDS.get(token);
}

function withoutPolite(tokens: string[]): string {
  return tokens.filter((t) => !POLITE.has(t)).join(' ');
}

/** Prepares marks written with a decimal or a fraction, and "8/10", before punctuation is dropped. */
function preprocess(input: string, question: Question, scaleMax: number | undefined): string {
  let text = input;
  if (scaleMax !== undefined) {
    text = text.replace(
      /(?<![0-9])([0-9]{1,2})\s{0,3}\/\s{0,3}([0-9]{1,2})(?![0-9])/g,
      (m, a: string, b: string) => (Number(b) === scaleMax ? a : m),
    );
  }
  if (question.type === 'grade10') {
    text = text
      .replace(/([0-9])\s?½/g, '$1.5')
      .replace(
        /(?<![0-9.,])([0-9]{1,2})[.,]([0-9]{1,3})(?![0-9])/g,
        (_, a: string, b: string) => ` ${Math.floor(Number(`${a}.${b}`) + 0.5)} `,
      );
  }
  return text;
}

/** How many words a split skip verb starting at `i` spans ("sla deze maar over": 4), or 0. */
function splitSkipLength(tokens: string[], i: number): number {
  for (const { first, last } of SPLIT_SKIP) {
    if (tokens[i] !== first) continue;
    const end = tokens.slice(i + 1, i + 5).indexOf(last);
    if (end >= 0) return end + 2;
  }
  return 0;
}

interface Found {
  signal: Signal;
  strength: Strength;
  start: number;
  end: number;
}

function scan(tokens: string[], m: Matcher, accentedOne: boolean): Found[] {
  const found: Found[] = [];
  const consumed = new Array<boolean>(tokens.length).fill(false);
  const lastWord = tokens.findLastIndex((t) => LETTERS.test(t) || DIGITS.test(t));
  const numberSignal = (n: number): Signal => {
    const code = m.numberToCode(n);
    return code === undefined ? { t: 'invalid' } : { t: 'code', code };
  };
  const take = (start: number, end: number, signal: Signal, strength: Strength) => {
    for (let k = start; k < end; k++) consumed[k] = true;
    found.push({ signal, strength, start, end });
  };
  // "8 van de 10": the top of the scale after a number is no second number.
  const skipOutOf = (at: number): number => {
    if (m.scaleMax === undefined) return at;
    for (const words of OUT_OF) {
      const top = tokens[at + words.length];
      if (
        words.every((w, k) => tokens[at + k] === w) &&
        top !== undefined &&
        numberValue(top) === m.scaleMax
      ) {
        return at + words.length + 1;
      }
    }
    return at;
  };

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const phrase = m.byFirst.get(token)?.find((p) => p.tokens.every((w, k) => tokens[i + k] === w));
    if (phrase) {
      take(i, i + phrase.tokens.length, phrase.entry.signal, phrase.entry.strength);
      i += phrase.tokens.length;
      continue;
    }
    // "sla deze maar over", "sla hem over": Dutch puts words between the two halves of the verb.
    const split = splitSkipLength(tokens, i);
    if (split > 0) {
      take(i, i + split, { t: 'skip' }, 2);
      i += split;
      continue;
    }
    const next = tokens[i + 1];
    if (NUMBER_PREFIXES.has(token) && next !== undefined) {
      const n = numberValue(next) ?? (WEAK_ONE.has(next) ? 1 : undefined);
      if (n !== undefined) {
        take(i, i + 2, numberSignal(n), 2);
        i = skipOutOf(i + 2);
        continue;
      }
    }
    const n = numberValue(token) ?? (WEAK_ONE.has(token) && (accentedOne || i === lastWord) ? 1 : undefined);
    if (n !== undefined) {
      take(i, i + 1, numberSignal(n), 2);
      i = skipOutOf(i + 1);
      continue;
    }
    i++;
  }

  for (const f of found) {
    const before = f.start - 1;
    const after = f.end;
    const negatedBefore = before >= 0 && !consumed[before] && NEGATORS.has(tokens[before]!);
    const negatedAfter = after < tokens.length && !consumed[after] && NEGATORS_AFTER.has(tokens[after]!);
    if (negatedBefore || negatedAfter) f.signal = { t: 'invalid' };
  }
  return found;
}

/**
 * Two different answers given as a range or as alternatives ("3-4", "tussen 2 en 3", "1 of 2"):
 * the resident has not chosen yet, even on a question that takes more than one answer.
 */
function leavesChoiceOpen(tokens: string[], found: Found[], numbersJoined: boolean): boolean {
  const distinct = found.filter((f, i) => found.findIndex((g) => sameSignal(f.signal, g.signal)) === i);
  if (distinct.length < 2) return false;
  if (numbersJoined) return true;
  const consumed = new Array<boolean>(tokens.length).fill(false);
  for (const f of found) for (let k = f.start; k < f.end; k++) consumed[k] = true;
  const free = (from: number, to: number) =>
    tokens.map((t, k) => (k >= from && k < to && !consumed[k] ? t : ''));
  const last = found.at(-1)!;
  if (RANGES.some((run) => containsRun(free(0, last.start), run))) return true;
  for (let i = 0; i + 1 < found.length; i++) {
    const [a, b] = [found[i]!, found[i + 1]!];
    if (sameSignal(a.signal, b.signal)) continue;
    if (free(a.end, b.start).some((t) => ALTERNATIVES.has(t))) return true;
  }
  return false;
}

function resolve(question: Question, m: Matcher, found: Found[]): ParsedAnswer {
  // On a multi question a full label and a label part name two choices ("geld en werk, wonen"); on any
  // other question the part is the weaker reading and gives way ("nee, niet echt").
  const strong = found.filter((f) => f.strength === 2);
  const pool = strong.length > 0 && question.type !== 'multi' ? strong : found;
  if (pool.length === 0) return { kind: 'unknown' };

  const signals: Signal[] = pool.map((f) =>
    f.signal.t === 'dont_know' && m.dontKnowCode !== undefined
      ? { t: 'code', code: m.dontKnowCode }
      : f.signal,
  );
  if (signals.some((s) => s.t === 'invalid')) return { kind: 'unknown' };

  const codes = new Set<string>();
  const others = new Set<string>();
  for (const s of signals) {
    if (s.t === 'code') codes.add(s.code);
    else others.add(s.t);
  }
  if (others.size > 0) {
    if (codes.size > 0 || others.size > 1) return { kind: 'unknown' };
    return others.has('skip') ? { kind: 'skip' } : { kind: 'dont_know' };
  }
  if (codes.size > 1 && question.type !== 'multi') return { kind: 'unknown' };

  const chosen = m.options.filter((o) => codes.has(o.code));
  if (chosen.length === 0) return { kind: 'unknown' };
  const answer: ParsedAnswer = { kind: 'option', codes: chosen.map((o) => o.code) };
  const number = chosen.length === 1 && question.type !== 'multi' ? chosen[0]!.number : undefined;
  return number === undefined ? answer : { ...answer, number };
}

const DONT_KNOW_WHOLE = new Set(DONT_KNOW.map((p) => phraseTokens(p).join(' ')));
const SKIP_WHOLE = new Set([...SKIP.map((p) => phraseTokens(p).join(' ')), ...WHOLE_SKIP]);

function parseText(trimmed: string): ParsedAnswer {
  if (ONLY_QUESTION_MARKS.test(trimmed)) return { kind: 'dont_know' };
  if (!HAS_LETTER_OR_DIGIT.test(trimmed)) return { kind: 'unknown' };
  // Only a short reply can be a bare "nee" or "sla over"; a long one is the answer itself.
  if (trimmed.length > 60) return { kind: 'text', text: trimmed };
  const words = tokenize(normalise(trimmed)).map((t) => canonical(t, TEXT_VOCABULARY, TEXT_FUZZY_TARGETS));
  const whole = words.join(' ');
  const core = withoutPolite(words);
  if (DONT_KNOW_WHOLE.has(whole) || DONT_KNOW_WHOLE.has(core)) return { kind: 'dont_know' };
  const splitSkip =
    words.length <= 6 && SPLIT_SKIP.some(({ first, last }) => words[0] === first && words.at(-1) === last);
  if (splitSkip || SKIP_WHOLE.has(whole) || SKIP_WHOLE.has(core) || TEXT_DECLINE.has(core))
    return { kind: 'skip' };
  return { kind: 'text', text: trimmed };
}

/** Understands a resident's reply to a poll question, in Dutch or English; never throws. */
export function parseAnswer(question: Question, input: string): ParsedAnswer {
  if (typeof input !== 'string') return { kind: 'unknown' };
  const trimmed = input.trim();
  if (trimmed.length === 0) return { kind: 'unknown' };

  if (question.type === 'text') return parseText(trimmed);
  if (trimmed.length > MAX_ANSWER_LENGTH) return { kind: 'unknown' };

  const m = matcherFor(question);
  if (ONLY_QUESTION_MARKS.test(trimmed)) {
    return m.dontKnowCode !== undefined ? { kind: 'option', codes: [m.dontKnowCode] } : { kind: 'dont_know' };
  }

  const prepared = preprocess(trimmed, question, m.scaleMax);
  const tokens = tokenize(normalise(prepared)).map((t) => canonical(t, m.vocabulary, m.fuzzyTargets));
  if (WHOLE_SKIP.has(withoutPolite(tokens))) return { kind: 'skip' };
  const found = scan(tokens, m, ACCENTED_EEN.test(trimmed.toLowerCase().normalize('NFC')));
  if (leavesChoiceOpen(tokens, found, NUMBERS_JOINED.test(prepared))) return { kind: 'unknown' };
  return resolve(question, m, found);
}
