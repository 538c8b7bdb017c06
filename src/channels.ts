import type { Hono, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { ChannelAdapter, DeclareMachineRoute, SendGate } from '../adapters/channel.js';
import { ConsoleAdapter } from '../adapters/console/adapter.js';
import { TelegramAdapter } from '../adapters/telegram/adapter.js';
import { mountTelegramWebhook } from '../adapters/telegram/webhook.js';
import { WhatsAppAdapter } from '../adapters/whatsapp/adapter.js';
import { mountPairingPage } from '../adapters/whatsapp/pairing.js';
import { parseWebVersion } from '../adapters/whatsapp/version.js';
import { WhatsAppCloudAdapter } from '../adapters/whatsapp-cloud/adapter.js';
import { Templates } from '../adapters/whatsapp-cloud/templates.js';
import { mountCloudWebhook } from '../adapters/whatsapp-cloud/webhook.js';
import type { Env } from './config/env.js';
import type { Database } from './db/schema.js';
import { StartupError } from './domain/errors.js';
import type { ChannelName } from './domain/messages.js';
import { machineRoute } from './http/protect.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { dataKeySealer } from './privacy/sealed.js';
import type { SendPacing } from './queue/pacing.js';
import { type OutboundPayload, outboundJobId } from './queue/payloads.js';
import type { Queues } from './queue/queues.js';

/** How the outbound worker of a channel may send: how many at once, how fast (`SendPacing`), where. */
export interface SendPolicy extends SendPacing {
  /** Sends at the same time in one process. */
  concurrency: number;
  /**
   * Sending only where the gate is open. A gated channel's outbound worker runs in the process that
   * starts its adapter (roles `ingress` and `all`), paused while closed: WhatsApp sends only
   * through the one connection, held by one process.
   */
  gate?: SendGate;
}

/** Roles of staff and API tokens. */
export type StaffRole = 'wijkteam' | 'analyst' | 'admin';

/** Protects HTTP routes: `requireRole('admin')` answers 401/403 unless the request has a token of that role. */
export interface RouteGuard {
  requireRole(role: StaffRole): MiddlewareHandler;
}

/** One enabled channel: its adapter, how to send, and HTTP routes it needs (e.g. a webhook). */
export interface ChannelSetup {
  adapter: ChannelAdapter;
  send: SendPolicy;
  /** Mounts routes (webhook, pairing page) on the process's HTTP app; `guard` protects staff-only pages. */
  routes?: (http: Hono, guard: RouteGuard) => void;
  /** Whether `adapter.start` receives messages (false for the console: the chat CLI feeds the ingress). */
  receives: boolean;
}

export interface ChannelDeps {
  env: Env;
  redis: Redis;
  db: Kysely<Database>;
  log: Logger;
  metrics: Metrics;
  /** Lets a channel put a message on its queue again (the Cloud API after a late 131047). */
  queues?: Queues;
}

/**
 * The channels this installation has: the console always, Telegram and WhatsApp when configured.
 * Adding a channel (e.g. WhatsApp's official Cloud API) means adding it here; flows never change.
 */
export function buildChannels(deps: ChannelDeps): ChannelSetup[] {
  const { env, redis } = deps;
  const channels: ChannelSetup[] = [
    { adapter: new ConsoleAdapter(redis, env.QUEUE_PREFIX), send: { concurrency: 1 }, receives: false },
  ];
  if (env.TELEGRAM_BOT_TOKEN) channels.push(telegramChannel(deps, env.TELEGRAM_BOT_TOKEN));
  if (env.WHATSAPP_ENABLED) channels.push(whatsappChannel(deps));
  if (env.WHATSAPP_CLOUD_ACCESS_TOKEN)
    channels.push(whatsappCloudChannel(deps, env.WHATSAPP_CLOUD_ACCESS_TOKEN));
  return channels;
}

/** Sends to Telegram at the same time per process: enough to use the rate while calls take ~100 ms. */
/** The channel contract's `DeclareMachineRoute` for one app: webhooks declare their route through it. */
const machineRouteOf =
  (http: Hono): DeclareMachineRoute =>
  (path, maxBodyBytes) =>
    machineRoute(http, path, maxBodyBytes);

const TELEGRAM_SEND_CONCURRENCY = 8;

/**
 * A platform's rate, all processes together. Each request to the platform reserves its moment in
 * Redis, exactly 1/rate s after the previous one (`SharedSpacing`), so a sliding limit never sees a
 * burst. The limiter fetches jobs one per slot a tenth shorter, so a job is always waiting for the
 * next moment: a limiter at the rate itself loses its own overhead on every slot (0.98 of the rate).
 */
function platformRate(perSecond: number): Pick<SendPacing, 'limiter' | 'sendsPerSecond'> {
  return {
    limiter: { max: 1, duration: Math.max(1, Math.floor(900 / perSecond)) },
    // Half a percent below the rate: room for the jitter between a moment and the request's arrival.
    sendsPerSecond: perSecond * 0.995,
  };
}

/**
 * Telegram: long polling, or a webhook route when a public URL is set. The rates are Telegram's
 * published limits (about 30 messages a second, one a second per chat), kept a little below.
 */
function telegramChannel({ env, log, redis }: ChannelDeps, token: string): ChannelSetup {
  const url = env.TELEGRAM_WEBHOOK_URL;
  const secret = env.TELEGRAM_WEBHOOK_SECRET;
  if (url && !secret) {
    // parseEnv refuses this already; kept for callers that build an Env by hand.
    throw new StartupError(
      'Configuration error: TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set.',
    );
  }
  const webhook = url && secret ? { url, secret } : undefined;
  const adapter = new TelegramAdapter({
    token,
    apiRoot: env.TELEGRAM_API_ROOT,
    log,
    redis,
    prefix: env.QUEUE_PREFIX,
    ...(webhook ? { webhook } : {}),
  });
  return {
    adapter,
    send: {
      concurrency: TELEGRAM_SEND_CONCURRENCY,
      ...platformRate(env.TELEGRAM_RATE_PER_SECOND),
      perAddressIntervalMs: env.TELEGRAM_PER_CHAT_INTERVAL_MS,
    },
    ...(webhook
      ? {
          routes: (http: Hono) =>
            mountTelegramWebhook(http, { adapter, log, machineRoute: machineRouteOf(http), ...webhook }),
        }
      : {}),
    receives: true,
  };
}

/**
 * WhatsApp on Baileys: a linked device of the municipality's number, with the pairing page for
 * admins. Sending is careful because unofficial clients get numbers banned: one message at a time
 * (replies in order, before bulk), bulk at most WHATSAPP_BULK_PER_MINUTE with jitter, and only
 * from the process holding the connection.
 */
function whatsappChannel({ env, redis, db, log, metrics }: ChannelDeps): ChannelSetup {
  const adapter = new WhatsAppAdapter({
    db,
    sealer: dataKeySealer,
    redis,
    prefix: env.QUEUE_PREFIX,
    log,
    leaseMs: env.WHATSAPP_LEASE_MS,
    pairingNumber: env.WHATSAPP_PAIRING_NUMBER,
    webVersion: parseWebVersion(env.WHATSAPP_WEB_VERSION),
    onRefusal: (code) => metrics.whatsappRefusals.inc({ code }),
  });
  return {
    adapter,
    send: {
      concurrency: 1,
      bulkIntervalMs: Math.ceil(60_000 / env.WHATSAPP_BULK_PER_MINUTE),
      bulkJitterMs: env.WHATSAPP_JITTER_MS,
      gate: adapter.sendGate,
    },
    routes: (http, guard) =>
      mountPairingPage(http, guard.requireRole('admin'), { redis, prefix: env.QUEUE_PREFIX }),
    receives: true,
  };
}

/** Sends to the Cloud API at the same time per process: the limiter keeps the rate. */
const CLOUD_SEND_CONCURRENCY = 8;

/**
 * WhatsApp on Meta's official Cloud API: a webhook at /webhooks/whatsapp and the Graph API. Any
 * worker process may send (no connection to hold). Messages go at most WHATSAPP_CLOUD_RATE_PER_SECOND
 * a second, all processes together, replies before bulk; the adapter adds Meta's own rules (window,
 * templates, daily limit, one bulk message per person per 6 s).
 */
function whatsappCloudChannel(
  { env, redis, db, log, queues, metrics }: ChannelDeps,
  token: string,
): ChannelSetup {
  const phoneNumberId = env.WHATSAPP_CLOUD_PHONE_NUMBER_ID;
  const appSecret = env.WHATSAPP_CLOUD_APP_SECRET;
  const verifyToken = env.WHATSAPP_CLOUD_VERIFY_TOKEN;
  if (!phoneNumberId || !appSecret || !verifyToken) {
    // parseEnv refuses this already; kept for callers that build an Env by hand.
    throw new StartupError(
      'Configuration error: WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET and WHATSAPP_CLOUD_VERIFY_TOKEN are required when WHATSAPP_CLOUD_ACCESS_TOKEN is set.',
    );
  }
  const linkedNumbers = env.WHATSAPP_ENABLED
    ? [env.WHATSAPP_PAIRING_NUMBER, env.WHATSAPP_NUMBER].filter((n): n is string => Boolean(n))
    : [];
  const adapter = new WhatsAppCloudAdapter({
    db,
    redis,
    prefix: env.QUEUE_PREFIX,
    log,
    graph: {
      root: env.WHATSAPP_CLOUD_API_ROOT,
      version: env.WHATSAPP_CLOUD_API_VERSION,
      phoneNumberId,
      token,
    },
    templates: Templates.load(env.WHATSAPP_CLOUD_TEMPLATES_FILE),
    dailyLimit: env.WHATSAPP_CLOUD_DAILY_LIMIT,
    linkedNumbers,
    onBulkPaused: () => metrics.whatsappCloudBulkPaused.inc(),
    ...(queues ? { requeue: (id: string) => requeueOutbound(db, queues, id) } : {}),
  });
  return {
    adapter,
    send: {
      concurrency: CLOUD_SEND_CONCURRENCY,
      ...platformRate(env.WHATSAPP_CLOUD_RATE_PER_SECOND),
    },
    routes: (http: Hono) =>
      mountCloudWebhook(http, {
        adapter,
        appSecret,
        verifyToken,
        phoneNumberId,
        log,
        machineRoute: machineRouteOf(http),
      }),
    receives: true,
  };
}

/**
 * Puts an outbound row that is `queued` again on its channel's queue, under a new job id (the first
 * job finished). Its resident's row gives the address.
 */
async function requeueOutbound(db: Kysely<Database>, queues: Queues, outboundId: string): Promise<void> {
  const row = await db
    .selectFrom('outbound_messages')
    .select(['id', 'channel', 'kind'])
    .where('id', '=', outboundId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  if (!row) return;
  const kind = row.kind === 'bulk' ? 'bulk' : 'reply';
  // Only the row id goes to Redis: the worker reads address and text from the row when it sends.
  const payload: OutboundPayload = { outboundId: row.id, kind, queuedAt: Date.now() };
  await queues.outbound(row.channel as ChannelName).add(kind, payload, {
    jobId: `${outboundJobId(row.id)}-again-${Date.now()}`,
    ...(kind === 'bulk' ? { priority: 10 } : {}),
  });
}
