import type { Redis } from 'ioredis';
import { z } from 'zod';
import { InboundMessageSchema } from '../../src/domain/messages.js';
import {
  BASE_CAPABILITIES,
  type ChannelAdapter,
  type ChannelCapabilities,
  type InboundMessage,
  type OutboundMessage,
  type SendResult,
} from '../channel.js';
import { PermanentSendError } from '../errors.js';
import { askAsNumberedText } from '../render.js';

/** Console names: what `--as NAME` accepts. */
export const ConsoleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1 to 64 letters, digits, dot, dash or underscore');

/**
 * The console channel. Its "platform" is a Redis list per console resident: the adapter appends
 * rendered replies, and the terminal simulator (`straatpraat chat`) reads them, like a phone
 * that receives messages while the app is closed.
 */
export class ConsoleAdapter implements ChannelAdapter {
  readonly name = 'console' as const;
  readonly capabilities: ChannelCapabilities = { ...BASE_CAPABILITIES, maxTextLength: 8000 };
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** The Redis list holding delivered messages for one console resident. */
  static inboxKey(prefix: string, address: string): string {
    return `${prefix}:console:inbox:${address}`;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    if (!ConsoleNameSchema.safeParse(address).success) {
      throw new PermanentSendError('invalid_address', 'not a console name');
    }
    // Nothing can be tapped here: a message made for every channel brings the hint that says to type.
    const text =
      message.kind === 'text'
        ? message.text
        : askAsNumberedText({ ...message, hint: message.typedHint ?? message.hint });
    const length = await this.#redis.rpush(ConsoleAdapter.inboxKey(this.#prefix, address), text);
    return { platformMessageId: String(length) };
  }

  /** Turns one typed line into an inbound message; a leading slash makes it a command. */
  static normalise(line: string, address: string, platformId: string, now: Date): InboundMessage {
    const trimmed = line.trim();
    const command = /^\/([A-Za-z][A-Za-z0-9_]{0,63})(?:\s+([\s\S]*))?$/.exec(trimmed);
    return InboundMessageSchema.parse({
      channel: 'console',
      platformId,
      address,
      sentAt: now.toISOString(),
      payload: command
        ? { kind: 'command', name: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() }
        : { kind: 'text', text: line },
    });
  }
}
