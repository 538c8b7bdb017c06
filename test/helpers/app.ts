import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { type App, type Role, startApp } from '../../src/app.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/log.js';
import { type TestSetup, testSetup } from './env.js';
import { FAKE_TOKEN, FakeTelegram } from './fake-telegram.js';

/** An in-process installation on the real PostgreSQL and Redis, for one test file. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  role: Role = 'all',
): Promise<{ app: App; setup: TestSetup; stop(): Promise<void> }> {
  const setup = testSetup(overrides);
  const app = await startApp({ env: setup.env, log: createLogger('silent'), role });
  return {
    app,
    setup,
    async stop() {
      await app.stop();
      await setup.cleanup();
    },
  };
}

/**
 * The installation on a fake Bot API with these Telegram limits, and a second worker process on the
 * same installation: the limits and the outbox's guarantees hold for both together. `stop` ends all.
 */
export async function startTelegramTestApps(
  limits: {
    ratePerSecond: number;
    perChatMs: number;
  },
  env: Record<string, string> = {},
): Promise<{ fake: FakeTelegram; app: App; second: App; setup: TestSetup; stop(): Promise<void> }> {
  const fake = await new FakeTelegram().start();
  const started = await startTestApp({
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_RATE_PER_SECOND: String(limits.ratePerSecond),
    TELEGRAM_PER_CHAT_INTERVAL_MS: String(limits.perChatMs),
    ...env,
  });
  const second = await startApp({
    env: started.setup.env,
    log: createLogger('silent'),
    role: 'worker',
    http: false,
  });
  return {
    fake,
    second,
    ...started,
    async stop() {
      await second.stop();
      await started.stop();
      await fake.close();
    },
  };
}

let counter = 0;

/** A console message as the adapter makes it, with a unique platform id unless one is given. */
export function consoleMessage(address: string, text: string, platformId?: string): InboundMessage {
  counter += 1;
  return ConsoleAdapter.normalise(
    text,
    address,
    platformId ?? `t-${process.pid}-${Date.now()}-${counter}`,
    new Date(),
  );
}

/** Everything delivered to a console resident so far (without taking it off the list). */
export async function consoleInbox(app: App, address: string): Promise<string[]> {
  return app.redis.lrange(ConsoleAdapter.inboxKey(app.env.QUEUE_PREFIX, address), 0, -1);
}
