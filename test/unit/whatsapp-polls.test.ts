import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import { decryptVote, type SentPoll } from '../../adapters/whatsapp/polls.js';
import { POLL_NAME_MAX, renderAsk } from '../../adapters/whatsapp/render.js';
import { toSendError } from '../../adapters/whatsapp/send-errors.js';
import type { OutboundMessage } from '../../src/domain/messages.js';
import { boom, encryptVote } from '../helpers/fake-whatsapp.js';

type Ask = Extract<OutboundMessage, { kind: 'ask' }>;

const ask: Ask = {
  kind: 'ask',
  text: 'Voel je je thuis in je buurt?',
  hint: 'Tik op een antwoord of typ het nummer.',
  options: [
    { value: '1', label: 'Nee, helemaal niet' },
    { value: '2', label: 'Niet echt' },
    { value: '3', label: 'Soms wel, soms niet' },
    { value: '4', label: 'Ja, meestal' },
    { value: '5', label: 'Ja, helemaal' },
  ],
  ref: 'veerkracht-kort/thuis',
  multiple: false,
};

describe('an ask on WhatsApp', () => {
  it('is a one-answer poll whose options carry the numbers a resident can type', () => {
    const rendered = renderAsk(ask);
    expect(rendered).toEqual({
      kind: 'poll',
      name: 'Voel je je thuis in je buurt?\n\nTik op een antwoord of typ het nummer.',
      options: ask.options.map((o, i) => ({ value: o.value, name: `${i + 1}. ${o.label}` })),
      selectableCount: 1,
    });
  });

  it('lets a multiple-choice question take any number of answers', () => {
    expect(renderAsk({ ...ask, multiple: true })).toMatchObject({ kind: 'poll', selectableCount: 0 });
  });

  it('goes out as numbered text when the question is too long for a poll title', () => {
    const long = { ...ask, text: `Lang verhaal. ${'x'.repeat(POLL_NAME_MAX)}` };
    const rendered = renderAsk(long);
    expect(rendered.kind).toBe('text');
    if (rendered.kind === 'text') expect(rendered.text).toMatch(/\n4\. Ja, meestal\n/);
  });

  it('leaves the hint out of the title rather than cutting the question', () => {
    const question = 'v'.repeat(POLL_NAME_MAX - 5);
    expect(renderAsk({ ...ask, text: question })).toMatchObject({ kind: 'poll', name: question });
  });
});

describe('a poll vote', () => {
  const rendered = renderAsk(ask);
  if (rendered.kind !== 'poll') throw new Error('expected a poll');
  const poll: SentPoll = {
    messageId: '3EB0A1B2C3D4E5F60718',
    chat: '31612345678@s.whatsapp.net',
    ref: ask.ref,
    options: rendered.options,
    secret: randomBytes(32),
  };
  const view = { id: poll.messageId, secret: poll.secret };
  const me = { pn: '31600000001@s.whatsapp.net', lid: '200000000000001@lid' };
  const voter = { pn: '31612345678@s.whatsapp.net', lid: '112233445566778@lid' };

  it.each([
    ['our LID and the voter’s number (1:1 chats today)', me.lid, voter.pn],
    ['both phone numbers', me.pn, voter.pn],
    ['both LIDs', me.lid, voter.lid],
    ['our number and the voter’s LID', me.pn, voter.lid],
  ])('is decrypted whichever ids WhatsApp used: %s', (_, creator, voterJid) => {
    const vote = encryptVote(view, ['4. Ja, meestal'], creator, voterJid);
    expect(decryptVote(poll, vote, [me.lid, me.pn], [voter.lid, voter.pn])).toEqual({
      readable: true,
      values: ['4'],
    });
  });

  it('taken back (nothing chosen) is readable and empty', () => {
    const vote = encryptVote(view, [], me.lid, voter.pn);
    expect(decryptVote(poll, vote, [me.lid], [voter.pn])).toEqual({ readable: true, values: [] });
  });

  it('is unreadable with another poll’s secret, or an option we never sent', () => {
    const other = encryptVote({ ...view, secret: randomBytes(32) }, ['4. Ja, meestal'], me.lid, voter.pn);
    expect(decryptVote(poll, other, [me.lid, me.pn], [voter.pn])).toEqual({ readable: false });
    const foreign = encryptVote(view, ['6. Misschien'], me.lid, voter.pn);
    expect(decryptVote(poll, foreign, [me.lid], [voter.pn])).toEqual({ readable: false });
    const garbage = { encPayload: randomBytes(40), encIv: randomBytes(12) };
    expect(decryptVote(poll, garbage, [me.lid, me.pn], [voter.pn, voter.lid])).toEqual({ readable: false });
  });
});

describe('send errors from Baileys', () => {
  it.each([
    [boom('Connection Closed', 428), 5_000],
    [boom('Timed Out', 408), 5_000],
    [boom('Connection was lost', 408), 5_000],
    [boom('rate-overlimit', 429), 60_000],
    [new Error('Timed Out'), 5_000],
  ])('retries %s after a pause of the queue', (error, pause) => {
    const mapped = toSendError(error);
    expect(mapped).toBeInstanceOf(RetryableSendError);
    expect((mapped as RetryableSendError).retryAfterMs).toBe(pause);
  });

  it('does not retry a request WhatsApp calls malformed', () => {
    const mapped = toSendError(boom('bad-request', 400));
    expect(mapped).toBeInstanceOf(PermanentSendError);
    expect((mapped as PermanentSendError).reason).toBe('bad_request');
  });

  it('keeps phone numbers out of the error it reports', () => {
    const mapped = toSendError(new Error('no sessions for 31612345678@s.whatsapp.net'));
    expect(mapped.message).not.toContain('31612345678');
    expect(mapped).not.toBeInstanceOf(PermanentSendError);
  });
});
