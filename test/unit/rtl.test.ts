import { describe, expect, it } from 'vitest';
import { askAsNumberedText } from '../../adapters/render.js';
import { renderForTelegram } from '../../adapters/telegram/render.js';
import { renderAsk } from '../../adapters/whatsapp/render.js';
import type { OutboundMessage } from '../../src/domain/messages.js';
import { forLanguage, RLM } from '../../src/domain/rtl.js';

const ask: Extract<OutboundMessage, { kind: 'ask' }> = {
  kind: 'ask',
  text: 'هل تشعر أنك في بيتك في حيّك؟\nHULP',
  hint: 'اضغط على جوابك، أو أرسل الرقم.',
  options: [
    { value: '1', label: 'لا، أبدًا' },
    { value: '4', label: 'نعم، غالبًا' },
  ],
  ref: 'thuis',
  multiple: false,
};

describe('right-to-left messages', () => {
  it('start every Arabic line of a message to an Arabic resident with a right-to-left mark', () => {
    const text = forLanguage({ kind: 'text', text: '1. نعم\n\n٤ HULP' }, 'ar');
    expect(text).toEqual({ kind: 'text', text: `${RLM}1. نعم\n\n${RLM}٤ HULP` });
    // A Dutch text standing in for a missing translation stays left to right.
    const fallback: OutboundMessage = { kind: 'text', text: 'Zaterdag koffie.\nStuur JA.' };
    expect(forLanguage(fallback, 'ar')).toEqual(fallback);
    const dutch: OutboundMessage = { kind: 'text', text: '1. Ja' };
    expect(forLanguage(dutch, 'nl')).toBe(dutch);
    expect(forLanguage(dutch, null)).toBe(dutch);
  });

  it('keep each number with its option in numbered text, on Telegram buttons and in WhatsApp polls', () => {
    const rtl = forLanguage(ask, 'ar') as typeof ask;
    const lines = askAsNumberedText(rtl).split('\n');
    expect(lines).toEqual([
      `${RLM}هل تشعر أنك في بيتك في حيّك؟`,
      'HULP',
      '',
      `${RLM}1. لا، أبدًا`,
      `${RLM}2. نعم، غالبًا`,
      '',
      `${RLM}اضغط على جوابك، أو أرسل الرقم.`,
    ]);
    const telegram = renderForTelegram(rtl);
    expect(telegram.keyboard?.flat().map((b) => b.text)).toEqual([
      `${RLM}1. لا، أبدًا`,
      `${RLM}2. نعم، غالبًا`,
    ]);
    const poll = renderAsk(rtl);
    expect(poll.kind === 'poll' && poll.options.map((o) => o.name)).toEqual([
      `${RLM}1. لا، أبدًا`,
      `${RLM}2. نعم، غالبًا`,
    ]);
  });
});
