import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, prepareStorage } from '../../src/app.js';
import type { BroadcastDeps } from '../../src/broadcast/broadcasts.js';
import { FanOut } from '../../src/broadcast/fanout.js';
import { BroadcastWorker } from '../../src/broadcast/fanout-worker.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { createDb } from '../../src/db/connect.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { Ingress } from '../../src/queue/ingress.js';
import { OutboundWorker } from '../../src/queue/outbound-worker.js';
import { Outbox } from '../../src/queue/outbox.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { consoleMessage } from '../helpers/app.js';
import { spawnCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

// 10,000 residents: a flash to Nazareth, its fan-out killed half-way (a worker process SIGKILLed while
// blocked inside a page) and taken over by another worker, and a second flash crashed in-process at the
// worst moment. Outbound sending is paused while the fan-outs run, so every delivery happens after.

const RESIDENTS = 10_000;
const NAZARETH = 'Zaterdag 10:00 buurtontbijt in het Trefpunt.';
const POTTENBERG = 'Dinsdag repaircafé in de Pottenberg.';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;
let deps: BroadcastDeps;
let first: ReturnType<typeof spawnCli>;
const closers: (() => Promise<unknown>)[] = [];

const exited = (child: ReturnType<typeof spawnCli>) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Addresses that should get a flash to `area`: active, consent, no STOP NIEUWS. */
async function eligibleIn(area: string): Promise<string[]> {
  const { rows } = await sql<{ address: string }>`
    select address from residents
    where area = ${area} and status = 'active' and consent_at is not null and not news_opt_out
    order by address`.execute(db);
  return rows.map((r) => r.address);
}

/** How many outbound rows of a broadcast each address has. */
async function rowsPerAddress(broadcastId: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ address: string; n: number }>`
    select r.address, count(*)::int as n from outbound_messages o join residents r on r.id = o.resident_id
    where o.broadcast_id = ${broadcastId} group by r.address`.execute(db);
  return new Map(rows.map((r) => [r.address, r.n]));
}

beforeAll(async () => {
  setup = testSetup({
    QUEUE_LOCK_MS: '2000',
    // Not about the night: whatever the hour the test runs, nothing is held.
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    SCHEDULER_TICK_MS: '1000',
  });
  await prepareStorage(setup.env);
  // Started first: it takes a few seconds, while the residents are seeded. It fans out, and is killed
  // half-way; that kill is about the fan-out, so it sends no flash: its quiet hours run now. (A
  // process killed in the middle of a send may send that one message again, as any sender may.)
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      hourCycle: 'h23',
      timeZone: setup.env.TIME_ZONE,
    }).format(new Date()),
  );
  const at = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
  first = spawnCli(['start', '--role', 'worker'], {
    ...setup.vars,
    QUIET_HOURS_START: at(hour - 1),
    QUIET_HOURS_END: at(hour + 2),
  });
  db = createDb(setup.env.DATABASE_URL, 12);
  redis = createRedis(setup.env.REDIS_URL);
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  await queues.init();
  deps = {
    db,
    queue: queues.broadcast,
    texts: loadTexts(),
    polls: loadPolls(),
    timeZone: setup.env.TIME_ZONE,
    quietHours: new QuietHours('00:00', '00:00', setup.env.TIME_ZONE),
  };
  // Half in Nazareth, three in ten in Pottenberg, the rest elsewhere; some stopped, some without
  // news, some who never gave consent.
  await sql`
    insert into residents (channel, address, language, area, consent_version, consent_at, status, stopped_at, news_opt_out)
    select 'console', 'fan-' || lpad(g::text, 5, '0'),
           case when g % 5 = 0 then 'en' else 'nl' end,
           case when g % 10 < 5 then 'nazareth' when g % 10 < 8 then 'pottenberg' else 'elders' end,
           case when g % 29 = 0 then null else ${CONSENT_VERSION}::text end,
           case when g % 29 = 0 then null else now() end,
           case when g % 17 = 0 then 'stopped' else 'active' end,
           case when g % 17 = 0 then now() end,
           g % 13 = 0
    from generate_series(1, ${RESIDENTS}) g`.execute(db);
  await sql`
    insert into residents (channel, address, language, area, consent_version, consent_at)
    values ('console', 'fan-says-stop', 'nl', 'nazareth', ${CONSENT_VERSION}, now()),
           ('console', 'fan-says-stop-news', 'nl', 'nazareth', ${CONSENT_VERSION}, now())`.execute(db);
  await sql`analyze residents`.execute(db);
  await queues.outbound('console').pause();
});

