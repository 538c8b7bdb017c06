import type { OutboundMessage } from '../../src/domain/messages.js';
import { askAsNumberedText, fitText, numbered } from '../render.js';

type Ask = Extract<OutboundMessage, { kind: 'ask' }>;

/** WhatsApp's longest poll question (characters). */
export const POLL_NAME_MAX = 255;
/** WhatsApp's longest poll option (characters). */
export const POLL_OPTION_MAX = 100;
/** WhatsApp's most options in one poll. */
export const POLL_OPTIONS_MAX = 12;
/** Texts longer than this are cut; WhatsApp takes more, but nobody reads more on a phone. */
export const MAX_TEXT_LENGTH = 4096;

/** An option as sent in a poll: its value, and its name on WhatsApp (what votes are hashes of). */
export interface PollOption {
  value: string;
  name: string;
}

/** How an `ask` goes out on WhatsApp. */
export type RenderedAsk =
  | { kind: 'poll'; name: string; options: PollOption[]; selectableCount: number }
  | { kind: 'text'; text: string };

/**
 * An `ask` as a native poll whose options carry their numbers ("1. Ja, meestal"), so a resident
 * who cannot or will not tap types the number, and the flows understand it like any typed answer.
 * The hint ("tap or type the number") goes under the question when it fits. A question too long
 * for a poll's title goes out as numbered text instead: typed answers always work.
 */
export function renderAsk(ask: Ask): RenderedAsk {
  const text = ask.text.trim();
  if (text.length > POLL_NAME_MAX || ask.options.length > POLL_OPTIONS_MAX) {
    return { kind: 'text', text: fitText(askAsNumberedText(ask), MAX_TEXT_LENGTH) };
  }
  const withHint = ask.hint ? `${text}\n\n${ask.hint.trim()}` : text;
  const options = ask.options.map((o, i) => ({
    value: o.value,
    name: fitText(numbered(i + 1, o.label), POLL_OPTION_MAX),
  }));
  return {
    kind: 'poll',
    name: withHint.length <= POLL_NAME_MAX ? withHint : text,
    options,
    // WhatsApp's 0 means "as many as you like".
    selectableCount: ask.multiple ? 0 : 1,
  };
}
