import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from '../../src/log.js';
import type { DeclareMachineRoute } from '../channel.js';
import type { TelegramAdapter } from './adapter.js';

/** The header in which Telegram repeats the `secret_token` given to setWebhook. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Updates are a few kB; anything far larger is not Telegram (refused with 413 as it streams in). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookRouteOptions {
  adapter: TelegramAdapter;
  /** The public webhook URL; its path is the route (a proxy in front forwards it unchanged). */
  url: string;
  secret: string;
  log: Logger;
  /** The app's way to exempt this route from the limits of pages (see `DeclareMachineRoute`). */
  machineRoute: DeclareMachineRoute;
}

/**
 * Mounts `POST <path of the webhook URL>`. A request without the right secret gets 401 and nothing
 * is queued. A body that does not validate gets 200 (Telegram would otherwise send it again and
 * again) and is logged. 500 only when queueing failed, so Telegram delivers the update again later;
 * 503 on a process that does not receive. Bodies over 1 MiB are cut off with 413 before the handler
 * runs; the route needs no same-origin `Origin` (Telegram's servers send none) as the secret header
 * authenticates every call.
 */
export function mountTelegramWebhook(http: Hono, opts: WebhookRouteOptions): void {
  const path = new URL(opts.url).pathname;
  const expected = digest(opts.secret);
  const log = opts.log.child({ channel: 'telegram' });
  opts.machineRoute(path, WEBHOOK_BODY_LIMIT);
  http.post(path, async (c) => {
    const given = c.req.header(SECRET_HEADER);
    // Compared as digests so the comparison takes the same time whatever the length.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      log.warn('telegram webhook call without the right secret');
      return c.json({ ok: false }, 401);
    }
    if (!opts.adapter.isReceiving) return c.json({ ok: false }, 503);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      log.warn('telegram webhook body is not JSON; dropped');
      return c.json({ ok: true });
    }
    try {
      await opts.adapter.receive(body);
    } catch (error) {
      log.error({ reason: (error as Error).message }, 'telegram update not queued; Telegram will retry');
      return c.json({ ok: false }, 500);
    }
    return c.json({ ok: true });
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
