import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramAdapter } from '../../adapters/telegram/adapter.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { OutboxDrain } from '../../src/queue/outbox-drain.js';
import { Pacing } from '../../src/queue/pacing.js';
import { startTestApp } from '../helpers/app.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';

// A sender whose claim on a reply ran out (its event loop stood still) must not send it: another
// sender has claimed the row meanwhile and sends it. The app here has no Telegram channel, so the
// test's drain is the only one taking Telegram rows.

/** Pacing whose wait for the rate holds until the test lets it go (a sender that stood still). */
class StallingPacing extends Pacing {
  #stalled!: () => void;
  #release!: () => void;
  readonly stalled = new Promise<void>((resolve) => {
    this.#stalled = resolve;
  });
  readonly #released = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  override async takeRate(): Promise<void> {
    this.#stalled();
    await this.#released;
  }
  release(): void {
    this.#release();
  }
}

let fake: FakeTelegram;
let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  ({ app, stop } = await startTestApp());
});
afterAll(async () => {
  await stop?.();
  await fake?.close();
});

describe('the reply drain', () => {
  it('does not send a reply whose claim another sender took while it stood still', async () => {
    const log = createLogger('silent');
    const prefix = app.env.QUEUE_PREFIX;
    const pacing = new StallingPacing({ connection: app.redis, prefix, channel: 'telegram' });
    const adapter = new TelegramAdapter({
      token: fake.token,
      apiRoot: fake.url,
      log,
      redis: app.redis,
      prefix,
    });
    const chat = 782_000_000;
    const [resident] = await app.db
      .insertInto('residents')
      .values({ channel: 'telegram', address: String(chat) })
      .returning('id')
      .execute();
    const now = new Date();
    const [row] = await app.db
      .insertInto('outbound_messages')
      .values({
        resident_id: resident!.id,
        channel: 'telegram',
        kind: 'reply',
        body: JSON.stringify({ kind: 'text', text: 'hallo' }),
        seq: 0,
        created_at: now,
        drain_after: now,
      })
      .returning('id')
      .execute();
    const drain = new OutboxDrain({
      connection: app.redis,
      prefix,
      adapter,
      db: app.db,
      pacing,
      log,
      metrics: app.metrics,
      lockMs: 60_000,
      image: async () => undefined,
      pauseChannel: async () => {},
    });
    drain.start();
    try {
      await pacing.stalled;
      // The claim ran out and another sender claimed the row (as `#claim` does after `claimed_until`).
      await app.db
        .updateTable('outbound_messages')
        .set({ claimed_until: new Date(Date.now() + 120_000) })
        .where('id', '=', row!.id)
        .execute();
      pacing.release();
      // Anything the stalled sender would still send has had time to go.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(fake.sent(chat)).toHaveLength(0);
      const after = await app.db
        .selectFrom('outbound_messages')
        .select(['status', 'attempts', 'claimed_until'])
        .where('id', '=', row!.id)
        .executeTakeFirstOrThrow();
      expect(after.status).toBe('queued');
      expect(after.attempts).toBe(0);
      expect(after.claimed_until).not.toBeNull();
    } finally {
      await drain.close();
    }
  });
});
