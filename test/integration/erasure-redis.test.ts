import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPairingStatus } from '../../adapters/whatsapp/pairing.js';
import { useSocketFactoryForTests } from '../../adapters/whatsapp/socket.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import type { App } from '../../src/app.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { inboundQueueName, partitionOf } from '../../src/queue/names.js';
import { startTestApp } from '../helpers/app.js';
import { eventually } from '../helpers/env.js';
import { FakeWhatsApp } from '../helpers/fake-whatsapp.js';

// An attacker who gets hold of Redis (or its dump file) and of a PostgreSQL dump after a resident
// said VERWIJDER must find nothing of that resident: not the address, not a word they wrote.

const run = promisify(execFile);
const fake = new FakeWhatsApp({ autoPair: true });
let app: App;
let stop: () => Promise<void>;

beforeAll(async () => {
  useSocketFactoryForTests(fake.factory);
  ({ app, stop } = await startTestApp({
    WHATSAPP_ENABLED: 'true',
    WHATSAPP_LEASE_MS: '3000',
    // No quiet hours: the flash goes out whenever the test runs.
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
  }));
  await eventually(
    async () => (await readPairingStatus(app.redis, app.env.QUEUE_PREFIX))?.state === 'open',
    10_000,
    'the WhatsApp connection',
  );
}, 30_000);
afterAll(async () => {
  await stop?.();
  useSocketFactoryForTests(undefined);
});

/**
 * The resident types a line and we wait until the bot has handled it and sent every reply (a message
 * may get more than one, so waiting for the first reply alone lets the next line overtake it).
 */
async function say(address: string, text: string, alt: string): Promise<void> {
  const handled = async () =>
    Number(
      (
        await app.db
          .selectFrom('inbound_ledger')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await handled();
  const sentBefore = fake.sentTo(address).length;
  fake.deliver(fake.text(address, text, { alt }));
  await eventually(async () => (await handled()) > before, 15_000, `“${text}” handled`);
  await eventually(
    async () =>
      fake.sentTo(address).length > sentBefore &&
      (await app.db.selectFrom('outbound_messages').select('id').where('status', '=', 'queued').execute())
        .length === 0,
    15_000,
    `the replies to “${text}”`,
  );
}

/** Every key under the installation's prefix with everything stored in it, as one text. */
async function redisContents(): Promise<string> {
  const redis = app.redis;
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${app.env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push(String(await redis.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(...(await redis.smembers(key)));
      else if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

async function databaseDump(): Promise<string> {
  const { stdout } = await run('pg_dump', ['--data-only', app.env.DATABASE_URL], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

describe('VERWIJDER reaches Redis, PostgreSQL and the WhatsApp keys', () => {
  it('leaves neither the address nor anything the resident wrote, once the goodbye is sent', async () => {
    const phone = '31612345077';
    const address = `${phone}@s.whatsapp.net`;
    const lid = '112233445500077@lid';
    const written = [
      'Goedemiddag buurtgenoten',
      'Meer bankjes in het park bij de Sint-Jozefkerk',
      'Bel mij op 0687654321 over een moestuin achter het buurthuis',
    ];
    await say(address, written[0]!, lid);
    for (const line of ['1', 'ja', '1', '3', '4', '2', '3']) await say(address, line, lid);
    await say(address, written[1]!, lid); // the poll's open question
    await say(address, 'IDEE', lid);
    await say(address, written[2]!, lid);
    await say(address, '1', lid);
    const idea = await app.db.selectFrom('ideas').select('text').executeTakeFirstOrThrow();
    expect(idea.text).not.toContain('0687654321');

    const flash = 'Zaterdag om tien uur ontbijt in het Trefpunt.';
    await sendFlash(
      {
        db: app.db,
        queue: app.queues.broadcast,
        texts: loadTexts(),
        polls: loadPolls(),
        timeZone: app.env.TIME_ZONE,
        quietHours: new QuietHours('00:00', '00:00', app.env.TIME_ZONE),
      },
      { text: { nl: flash } },
      'test',
    );
    await eventually(() => fake.seen(address).some((t) => t.includes(flash)), 15_000, 'the flash');

    await say(address, 'VERWIJDER', lid);
    await say(address, 'ja', lid);
    expect(fake.seen(address).at(-1)).toMatch(/gewist/);

    const secrets = [phone, lid.split('@')[0]!, '0687654321', ...written];
    const leaks = async () => {
      const stored = `${await redisContents()}\n${await databaseDump()}`;
      return secrets.filter((s) => stored.includes(s));
    };
    // The goodbye's job and the keys its sending wrote go right after it is sent.
    await eventually(async () => (await leaks()).length === 0, 10_000, 'nothing left').catch(() => {});
    expect(await leaks()).toEqual([]);
    const keys = await app.db.selectFrom('whatsapp_auth').select(['type', 'id']).execute();
    expect(keys.filter((k) => k.id.startsWith(phone) || k.id.startsWith(lid.split('@')[0]!))).toEqual([]);
  }, 120_000);

  it('keeps no finished job in a quiet partition', async () => {
    const address = '31612345088@s.whatsapp.net';
    await say(address, 'Hallo', '112233445500088@lid');
    const queue = app.queues.inbound(partitionOf('whatsapp', address, app.queues.partitions));
    expect(queue.name).toBe(inboundQueueName(partitionOf('whatsapp', address, app.queues.partitions)));
    await eventually(
      async () => {
        const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
        return Object.values(counts).every((n) => n === 0);
      },
      5_000,
      'the partition to be empty',
    );
    const outbound = await app.queues.outbound('whatsapp').getJobCounts('completed');
    expect(outbound.completed).toBe(0);
    expect(await redisContents()).not.toContain('31612345088');
  }, 30_000);
});
