import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { nameSpans } from './names.js';

/** Free text is cut to this many UTF-16 code units after scrubbing. */
export const MAX_FREE_TEXT = 1000;

// Every pattern below is anchored by a look-behind so it can only start where a word starts, and every
// repetition inside it is bounded or runs over characters the next part cannot match. That keeps each
// pass linear, so 100 kB of hostile input stays far under the time budget.

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.){1,8}\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

const URL_WITH_SCHEME = /(?<![\p{L}\p{N}])(?:https?|ftp):\/\/[^\s<>"]+/giu;
const URL_WWW = /(?<![\p{L}\p{N}@.-])www\.[^\s<>"]+/giu;
// Only common top-level domains, and not "de" (a Dutch word after a missing space: "fijn.De buurt").
const BARE_DOMAIN =
  /(?<![\p{L}\p{N}@./-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.){1,8}(?:nl|com|org|net|eu|be|info|io|app|gov|edu|biz|online|site|shop|frl|amsterdam|uk|tv|ly|ai)(?![\p{L}\p{N}-])(?:[/?#][^\s<>"]*)?/giu;

const IBAN =
  /(?<![\p{L}\p{N}])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![\p{L}\p{N}])/gu;

// House numbers never start with 0, which keeps "Akerstraat 06-12345678" a phone number.
const HOUSE_NUMBER = String.raw`[1-9][0-9]{0,4}(?:[a-zA-Z](?!\p{L})|\s?[-/]\s?[0-9]{1,4})?`;
// A postcode: upper-case letters with or without a space ("6222 AB"), lower case only written together
// ("6222ab") or before a house number ("6222 ab 12"), so "in 2024 en 2025" stays. The street and house
// number before it and the house number after it go with it ("Straatnaam 12, 6222 AB").
const POSTCODE_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:\p{L}[\p{L}'.-]{1,40}\s{1,3}${HOUSE_NUMBER}\s{0,3},?\s{0,3})?` +
    String.raw`(?<![0-9])[1-9][0-9]{3}(?:\s?[A-Z]{2}|[A-Za-z]{2}|\s[a-z]{2}(?=\s{0,3},?\s{0,3}[0-9]))(?![\p{L}\p{N}])` +
    String.raw`(?:\s{0,3},?\s{0,3}${HOUSE_NUMBER}(?!\p{N}))?`,
  'gu',
);
/** Small words that look like the letters of a postcode written with a space ("2024 en 2025"). */
const NOT_POSTCODE_LETTERS = new Set(
  'en of op in is te om ik je er al na nu ze zo at to or an as am be by do go he if it me my no on so up us we'.split(
    ' ',
  ),
);
const STREET_SUFFIXES =
  'straat|laan|weg|plein|singel|gracht|kade|dijk|dreef|hof|pad|steeg|wal|markt|park|boulevard|allee|poort|plantsoen|hoven|erf';
const STREET_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\p{L}[\p{L}'-]{0,40}?(?:${STREET_SUFFIXES})\s{1,3}${HOUSE_NUMBER}(?![\p{L}\p{N}])`,
  'giu',
);
/** Ordinary words that end like a street name ("onderweg 2 uur"). */
const NOT_STREETS = new Set(['onderweg', 'halfweg', 'midweg', 'zoweg', 'werkpad']);

// Phone numbers written in text start with 0 (national), + or 00 (international), or "(0". Runs that
// start otherwise ("1 1 1 …", prices, years) are left to the long-digit-run rule.
// Dashes of every width count as separators ("06 – 12 34 56 78").
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])(?:\+|\(?0)[0-9 ().\-/\u2010-\u2015\u2212]*[0-9]/gu;
const MAX_PHONE_CANDIDATE = 40;
/** libphonenumber costs up to half a millisecond a call on digit soup; real messages hold a few numbers. */
const MAX_PHONE_LOOKUPS = 50;
const PHONE_NET =
  /(?<![\p{L}\p{N}+])(?:\+|\(?0)(?:[ ().\-/\u2010-\u2015\u2212]{0,3}[0-9]){8,14}(?![\p{N}])/gu;
const LONG_DIGIT_RUN = /[0-9]{9,}/g;
/** A real calendar date ("01-03-2024 10:00" is no phone number; "06-12-34-56-78" is). */
const DATE_START = /^\(?(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)[0-9]{2}(?![0-9])/;

// E-mail addresses written to dodge a filter: "jan @ gmail . com", "jan at gmail punt com",
// "jan [at] gmail [dot] com", "marie(at)hotmail(punt)nl". Spelled separators need spaces or brackets
// around them and the address must end in a known top-level domain, so "at home" stays.
const AT = String.raw`(?:[ \t]{0,3}@[ \t]{0,3}|[ \t]{0,3}[[(<{][ \t]{0,2}(?:at|@|apenstaartje|apestaartje|apenstaart)[ \t]{0,2}[\])>}][ \t]{0,3}|[ \t]{1,3}(?:at|apenstaartje|apestaartje|apenstaart)[ \t]{1,3})`;
const DOT = String.raw`(?:[ \t]{0,3}\.[ \t]{0,3}|[ \t]{0,3}[[(<{][ \t]{0,2}(?:dot|punt|\.)[ \t]{0,2}[\])>}][ \t]{0,3}|[ \t]{1,3}(?:dot|punt)[ \t]{1,3})`;
const LOCAL = String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`${LOCAL}${AT}(?:${LABEL}${DOT}){1,4}(?:com|nl|be|net|org|eu|de|info|nu|fr|uk|biz|io|me|tr|ma|online)(?![\p{L}\p{N}])`,
  'giu',
);
/** "jan at gmail", "jansen@hotmail": a mail provider's name is enough, even without ".com". */
const PROVIDER_EMAIL = new RegExp(
  String.raw`${LOCAL}${AT}(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|ziggo|kpnmail|kpnplanet|planet|msn|gmx|protonmail|telenet|skynet)(?![\p{L}\p{N}])`,
  'giu',
);

/** "@jan_maastricht": an account on a social network (but "@ het Trefpunt" and "@gemeente" stay). */
const HANDLE = /(?<![\p{L}\p{N}._%+\-@])@[\p{L}_][\p{L}\p{N}_.]{1,29}/gu;
const NOT_HANDLES = new Set([
  'gemeente',
  'politie',
  'wijkteam',
  'trefpunt',
  'woonpunt',
  'home',
  'work',
  'all',
  'iedereen',
]);

function handleSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(HANDLE)) {
    const handle = m[0].replace(/\.+$/, '');
    if (!NOT_HANDLES.has(handle.slice(1).toLowerCase())) out.push([m.index, m.index + handle.length]);
  }
  return out;
}

/** The spans of a pattern's matches, those that pass `keep`. */
function matches(
  text: string,
  pattern: RegExp,
  keep: (match: string) => boolean = () => true,
): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(pattern)) if (keep(m[0])) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Links, without the sentence punctuation a greedy pattern swallowed at their end. */
function linkSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const pattern of [URL_WITH_SCHEME, URL_WWW, BARE_DOMAIN]) {
    for (const m of text.matchAll(pattern)) {
      let end = m.index + m[0].length;
      while (end > m.index && TRAILING_PUNCTUATION.has(text[end - 1]!)) end--;
      out.push([m.index, end]);
    }
  }
  return merged(out);
}

