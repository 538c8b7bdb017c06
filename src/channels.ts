import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { ChannelAdapter } from '../adapters/channel.js';
import { ConsoleAdapter } from '../adapters/console/adapter.js';
import type { Env } from './config/env.js';
import type { Database } from './db/schema.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

/** How the outbound worker of a channel may send. */
export interface SendPolicy {
  /** Sends at the same time in one process. */
  concurrency: number;
  /** Channel-wide rate: at most `max` messages per `duration` ms (all processes together). */
  limiter?: { max: number; duration: number };
  /** At least this long between two messages to the same address (ms). */
  perAddressIntervalMs?: number;
}

/** One enabled channel: its adapter, how to send, and HTTP routes it needs (e.g. a webhook). */
export interface ChannelSetup {
  adapter: ChannelAdapter;
  send: SendPolicy;
  /** Mounts routes (webhook, pairing page) on the process's HTTP app. */
  routes?: (http: Hono) => void;
  /** Whether `adapter.start` receives messages (false for the console: the chat CLI feeds the ingress). */
  receives: boolean;
}

export interface ChannelDeps {
  env: Env;
  redis: Redis;
  db: Kysely<Database>;
  log: Logger;
  metrics: Metrics;
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
  return channels;
}
