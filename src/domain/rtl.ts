import { isRtl } from './language.js';
import type { OutboundMessage } from './messages.js';

// Chat apps pick each line's direction from its first strong letter. A line of an Arabic message that
// starts with a number, a keyword in Latin letters or an emoji ("1. نعم", "HULP …") would be laid out
// left to right, and numbered options would read in the wrong order. A right-to-left mark at the start
// of every line makes each line right-to-left, on Telegram and WhatsApp alike; digits stay readable.

/** The right-to-left mark (U+200F). */
export const RLM = '\u200F';

/** Letters and digits of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their forms). */
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/**
 * A text with a right-to-left mark at the start of every line written (partly) in a right-to-left
 * script. Lines without any (a Dutch text that stands in for a missing translation) stay left to right.
 */
export function rtlLines(text: string): string {
  return text
    .split('\n')
    .map((line) => (!RTL_CHAR.test(line) || line.startsWith(RLM) ? line : `${RLM}${line}`))
    .join('\n');
}

/**
 * A message as it goes out to a resident of `language`: for a right-to-left language every line of
 * its text, hints and option labels starts with a right-to-left mark; other languages unchanged.
 */
export function forLanguage(message: OutboundMessage, language: string | null | undefined): OutboundMessage {
  if (!language || !isRtl(language)) return message;
  if (message.kind === 'text') return { ...message, text: rtlLines(message.text) };
  return {
    ...message,
    text: rtlLines(message.text),
    ...(message.hint && { hint: rtlLines(message.hint) }),
    ...(message.typedHint && { typedHint: rtlLines(message.typedHint) }),
    options: message.options.map((o) => ({ ...o, label: rtlLines(o.label) })),
  };
}
