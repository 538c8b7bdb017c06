import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { Outbox } from '../../src/queue/outbox.js';
import { wakeSenders } from '../../src/queue/reply-drain.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.js';

// Replies the engine stores wait in the outbox (their `outbound_messages` rows) and each channel's
// sender takes them from there. Two processes send here, so every guarantee is checked with a
// second sender taking from the same outbox.

const RATE = 10;
const PER_CHAT_MS = 200;
/** Timer and network jitter on a loaded machine, between the sender's clock and the fake's. */
const JITTER_MS = 300;

let fake: FakeTelegram;
let app: App;
let second: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  let setup: { env: App['env'] };
  ({ app, stop, setup } = await startTestApp({
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_RATE_PER_SECOND: String(RATE),
    TELEGRAM_PER_CHAT_INTERVAL_MS: String(PER_CHAT_MS),
  }));
  second = await startApp({ env: setup.env, log: createLogger('silent'), role: 'worker', http: false });
});
afterAll(async () => {
  await second?.stop();
  await stop?.();
  await fake?.close();
});

/** Telegram residents with replies stored as the engine stores them, in the order written; then one signal. */
async function storeReplies(chats: number[], texts: (chat: number) => string[]): Promise<void> {
  const residents = await app.db
    .insertInto('residents')
    .values(chats.map((c) => ({ channel: 'telegram', address: String(c) })))
    .returning(['id', 'address'])
    .execute();
  const start = Date.now();
  for (const [round, seqs] of [
    [0, [0, 1]],
    [1, [0]],
  ] as const) {
    const rows = residents.flatMap((r) =>
      seqs.flatMap((seq) => {
        const text = texts(Number(r.address))[round * 2 + seq];
        if (text === undefined) return [];
        const at = new Date(start + round);
        return [
          {
            resident_id: r.id,
            channel: 'telegram',
            kind: 'reply',
            body: JSON.stringify({ kind: 'text', text }),
            seq,
            created_at: at,
            drain_after: at,
          },
        ];
      }),
    );
    if (rows.length > 0) await app.db.insertInto('outbound_messages').values(rows).execute();
  }
  await wakeSenders(app.redis, app.env.QUEUE_PREFIX, ['telegram']);
}

const textsOf = (chat: number) => [`${chat} een`, `${chat} twee`, `${chat} drie`];

describe('the reply outbox', () => {
  it('sends every stored reply once, in the order written per resident, with two senders taking from it', async () => {
    const chats = Array.from({ length: 12 }, (_, i) => 780_000_000 + i);
    await storeReplies(chats, textsOf);
    await eventually(
      () => chats.every((c) => fake.sent(c).length >= 3),
      30_000,
      'three replies to every resident',
    );
    // Anything a second sender would send twice has had time to go.
    await new Promise((r) => setTimeout(r, 1_000));
    for (const chat of chats) {
      expect(fake.sent(chat).map((c) => c.payload.text)).toEqual(textsOf(chat));
    }
    const rows = await app.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select(['o.status', 'o.drain_after', 'o.attempts'])
      .where('r.address', 'in', chats.map(String))
      .execute();
    expect(rows).toHaveLength(3 * chats.length);
    expect(rows.every((r) => r.status === 'sent' && r.drain_after === null && r.attempts === 1)).toBe(true);
  });

  it(`keeps the channel-wide rate of ${RATE} a second for replies from the outbox and queued messages together`, async () => {
    const stored = Array.from({ length: RATE }, (_, i) => 781_000_000 + i);
    const queued = Array.from({ length: RATE }, (_, i) => 781_100_000 + i);
    await storeReplies(stored, (chat) => [`${chat} opgeslagen`]);
    await new Outbox(app.queues).enqueue(
      queued.map((chat) => ({
        outboundId: null,
        residentId: null,
        channel: 'telegram' as const,
        address: String(chat),
        kind: 'reply' as const,
        message: { kind: 'text' as const, text: `${chat} in de wachtrij` },
        queuedAt: Date.now(),
      })),
    );
    const chats = [...stored, ...queued];
    await eventually(() => chats.every((c) => fake.sent(c).length === 1), 20_000, 'all messages');
    const times = chats.map((c) => fake.sent(c)[0]!.at).sort((a, b) => a - b);
    for (let i = RATE; i < times.length; i++) {
      expect(times[i]! - times[i - RATE]!).toBeGreaterThanOrEqual(1000 - JITTER_MS);
    }
  });

  it('tries a reply again after a platform error, once sent, and the reply after it waits for it', async () => {
    const chat = 782_000_000;
    fake.failNext({ method: 'sendMessage', code: 500, description: 'Internal Server Error', chatId: chat });
    await storeReplies([chat], textsOf);
    await eventually(() => fake.sent(chat).length >= 3, 30_000, 'three replies after the retry');
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.sent(chat).map((c) => c.payload.text)).toEqual(textsOf(chat));
    const first = await app.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select(['o.status', 'o.attempts'])
      .where('r.address', '=', String(chat))
      .orderBy('o.created_at')
      .orderBy('o.seq')
      .executeTakeFirstOrThrow();
    expect(first).toEqual({ status: 'sent', attempts: 2 });
  });

  it('records a reply to a resident who blocked the bot as failed and stops the resident', async () => {
    const chat = 783_000_000;
    fake.block(chat);
    await storeReplies([chat], (c) => [`${c} een`]);
    await eventually(
      async () => {
        const row = await app.db
          .selectFrom('outbound_messages as o')
          .innerJoin('residents as r', 'r.id', 'o.resident_id')
          .select(['o.status', 'r.status as resident'])
          .where('r.address', '=', String(chat))
          .executeTakeFirst();
        return row?.status === 'failed' && row.resident === 'stopped';
      },
      20_000,
      'the reply failed and the resident stopped',
    );
  });
});