// ---- Numbers written as words: "nul zes 12345678", "Bergstraat twaalf", "Via Regia honderdtwintig".

const UNITS: Record<string, number> = {
  nul: 0,
  een: 1,
  één: 1,
  twee: 2,
  drie: 3,
  vier: 4,
  vijf: 5,
  zes: 6,
  zeven: 7,
  acht: 8,
  negen: 9,
};
const TEENS: Record<string, number> = {
  tien: 10,
  elf: 11,
  twaalf: 12,
  dertien: 13,
  veertien: 14,
  vijftien: 15,
  zestien: 16,
  zeventien: 17,
  achttien: 18,
  negentien: 19,
};
const TENS: Record<string, number> = {
  twintig: 20,
  dertig: 30,
  veertig: 40,
  vijftig: 50,
  zestig: 60,
  zeventig: 70,
  tachtig: 80,
  negentig: 90,
};
/** Digits as residents spell them out in English and Turkish. */
const OTHER_DIGITS: Record<string, number> = {
  zero: 0,
  oh: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  sıfır: 0,
  sifir: 0,
  bir: 1,
  iki: 2,
  üç: 3,
  uc: 3,
  dört: 4,
  dort: 4,
  beş: 5,
  bes: 5,
  altı: 6,
  alti: 6,
  yedi: 7,
  sekiz: 8,
  dokuz: 9,
};
const alternatives = (words: Record<string, number>, leave: string[] = []) =>
  Object.keys(words)
    .filter((w) => !leave.includes(w))
    .sort((a, b) => b.length - a.length)
    .join('|');
