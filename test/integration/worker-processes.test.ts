import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Ingress } from '../../src/queue/ingress.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { consoleMessage } from '../helpers/app.js';
import { spawnCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;
let ingress: Ingress;
const children: ReturnType<typeof spawnCli>[] = [];

function startWorker(role = 'worker') {
  const child = spawnCli(['start', '--role', role], setup.vars);
  children.push(child);
  return child;
}

const exited = (child: ReturnType<typeof spawnCli>) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

async function inboundLogged(): Promise<number> {
  const row = await db
    .selectFrom('message_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('direction', '=', 'in')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  setup = testSetup({ INBOUND_PARTITIONS: '4', WORKER_CONCURRENCY: '8', QUEUE_LOCK_MS: '2000' });
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  redis = createRedis(setup.env.REDIS_URL);
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  await queues.init();
  ingress = new Ingress(queues);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await queues.close();
  redis.disconnect();
  await db.destroy();
  await setup.cleanup();
});

describe('worker processes', () => {
  it('runs a job again after its worker is killed mid-job, and its effect happens exactly once', async () => {
    // The resident exists; the test holds their row lock, so the worker blocks inside its transaction.
    const resident = await db
      .insertInto('residents')
      .values({ channel: 'console', address: 'kees' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const blocker = new pg.Client({ connectionString: setup.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select * from residents where id = $1 for update', [resident.id]);

    const first = startWorker();
    await ingress.accept(consoleMessage('kees', 'hallo daar'));
    // Mid-job: the worker's transaction waits for the row lock.
    await eventually(
      async () => {
        // Asked outside the blocker's transaction: pg_stat_activity is a snapshot per transaction.
        const r = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(db);
        return r.rows[0]!.n > 0;
      },
      20_000,
      'the worker to be blocked inside its job',
    ).catch((e) => {
      throw new Error(`${e.message}\n${first.output()}`);
    });
    first.kill('SIGKILL');
    await exited(first);
    await blocker.query('rollback');
    await blocker.end();

    const second = startWorker();
    const inbox = ConsoleAdapter.inboxKey(setup.env.QUEUE_PREFIX, 'kees');
    await eventually(async () => (await redis.llen(inbox)) >= 1, 20_000, 'the reply after restart');
    await new Promise((r) => setTimeout(r, 500));
    second.kill('SIGTERM');
    await exited(second);
    expect(await inboundLogged()).toBe(1);
    const outbound = await db.selectFrom('outbound_messages').select('status').execute();
    expect(outbound.length).toBeGreaterThanOrEqual(1);
    expect(await redis.llen(inbox)).toBe(outbound.length);
    const ledger = await db.selectFrom('inbound_ledger').select('id').execute();
    expect(ledger).toHaveLength(1);
  }, 60_000);

  it('exits 0 within 10 s on SIGTERM under load, and loses no job after a restart', async () => {
    const before = await inboundLogged();
    const total = 400;
    const child = startWorker('all');
    const sends = Array.from({ length: total }, (_, i) =>
      ingress.accept(consoleMessage(`load-${i % 40}`, `bericht ${i}`)),
    );
    await Promise.all(sends);
    await eventually(async () => (await inboundLogged()) > before + 20, 20_000, 'some work done');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const { code } = await exited(child);
    const took = Date.now() - signalled;
    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);
    const doneAtStop = await inboundLogged();
    expect(doneAtStop).toBeLessThan(before + total);

    startWorker();
    await eventually(async () => (await inboundLogged()) === before + total, 40_000, 'every message handled');
    await new Promise((r) => setTimeout(r, 500));
    expect(await inboundLogged()).toBe(before + total);
  }, 90_000);
});
