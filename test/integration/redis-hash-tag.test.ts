import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { consoleInbox, consoleMessage, startTestApp } from '../helpers/app.js';
import { eventually, REDIS_URL } from '../helpers/env.js';
import { TestRedisCluster, TestRedisServer } from '../helpers/redis-server.js';

/** Redis Cluster's hash slot of a key (CRC16 of its hash tag, or of the whole key), as ioredis computes it. */
const slotOf = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

/** Every key in a Redis, by SCAN. */
async function allKeys(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

describe('QUEUE_PREFIX', () => {
  const base = { REDIS_URL };
  it('accepts a prefix with one hash tag, as Redis Cluster needs, and plain prefixes as before', () => {
    for (const prefix of ['{straatpraat}', 'straatpraat', 'sp-{maastricht}', '{sp}_1', 'a'])
      expect(parseEnv({ ...base, QUEUE_PREFIX: prefix }).QUEUE_PREFIX).toBe(prefix);
  });

  it('refuses braces that are no single hash tag, other characters and long prefixes, saying what fits', () => {
    for (const prefix of ['{}', '{a}{b}', '{a', 'a}', 'straat praat', 'sp:1', '*', `{${'x'.repeat(40)}}`]) {
      expect(() => parseEnv({ ...base, QUEUE_PREFIX: prefix }), prefix).toThrow(/QUEUE_PREFIX is invalid/);
    }
    expect(() => parseEnv({ ...base, QUEUE_PREFIX: '{a}{b}' })).toThrow(/hash tag in braces/);
  });

  it('asks for a hash tag when REDIS_CLUSTER is on, naming the prefix to use', () => {
    expect(() => parseEnv({ ...base, REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'straatpraat' })).toThrow(
      'Configuration error: QUEUE_PREFIX is invalid: needs a hash tag in braces when REDIS_CLUSTER is on, e.g. {straatpraat}.',
    );
    expect(parseEnv({ ...base, REDIS_CLUSTER: 'true', QUEUE_PREFIX: '{straatpraat}' }).REDIS_CLUSTER).toBe(
      true,
    );
  });
});

describe('the pipeline under a hash-tagged prefix', () => {
  // A Redis of its own: every key in it is one the app made.
  const server = new TestRedisServer();
  const prefix = `{sptest-${randomBytes(4).toString('hex')}}`;
  let app: App;
  let stop: () => Promise<void>;
  let redis: Redis;

  beforeAll(async () => {
    await server.start();
    ({ app, stop } = await startTestApp({ REDIS_URL: server.url, QUEUE_PREFIX: prefix }));
    redis = new Redis(server.url);
  }, 30_000);
  afterAll(async () => {
    redis?.disconnect();
    await stop?.();
    await server.kill();
  });

  it('keeps every key it makes, queues and ours, in the one hash slot of the tag', async () => {
    await app.ingress.accept(consoleMessage('hash-tag', 'hallo'));
    await eventually(async () => (await consoleInbox(app, 'hash-tag')).length >= 1, 15_000, 'the reply');

    const keys = await allKeys(redis);
    // BullMQ's keys of the inbound partition, the console sender's and the app's own (the inbox).
    expect(keys.some((k) => k.includes(':inbound-'))).toBe(true);
    expect(keys.some((k) => k.includes(':console:inbox:'))).toBe(true);
    expect(keys.length).toBeGreaterThan(10);
    const slot = slotOf(prefix);
    expect(keys.filter((k) => !k.startsWith(`${prefix}:`) || slotOf(k) !== slot)).toEqual([]);
  });
});

describe('the pipeline on a Redis Cluster of three masters (skipped where redis-server cannot run one)', () => {
  const cluster = new TestRedisCluster();
  const prefix = `{sptest-${randomBytes(4).toString('hex')}}`;
  let unavailable: unknown;
  let app: App | undefined;
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    try {
      await cluster.start();
      await eventually(
        async () => {
          const states = await Promise.all(
            cluster.nodes.map(async (n) => {
              const node = new Redis(n.url);
              try {
                return String(await node.cluster('INFO')).includes('cluster_state:ok');
              } finally {
                node.disconnect();
              }
            }),
          );
          return states.every(Boolean);
        },
        15_000,
        'the cluster to be ready',
      );
    } catch (error) {
      unavailable = error;
      return;
    }
    ({ app, stop } = await startTestApp({
      REDIS_URL: cluster.url,
      REDIS_CLUSTER: 'true',
      QUEUE_PREFIX: prefix,
    }));
  }, 60_000);
  afterAll(async () => {
    await stop?.();
    await cluster.kill();
  });

  it('answers a message through ioredis Cluster, with every key on the node that serves the tag', async (ctx) => {
    if (unavailable) ctx.skip(`no local Redis Cluster: ${String(unavailable)}`);
    await app!.ingress.accept(consoleMessage('cluster', 'hallo'));
    await eventually(async () => (await consoleInbox(app!, 'cluster')).length >= 1, 20_000, 'the reply');

    const perNode = await Promise.all(
      cluster.nodes.map(async (n) => {
        const node = new Redis(n.url);
        try {
          return await allKeys(node);
        } finally {
          node.disconnect();
        }
      }),
    );
    // One node holds them all: the one serving the tag's slot (Redis refuses a key on a node that does not).
    expect(perNode.filter((keys) => keys.length > 0)).toHaveLength(1);
    const keys = perNode.flat();
    expect(keys.some((k) => k.includes(':inbound-'))).toBe(true);
    expect(keys.filter((k) => slotOf(k) !== slotOf(prefix))).toEqual([]);
  });
});