afterAll(async () => {
  if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
  for (const close of closers) await close();
  await queues.close();
  redis.disconnect();
  await db.destroy();
  // pg's pool resolves `end` before its sockets are closed; let them close before the database goes.
  await new Promise((r) => setTimeout(r, 200));
  await setup.cleanup();
});

describe('fanning out a flash to 10,000 residents', () => {
  let nazarethBroadcast: string;
  let pottenbergBroadcast: string;

  it('queues one message per eligible resident even when its worker is killed half-way', async () => {
    // Two residents say STOP and STOP NIEUWS through the real pipeline first.
    const ingress = new Ingress(queues);
    await ingress.accept(consoleMessage('fan-says-stop', 'STOP'));
    await ingress.accept(consoleMessage('fan-says-stop-news', 'STOP NIEUWS'));
    await eventually(
      async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from residents
          where (address = 'fan-says-stop' and status = 'stopped')
             or (address = 'fan-says-stop-news' and news_opt_out)`.execute(db);
        return rows[0]!.n === 2;
      },
      30_000,
      'STOP and STOP NIEUWS handled',
    ).catch((e) => {
      throw new Error(`${e.message}\n${first.output()}`);
    });

    const expected = await eligibleIn('nazareth');
    expect(expected.length).toBeGreaterThan(3_500);
    // Hold one resident in the middle: the fan-out blocks inside the page that contains them.
    const { rows: middle } = await sql<{ id: string }>`
      select id from residents
      where area = 'nazareth' and status = 'active' and consent_at is not null and not news_opt_out
      order by id offset 2500 limit 1`.execute(db);
    const blocker = new pg.Client({ connectionString: setup.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select id from residents where id = $1 for update', [middle[0]!.id]);

    const flash = await sendFlash(
      deps,
      {
        text: { nl: NAZARETH, en: 'Saturday 10:00 breakfast at the Trefpunt.' },
        audience: { areas: ['nazareth'] },
      },
      'test',
    );
    nazarethBroadcast = flash.broadcastId;
    await eventually(
      async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(db);
        const b = await db
          .selectFrom('broadcasts')
          .select(['cursor', 'queued'])
          .where('id', '=', flash.broadcastId)
          .executeTakeFirstOrThrow();
        return rows[0]!.n > 0 && b.cursor !== null && b.queued >= 2_000;
      },
      30_000,
      'the fan-out to be stuck in its third page',
    ).catch((e) => {
      throw new Error(`${e.message}\n${first.output()}`);
    });
    first.kill('SIGKILL');
    await exited(first);
    await blocker.query('rollback');
    await blocker.end();
    const half = await rowsPerAddress(flash.broadcastId);
    expect(half.size).toBeGreaterThanOrEqual(2_000);
    // Its quiet hours held them: the killed worker sent none.
    const sent = await db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('broadcast_id', '=', flash.broadcastId)
      .where('status', '<>', 'queued')
      .executeTakeFirstOrThrow();
    expect(Number(sent.n)).toBe(0);
    expect(half.size).toBeLessThan(expected.length);

    // Another worker takes the job over once its lock expires, and resumes at the cursor.
    const workerRedis = createRedis(setup.env.REDIS_URL);
    const second = new BroadcastWorker({
      connection: workerRedis,
      prefix: setup.env.QUEUE_PREFIX,
      db,
      outbox: new Outbox(queues),
      log: createLogger('silent'),
      lockMs: 2_000,
    });
    closers.push(async () => {
      await second.close();
      workerRedis.disconnect();
    });
    await eventually(
      async () =>
        (
          await db
            .selectFrom('broadcasts')
            .select('status')
            .where('id', '=', flash.broadcastId)
            .executeTakeFirst()
        )?.status === 'sent',
      30_000,
      'the fan-out to finish',
    );

    const rows = await rowsPerAddress(flash.broadcastId);
    expect([...rows.keys()].sort()).toEqual(expected);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    expect(rows.has('fan-says-stop')).toBe(false);
    expect(rows.has('fan-says-stop-news')).toBe(false);
  }, 120_000);

  it('queues one message each when a fan-out crashes between committing a page and recording it', async () => {
    // Nobody runs the fan-out job but this test.
    await queues.broadcast.pause();
    const flash = await sendFlash(
      deps,
      { text: { nl: POTTENBERG }, audience: { areas: ['pottenberg'] } },
      'test',
    );
    pottenbergBroadcast = flash.broadcastId;
    const outbox = new Outbox(queues);
    const log = createLogger('silent');
    const crashing = new FanOut({ db, outbox, log, pageSize: 500 });
    await expect(
      crashing.run(flash.broadcastId, {
        beforeQueue: (page) => {
          if (page === 2) throw new Error('crash after commit, before queueing');
        },
      }),
    ).rejects.toThrow(/crash after commit/);
    const after = await rowsPerAddress(flash.broadcastId);
    expect(after.size).toBe(1_500);
    const result = await new FanOut({ db, outbox, log, pageSize: 500 }).run(flash.broadcastId);
    expect(result.outcome).toBe('sent');
    const expected = await eligibleIn('pottenberg');
    const rows = await rowsPerAddress(flash.broadcastId);
    expect([...rows.keys()].sort()).toEqual(expected);
    expect([...rows.values()].every((n) => n === 1)).toBe(true);
    // Every row waits in the outbox, the crashed page's included; none is a queue job.
    const ids = await db
      .selectFrom('outbound_messages')
      .select(['id', 'status', 'drain_after'])
      .where('broadcast_id', '=', flash.broadcastId)
      .execute();
    expect(ids.filter((r) => r.status !== 'queued' || r.drain_after === null)).toEqual([]);
    const jobs = await Promise.all(ids.map((r) => queues.outbound('console').getJob(`out-${r.id}`)));
    expect(jobs.filter((j) => j !== undefined)).toHaveLength(0);
  });

  it('delivers exactly one copy to every eligible resident and nothing to anyone else', async () => {
    const senderRedis = createRedis(setup.env.REDIS_URL);
    const sender = new OutboundWorker({
      connection: senderRedis,
      prefix: setup.env.QUEUE_PREFIX,
      adapter: new ConsoleAdapter(redis, setup.env.QUEUE_PREFIX),
      db,
      log: createLogger('silent'),
      metrics: new Metrics(),
      lockMs: 5_000,
      concurrency: 24,
    });
    closers.push(async () => senderRedis.disconnect());
    // The killed worker's quiet hours held its pages' rows: now they may go.
    await sql`update outbound_messages set drain_after = now() where status = 'queued'`.execute(db);
    await queues.outbound('console').resume();
    try {
      await eventually(
        async () => {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from outbound_messages where status = 'queued'`.execute(db);
          return rows[0]!.n === 0;
        },
        60_000,
        'every message delivered',
      );
    } finally {
      await sender.close();
    }
    const { rows: everyone } = await sql<{ address: string }>`
      select address from residents order by address`.execute(db);
    const pipeline = redis.pipeline();
    for (const { address } of everyone)
      pipeline.lrange(ConsoleAdapter.inboxKey(setup.env.QUEUE_PREFIX, address), 0, -1);
    const results = (await pipeline.exec()) ?? [];
    const inboxes = new Map(everyone.map(({ address }, i) => [address, (results[i]?.[1] as string[]) ?? []]));
    const nazareth = new Set(await eligibleIn('nazareth'));
    const pottenberg = new Set(await eligibleIn('pottenberg'));
    const wrong: string[] = [];
    for (const [address, messages] of inboxes) {
      const flashes = messages.filter((m) => m === NAZARETH || m.startsWith('Saturday') || m === POTTENBERG);
      const want = nazareth.has(address) || pottenberg.has(address) ? 1 : 0;
      if (flashes.length !== want) wrong.push(`${address}: ${flashes.length}`);
    }
    expect(wrong).toEqual([]);
    // English residents got the English text.
    expect(inboxes.get('fan-00010')).toEqual(['Saturday 10:00 breakfast at the Trefpunt.']);
    // The two who said STOP and STOP NIEUWS only have the bot's confirmation.
    expect(inboxes.get('fan-says-stop')).toHaveLength(1);
    expect(inboxes.get('fan-says-stop-news')).toHaveLength(1);
    const counts = await db
      .selectFrom('outbound_messages')
      .select(['broadcast_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('broadcast_id', 'in', [nazarethBroadcast, pottenbergBroadcast])
      .groupBy(['broadcast_id', 'status'])
      .execute();
    expect(counts.every((c) => c.status === 'sent')).toBe(true);
  }, 90_000);
});
