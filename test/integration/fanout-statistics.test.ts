import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION, prepareStorage } from '../../src/app.js';
import { FanOut, STALE_ROWS } from '../../src/broadcast/fanout.js';
import { createDb } from '../../src/db/connect.js';
import { createLogger } from '../../src/log.js';
import { Outbox } from '../../src/queue/outbox.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { type TestSetup, testSetup } from '../helpers/env.js';

let setup: TestSetup;
let db: ReturnType<typeof createDb>;
let redis: ReturnType<typeof createRedis>;
let queues: Queues;

beforeAll(async () => {
  setup = testSetup();
  await prepareStorage(setup.env);
  db = createDb(setup.env.DATABASE_URL, 4);
  redis = createRedis(setup.env.REDIS_URL);
  queues = new Queues(redis, setup.env.QUEUE_PREFIX, setup.env.INBOUND_PARTITIONS);
  await queues.init();
});
afterAll(async () => {
  await queues?.close();
  redis?.disconnect();
  await db?.destroy();
  await setup?.cleanup();
});

describe('a fan-out right after a bulk import of residents', () => {
  it('refreshes the statistics first, so its pages walk the residents by id instead of reading them all', async () => {
    const residents = STALE_ROWS + 2_000;
    await sql`
      insert into residents (channel, address, language, area, consent_version, consent_at)
      select 'telegram', (700000000 + g)::text, 'nl', 'nazareth', ${CONSENT_VERSION}, now()
      from generate_series(1, ${residents}) g`.execute(db);
    const { rows: broadcast } = await sql<{ id: string }>`
      insert into broadcasts (kind, messages, audience, send_at, status)
      values ('flash', ${JSON.stringify({ nl: { kind: 'text', text: 'Buurtontbijt zaterdag.' } })}::jsonb,
              '{}'::jsonb, now(), 'scheduled')
      returning id`.execute(db);
    const planOfAPage = async () =>
      (
        await sql<{ 'QUERY PLAN': string }>`explain
          select r.id from residents r
          where r.status = 'active' and r.consent_at is not null and not r.news_opt_out
            and r.id > '00000000-0000-0000-0000-000000000000'::uuid
          order by r.id limit 1000`.execute(db)
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');

    const result = await new FanOut({ db, outbox: new Outbox(queues), log: createLogger('silent') }).run(
      broadcast[0]!.id,
    );

    expect(result).toMatchObject({ outcome: 'sent', queued: residents });
    const { rows } = await sql<{ analyzed: boolean }>`
      select coalesce(last_analyze, last_autoanalyze) is not null as analyzed
      from pg_stat_user_tables where relid = 'residents'::regclass`.execute(db);
    expect(rows[0]!.analyzed).toBe(true);
    expect(await planOfAPage()).toContain('residents_pkey');
  }, 60_000);
});
