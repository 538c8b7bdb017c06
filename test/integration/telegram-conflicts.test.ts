import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TelegramAdapter, type TelegramAdapterOptions } from '../../adapters/telegram/adapter.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { startTestApp } from '../helpers/app.js';
import { eventually, REDIS_URL } from '../helpers/env.js';
import { FAKE_TOKEN, FakeTelegram, telegramApiFixture } from '../helpers/fake-telegram.js';

let fake: FakeTelegram;
let redis: Redis;
beforeAll(async () => {
  fake = await new FakeTelegram().start();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await fake?.close();
});

const started: TelegramAdapter[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((a) => a.stop()));
  fake.webhook = undefined;
});

/** A logger whose lines (parsed JSON) land in the returned list. */
function capturing() {
  const lines: { level: number; msg: string; code?: number }[] = [];
  const out = new PassThrough();
  out.on('data', (chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { log: createLogger('info', out), lines };
}

/** One process of an installation (`prefix`), polling the fake Bot API. */
async function poller(prefix: string, extra: Partial<TelegramAdapterOptions> = {}) {
  const inbox: InboundMessage[] = [];
  const adapter = new TelegramAdapter({
    token: fake.token,
    apiRoot: fake.url,
    log: createLogger('silent'),
    redis,
    prefix,
    leaseMs: 900,
    pollTimeoutSeconds: 1,
    ...extra,
  });
  started.push(adapter);
  await adapter.start(async (m) => {
    inbox.push(m);
  });
  return { adapter, inbox };
}

const conflicts = () => fake.calls.filter((c) => c.status === 409);

describe('long polling from several processes', () => {
  it('polls from one process at a time, without conflicts, and the other takes over when it stops', async () => {
    const prefix = `sptest-tg-${randomBytes(5).toString('hex')}`;
    const before = conflicts().length;
    const one = await poller(prefix);
    const two = await poller(prefix);
    await eventually(() => one.adapter.polls || two.adapter.polls, 5_000, 'a poller');
    // Long enough for several long polls and lease renewals.
    await new Promise((r) => setTimeout(r, 2_500));
    expect([one.adapter.polls, two.adapter.polls].filter(Boolean)).toHaveLength(1);
    expect(conflicts().length - before).toBe(0);

    fake.inject(fake.textUpdate(4401, 'hallo'));
    await eventually(() => one.inbox.length + two.inbox.length === 1, 5_000, 'the update');

    const [holder, standby] = one.adapter.polls ? [one, two] : [two, one];
    await holder.adapter.stop();
    await eventually(() => standby.adapter.polls, 5_000, 'the standby to take over');
    fake.inject(fake.textUpdate(4402, 'nog een'));
    await eventually(() => standby.inbox.some((m) => m.address === '4402'), 5_000, 'the next update');
    expect(conflicts().length - before).toBe(0);
  });

  it('treats a webhook set by someone else as an error, and says so in its health', async () => {
    const { log, lines } = capturing();
    const { adapter } = await poller(`sptest-tg-${randomBytes(5).toString('hex')}`, { log });
    await eventually(() => adapter.polls && fake.polling, 5_000, 'a waiting long poll');

    await fake.setWebhookElsewhere('https://elders.example.nl/hook');
    await eventually(
      () => lines.some((l) => l.code === 409 && l.level === 50 && /webhook is set/.test(l.msg)),
      5_000,
      'an error naming the webhook',
    );
    expect(lines.filter((l) => l.code === 409 && l.level < 50)).toEqual([]);
    expect(await adapter.health()).toMatchObject({
      mode: 'polling',
      problem: expect.stringMatching(/webhook/),
    });
  });

  it('treats another program polling with the token as an error, not as expected', async () => {
    const { log, lines } = capturing();
    const { adapter } = await poller(`sptest-tg-${randomBytes(5).toString('hex')}`, { log });
    await eventually(() => adapter.polls && fake.polling, 5_000, 'a waiting long poll');
    expect(await fake.pollElsewhere()).toBe(200);
    await eventually(
      () => lines.some((l) => l.code === 409 && l.level === 50 && /another program polls/.test(l.msg)),
      5_000,
      'an error naming the other poller',
    );
  });
});

describe('webhook mode', () => {
  it('asks Telegram about the webhook at start and shows pending updates and the last error in /readyz', async () => {
    const failing = telegramApiFixture('get-webhook-info-failing').result as Record<string, unknown>;
    const { last_error_date, last_error_message, ip_address } = failing;
    fake.webhookErrors = { last_error_date, last_error_message, ip_address };
    fake.inject(fake.textUpdate(4403, 'hallo'));
    fake.inject(fake.textUpdate(4404, 'hallo'));
    const { app, stop } = await startTestApp({
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_WEBHOOK_URL: failing.url as string,
      TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789abcdef',
    });
    try {
      const set = fake.calls.findLastIndex((c) => c.method === 'setWebhook');
      const info = fake.calls.findLastIndex((c) => c.method === 'getWebhookInfo');
      expect(info).toBeGreaterThan(set);
      const res = await fetch(`http://127.0.0.1:${app.httpPort}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ready',
        channels: {
          telegram: {
            mode: 'webhook',
            pendingUpdates: 2,
            lastError: 'Wrong response from the webhook: 502 Bad Gateway',
            lastErrorAt: new Date((last_error_date as number) * 1000).toISOString(),
          },
        },
      });
    } finally {
      await stop();
      fake.webhookErrors = {};
    }
  });
});
