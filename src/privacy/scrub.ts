import { findPhoneNumbersInText } from 'libphonenumber-js';

/** Free text is cut to this many UTF-16 code units after scrubbing (spec §4.6). */
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
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])(?:\+|\(?0)[0-9 ().\-/]*[0-9]/gu;
const MAX_PHONE_CANDIDATE = 40;
/** libphonenumber costs up to half a millisecond a call on digit soup; real messages hold a few numbers. */
const MAX_PHONE_LOOKUPS = 50;
const PHONE_NET = /(?<![\p{L}\p{N}+])(?:\+|\(?0)(?:[ ().\-/]{0,3}[0-9]){8,14}(?![\p{N}])/gu;
const LONG_DIGIT_RUN = /[0-9]{9,}/g;
/** A real calendar date ("01-03-2024 10:00" is no phone number; "06-12-34-56-78" is). */
const DATE_START = /^\(?(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)[0-9]{2}(?![0-9])/;

/**
 * Only this much of a long text is scanned: the result is capped at MAX_FREE_TEXT anyway, and Unicode
 * patterns cost tens of milliseconds per 100 kB of emoji.
 */
const SCAN_LIMIT = 10 * MAX_FREE_TEXT;
const PHONE_OR_POSTCODE_CHAR = /[0-9 \t\n().,+\-/]/;

const TRAILING_PUNCTUATION = new Set([...'.,;:!?)]}\'"»”’']);

/** Keeps sentence punctuation that a greedy URL pattern swallowed outside the placeholder. */
function asLink(match: string): string {
  let end = match.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(match[end - 1]!)) end--;
  return `[link]${match.slice(end)}`;
}

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

function scrubPhones(text: string): string {
  // libphonenumber is thorough but slow on long digit soups, so it only sees short candidate runs. The
  // pattern net and the long-digit rule run over the whole text too, and where their findings overlap the
  // union is replaced: libphonenumber may pick "0800 0000" out of "06 08000000" where the net sees it all.
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
  if (spans.length === 0) return text;

  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) {
      end = Math.max(end, e);
      continue;
    }
    out += `${text.slice(copied, start)}[telefoon]`;
    copied = end;
    [start, end] = [s, e];
  }
  return `${out}${text.slice(copied, start)}[telefoon]${text.slice(end)}`;
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

/** Replaces personal data in free text with placeholders like `[telefoon]` and caps its length; never throws. */
export function scrub(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let out = limitScan(text).replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '').normalize('NFC');
  out = out.replace(EMAIL, '[e-mail]');
  out = out.replace(URL_WITH_SCHEME, asLink).replace(URL_WWW, asLink).replace(BARE_DOMAIN, asLink);
  out = out.replace(IBAN, (m) => (digitCount(m) >= 8 ? '[iban]' : m));
  // Phones before addresses: "06 0004 1000 BZ" is a phone number followed by letters, not a postcode.
  out = scrubPhones(out);
  out = out.replace(POSTCODE_ADDRESS, (m) => {
    const letters = /[1-9][0-9]{3}\s([a-z]{2})(?![\p{L}])/u.exec(m)?.[1];
    return letters !== undefined && NOT_POSTCODE_LETTERS.has(letters) ? m : '[adres]';
  });
  out = out.replace(STREET_ADDRESS, (m) => {
    const word = /^\p{L}[\p{L}'-]*/u.exec(m)?.[0]?.toLowerCase() ?? '';
    return NOT_STREETS.has(word) ? m : '[adres]';
  });
  return cap(out);
}
