import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import { TelegramAdapter, type TelegramAdapterOptions } from '../../adapters/telegram/adapter.js';
import { decodeCallbackData, encodeCallbackData } from '../../adapters/telegram/callback-data.js';
import { normaliseUpdate } from '../../adapters/telegram/normalise.js';
import { renderForTelegram } from '../../adapters/telegram/render.js';
import { StartupError } from '../../src/domain/errors.js';
import type { InboundMessage, OutboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { eventually, REDIS_URL } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';
import { freePort } from '../helpers/redis-server.js';
import { describeAdapterContract, type Received } from './adapter-contract.js';

const log = createLogger('silent');
const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());
/** Redis for the polling lease, under a prefix of its own: each adapter here is its own installation. */
const own = () => ({ redis, prefix: `sptest-tg-${randomBytes(5).toString('hex')}` });
const FIXTURES = join(import.meta.dirname, '../fixtures/telegram');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
/** A recorded update with its update id left for the fake to give (ids only grow on Telegram). */
const replayed = (name: string): Record<string, unknown> => {
  const { update_id: _, ...update } = fixture(name) as Record<string, unknown>;
  return update;
};

/** A started adapter on a fake Bot API, with what reached its sink. */
async function receiving(
  fake: FakeTelegram,
  opts: Partial<TelegramAdapterOptions> & { sink?: (m: InboundMessage) => Promise<void> } = {},
) {
  const inbox: InboundMessage[] = [];
  const adapter = new TelegramAdapter({
    token: fake.token,
    apiRoot: fake.url,
    log,
    pollTimeoutSeconds: 5,
    ...own(),
    ...opts,
  });
  await adapter.start(
    opts.sink ??
      (async (m) => {
        inbox.push(m);
      }),
  );
  return { adapter, inbox };
}

function receivedBy(fake: FakeTelegram, chat: string): Received[] {
  return fake.sent(chat).map((call) => ({
    text: String(call.payload.text),
    buttons: (
      (call.payload.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)
        ?.inline_keyboard ?? []
    )
      .flat()
      .map((b) => b.text),
  }));
}

describeAdapterContract({
  name: 'telegram',
  async create() {
    const fake = await new FakeTelegram().start();
    const { adapter, inbox } = await receiving(fake);
    let n = 0;
    return {
      adapter,
      address: () => String(7_000_000_000 + ++n),
      invalidAddress: 'geen-chat',
      received: async (address) => receivedBy(fake, address),
      block: async (address) => fake.block(address),
      async typed(address, line) {
        const update = fake.inject(fake.textUpdate(Number(address), line));
        const id = `m${address}:${(update.message as { message_id: number }).message_id}`;
        const found = await eventually(() => inbox.find((m) => m.platformId === id), 5_000, 'the typed line');
        return found!;
      },
      async cleanup() {
        await adapter.stop();
        await fake.close();
      },
    };
  },
});

