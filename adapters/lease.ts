import type { Redis } from 'ioredis';

// Compare-and-act scripts: only the holder may renew or release, so a process that lost the lease
// (paused too long, network split) cannot extend or delete the new holder's.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * A lease in Redis: whoever holds the key holds the right (WhatsApp's connection, Telegram's long
 * poll). It lasts `ttlMs` unless renewed, so a process that dies without releasing it is replaced
 * within that time.
 */
export class RedisLease {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #holder: string;
  readonly ttlMs: number;

  constructor(redis: Redis, key: string, holder: string, ttlMs: number) {
    this.#redis = redis;
    this.#key = key;
    this.#holder = holder;
    this.ttlMs = ttlMs;
  }

  /** Takes the lease if nobody holds it (or we do already). */
  async acquire(): Promise<boolean> {
    const taken = await this.#redis.set(this.#key, this.#holder, 'PX', this.ttlMs, 'NX');
    if (taken === 'OK') return true;
    return this.renew();
  }

  /** Extends the lease; false when someone else holds it now. */
  async renew(): Promise<boolean> {
    const renewed = await this.#redis.eval(RENEW, 1, this.#key, this.#holder, String(this.ttlMs));
    return Number(renewed) === 1;
  }

  /** Gives the lease up at once, so a standby need not wait for it to expire. */
  async release(): Promise<void> {
    await this.#redis.eval(RELEASE, 1, this.#key, this.#holder);
  }
}
