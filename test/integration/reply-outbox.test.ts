import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { Outbox } from '../../src/queue/outbox.js';
import { wakeSenders } from '../../src/queue/outbox-drain.js';
import { startTelegramTestApps } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, type TestSetup } from '../helpers/env.js';
import type { FakeTelegram } from '../helpers/fake-telegram.js';

// Replies the engine stores wait in the outbox (their `outbound_messages` rows) and each channel's
// sender takes them from there. Two processes send here, so every guarantee is checked with a
// second sender taking from the same outbox.

const RATE = 10;
const PER_CHAT_MS = 200;
/** Timer and network jitter on a loaded machine, between the sender's clock and the fake's. */
const JITTER_MS = 300;

let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;
let setup: TestSetup;

beforeAll(async () => {
  // No quiet hours: the flash's messages go whatever the hour the test runs.
  ({ fake, app, stop, setup } = await startTelegramTestApps(
    { ratePerSecond: RATE, perChatMs: PER_CHAT_MS },
    { QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' },
  ));
});
afterAll(async () => {
  await stop?.();
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

  it('shows its backlog per channel in the metrics and in queue status, without addresses', async () => {
    // WhatsApp has no sender here: its rows stay as written.
    const address = '31612345678@s.whatsapp.net';
    const resident = await app.db
      .insertInto('residents')
      .values({ channel: 'whatsapp', address })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const row = (seq: number, extra: Record<string, unknown>) => ({
      resident_id: resident.id,
      channel: 'whatsapp',
      kind: 'reply',
      body: JSON.stringify({ kind: 'text', text: 'geheim antwoord' }),
      seq,
      created_at: new Date(now),
      ...extra,
    });
    await app.db
      .insertInto('outbound_messages')
      .values([
        row(0, { drain_after: new Date(now) }),
        row(1, { drain_after: new Date(now + 60_000) }),
        row(2, { drain_after: new Date(now), claimed_until: new Date(now + 3_600_000) }),
        row(3, { drain_after: new Date(now), status: 'failed', error: 'whatsapp: refused' }),
        // Sent through a queue job (no drain_after): the queue's failed jobs count it, not the outbox.
        row(4, { status: 'failed', error: 'whatsapp: refused' }),
        row(5, { drain_after: null, status: 'sent' }),
        // A flash's message waiting in the outbox: counted apart as a broadcast.
        row(6, { drain_after: new Date(now), kind: 'bulk' }),
      ])
      .execute();
    const text = await app.metrics.registry.metrics();
    expect(text).toMatch(/^straatpraat_outbox_depth\{channel="whatsapp",kind="reply",state="waiting"\} 2$/m);
    expect(text).toMatch(/^straatpraat_outbox_depth\{channel="whatsapp",kind="reply",state="claimed"\} 1$/m);
    expect(text).toMatch(/^straatpraat_outbox_depth\{channel="whatsapp",kind="reply",state="failed"\} 1$/m);
    expect(text).toMatch(/^straatpraat_outbox_depth\{channel="whatsapp",kind="bulk",state="waiting"\} 1$/m);
    expect(text).not.toContain('31612345678');

    const run = await runCli(['queue', 'status', '--json'], setup.vars);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as {
      queues: { queue: string }[];
      outbox: { channel: string; waiting: number; claimed: number; failed: number }[];
    };
    expect(status.outbox.find((o) => o.channel === 'whatsapp')).toEqual({
      channel: 'whatsapp',
      waiting: 3,
      claimed: 1,
      failed: 1,
      replies: { waiting: 2, claimed: 1, failed: 1 },
      broadcasts: { waiting: 1, claimed: 0, failed: 0 },
    });
    expect(status.queues.map((q) => q.queue)).toContain('outbound-telegram');
    const lines = await runCli(['queue', 'status'], setup.vars);
    expect(lines.stdout).toContain(
      'outbox whatsapp: 3 waiting, 1 being sent, 1 failed (broadcasts: 1 waiting, 0 being sent, 0 failed)',
    );
    for (const out of [run.stdout, lines.stdout]) {
      expect(out).not.toContain('31612345678');
      expect(out).not.toContain('geheim');
    }
  });

  it('sends failed replies again after queue retry, in the order written, and never a reply already sent', async () => {
    // A reply the platform refused for good, while the replies after it went.
    const refused = 784_000_000;
    fake.failNext({
      method: 'sendMessage',
      code: 400,
      description: 'Bad Request: message is too long',
      chatId: refused,
    });
    await storeReplies([refused], textsOf);
    await eventually(() => fake.sent(refused).length >= 2, 20_000, 'the replies after the refused one');
    expect(fake.sent(refused).map((c) => c.payload.text)).toEqual(textsOf(refused).slice(1));

    // Replies that failed after their last attempt an hour ago, around one that was sent.
    const stuck = 784_100_000;
    const resident = await app.db
      .insertInto('residents')
      .values({ channel: 'telegram', address: String(stuck) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hourAgo = new Date(Date.now() - 3_600_000);
    const texts = ['eerste', 'al verstuurd', 'tweede', 'derde'].map((t) => `${stuck} ${t}`);
    await app.db
      .insertInto('outbound_messages')
      .values(
        texts.map((text, seq) => ({
          resident_id: resident.id,
          channel: 'telegram',
          kind: 'reply',
          body: JSON.stringify({ kind: 'text', text }),
          seq,
          created_at: hourAgo,
          drain_after: hourAgo,
          ...(seq === 1
            ? { status: 'sent', attempts: 1, sent_at: hourAgo }
            : { status: 'failed', attempts: 8, error: 'telegram 502: Bad Gateway' }),
        })),
      )
      .execute();

    const failed = await runCli(['queue', 'failed', '--json'], setup.vars);
    expect(failed.code, failed.stderr).toBe(0);
    const report = JSON.parse(failed.stdout) as {
      outbox: { channel: string; failed: number; reasons: { reason: string; replies: number }[] }[];
    };
    const telegram = report.outbox.find((o) => o.channel === 'telegram');
    expect(telegram?.reasons).toEqual(
      expect.arrayContaining([
        { reason: 'telegram 502: Bad Gateway', replies: 3 },
        { reason: 'bad_request: telegram 400: Bad Request: message is too long', replies: 1 },
      ]),
    );
    expect(failed.stdout).not.toContain(String(stuck));
    expect(failed.stdout).not.toContain(String(refused));

    const retry = await runCli(['queue', 'retry', '--queue', 'outbound-telegram', '--json'], setup.vars);
    expect(retry.code, retry.stderr).toBe(0);
    // The reply to the resident who blocked the bot (the test before) stays failed.
    expect(JSON.parse(retry.stdout)).toMatchObject({
      outbox: [{ channel: 'telegram', replies: 4 }],
      replies: 4,
    });

    await eventually(() => fake.sent(stuck).length >= 3, 20_000, 'the three failed replies');
    await eventually(() => fake.sent(refused).length >= 3, 20_000, 'the refused reply');
    // A second retry finds nothing: each reply goes once.
    const again = await runCli(['queue', 'retry', '--queue', 'outbound-telegram', '--json'], setup.vars);
    expect(JSON.parse(again.stdout)).toMatchObject({ replies: 0 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fake.sent(stuck).map((c) => c.payload.text)).toEqual([texts[0], texts[2], texts[3]]);
    expect(fake.sent(refused).map((c) => c.payload.text)).toEqual([
      ...textsOf(refused).slice(1),
      textsOf(refused)[0],
    ]);
    const rows = await app.db
      .selectFrom('outbound_messages')
      .select(['status', 'attempts'])
      .where('resident_id', '=', resident.id)
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
    const audit = await app.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', '=', 'queue.retry')
      .execute();
    expect(audit).toEqual([
      { actor: 'cli', action: 'queue.retry' },
      { actor: 'cli', action: 'queue.retry' },
    ]);
  });

  it('sends a failed message that went through a queue job again after queue retry', async () => {
    const chat = 785_000_000;
    const resident = await app.db
      .insertInto('residents')
      .values({ channel: 'telegram', address: String(chat) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const text = `${chat} via de wachtrij`;
    // A staff message held for quiet hours, say: its row has a job, not a place in the outbox.
    const row = await app.db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident.id,
        channel: 'telegram',
        kind: 'reply',
        body: JSON.stringify({ kind: 'text', text }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    fake.failNext({
      method: 'sendMessage',
      code: 400,
      description: 'Bad Request: message is too long',
      chatId: chat,
    });
    await new Outbox(app.queues).enqueue([
      {
        outboundId: row.id,
        residentId: resident.id,
        channel: 'telegram',
        address: String(chat),
        kind: 'reply',
        message: { kind: 'text', text },
        queuedAt: Date.now(),
      },
    ]);
    const status = async () =>
      (
        await app.db
          .selectFrom('outbound_messages')
          .select(['status', 'attempts'])
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()
      ).status;
    await eventually(async () => (await status()) === 'failed', 20_000, 'the message to fail');
    const retry = await runCli(['queue', 'retry', '--queue', 'outbound-telegram', '--json'], setup.vars);
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ total: 1, replies: 0 });
    await eventually(() => fake.sent(chat).length === 1, 20_000, 'the message sent after the retry');
    expect(fake.sent(chat)[0]!.payload.text).toBe(text);
    expect(await status()).toBe('sent');
  });
  it("sends a flash's messages from the outbox after the replies, and one resident's two flashes in order", async () => {
    const flashChats = Array.from({ length: 60 }, (_, i) => 786_000_000 + i);
    const replyChats = [786_100_000, 786_100_001, 786_100_002];
    const residents = await app.db
      .insertInto('residents')
      .values([...flashChats, ...replyChats].map((c) => ({ channel: 'telegram', address: String(c) })))
      .returning(['id', 'address'])
      .execute();
    const idOf = new Map(residents.map((r) => [Number(r.address), r.id]));
    const written = new Date(Date.now() - 1_000);
    const bulk = (chat: number, text: string, seq: number) => ({
      resident_id: idOf.get(chat)!,
      channel: 'telegram',
      kind: 'bulk',
      body: JSON.stringify({ kind: 'text', text }),
      seq,
      created_at: written,
      drain_after: written,
    });
    // The flash was written first; the replies a moment later, before any sender looked.
    await app.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('outbound_messages')
        .values([
          ...flashChats.map((c) => bulk(c, `${c} flits`, 0)),
          bulk(flashChats[0]!, `${flashChats[0]} tweede flits`, 1),
        ])
        .execute();
      await tx
        .insertInto('outbound_messages')
        .values(
          replyChats.map((c) => ({
            resident_id: idOf.get(c)!,
            channel: 'telegram',
            kind: 'reply',
            body: JSON.stringify({ kind: 'text', text: `${c} antwoord` }),
            seq: 0,
            created_at: new Date(),
            drain_after: new Date(),
          })),
        )
        .execute();
    });
    await wakeSenders(app.redis, app.env.QUEUE_PREFIX, ['telegram']);
    await eventually(
      () => flashChats.every((c) => fake.sent(c).length >= (c === flashChats[0] ? 2 : 1)),
      30_000,
      'the flash to every resident',
    );
    await new Promise((r) => setTimeout(r, 500));
    // The replies are claimed before the flash's rows written earlier. Sends already under way (two
    // senders, eight at a time each) may go first; taken in the order written, the replies would
    // have come after the whole flash.
    const flashTimes = flashChats.map((c) => fake.sent(c)[0]!.at);
    for (const chat of replyChats) {
      expect(fake.sent(chat).map((c) => c.payload.text)).toEqual([`${chat} antwoord`]);
      const at = fake.sent(chat)[0]!.at;
      expect(flashTimes.filter((t) => t > at).length).toBeGreaterThanOrEqual(flashChats.length / 2);
    }
    for (const chat of flashChats.slice(1))
      expect(fake.sent(chat).map((c) => c.payload.text)).toEqual([`${chat} flits`]);
    expect(fake.sent(flashChats[0]!).map((c) => c.payload.text)).toEqual([
      `${flashChats[0]} flits`,
      `${flashChats[0]} tweede flits`,
    ]);
  });
});
