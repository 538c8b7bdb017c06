import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_VERSION } from '../../src/app.js';
import { FanOut, STALE_ROWS } from '../../src/broadcast/fanout.js';
import { createLogger } from '../../src/log.js';
import { Outbox } from '../../src/queue/outbox.js';
import { openTestStorage, type TestStorage } from '../helpers/storage.js';

let storage: TestStorage;
let db: TestStorage['db'];
let queues: TestStorage['queues'];

beforeAll(async () => {
  storage = await openTestStorage();
  ({ db, queues } = storage);
});
afterAll(async () => {
  await storage?.close();
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
