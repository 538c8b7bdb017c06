import { createHash } from 'node:crypto';
import type { CacheStore } from '@whiskeysockets/baileys';
import type { Redis } from 'ioredis';

/** As long as Baileys' own counter keeps a count (its default, one hour). */
const TTL_SECONDS = 3600;

/**
 * Baileys' `msgRetryCounterCache` in Redis: how often each message was sent again to a phone that
 * could not decrypt it. Shared by all processes, so a failover does not start the count again and
 * a broken phone is not served more than Baileys' limit. Baileys' keys hold a message id and a JID
 * (a phone number), so only their hash goes to Redis.
 */
export function redisRetryCounter(redis: Redis, prefix: string): CacheStore {
  const base = `${prefix}:whatsapp:retry:`;
  const key = (k: string) => base + createHash('sha256').update(k).digest('base64url');
  return {
    async get<T>(k: string): Promise<T> {
      const value = await redis.get(key(k));
      return (value === null ? undefined : JSON.parse(value)) as T;
    },
    async set<T>(k: string, value: T): Promise<void> {
      await redis.set(key(k), JSON.stringify(value), 'EX', TTL_SECONDS);
    },
    async del(k: string): Promise<void> {
      await redis.del(key(k));
    },
    async flushAll(): Promise<void> {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    },
  };
}
