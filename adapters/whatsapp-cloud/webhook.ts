import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from '../../src/log.js';
import type { DeclareMachineRoute } from '../channel.js';
import type { WhatsAppCloudAdapter } from './adapter.js';
import { normaliseWebhook } from './normalise.js';

/** Where Meta calls us (set this URL, with https and our host, in the app's WhatsApp configuration). */
export const WEBHOOK_PATH = '/webhooks/whatsapp';
/** Meta's calls are a few kB (it batches up to about 1,000 statuses); anything far larger is not Meta. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** The header in which Meta signs the raw body: `sha256=<hex of HMAC-SHA256 with the app secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface CloudWebhookOptions {
  adapter: WhatsAppCloudAdapter;
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  log: Logger;
  /** The app's way to exempt this route from the limits of pages (see `DeclareMachineRoute`). */
  machineRoute: DeclareMachineRoute;
}

/** The signature Meta puts on a body: over the exact bytes received, never over re-serialised JSON. */
export function signatureOf(body: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Mounts the Cloud API webhook at `/webhooks/whatsapp`:
 * - GET is Meta's verification handshake: with `hub.mode=subscribe` and our verify token it answers
 *   `hub.challenge`; a wrong token gets 403.
 * - POST must carry a valid `X-Hub-Signature-256` over the raw body (compared in constant time);
 *   anything else gets 401 and nothing is queued. A signed body is handled (messages queued,
 *   statuses applied) and answered 200; 500 only when queueing failed, so Meta delivers it again.
 * Bodies over 1 MiB are refused with 413 as they stream in; the route needs no same-origin
 * `Origin` (Meta's servers send none), as the signature authenticates every call.
 */
export function mountCloudWebhook(http: Hono, opts: CloudWebhookOptions): void {
  const log = opts.log.child({ channel: 'whatsapp-cloud' });
  const expectedToken = digest(opts.verifyToken);
  opts.machineRoute(WEBHOOK_PATH, WEBHOOK_BODY_LIMIT);

  http.get(WEBHOOK_PATH, (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge');
    if (mode !== 'subscribe' || token === undefined || !timingSafeEqual(digest(token), expectedToken)) {
      log.warn('whatsapp cloud webhook verification with a wrong token');
      return c.text('forbidden', 403);
    }
    if (!challenge || challenge.length > 256) return c.text('missing hub.challenge', 400);
    return c.text(challenge, 200);
  });

  http.post(WEBHOOK_PATH, async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const given = c.req.header(SIGNATURE_HEADER);
    // Compared as digests, so the comparison takes the same time whatever was sent.
    if (given === undefined || !timingSafeEqual(digest(given), digest(signatureOf(raw, opts.appSecret)))) {
      log.warn('whatsapp cloud webhook call without a valid signature');
      return c.json({ ok: false }, 401);
    }
    if (!opts.adapter.isReceiving) return c.json({ ok: false }, 503);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      log.warn('whatsapp cloud webhook body is not JSON; dropped');
      return c.json({ ok: true });
    }
    try {
      await opts.adapter.receive(normaliseWebhook(body, opts.phoneNumberId));
    } catch (error) {
      log.error({ reason: (error as Error).message }, 'whatsapp cloud webhook not handled; Meta will retry');
      return c.json({ ok: false }, 500);
    }
    return c.json({ ok: true });
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
