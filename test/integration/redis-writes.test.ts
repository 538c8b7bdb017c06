import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/queue/redis.js';
import { REDIS_URL } from '../helpers/env.js';

const redis = createRedis(REDIS_URL);
const prefix = `sp-test-writes-${process.pid}`;

type Writer = (...args: unknown[]) => void;

/** Runs `work` while counting the writes that reach the connection's socket. */
async function countWrites<T>(work: () => Promise<T>): Promise<{ result: T; writes: number }> {
  const socket = redis.stream as unknown as { _writev: Writer; _write: Writer };
  const { _writev: writev, _write: write } = socket;
  let writes = 0;
  socket._writev = function (this: unknown, ...args: unknown[]) {
    writes++;
    return writev.apply(this, args);
  };
  socket._write = function (this: unknown, ...args: unknown[]) {
    writes++;
    return write.apply(this, args);
  };
  try {
    return { result: await work(), writes };
  } finally {
    socket._writev = writev;
    socket._write = write;
  }
}

/** 50 SETs in one turn of the event loop, then 50 GETs in the next. */
const setThenGet = (tag: string) =>
  Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      redis.set(`${prefix}:${tag}${i}`, `${tag}${i}`).then(() => redis.get(`${prefix}:${tag}${i}`)),
    ),
  );

beforeAll(async () => {
  if (redis.status !== 'ready') await once(redis, 'ready');
  // The 'connect' listener runs on the next tick; one round trip makes sure it has.
  await redis.ping();
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('coalesced Redis writes', () => {
  it('sends the commands of one turn of the event loop in one write, each answered in order', async () => {
    const { result, writes } = await countWrites(() => setThenGet('a'));
    expect(result).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    // Two turns: two writes (a little slack for a reply split over two reads), not a hundred.
    expect(writes).toBeLessThanOrEqual(4);
  });

  it('keeps coalescing on the new socket after a reconnect', async () => {
    const before = redis.stream;
    redis.disconnect(true);
    await once(redis, 'ready');
    await redis.ping();
    expect(redis.stream).not.toBe(before);
    const { result, writes } = await countWrites(() => setThenGet('b'));
    expect(result).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`));
    expect(writes).toBeLessThanOrEqual(4);
  });
});
