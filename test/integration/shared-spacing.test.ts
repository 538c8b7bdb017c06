import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedSpacing } from '../../src/queue/pacing.js';
import { REDIS_URL } from '../helpers/env.js';

const redis = new Redis(REDIS_URL);
afterAll(() => redis.disconnect());

describe('SharedSpacing', () => {
  it('lets callers of two processes go exactly 1/rate apart together, without losing a moment', async () => {
    const key = `sptest-spacing-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    // Two instances on one key stand for two processes sending to one channel.
    const a = new SharedSpacing(redis, key, 50);
    const b = new SharedSpacing(redis, key, 50);
    const start = performance.now();
    const moments = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await (i % 2 === 0 ? a : b).wait();
        return performance.now() - start;
      }),
    );
    moments.sort((x, y) => x - y);
    // 20 moments 20 ms apart: the last at about 380 ms (a busy machine only adds). Any 11 in a row span
    // 200 ms, less the jitter of Redis's answers and timers (a sliding limit allows that much).
    expect(moments.at(-1)!).toBeGreaterThanOrEqual(19 * 20 - 5);
    for (let i = 10; i < moments.length; i++)
      expect(moments[i]! - moments[i - 10]!).toBeGreaterThanOrEqual(200 - 25);
    await redis.del(key);
  });
});