describe('Telegram updates, from recorded payloads', () => {
  const now = new Date('2026-11-27T12:00:00.000Z');
  const cases: [string, unknown][] = [
    [
      'text-message',
      {
        kind: 'message',
        message: {
          channel: 'telegram',
          platformId: 'm5512340987:1187',
          address: '5512340987',
          sentAt: '2025-11-27T13:50:00.000Z',
          payload: { kind: 'text', text: 'hallo' },
          hints: { languageCode: 'nl' },
        },
      },
    ],
    [
      'start-with-parameter',
      {
        kind: 'message',
        message: {
          address: '6023119876',
          payload: { kind: 'command', name: 'start', args: 'nazareth' },
          hints: { languageCode: 'en' },
        },
      },
    ],
    ['stop-command', { kind: 'message', message: { payload: { kind: 'command', name: 'stop', args: '' } } }],
    [
      'callback-query',
      {
        kind: 'message',
        callbackQueryId: '2366092341897459712',
        message: {
          platformId: 'c2366092341897459712',
          address: '5512340987',
          sentAt: now.toISOString(),
          payload: { kind: 'choice', ref: 'veerkracht-kort/thuis', value: '4' },
        },
      },
    ],
    ['sticker', { kind: 'message', message: { payload: { kind: 'media', media: 'sticker' } } }],
    [
      'photo-without-caption',
      {
        kind: 'message',
        // The largest size's file id, which getFile takes; the photo itself is fetched only for an idea.
        message: { payload: { kind: 'media', media: 'image', ref: 'AgACAgQAAxkBAAIBT2large', size: 71204 } },
      },
    ],
    [
      'photo-with-caption',
      {
        kind: 'message',
        message: {
          payload: {
            kind: 'text',
            text: 'De speeltuin is kapot',
            // Kept only in the idea dialog.
            attachment: { media: 'image', ref: 'AgACAgQAAxkBAAIBUGsmall', size: 1380 },
          },
        },
      },
    ],
    ['edited-message', { kind: 'ignored', reason: 'update kind edited_message' }],
    ['channel-post', { kind: 'ignored', reason: 'update kind channel_post' }],
    ['group-message', { kind: 'ignored', reason: 'supergroup chat' }],
    ['group-callback-query', { kind: 'ignored', callbackQueryId: '2366092341897459713' }],
    ['pinned-service-message', { kind: 'ignored', reason: 'service message' }],
    ['malformed-message', { kind: 'invalid', updateId: 734561213 }],
  ];

  it('has a case for every fixture file', () => {
    // Updates only; `api/` holds the Bot API's answers the fake gives.
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(files));
  });

  it.each(cases)('%s', (name, expected) => {
    expect(normaliseUpdate(fixture(name), now)).toMatchObject(expected as object);
  });

  it('keeps the file id and size of a voice message, and of nothing else without text', () => {
    const update = fixture('sticker') as { message: Record<string, unknown> };
    const { sticker: _, ...rest } = update.message;
    const voice = {
      ...update,
      message: {
        ...rest,
        voice: { file_id: 'AwACvoice', file_unique_id: 'u', duration: 3, file_size: 5120 },
      },
    };
    expect(normaliseUpdate(voice, now)).toMatchObject({
      message: { payload: { kind: 'media', media: 'audio', ref: 'AwACvoice', size: 5120 } },
    });
    const sticker = normaliseUpdate(fixture('sticker'), now) as { message: { payload: object } };
    expect(sticker.message.payload).toEqual({ kind: 'media', media: 'sticker' });
  });

  it.each([
    ['voice', { file_id: 'v', duration: 4 }, 'audio'],
    ['audio', { file_id: 'a', duration: 90 }, 'audio'],
    ['video', { file_id: 'v', duration: 9 }, 'video'],
    ['video_note', { file_id: 'v', length: 240, duration: 9 }, 'video'],
    ['animation', { file_id: 'g', duration: 2 }, 'video'],
    ['document', { file_id: 'd' }, 'document'],
    ['location', { latitude: 50.85, longitude: 5.69 }, 'location'],
    ['contact', { phone_number: '+31612345678', first_name: 'Jan' }, 'contact'],
    ['dice', { emoji: '🎲', value: 3 }, 'sticker'],
  ])(
    'reads a %s without caption as media (%j) of kind %s, keeping none of its content',
    (key, content, media) => {
      const { text: _, ...message } = (fixture('text-message') as { message: Record<string, unknown> })
        .message;
      // An animation carries its file as a document too; the animation wins.
      const extra = key === 'animation' ? { document: { file_id: 'g' } } : {};
      const outcome = normaliseUpdate(
        { update_id: 1, message: { ...message, ...extra, [key]: content } },
        now,
      );
      expect(outcome).toMatchObject({ kind: 'message', message: { payload: { kind: 'media', media } } });
      expect(JSON.stringify(outcome)).not.toMatch(/file_id|31612345678|Jan|50\.85/);
    },
  );

  it('reads a caption as the text, whatever media it came with', () => {
    const { text: _, ...message } = (fixture('text-message') as { message: Record<string, unknown> }).message;
    const outcome = normaliseUpdate(
      { update_id: 1, message: { ...message, voice: { file_id: 'v', duration: 4 }, caption: 'ja' } },
      now,
    );
    expect(outcome).toMatchObject({ message: { payload: { kind: 'text', text: 'ja' } } });
  });

  it('gives reasons without personal data for malformed updates', () => {
    for (const raw of [null, 'update', 42, {}, { update_id: 'x' }, fixture('malformed-message')]) {
      const outcome = normaliseUpdate(raw, now);
      expect(outcome.kind).toBe('invalid');
      if (outcome.kind === 'invalid') {
        expect(outcome.reason).not.toMatch(/5512340987|Marieke|geen chat/);
      }
    }
  });
});