const UNIT_WORDS = alternatives(UNITS, ['nul']);
const below100 = (units: string) =>
  `(?:(?:${UNIT_WORDS})(?:en|ën)(?:${alternatives(TENS)})|${alternatives(TEENS)}|${alternatives(TENS)}|${units})`;
const TWO_TO_NINE = alternatives(UNITS, ['nul', 'een', 'één']);
/** A Dutch number from 2 to 999 in words: "een" alone is the article ("Bergstraat een keer"). */
const NUMBER_WORD = String.raw`(?:(?:${TWO_TO_NINE})?honderd(?:en)?${below100(UNIT_WORDS)}?|${below100(TWO_TO_NINE)})(?![\p{L}])`;
const DUTCH_NUMBER = new RegExp(
  `^(?:(${alternatives(UNITS, ['nul'])})?(honderd)(?:en)?)?(?:(${UNIT_WORDS})(?:en|ën)(${alternatives(TENS)})|(${alternatives(TEENS)})|(${alternatives(TENS)})|(${alternatives(UNITS)}))?$`,
);

/** The value of one number word ("vierendertig" → "34", "zes" → "6"), or undefined. */
function numberWordValue(word: string): string | undefined {
  if (word in OTHER_DIGITS) return String(OTHER_DIGITS[word]);
  const m = DUTCH_NUMBER.exec(word);
  if (!m || word === '') return undefined;
  const [, times, hundred, unit, tens, teen, tensOnly, unitOnly] = m;
  const rest =
    (unit ? UNITS[unit]! + TENS[tens!]! : 0) +
    (teen ? TEENS[teen]! : 0) +
    (tensOnly ? TENS[tensOnly]! : 0) +
    (unitOnly ? UNITS[unitOnly]! : 0);
  if (!hundred && !unit && !teen && !tensOnly && !unitOnly) return undefined;
  return String((hundred ? 100 * (times ? UNITS[times]! : 1) : 0) + rest);
}

