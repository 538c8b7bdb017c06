import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCallbackData } from '../../adapters/telegram/callback-data.js';
import type { App } from '../../src/app.js';
import { outboundBodyOf } from '../../src/db/outbound-body.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';

// The whole app in-process on the real PostgreSQL and Redis, receiving by long polling from a fake
// Bot API. Assertions are about mechanics (calls, statuses, counts), not the flows' texts.

const PER_CHAT_MS = 400;
/** Timer and network jitter on a loaded machine, between the worker's gate and the fake's clock. */
const JITTER_MS = 250;
let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  fake = await new FakeTelegram({
    rate: { perSecond: 30, perChatIntervalMs: PER_CHAT_MS },
    toleranceMs: JITTER_MS,
  }).start();
  ({ app, stop } = await startTestApp({
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_PER_CHAT_INTERVAL_MS: String(PER_CHAT_MS),
  }));
});
afterAll(async () => {
  await stop?.();
  await fake?.close();
});

let nextChat = 880_000_000;
const newChat = () => ++nextChat;

/** The outbound rows of the resident behind a chat, oldest first. */
async function outbound(chat: number) {
  return app.db
    .selectFrom('outbound_messages as o')
    .innerJoin('residents as r', 'r.id', 'o.resident_id')
    .select(['o.status', 'o.attempts', 'o.body', 'o.sealed_body'])
    .where('r.channel', '=', 'telegram')
    .where('r.address', '=', String(chat))
    .orderBy('o.created_at')
    .orderBy('o.seq')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, body: outboundBodyOf(r) })));
}

/** Waits until every reply to this chat is sent and Telegram has exactly those messages. */
async function allDelivered(chat: number, what = `the replies to ${chat}`): Promise<number> {
  return eventually(
    async () => {
      const rows = await outbound(chat);
      const done = rows.length > 0 && rows.every((r) => r.status === 'sent');
      return done && fake.sent(chat).length === rows.length ? rows.length : 0;
    },
    20_000,
    what,
  );
}

async function inboundCount(chat: number): Promise<number> {
  const rows = await app.db
    .selectFrom('message_log as m')
    .innerJoin('residents as r', 'r.id', 'm.resident_id')
    .select('m.id')
    .where('r.address', '=', String(chat))
    .where('m.direction', '=', 'in')
    .execute();
  return rows.length;
}

