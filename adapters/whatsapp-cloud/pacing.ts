import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { WINDOW_MS } from './contacts.js';

/** Least time between two bulk messages to one person: Meta's pair rate is about one per 6 s. */
export const PER_PERSON_INTERVAL_MS = 6_000;
/** How long bulk waits after Meta's spam rate limit (131048). */
export const SPAM_PAUSE_MS = 60 * 60 * 1000;

/**
 * Counts the people we start a conversation with (a template outside the window) in a rolling 24 h,
 * as Meta's messaging limit does: a person already counted is free. 0 = go now; otherwise the time
 * (ms since the epoch) a place becomes free.
 */
const CLAIM_DAILY = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 0 end
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window`;

/**
 * Shared pacing of the Cloud API channel in Redis (all processes together): the daily messaging
 * limit, the pause of bulk after a spam warning, and the distance between two messages to one person.
 * Keys hold hashes of addresses, never the addresses.
 */
export class CloudPacing {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #dailyLimit: number;

  constructor(redis: Redis, prefix: string, dailyLimit: number) {
    this.#redis = redis;
    this.#prefix = `${prefix}:whatsapp-cloud`;
    this.#dailyLimit = dailyLimit;
  }

  /** 0 when a conversation with `address` may start now, else when a place in the daily limit frees up. */
  async claimDaily(address: string, now: number): Promise<number> {
    const until = await this.#redis.eval(
      CLAIM_DAILY,
      1,
      `${this.#prefix}:daily`,
      now,
      WINDOW_MS,
      this.#dailyLimit,
      hashOf(address),
    );
    return Number(until);
  }

  /** Pauses bulk after Meta's spam warning; returns when it ends. */
  async pauseBulk(now: number): Promise<number> {
    await this.#redis.set(`${this.#prefix}:bulk-paused`, String(now + SPAM_PAUSE_MS), 'PX', SPAM_PAUSE_MS);
    return now + SPAM_PAUSE_MS;
  }

  /** When bulk may go again (0: now). */
  async bulkPausedUntil(): Promise<number> {
    return Number(await this.#redis.get(`${this.#prefix}:bulk-paused`)) || 0;
  }

  /** For a bulk message: 0 when `address` had nothing from us for 6 s, else how long to wait (ms). */
  async personWait(address: string): Promise<number> {
    const ttl = await this.#redis.pttl(this.#personKey(address));
    return Math.max(ttl, 0);
  }

  /** Notes that `address` just got a message. */
  async markSent(address: string): Promise<void> {
    await this.#redis.set(this.#personKey(address), '1', 'PX', PER_PERSON_INTERVAL_MS);
  }

  #personKey(address: string): string {
    return `${this.#prefix}:person:${hashOf(address)}`;
  }
}

function hashOf(address: string): string {
  return createHash('sha256').update(address).digest('base64url').slice(0, 22);
}
