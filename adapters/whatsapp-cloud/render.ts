import type { OutboundMessage } from '../../src/domain/messages.js';
import { askAsNumberedText, fitText, numbered } from '../render.js';
import { encodeCallbackData } from '../telegram/callback-data.js';
import { MAX_REPLY_ID_BYTES } from './normalise.js';

/** Meta's limits for what we send (Cloud API messages reference). */
export const LIMITS = Object.freeze({
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  /** A template parameter: no new lines or tabs, and the whole body at most 1,024 characters. */
  templateParameter: 900,
});

/** One message body for POST /messages, without `messaging_product` and the recipient. */
export type CloudPayload = Record<string, unknown> & { type: 'text' | 'interactive' | 'template' | 'image' };

/**
 * Renders an outbound message as the Cloud API messages to send, in order. Texts over 4,096
 * characters are split at sentence ends. An `ask` always carries its numbered options in the body,
 * so typing the number works; it gets reply buttons when it has at most 3 options, else a list of at
 * most 10 rows; labels too long for a button or row are shortened, and a row then shows the full
 * label as its description. Multiple-choice asks, asks with more options and asks whose body is
 * too long for an interactive message go as plain text.
 */
export function renderForCloud(message: OutboundMessage): CloudPayload[] {
  if (message.kind === 'text') return splitText(message.text).map(textMessage);
  const body = askAsNumberedText(message);
  const interactive =
    !message.multiple && body.length <= LIMITS.interactiveBody && message.options.length <= LIMITS.listRows;
  const ids = message.options.map((o) => encodeCallbackData(message.ref, o.value, MAX_REPLY_ID_BYTES));
  if (!interactive || ids.some((id) => id === undefined)) return splitText(body).map(textMessage);
  if (message.options.length <= LIMITS.buttons) {
    return [
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: body },
          action: {
            buttons: message.options.map((o, i) => ({
              type: 'reply',
              reply: { id: ids[i]!, title: fitText(numbered(i + 1, o.label), LIMITS.buttonTitle) },
            })),
          },
        },
      },
    ];
  }
  return [
    {
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: body },
        action: {
          // Language-neutral, so no text of ours needs translating: "☰ 1–5".
          button: `☰ 1–${message.options.length}`,
          sections: [
            {
              rows: message.options.map((o, i) => {
                const title = numbered(i + 1, o.label);
                const short = fitText(title, LIMITS.rowTitle);
                return {
                  id: ids[i]!,
                  title: short,
                  ...(short !== title ? { description: fitText(o.label, LIMITS.rowDescription) } : {}),
                };
              }),
            },
          ],
        },
      },
    },
  ];
}

/** An approved template with the message's text as its one body parameter. */
export function renderTemplate(
  message: OutboundMessage,
  template: { name: string; language: string },
): CloudPayload {
  const text = message.kind === 'text' ? message.text : askAsNumberedText(message);
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }],
    },
  };
}

/**
 * Meta refuses template parameters with new lines, tabs or more than four spaces in a row: lines are
 * joined with " · " and the text is cut to fit the template body.
 */
export function templateParameter(text: string): string {
  const flat = text
    .split(/\n+/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
  return fitText(flat || '…', LIMITS.templateParameter);
}

function textMessage(text: string): CloudPayload {
  return { type: 'text', text: { body: text, preview_url: false } };
}

/** Splits a text into parts of at most 4,096 characters, at a sentence end or line break when possible. */
export function splitText(text: string, max = LIMITS.text): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(
      window.lastIndexOf('\n'),
      ...['. ', '! ', '? '].map((end) => {
        const at = window.lastIndexOf(end);
        return at < 0 ? -1 : at + 1;
      }),
    );
    // No sentence end in the second half: cut at a space, else anywhere (not inside a surrogate pair).
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = /[\uD800-\uDBFF]/.test(window.charAt(max - 1)) ? max - 1 : max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}