describe('Telegram by long polling, the whole app', () => {
  it('answers a new resident’s "hallo" with sendMessage, every reply once', async () => {
    const chat = newChat();
    fake.inject(fake.textUpdate(chat, 'hallo'));
    const replies = await allDelivered(chat);
    expect(replies).toBeGreaterThanOrEqual(1);
    const resident = await app.db
      .selectFrom('residents')
      .select(['channel', 'status'])
      .where('address', '=', String(chat))
      .executeTakeFirstOrThrow();
    expect(resident).toEqual({ channel: 'telegram', status: 'active' });
    for (const call of fake.sent(chat)) expect(String(call.payload.text).length).toBeGreaterThan(0);
  });

  it('lets a new user join and answer veerkracht-kort by pressing buttons and by typing', async () => {
    const chat = newChat();
    /** The newest question the bot asked this chat, as stored. */
    const lastAsk = async () => {
      const rows = await outbound(chat);
      const asks = rows.map((r) => r.body as { kind: string; ref?: string; options?: { value: string }[] });
      return asks.filter((b) => b.kind === 'ask').at(-1)!;
    };
    const press = async (index: number) => {
      const ask = await lastAsk();
      const data = encodeCallbackData(ask.ref!, ask.options![index]!.value)!;
      fake.inject(fake.callbackUpdate(chat, data));
    };
    const step = async (act: () => Promise<void> | void) => {
      const before = (await outbound(chat)).length;
      await act();
      await eventually(async () => (await outbound(chat)).length > before, 15_000, 'the next reply');
      await allDelivered(chat);
    };
    await step(() => void fake.inject(fake.textUpdate(chat, 'hallo')));
    await step(() => press(0)); // Nederlands
    await step(() => press(0)); // ja, ik doe mee
    await step(() => press(0)); // Nazareth
    await step(() => void fake.inject(fake.textUpdate(chat, '3'))); // 27–40, typed
    await step(() => press(3)); // thuis: 4, a button
    await step(() => void fake.inject(fake.textUpdate(chat, 'niet echt'))); // hulp: 2, typed
    await step(() => press(4)); // vertrouwen: 5, a button
    const resident = await app.db
      .selectFrom('residents')
      .select(['area'])
      .where('channel', '=', 'telegram')
      .where('address', '=', String(chat))
      .executeTakeFirstOrThrow();
    expect(resident.area).toBe('nazareth');
    const answers = await app.db
      .selectFrom('answers')
      .select(['question', 'answer_code', 'area', 'channel'])
      .where('poll', '=', 'veerkracht-kort')
      .where('area', '=', 'nazareth')
      .orderBy('id')
      .execute();
    // The monitor store does not keep the channel: with area and language it would single people out.
    expect(answers.every((a) => a.channel === null)).toBe(true);
    expect(answers.map((a) => [a.question, a.answer_code])).toEqual([
      ['thuis', '4'],
      ['hulp', '2'],
      ['vertrouwen', '5'],
    ]);
    // Every button press was answered, so no button keeps spinning.
    expect(fake.callsTo('answerCallbackQuery').length).toBeGreaterThanOrEqual(5);
  }, 90_000);

  it('has one effect when Telegram delivers the same message twice', async () => {
    const chat = newChat();
    const update = fake.textUpdate(chat, 'hallo');
    fake.inject(update);
    fake.inject(update);
    // The same message in a new update (as after switching between webhook and polling).
    fake.inject({ ...update, update_id: undefined });
    const replies = await allDelivered(chat);
    await new Promise((r) => setTimeout(r, 500));
    expect(await inboundCount(chat)).toBe(1);
    expect(fake.sent(chat)).toHaveLength(replies);
    expect(await outbound(chat)).toHaveLength(replies);
  });

  it('answers a button press and takes it as the resident’s choice', async () => {
    const chat = newChat();
    fake.inject(fake.textUpdate(chat, 'hallo'));
    await allDelivered(chat);
    const withButtons = fake
      .sent(chat)
      .map((c) => c.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] } | undefined)
      .filter((m) => m !== undefined);
    const before = await inboundCount(chat);
    const data = withButtons.at(-1)?.inline_keyboard[0]?.[0]?.callback_data ?? '1:x1';
    const press = fake.inject(fake.callbackUpdate(chat, data));
    const id = (press.callback_query as { id: string }).id;
    await eventually(
      () => fake.callsTo('answerCallbackQuery', true).some((c) => c.payload.callback_query_id === id),
      5_000,
      'the press answered',
    );
    await eventually(async () => (await inboundCount(chat)) === before + 1, 10_000, 'the press handled');
  });

  it('passes /start with a join parameter on as a command', async () => {
    const chat = newChat();
    // A finished inbound job is removed at once, so the message is caught on its way into the queue.
    const accepted: unknown[] = [];
    const accept = app.ingress.accept.bind(app.ingress);
    app.ingress.accept = (message) => {
      accepted.push(message);
      return accept(message);
    };
    fake.inject(fake.textUpdate(chat, '/start nazareth'));
    await eventually(() => accepted.length > 0, 5_000);
    app.ingress.accept = accept;
    expect(accepted[0]).toMatchObject({
      channel: 'telegram',
      address: String(chat),
      payload: { kind: 'command', name: 'start', args: 'nazareth' },
      hints: { languageCode: 'nl' },
    });
    await allDelivered(chat);
  });

  it('pauses for Telegram’s retry_after on a 429, then delivers everything once', async () => {
    const flood = 'Too Many Requests: retry after 2 (scripted)';
    fake.failNext({ method: 'sendMessage', code: 429, description: flood, retryAfter: 2 });
    const chats = [newChat(), newChat(), newChat()];
    for (const chat of chats) fake.inject(fake.textUpdate(chat, 'hallo'));
    for (const chat of chats) await allDelivered(chat);
    const mine = fake
      .callsTo('sendMessage')
      .filter((c) => chats.map(String).includes(String(c.payload.chat_id)));
    const limited = mine.filter((c) => c.description === flood);
    expect(limited).toHaveLength(1);
    // Sends already under way may land just after the 429; nothing new starts during the wait.
    const during = mine.filter((c) => c.at > limited[0]!.at + 100 && c.at < limited[0]!.at + 1_900);
    expect(during).toEqual([]);
    // The next send comes about 2 s later.
    const next = mine.find((c) => c.at > limited[0]!.at + 100);
    expect(next!.at - limited[0]!.at).toBeGreaterThanOrEqual(1_900);
    expect(next!.at - limited[0]!.at).toBeLessThan(6_000);
    let total = 0;
    for (const chat of chats) total += (await outbound(chat)).length;
    expect(mine.filter((c) => c.status === 200)).toHaveLength(total);
  });

  it('marks a resident who blocked the bot as stopped, without retrying', async () => {
    const chat = newChat();
    fake.block(chat);
    fake.inject(fake.textUpdate(chat, 'hallo'));
    await eventually(
      async () =>
        (
          await app.db
            .selectFrom('residents')
            .select('status')
            .where('address', '=', String(chat))
            .executeTakeFirst()
        )?.status === 'stopped',
      10_000,
      'the resident stopped',
    );
    await eventually(async () => (await outbound(chat)).every((r) => r.status === 'failed'), 10_000);
    // Longer than the first retry's backoff (2 s): a retry would have shown by now.
    await new Promise((r) => setTimeout(r, 2_500));
    const rows = await outbound(chat);
    expect(rows.every((r) => r.status === 'failed' && r.attempts === 1)).toBe(true);
    expect(
      fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat)),
    ).toHaveLength(rows.length);
  });

  it('retries a 5xx and then delivers', async () => {
    const chat = newChat();
    fake.failNext({ method: 'sendMessage', code: 502, description: 'Bad Gateway', chatId: chat });
    fake.inject(fake.textUpdate(chat, 'hallo'));
    const replies = await allDelivered(chat);
    const calls = fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat));
    const failed = calls.filter((c) => c.status === 502);
    expect(failed).toHaveLength(1);
    const delivered = calls.filter((c) => c.status === 200);
    expect(delivered).toHaveLength(replies);
    expect(delivered.filter((c) => c.payload.text === failed[0]!.payload.text)).toHaveLength(1);
  });

  it('keeps the replies in order when the first one has to be retried', async () => {
    const chat = newChat();
    fake.failNext({ method: 'sendMessage', code: 502, description: 'Bad Gateway', chatId: chat });
    fake.inject(fake.textUpdate(chat, 'hallo'));
    await allDelivered(chat);
    const expected = (await outbound(chat)).map((r) => (r.body as { text: string }).text.slice(0, 40));
    const delivered = fake
      .sent(chat)
      .filter((c) => c.status === 200)
      .map((c) => String(c.payload.text));
    expect(delivered.map((text, i) => text.startsWith(expected[i]!))).toEqual(expected.map(() => true));
  });

  it('keeps messages to one chat apart, within Telegram’s limits throughout', async () => {
    const chat = newChat();
    fake.inject(fake.textUpdate(chat, 'hallo'));
    await allDelivered(chat);
    const times = fake.sent(chat).map((c) => c.at);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(PER_CHAT_MS - JITTER_MS);
    }
    expect(fake.violations).toEqual([]);
  });

  it('delivers the replies to one message in the order the flow made them', async () => {
    const chat = newChat();
    fake.inject(fake.textUpdate(chat, 'hallo'));
    await allDelivered(chat);
    // An ask goes out as its question followed by the numbered options.
    const expected = (await outbound(chat)).map((r) => (r.body as { text: string }).text.slice(0, 40));
    const got = fake.sent(chat).map((c) => String(c.payload.text));
    expect(got.map((text, i) => text.startsWith(expected[i]!))).toEqual(expected.map(() => true));
  });
});
