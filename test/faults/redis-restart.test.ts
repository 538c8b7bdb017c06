import { afterAll, describe, expect, it } from 'vitest';
import { TestRedisServer } from '../helpers/redis-server.js';
import { FaultLoad, sleep } from './load.js';

const redis = new TestRedisServer();
let load: FaultLoad | undefined;

afterAll(async () => {
  await load?.close();
  await redis.kill();
});

describe('Redis restarted under load', () => {
  it('loses no answer and counts none twice when Redis (append-only file on) is killed and started again', async () => {
    // A Redis of this test only, so the machine's Redis is left alone; appendfsync always.
    await redis.start({ appendOnly: true });
    load = await FaultLoad.create({ residents: 700, overrides: { REDIS_URL: redis.url } });
    const worker = load.startWorker();
    await load.ready(worker);
    await load.sendAll();

    await load.reach(Math.floor(load.expected * (0.2 + Math.random() * 0.3)));
    await redis.kill();
    await sleep(2_000);
    await redis.start({ appendOnly: true });

    const result = await load.settle(120_000);
    expect(result.answers).toBe(load.expected);
    expect(result.distinctAnswers).toBe(load.expected);
    expect(result.inboundLogged).toBe(load.expected);
    expect(result.ledger).toBe(load.expected);
    expect(result.unfinished).toEqual({});
    // The worker rode out the restart rather than dying.
    expect(load.alive()).toContain(worker);
  }, 180_000);
});
