// Every pattern here is a single character class or a fixed sequence, so each pass is linear in the input
// and none can backtrack; that is what keeps 100 kB of hostile input cheap.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Combining marks carry the accents after decomposition; removing them also drops emoji variation
// selectors and keycap enclosures, so "3️⃣" reads as "3" and "☹️" as "☹".
const MARKS = /\p{M}/gu;
// Apostrophes join rather than split, so "don't" reads as "dont" and "'t" as "t".
const APOSTROPHES = /['\u2018\u2019\u201B\u02BC`\u00B4]/g;
const NOT_KEPT = /[^\p{L}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D]+/gu;
const SPACES = / {2,}/g;
// Arabic-Indic (٠-٩) and Persian (۰-۹) digits, read as 0-9 so "٤" answers 4.
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const westernDigit = (d: string): string => String(d.charCodeAt(0) & 0xf);

/** Reduces a message to lower-case letters, digits, emoji and single spaces, for matching words. */
export function normalise(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  return (
    text
      .replace(LONE_SURROGATE, ' ')
      .replace(EASTERN_DIGITS, westernDigit)
      .normalize('NFKD')
      .replace(MARKS, '')
      // Lower-casing after decomposition catches capitals that only appear then ("㎁" → "nA"); decomposing
      // again catches marks that only appear on lower-casing ("İ" → "i̇").
      .toLowerCase()
      .normalize('NFKD')
      .replace(MARKS, '')
      .normalize('NFC')
      .replace(APOSTROPHES, '')
      .replace(NOT_KEPT, ' ')
      .replace(SPACES, ' ')
      .trim()
  );
}
