import type { InlineKeyboardButton } from 'grammy/types';
import type { OutboundMessage } from '../../src/domain/messages.js';
import { askAsNumberedText, fitText, numbered } from '../render.js';
import { encodeCallbackData } from './callback-data.js';

/** Telegram's limit for a message text, in UTF-16 code units as Telegram counts them. */
export const MAX_TEXT_LENGTH = 4096;
/** More buttons than this make a keyboard that hides the question on a phone. */
export const MAX_BUTTONS = 10;
/** Labels up to this length go two to a row; longer ones get a row of their own. */
const SHORT_LABEL = 14;
/** Button texts are cut here: a phone shows a few dozen characters at most. */
const MAX_BUTTON_TEXT = 60;

/** A `sendMessage` call as Straatpraat makes it. */
export interface TelegramSend {
  text: string;
  keyboard?: InlineKeyboardButton[][];
  /** Why an ask went out without buttons, for the log (no personal data). */
  droppedButtons?: string;
}

/**
 * Renders an outbound message for Telegram. An `ask` keeps its numbered options in the text, so
 * typed answers work as on every channel, and gets an inline keyboard whose buttons carry the ask's
 * ref and the option's value. A multiple-choice ask gets no buttons: one press would send one option
 * as the whole answer, while the numbered text invites "1 3".
 */
export function renderForTelegram(message: OutboundMessage): TelegramSend {
  if (message.kind === 'text') return { text: fitText(message.text, MAX_TEXT_LENGTH) };
  const text = fitText(askAsNumberedText(message), MAX_TEXT_LENGTH);
  if (message.multiple) return { text, droppedButtons: 'multiple choice' };
  if (message.options.length > MAX_BUTTONS) return { text, droppedButtons: 'too many options' };
  const buttons: InlineKeyboardButton[] = [];
  for (const [i, option] of message.options.entries()) {
    const data = encodeCallbackData(message.ref, option.value);
    // A partial keyboard would hide options; the numbered text has them all.
    if (data === undefined) return { text, droppedButtons: 'ref and value exceed 64 bytes' };
    buttons.push({ text: fitText(numbered(i + 1, option.label), MAX_BUTTON_TEXT), callback_data: data });
  }
  const perRow = message.options.every((o) => o.label.length <= SHORT_LABEL) ? 2 : 1;
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) keyboard.push(buttons.slice(i, i + perRow));
  return { text, keyboard };
}
