import type { OutboundMessage } from '../src/domain/messages.js';
import { RLM } from '../src/domain/rtl.js';

type Ask = Extract<OutboundMessage, { kind: 'ask' }>;

/**
 * An `ask` as plain text with numbered options, for channels without buttons or polls and as the
 * fallback everywhere: typed numbers always work.
 */
export function askAsNumberedText(ask: Ask): string {
  const lines = [ask.text, '', ...ask.options.map((o, i) => numbered(i + 1, o.label))];
  if (ask.hint) lines.push('', ask.hint);
  return lines.join('\n');
}

/**
 * One numbered option line. A label that starts with a right-to-left mark (an Arabic message, see
 * src/domain/rtl.ts) gets the mark at the start of the line, so the number stays with its label.
 */
export function numbered(n: number, label: string): string {
  return label.startsWith(RLM) ? `${RLM}${n}. ${label.slice(RLM.length)}` : `${n}. ${label}`;
}

/** Cuts a text to a platform's maximum length without splitting a surrogate pair. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = '';
  for (const c of chars) {
    if (out.length + c.length > max - 1) break;
    out += c;
  }
  return `${out}…`;
}
