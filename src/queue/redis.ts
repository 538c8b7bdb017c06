import { Redis, type RedisOptions } from 'ioredis';
import { StartupError } from '../errors.js';

/** Where a Redis URL points, without credentials, for messages. */
export function describeRedis(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}

/**
 * A connection for BullMQ (workers need `maxRetriesPerRequest: null`, so commands wait through a
 * reconnect instead of failing).
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** Throws a one-line StartupError when Redis does not answer within a few seconds. */
export async function checkRedis(url: string): Promise<void> {
  const where = describeRedis(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 4_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let lastError: Error | undefined;
  probe.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const cause = lastError ?? error;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new StartupError(
      `Redis is not reachable at ${where} (${reason}); start it with \`docker compose up -d redis\` (or check REDIS_URL).`,
    );
  } finally {
    probe.disconnect();
  }
}
