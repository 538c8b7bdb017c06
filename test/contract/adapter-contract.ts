import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../adapters/channel.js';
import { PermanentSendError } from '../../adapters/errors.js';
import { type InboundMessage, type OutboundMessage, TAP_CHANNELS } from '../../src/domain/messages.js';

/** What a resident sees of one delivered message. */
export interface Received {
  text: string;
  /** Button labels, in order (empty without buttons). */
  buttons: string[];
}

/** One adapter on its (real or faked) platform, as the contract suite drives it. */
export interface ContractSubject {
  adapter: ChannelAdapter;
  /** An address that receives messages; each call gives a fresh one. */
  address(): string;
  /** An address the platform can never deliver to. */
  invalidAddress: string;
  /** Everything `address` has received so far. */
  received(address: string): Promise<Received[]>;
  /**
   * Makes the platform refuse `address` because the resident blocked the bot. Absent when the
   * platform has no such failure (the console).
   */
  block?(address: string): Promise<void>;
  /** What the adapter makes of a line the resident at `address` types. */
  typed(address: string, line: string): Promise<InboundMessage>;
  cleanup(): Promise<void>;
}

/** Builds a subject once per suite. */
export interface ContractFactory {
  name: string;
  create(): Promise<ContractSubject>;
}

/** The longest text the channel-neutral schema lets a flow send. */
const SCHEMA_MAX_TEXT = 8000;

const ask: Extract<OutboundMessage, { kind: 'ask' }> = {
  kind: 'ask',
  text: 'Voel je je thuis in je buurt?',
  hint: 'Tik of typ een nummer.',
  options: [
    { value: '1', label: 'Helemaal niet' },
    { value: '2', label: 'Niet' },
    { value: '3', label: 'Neutraal' },
    { value: '4', label: 'Wel' },
    { value: '5', label: 'Helemaal wel' },
  ],
  ref: 'contract/thuis',
  multiple: false,
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The suite every channel adapter passes, whatever its platform: it delivers texts and asks (with
 * the options readable and answerable by number), cuts what is too long instead of failing, says
 * "permanent" for an address that can never work and "blocked" when the resident blocked the bot,
 * and turns typed lines and commands into the same channel-neutral messages.
 */
export function describeAdapterContract(factory: ContractFactory): void {
  describe(`the ${factory.name} adapter (channel contract)`, () => {
    let subject: ContractSubject;
    beforeAll(async () => {
      subject = await factory.create();
    });
    afterAll(async () => subject?.cleanup());

    it('declares sane capabilities', () => {
      const { capabilities } = subject.adapter;
      expect(capabilities.maxTextLength).toBeGreaterThanOrEqual(1000);
      if (capabilities.buttons) expect(capabilities.maxButtons).toBeGreaterThanOrEqual(5);
      // The flows' hint ("tap your answer" or "send the number") follows TAP_CHANNELS.
      expect(TAP_CHANNELS.has(subject.adapter.name)).toBe(capabilities.buttons || capabilities.nativePolls);
    });

    it('delivers a text as it was written', async () => {
      const to = subject.address();
      const result = await subject.adapter.send(to, { kind: 'text', text: 'Welkom bij Straatpraat! 👋' });
      expect(result).toBeTypeOf('object');
      expect(await subject.received(to)).toEqual([{ text: 'Welkom bij Straatpraat! 👋', buttons: [] }]);
    });

    it('shows the hint that says to type where nothing can be tapped, and the tap hint elsewhere', async () => {
      const to = subject.address();
      await subject.adapter.send(to, { ...ask, typedHint: 'Stuur het nummer van je antwoord.' });
      const [got] = await subject.received(to);
      const { buttons, nativePolls } = subject.adapter.capabilities;
      if (buttons || nativePolls) expect(got!.text).not.toContain('Stuur het nummer van je antwoord.');
      else {
        expect(got!.text).toContain('Stuur het nummer van je antwoord.');
        expect(got!.text).not.toContain(ask.hint!);
      }
    });

    it('shows every option of an ask with a number the resident can type', async () => {
      const to = subject.address();
      await subject.adapter.send(to, ask);
      const [got, ...more] = await subject.received(to);
      expect(more).toEqual([]);
      expect(got!.text).toContain(ask.text);
      for (const [i, option] of ask.options.entries()) {
        expect(got!.text).toMatch(new RegExp(`(^|\\n)\\s*${i + 1}\\W[^\\n]*${escapeRegExp(option.label)}`));
      }
      if (subject.adapter.capabilities.buttons) {
        expect(got!.buttons).toHaveLength(ask.options.length);
        for (const [i, option] of ask.options.entries()) expect(got!.buttons[i]).toContain(option.label);
      }
    });

    it('cuts a text longer than the channel allows instead of refusing it', async (ctx) => {
      const max = subject.adapter.capabilities.maxTextLength;
      // A channel that takes every text the schema allows has nothing to cut.
      if (max >= SCHEMA_MAX_TEXT) ctx.skip();
      const to = subject.address();
      const long = `Begin. ${'lang verhaal '.repeat(Math.ceil((max + 500) / 12))}`.slice(0, max + 500);
      await subject.adapter.send(to, { kind: 'text', text: long });
      const [got] = await subject.received(to);
      expect(got!.text.length).toBeLessThanOrEqual(max);
      expect(got!.text.length).toBeGreaterThan(max - 50);
      expect(got!.text.startsWith('Begin. lang verhaal')).toBe(true);
    });

    it('refuses an address that can never work as permanent, not retryable', async () => {
      const error = await subject.adapter
        .send(subject.invalidAddress, { kind: 'text', text: 'hallo' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentSendError);
      expect((error as PermanentSendError).reason).toBe('invalid_address');
    });

    it('reports a resident who blocked the bot as permanently blocked', async (ctx) => {
      if (!subject.block) ctx.skip();
      const to = subject.address();
      await subject.block!(to);
      const error = await subject.adapter.send(to, { kind: 'text', text: 'hallo' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentSendError);
      expect((error as PermanentSendError).reason).toBe('blocked');
      expect(await subject.received(to)).toEqual([]);
    });

    it('turns a typed line into a text message from that address', async () => {
      const from = subject.address();
      const message = await subject.typed(from, 'hallo');
      expect(message).toMatchObject({
        channel: subject.adapter.name,
        address: from,
        payload: { kind: 'text', text: 'hallo' },
      });
      expect(message.platformId).not.toBe('');
      expect(Number.isNaN(Date.parse(message.sentAt))).toBe(false);
    });

    it('turns /start with a parameter into a command, name in lower case', async () => {
      const from = subject.address();
      const start = await subject.typed(from, '/start nazareth');
      expect(start.payload).toEqual({ kind: 'command', name: 'start', args: 'nazareth' });
      const stop = await subject.typed(from, '/STOP');
      expect(stop.payload).toEqual({ kind: 'command', name: 'stop', args: '' });
    });
  });
}