describe('button data', () => {
  it('carries any ref and value that fit in 64 bytes, and decodes to exactly them', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        (ref, value) => {
          const data = encodeCallbackData(ref, value);
          if (data === undefined) {
            expect(Buffer.byteLength(`${ref.length}:${ref}${value}`)).toBeGreaterThan(64);
            return;
          }
          expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
          expect(decodeCallbackData(data)).toEqual({ ref, value });
        },
      ),
    );
  });

  it('does not decode data it did not make', () => {
    for (const data of ['', 'hallo', '5:abc', '0:x', ':x', '3:abc'])
      expect(decodeCallbackData(data)).toBeUndefined();
  });
});

describe('rendering for Telegram', () => {
  const options = (labels: string[]) => labels.map((label, i) => ({ value: String(i + 1), label }));
  const askOf = (labels: string[], extra: Partial<Extract<OutboundMessage, { kind: 'ask' }>> = {}) =>
    ({ kind: 'ask', text: 'Vraag?', options: options(labels), ref: 'r', multiple: false, ...extra }) as const;

  it('puts short labels two to a row and long ones one to a row', () => {
    const short = renderForTelegram(askOf(['Ja', 'Nee', 'Weet niet']));
    expect(short.keyboard!.map((row) => row.length)).toEqual([2, 1]);
    const long = renderForTelegram(askOf(['Nazareth', 'Pottenberg', 'Een andere wijk in Maastricht']));
    expect(long.keyboard!.map((row) => row.length)).toEqual([1, 1, 1]);
    expect(long.keyboard!.flat().map((b) => (b as { callback_data: string }).callback_data)).toEqual([
      '1:r1',
      '1:r2',
      '1:r3',
    ]);
  });

  it('sends numbered text without buttons when buttons cannot carry the ask', () => {
    const many = renderForTelegram(askOf(Array.from({ length: 11 }, (_, i) => `optie ${i + 1}`)));
    expect(many.keyboard).toBeUndefined();
    expect(many.text).toContain('11. optie 11');
    expect(renderForTelegram(askOf(['a', 'b'], { multiple: true })).keyboard).toBeUndefined();
    const longRef = renderForTelegram(
      askOf(['a', 'b'], { ref: 'x'.repeat(40), options: [{ value: 'v'.repeat(30), label: 'a' }] }),
    );
    expect(longRef.keyboard).toBeUndefined();
    expect(longRef.droppedButtons).toMatch(/64 bytes/);
  });

  it('cuts an ask whose text is too long, keeping the buttons', () => {
    const rendered = renderForTelegram(askOf(['Ja', 'Nee'], { text: 'lang '.repeat(2000) }));
    expect(rendered.text.length).toBeLessThanOrEqual(4096);
    expect(rendered.keyboard).toHaveLength(1);
  });
});

