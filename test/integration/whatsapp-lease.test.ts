import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger } from '../../src/log.js';
import { dataKeySealer } from '../../src/privacy/sealed.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import { FakeWhatsApp } from '../helpers/fake-whatsapp.js';

/** Short, so takeovers happen within a test; production uses 30 s. */
const LEASE_MS = 1500;

let setup: TestSetup;
let db: Kysely<Database>;
const connections: Redis[] = [];
const adapters: WhatsAppAdapter[] = [];

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  for (const c of connections.splice(0)) c.disconnect();
});
afterAll(async () => {
  await db?.destroy();
  await setup?.cleanup();
});

/** One process's adapter: its own Redis connection, the shared fake WhatsApp (which counts sockets). */
async function processWith(fake: FakeWhatsApp): Promise<{ adapter: WhatsAppAdapter; redis: Redis }> {
  const redis = new Redis(setup.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  connections.push(redis);
  const adapter = new WhatsAppAdapter({
    db,
    sealer: dataKeySealer,
    redis,
    prefix: setup.env.QUEUE_PREFIX,
    log: createLogger('silent'),
    leaseMs: LEASE_MS,
    makeSocket: fake.factory,
    terminal: null,
  });
  adapters.push(adapter);
  await adapter.start(async () => {});
  return { adapter, redis };
}

describe('one WhatsApp connection for all processes', () => {
  it('lets only one of two processes connect; the other takes over within the lease time when it stops', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const a = await processWith(fake);
    const b = await processWith(fake);
    await eventually(() => a.adapter.state === 'open' || b.adapter.state === 'open', 5_000, 'a connection');
    // Several renewals later, still one connection and one standby.
    await new Promise((r) => setTimeout(r, LEASE_MS * 1.5));
    expect(fake.sockets).toHaveLength(1);
    const [holder, standby] = a.adapter.holdsConnection ? [a, b] : [b, a];
    expect(standby.adapter.state).toBe('standby');
    expect(holder.adapter.sendGate.open).toBe(true);
    expect(standby.adapter.sendGate.open).toBe(false);

    const stoppedAt = Date.now();
    await holder.adapter.stop();
    expect(fake.sockets[0]!.ended).toBe(true);
    await eventually(() => standby.adapter.state === 'open', LEASE_MS, 'the standby to take over');
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    expect(fake.sockets).toHaveLength(2);
    expect(fake.sockets.filter((s) => !s.ended)).toHaveLength(1);
  });

  it('lets the standby take over from a holder that can no longer renew (a dead process)', async () => {
    const fake = new FakeWhatsApp({ autoPair: true });
    const a = await processWith(fake);
    await eventually(() => a.adapter.state === 'open', 5_000, 'the first connection');
    const b = await processWith(fake);
    await new Promise((r) => setTimeout(r, LEASE_MS / 2));
    expect(b.adapter.state).toBe('standby');

    // The holder loses Redis: it cannot renew, and must let go before its lease runs out.
    a.redis.disconnect();
    const lostAt = Date.now();
    await eventually(() => !a.adapter.holdsConnection, LEASE_MS, 'the old holder to let go');
    await eventually(() => b.adapter.state === 'open', LEASE_MS * 2, 'the standby to take over');
    expect(Date.now() - lostAt).toBeLessThan(LEASE_MS * 2);
    // Never two connections at once.
    expect(fake.sockets.filter((s) => !s.ended)).toHaveLength(1);
  });
});