const digitValues = new Map<string, number>();
/** The value of a decimal digit of any script: its distance from the zero of its block of ten. */
function digitValue(d: string): number {
  let value = digitValues.get(d);
  if (value === undefined) {
    const code = d.codePointAt(0)!;
    let zero = code;
    while (zero > code - 60 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
    value = (code - zero) % 10;
    digitValues.set(d, value);
  }
  return value;
}

/** A word that may be (part of) a spelled-out number: worth reading words as digits. */
const SPELLED_NUMBER_HINT =
  /nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|tig|honderd|zero|one|two|three|four|five|six|seven|eight|nine|sıfır|sifir|iki|üç|dört|beş|altı|yedi|sekiz|dokuz/i;
/** What an e-mail address written to dodge a filter needs. */
const EMAIL_HINT = /@|at|apen?staart|apestaart/i;

// Digits written with look-alike letters ("O6-12345678", "06-l2345678") and spelled-out numbers are
// read as digits in a copy of the text of which every change is recorded, so a phone number found in
// the copy maps back to the words that wrote it.
const SHADOW_TOKEN = /(?<![\p{L}\p{N}])[0-9OoIl]*[0-9][0-9OoIl]*(?![\p{L}\p{N}])|\p{L}+/gu;

/** Look-alike letters next to a digit, or a zero in words: only then is a reading copy worth making. */
const READING_HINT = /[0-9][OoIl]|[OoIl][0-9]|nul|zero|oh|sıfır|sifir|0[ \t]{1,3}\p{L}/iu;

function phoneSpansReadingWords(text: string): [number, number][] {
  if (!READING_HINT.test(text)) return phoneSpans(text);
  const changes: { at: number; length: number; shadowAt: number; shadowLength: number }[] = [];
  let shift = 0;
  const shadow = text.replace(SHADOW_TOKEN, (token, at: number) => {
    let read: string | undefined;
    if (/[0-9]/.test(token)) read = token.replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
    else read = numberWordValue(token.toLowerCase());
    if (read === undefined || read === token) return token;
    changes.push({ at, length: token.length, shadowAt: at + shift, shadowLength: read.length });
    shift += read.length - token.length;
    return read;
  });
  if (changes.length === 0) return phoneSpans(text);
  /** The index in `text` of index `i` of the shadow (`end`: the end of a span, exclusive). */
  const original = (i: number, end: boolean): number => {
    let before: (typeof changes)[number] | undefined;
    for (const c of changes) {
      if (c.shadowAt > (end ? i - 1 : i)) break;
      before = c;
    }
    if (!before) return i;
    const inside = end
      ? i - 1 < before.shadowAt + before.shadowLength
      : i < before.shadowAt + before.shadowLength;
    if (inside) return end ? before.at + before.length : before.at;
    return i - (before.shadowAt + before.shadowLength) + before.at + before.length;
  };
  return phoneSpans(shadow).map(([s, e]) => [original(s, false), original(e, true)]);
}

// ---- Dates of birth.

const MONTHS =
  'januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|august|october|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık';
const DAY = '(?:0?[1-9]|[12][0-9]|3[01])';
/** 12-03-1961, 12.3.61, 03/07/1948 */
const NUMERIC_DATE = new RegExp(
  String.raw`(?<![\p{N}])${DAY}[ \t]?([-./])[ \t]?(?:0?[1-9]|1[0-2])[ \t]?\1[ \t]?((?:19|20)[0-9]{2}|[0-9]{2})(?![\p{N}])`,
  'gu',
);
/** 12 maart 1961, 4 april, March 5, 1972 */
const WORDED_DATE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${DAY}(?:e|ste|de|th|st|nd|rd)?[ \t]{1,3}(?:of[ \t]{1,3})?(?:${MONTHS})\.?(?:,?[ \t]{1,3}((?:19|20)[0-9]{2}))?|(?:${MONTHS})\.?[ \t]{1,3}${DAY}(?:st|nd|rd|th)?,?[ \t]{1,3}((?:19|20)[0-9]{2}))(?![\p{L}\p{N}])`,
  'giu',
);
const BARE_YEAR = /(?<![\p{L}\p{N}])(?:19|20)[0-9]{2}(?![\p{L}\p{N}])/gu;
/** Words that make the date after them a date of birth, whatever its year. */
const BIRTH =
  /(?:geboren|geb\.|geboortedatum|geboortedag|geboortejaar|born|birth|dob|d\.o\.b\.?|doğum|dogum|verjaardag|jarig)(?:[^.!?\n\p{N}]{0,25})$/iu;
/** A date without digits only counts after one of these. */
const BIRTH_HINT = /geboren|geb\.|geboorte|born|birth|doğum|dogum|verjaardag|jarig/i;
/** A full date this many years back is a date of birth (or as telling), not an appointment. */
const BIRTH_DATE_AGE = 12;

function dateSpans(text: string): [number, number][] {
  const oldest = new Date().getFullYear() - BIRTH_DATE_AGE;
  const out: [number, number][] = [];
  const afterBirthWord = (at: number) => BIRTH.test(text.slice(Math.max(0, at - 40), at));
  const add = (at: number, match: string, year: string | undefined) => {
    const full = year !== undefined && year.length === 4 && Number(year) <= oldest;
    if (full || afterBirthWord(at)) out.push([at, at + match.length]);
  };
  for (const m of text.matchAll(NUMERIC_DATE)) add(m.index, m[0], m[2]);
  for (const m of text.matchAll(WORDED_DATE)) add(m.index, m[0], m[1] ?? m[2]);
  for (const m of text.matchAll(BARE_YEAR))
    if (afterBirthWord(m.index)) out.push([m.index, m.index + m[0].length]);
  return merged(out);
}

// ---- Streets: with a common suffix, or named in config/streets.txt.

/** Where operators list the streets of their areas (see the file's header). */
export const STREETS_FILE = fileURLToPath(new URL('../../config/streets.txt', import.meta.url));

/** The street names of a streets file: one a line, # comments and blank lines left out. */
export function readStreets(file: string = STREETS_FILE): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const HOUSE_NUMBER_OR_WORD = String.raw`(?:(?:nummer|nr\.?|no\.?)[ \t]{1,3})?(?:${HOUSE_NUMBER}|${NUMBER_WORD})`;

/** A listed street followed by a house number in digits or words. */
function listedStreetPattern(streets: string[]): RegExp | undefined {
  const names = streets
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\s-]+/g, '[\\s-]+'))
    .sort((a, b) => b.length - a.length);
  if (names.length === 0) return undefined;
  return new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?:${names.join('|')})[ \t]{1,3}${HOUSE_NUMBER_OR_WORD}(?![\p{L}\p{N}])`,
    'giu',
  );
}
const LISTED_STREET = listedStreetPattern(readStreets());