describe('Telegram send errors', () => {
  let fake: FakeTelegram;
  let adapter: TelegramAdapter;
  beforeAll(async () => {
    fake = await new FakeTelegram().start();
    adapter = new TelegramAdapter({ token: fake.token, apiRoot: fake.url, log, ...own() });
  });
  afterAll(async () => fake.close());

  const sendError = (to = '4242') =>
    adapter.send(to, { kind: 'text', text: 'hallo' }).catch((e: unknown) => e);

  it('429 is retryable after Telegram’s retry_after', async () => {
    fake.failNext({
      method: 'sendMessage',
      code: 429,
      description: 'Too Many Requests: retry after 7',
      retryAfter: 7,
    });
    const error = await sendError();
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBe(7000);
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user', 'blocked'],
    [403, 'Forbidden: user is deactivated', 'blocked'],
    [400, 'Bad Request: chat not found', 'invalid_address'],
    [400, 'Bad Request: user not found', 'invalid_address'],
    [400, "Bad Request: can't parse entities", 'bad_request'],
  ])('%i %s is permanent: %s', async (code, description, reason) => {
    fake.failNext({ method: 'sendMessage', code, description });
    const error = await sendError();
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as PermanentSendError).reason).toBe(reason);
  });

  it('a chat Telegram does not know is an invalid address', async () => {
    fake.forget('5151');
    expect(((await sendError('5151')) as PermanentSendError).reason).toBe('invalid_address');
  });

  it('a token Telegram refuses is bad configuration', async () => {
    const wrong = new TelegramAdapter({ token: `999:${'B'.repeat(35)}`, apiRoot: fake.url, log, ...own() });
    const error = await wrong.send('4242', { kind: 'text', text: 'hallo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as PermanentSendError).reason).toBe('bad_config');
    expect(String((error as Error).message)).not.toContain('BBBB');
  });

  it('5xx, a proxy’s HTML error page and an unreachable server are retryable', async () => {
    fake.failNext({ method: 'sendMessage', code: 500, description: 'Internal Server Error' });
    expect(await sendError()).toBeInstanceOf(RetryableSendError);
    fake.failNext({ method: 'sendMessage', code: 502, description: 'Bad Gateway', html: true });
    expect(await sendError()).toBeInstanceOf(RetryableSendError);
    const nowhere = new TelegramAdapter({
      token: fake.token,
      apiRoot: `http://127.0.0.1:${await freePort()}`,
      log,
      ...own(),
    });
    const error = await nowhere.send('4242', { kind: 'text', text: 'hallo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBeUndefined();
  });

  it('returns Telegram’s message id', async () => {
    expect(await adapter.send('4343', { kind: 'text', text: 'hallo' })).toEqual({ platformMessageId: '101' });
  });
});

describe('receiving from Telegram', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await new FakeTelegram().start();
  });
  afterAll(async () => fake.close());

  it('removes a webhook before long polling, and answers a button press on receipt', async () => {
    fake.webhook = { url: 'https://old.example.nl/hook' };
    const { adapter, inbox } = await receiving(fake);
    try {
      const deleted = fake.calls.findIndex((c) => c.method === 'deleteWebhook');
      const polled = fake.calls.findIndex((c) => c.method === 'getUpdates');
      expect(deleted).toBeGreaterThanOrEqual(0);
      expect(polled === -1 || polled > deleted).toBe(true);
      const press = fake.inject(fake.callbackUpdate(777, '4:area2'));
      const id = (press.callback_query as { id: string }).id;
      await eventually(() => fake.callsTo('answerCallbackQuery').length === 1, 5_000, 'the answer');
      expect(fake.callsTo('answerCallbackQuery')[0]!.payload).toMatchObject({ callback_query_id: id });
      expect(inbox).toMatchObject([{ address: '777', payload: { kind: 'choice', ref: 'area', value: '2' } }]);
    } finally {
      await adapter.stop();
    }
  });

  it('drops malformed updates and messages from groups, and keeps receiving', async () => {
    const { adapter, inbox } = await receiving(fake);
    try {
      fake.inject({ message: { message_id: 'x', text: 'kapot' } });
      fake.inject(replayed('group-message'));
      fake.inject(replayed('group-callback-query'));
      const last = fake.inject(fake.textUpdate(888, 'nog steeds daar?'));
      await eventually(() => inbox.length === 1, 5_000, 'the private message');
      expect(inbox[0]!.payload).toEqual({ kind: 'text', text: 'nog steeds daar?' });
      // Even an ignored button press is answered, so its spinner stops.
      await eventually(
        () => fake.callsTo('answerCallbackQuery').length >= 2,
        5_000,
        'the group press answered',
      );
      await eventually(() => fake.confirmedOffset === (last.update_id as number) + 1, 5_000, 'the offset');
    } finally {
      await adapter.stop();
    }
  });

  it('keeps an update until it is queued when the queue is away for a while', async () => {
    let failures = 2;
    const queued: InboundMessage[] = [];
    const offsetsWhileAway: number[] = [];
    const { adapter } = await receiving(fake, {
      sink: async (m) => {
        offsetsWhileAway.push(fake.confirmedOffset);
        if (failures-- > 0) throw new Error('Redis is away');
        queued.push(m);
      },
    });
    try {
      const update = fake.inject(fake.textUpdate(999, 'hallo'));
      await eventually(() => queued.length === 1, 10_000, 'the update queued');
      expect(queued[0]!.platformId).toBe(`m999:${(update.message as { message_id: number }).message_id}`);
      // Telegram was never told the update was taken while it could not be queued.
      expect(offsetsWhileAway).toHaveLength(3);
      for (const offset of offsetsWhileAway) expect(offset).toBeLessThanOrEqual(update.update_id as number);
      await eventually(() => fake.confirmedOffset === (update.update_id as number) + 1, 5_000, 'the offset');
    } finally {
      await adapter.stop();
    }
  });

  it('stops a long poll within a second and confirms what it queued', async () => {
    const { adapter } = await receiving(fake, { pollTimeoutSeconds: 30 });
    const update = fake.inject(fake.textUpdate(1001, 'hallo'));
    await eventually(() => fake.polling && fake.pendingUpdates <= 1, 5_000, 'a waiting long poll');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await adapter.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.polling).toBe(false);
    expect(fake.confirmedOffset).toBe((update.update_id as number) + 1);
  });

  it('refuses to start with a token Telegram does not accept', async () => {
    const adapter = new TelegramAdapter({ token: `999:${'B'.repeat(35)}`, apiRoot: fake.url, log, ...own() });
    const error = await adapter.start(async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toMatch(/^Configuration error: TELEGRAM_BOT_TOKEN is invalid: .*401/);
    expect((error as Error).message).not.toContain('BBBB');
    expect(adapter.isReceiving).toBe(false);
  });

  it('registers the webhook with its secret and does not poll', async () => {
    const before = fake.callsTo('getUpdates').length;
    const { adapter } = await receiving(fake, {
      webhook: { url: 'https://straatpraat.example.nl/telegram/webhook', secret: 'geheim-0123456789abcdef' },
    });
    try {
      expect(fake.webhook).toMatchObject({
        url: 'https://straatpraat.example.nl/telegram/webhook',
        secret_token: 'geheim-0123456789abcdef',
        allowed_updates: ['message', 'callback_query'],
      });
      const press = fake.callbackUpdate(555, '1:r1');
      expect(await adapter.receive(press)).toBe('queued');
      expect(await adapter.receive({ update_id: 1, message: 'kapot' })).toBe('invalid');
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.callsTo('getUpdates').length).toBe(before);
    } finally {
      await adapter.stop();
      fake.webhook = undefined;
    }
  });

  it('refuses to start, in one line naming the API root, when the Bot API does not answer at all', async () => {
    const port = await freePort();
    const adapter = new TelegramAdapter({
      token: FAKE_TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      log,
      pollTimeoutSeconds: 5,
      ...own(),
    });
    await expect(adapter.start(async () => {})).rejects.toThrow(StartupError);
    await expect(adapter.start(async () => {})).rejects.toThrow(
      new RegExp(`^The Telegram Bot API is not reachable at http://127\\.0\\.0\\.1:${port} `),
    );
    expect(adapter.isReceiving).toBe(false);
  });

  it('starts when the Bot API is busy (5xx), and receives once it answers', async () => {
    const busy = await new FakeTelegram().start();
    busy.failNext({ method: 'getMe', code: 502, description: 'Bad Gateway', times: 2 });
    const adapter = new TelegramAdapter({
      token: busy.token,
      apiRoot: busy.url,
      log,
      pollTimeoutSeconds: 5,
      ...own(),
    });
    const inbox: InboundMessage[] = [];
    await adapter.start(async (m) => {
      inbox.push(m);
    });
    try {
      busy.inject(busy.textUpdate(1234, 'hallo'));
      await eventually(() => inbox.length === 1, 15_000, 'the message after the API recovered');
    } finally {
      await adapter.stop();
      await busy.close();
    }
  });
});
