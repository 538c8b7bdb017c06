import type { Duplex } from 'node:stream';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { StartupError } from '../domain/errors.js';

/** Where a Redis URL points, without credentials, for messages. */
export function describeRedis(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}

const WRITES_COALESCED = Symbol('writes coalesced');

/**
 * Lets the commands written in one turn of the event loop leave in one packet: the socket is corked
 * at the first write and uncorked once the turn's callbacks and promise continuations have run.
 * Each command is still its own command, answered in order; only the system calls are fewer (many
 * workers finishing jobs at once cost one write, not one each).
 */
export function coalesceWrites(socket: Duplex): void {
  if (WRITES_COALESCED in socket) return;
  Object.defineProperty(socket, WRITES_COALESCED, { value: true });
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as typeof socket.write;
}

/**
 * A connection for BullMQ (workers need `maxRetriesPerRequest: null`, so commands wait through a
 * reconnect instead of failing); its writes are coalesced per turn of the event loop.
 *
 * With `cluster` (REDIS_CLUSTER), `url` is one node of a Redis Cluster and the connection is an
 * ioredis `Cluster`, which finds the other nodes and sends each command to the node of its key's
 * slot. It is typed as a `Redis` so that the modules taking a connection stay as they are: they use
 * only commands on keys under the queue prefix, which a `Cluster` has too, and BullMQ takes either.
 * The prefix's hash tag keeps every key in one slot, so scripts over several keys work.
 */
export function createRedis(url: string, options: RedisOptions & { cluster?: boolean } = {}): Redis {
  const { cluster, ...rest } = options;
  const redisOptions: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, ...rest };
  if (cluster) {
    const u = new URL(url);
    return new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
      redisOptions: {
        ...redisOptions,
        username: decodeURIComponent(u.username) || undefined,
        password: decodeURIComponent(u.password) || undefined,
        tls: u.protocol === 'rediss:' ? {} : undefined,
      },
    }) as unknown as Redis;
  }
  const redis = new Redis(url, redisOptions);
  // Every (re)connection has a new socket.
  redis.on('connect', () => coalesceWrites(redis.stream));
  return redis;
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