/** "Bergstraat twaalf", "Silexstraat nummer 5": a capitalised street name with a written house number. */
const STREET_NUMBER_WORDS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\p{Lu}[\p{L}'-]{0,40}?(?:${STREET_SUFFIXES})[ \t]{1,3}${HOUSE_NUMBER_OR_WORD}(?![\p{L}\p{N}])`,
  'gu',
);

function streetSpans(text: string): [number, number][] {
  const plain = matches(
    text,
    STREET_ADDRESS,
    (m) => !NOT_STREETS.has(/^\p{L}[\p{L}'-]*/u.exec(m)?.[0]?.toLowerCase() ?? ''),
  );
  const worded = matches(text, STREET_NUMBER_WORDS);
  const listed = LISTED_STREET ? matches(text, LISTED_STREET) : [];
  return merged([...plain, ...worded, ...listed]);
}

/**
 * Only this much of a long text is scanned: the result is capped at MAX_FREE_TEXT anyway, and Unicode
 * patterns cost tens of milliseconds per 100 kB of emoji.
 */
const SCAN_LIMIT = 10 * MAX_FREE_TEXT;
const PHONE_OR_POSTCODE_CHAR = /[0-9 \t\n().,+\-/\u2010-\u2015\u2212]/;

const TRAILING_PUNCTUATION = new Set([...'.,;:!?)]}\'"»”’']);

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** The "(" of "(06-12345678, …)" belongs to the sentence, the one of "(06) 12345678" to the number. */
function unmatchedOpener(phone: string): string {
  return phone.startsWith('(') && !phone.includes(')') ? '(' : '';
}

/**
 * Phone numbers in `text`, as merged spans. libphonenumber is thorough but slow on long digit soups,
 * so it only sees short candidate runs; the pattern net and the long-digit rule run over the whole text
 * too, and where their findings overlap the union counts: libphonenumber may pick "0800 0000" out of
 * "06 08000000" where the net sees it all.
 */
function phoneSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let lookups = 0;
  for (const candidate of text.matchAll(PHONE_CANDIDATE)) {
    const run = candidate[0];
    if (run.length > MAX_PHONE_CANDIDATE || digitCount(run) < 8) continue;
    if (++lookups > MAX_PHONE_LOOKUPS) break;
    for (const found of findPhoneNumbersInText(run, 'NL')) {
      const raw = run.slice(found.startsAt, found.endsAt);
      if (DATE_START.test(raw)) continue;
      spans.push([
        candidate.index + found.startsAt + unmatchedOpener(raw).length,
        candidate.index + found.endsAt,
      ]);
    }
  }
  for (const found of text.matchAll(PHONE_NET)) {
    if (DATE_START.test(found[0])) continue;
    spans.push([found.index + unmatchedOpener(found[0]).length, found.index + found[0].length]);
  }
  for (const found of text.matchAll(LONG_DIGIT_RUN)) spans.push([found.index, found.index + found[0].length]);
  return merged(spans);
}

/** Overlapping spans joined, in order. */
function merged(spans: [number, number][]): [number, number][] {
  if (spans.length === 0) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [[...spans[0]!]];
  for (const [s, e] of spans.slice(1)) {
    const last = out.at(-1)!;
    if (s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Cuts a long text before scanning without leaving half an e-mail address or phone number at the end. */
function limitScan(text: string): string {
  if (text.length <= SCAN_LIMIT) return text;
  let end = SCAN_LIMIT;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  if (!/\s/.test(text[end] ?? ' ')) {
    const space = text.slice(end - 200, end).search(/\s\S*$/);
    if (space >= 0) end = end - 200 + space;
  }
  // A phone number or postcode with its house number is shorter than 30 characters.
  const floor = Math.max(0, end - 30);
  while (end > floor && PHONE_OR_POSTCODE_CHAR.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

function cap(text: string): string {
  if (text.length <= MAX_FREE_TEXT) return text;
  let end = MAX_FREE_TEXT;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  let out = text.slice(0, end);
  // A placeholder cut in half ("[telef") would read as garbage.
  const open = out.lastIndexOf('[');
  if (
    open >= 0 &&
    out.length - open < 12 &&
    !out.includes(']', open) &&
    /^\[[a-z-]*$/.test(out.slice(open))
  ) {
    out = out.slice(0, open);
  }
  return out;
}

/** What each kind of personal data is replaced with. */
export type PersonalDataKind =
  | 'e-mail'
  | 'link'
  | 'account'
  | 'iban'
  | 'datum'
  | 'telefoon'
  | 'adres'
  | 'naam';

/** One piece of personal data found in a prepared text: [start, end) and its kind. */
export interface Finding {
  start: number;
  end: number;
  kind: PersonalDataKind;
}

/** Stands in for text already found, so later rules neither see it nor match across it. */
const MASK = '\uE000';

/**
 * The text the rules read and the placeholders go into: cut to the scan limit, lone surrogates
 * repaired, control characters dropped, NFKC (full-width and other compatibility forms become plain
 * letters and digits) and every decimal digit of any script written as 0–9.
 */
export function prepare(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  return limitScan(text)
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(CONTROL, '')
    .normalize('NFKC')
    .replace(/\p{Nd}/gu, (d) => (d >= '0' && d <= '9' ? d : String(digitValue(d))));
}

/**
 * Finds the personal data in a prepared text (see `prepare`), rule by rule: what one rule found is
 * masked for the rules after it, so findings never overlap. Ordered from the most certain shape to the
 * least: a phone number before the postcode it looks like, addresses before the names in them.
 */
export function findPersonalData(prepared: string): Finding[] {
  let findings: Finding[] = [];
  let work = prepared;
  const take = (kind: PersonalDataKind, spans: Iterable<[number, number]>) => {
    const taken: [number, number][] = [];
    for (const [start, end] of spans) {
      if (end <= start) continue;
      // A finding may swallow earlier ones whole (a link with an e-mail address in it), never half.
      if (work.slice(start, end).includes(MASK)) {
        const overlapping = findings.filter((f) => f.start < end && start < f.end);
        if (overlapping.some((f) => f.start < start || f.end > end)) continue;
        findings = findings.filter((f) => !overlapping.includes(f));
      }
      findings.push({ start, end, kind });
      taken.push([start, end]);
    }
    // One new string per rule, not per finding: a long text can hold thousands of findings.
    let masked = '';
    let copied = 0;
    for (const [start, end] of taken.sort((a, b) => a[0] - b[0])) {
      masked += work.slice(copied, start) + MASK.repeat(end - start);
      copied = end;
    }
    work = masked + work.slice(copied);
  };
  // Most messages hold no digit and no spelled number: the rules that need one are skipped then.
  const digits = /[0-9]/.test(work);
  const spelled = SPELLED_NUMBER_HINT.test(work);
  take('e-mail', matches(work, EMAIL));
  if (EMAIL_HINT.test(work)) {
    take('e-mail', matches(work, OBFUSCATED_EMAIL));
    take('e-mail', matches(work, PROVIDER_EMAIL));
  }
  take('link', linkSpans(work));
  take('account', handleSpans(work));
  if (digits)
    take(
      'iban',
      matches(work, IBAN, (m) => digitCount(m) >= 8),
    );
  if (digits || BIRTH_HINT.test(work)) take('datum', dateSpans(work));
  if (digits || spelled) take('telefoon', phoneSpansReadingWords(work));
  if (digits) {
    take(
      'adres',
      matches(work, POSTCODE_ADDRESS, (m) => {
        const letters = /[1-9][0-9]{3}\s([a-z]{2})(?![\p{L}])/u.exec(m)?.[1];
        return letters === undefined || !NOT_POSTCODE_LETTERS.has(letters);
      }),
    );
  }
  if (digits || spelled) take('adres', streetSpans(work));
  take('naam', nameSpans(work));
  return findings.sort((a, b) => a.start - b.start);
}

/** Replaces personal data in free text with placeholders like `[telefoon]` and caps its length; never throws. */
export function scrub(text: string): string {
  const prepared = prepare(text);
  if (prepared === '') return '';
  let out = '';
  let copied = 0;
  for (const f of findPersonalData(prepared)) {
    out += `${prepared.slice(copied, f.start)}[${f.kind}]`;
    copied = f.end;
  }
  return cap(out + prepared.slice(copied));
}
