import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { Outbox } from '../../src/queue/outbox.js';
import { startTelegramTestApps } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import type { FakeTelegram } from '../helpers/fake-telegram.js';

// Telegram's limits as the outbound worker keeps them: a channel-wide rate (BullMQ limiter, shared
// by all processes) and a least time between two messages to one chat. Lowered here so the test is
// short; the production defaults are 25 a second and one a second per chat.

const RATE = 5;
const PER_CHAT_MS = 500;
/** Timer and network jitter on a loaded machine, between the worker's clock and the fake's. */
const JITTER_MS = 300;

let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;
let outbox: Outbox;

beforeAll(async () => {
  ({ fake, app, stop } = await startTelegramTestApps({
    ratePerSecond: RATE,
    perChatMs: PER_CHAT_MS,
  }));
  outbox = new Outbox(app.queues);
});
afterAll(async () => {
  await stop?.();
});

/**
 * Messages straight onto the Telegram queue, as the outbox puts them. Replies, because bulk messages
 * have pacing and quiet hours of their own on top of Telegram's limits.
 */
async function queueMessages(chats: number[], text: (i: number) => string): Promise<void> {
  await outbox.enqueue(
    chats.map((chat, i) => ({
      outboundId: null,
      residentId: null,
      channel: 'telegram' as const,
      address: String(chat),
      kind: 'reply' as const,
      message: { kind: 'text' as const, text: text(i) },
      queuedAt: Date.now(),
    })),
  );
}

describe('Telegram send limits', () => {
  it(`sends at most ${RATE} messages a second, all processes together`, async () => {
    const chats = Array.from({ length: 3 * RATE }, (_, i) => 770_000_000 + i);
    await queueMessages(chats, (i) => `Buurtfeest zaterdag (${i})`);
    await eventually(() => chats.every((c) => fake.sent(c).length === 1), 15_000, 'all messages');
    const times = chats.map((c) => fake.sent(c)[0]!.at).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * 1000 - JITTER_MS);
    for (let i = RATE; i < times.length; i++) {
      expect(times[i]! - times[i - RATE]!).toBeGreaterThanOrEqual(1000 - JITTER_MS);
    }
  });

  it(`keeps ${PER_CHAT_MS} ms between two messages to one chat`, async () => {
    const chat = 771_000_000;
    const texts = ['een', 'twee', 'drie', 'vier'];
    await queueMessages(
      texts.map(() => chat),
      (i) => texts[i]!,
    );
    await eventually(() => fake.sent(chat).length === texts.length, 15_000, 'four messages to one chat');
    const sent = fake.sent(chat);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(PER_CHAT_MS - JITTER_MS);
    }
    expect(new Set(sent.map((c) => c.payload.text))).toEqual(new Set(texts));
  });

  // Order within a chat is kept for replies the engine stored (the outbound worker waits for an
  // earlier queued reply to the same resident); see telegram.test.ts. These untracked jobs carry no
  // order, like the goodbye after an erasure, so only spacing is checked here.
});
