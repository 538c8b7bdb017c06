import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, startApp } from '../../src/app.js';
import { sendFlash } from '../../src/broadcast/flashes.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { createLogger } from '../../src/log.js';
import { testSetup } from '../helpers/env.js';
import { FakeTelegram } from '../helpers/fake-telegram.js';
import type { ScenarioResult } from './report.js';

const RATE = 25;

/**
 * A flash to every seeded Telegram resident: how fast the fan-out queues them all (beside a bare
 * `addBulk` of as many jobs in the same run), then delivery against a local fake Bot API that
 * enforces Telegram's limits, for a fixed time.
 */
export async function broadcastScenario(options: {
  residents: number;
  deliverSeconds: number;
}): Promise<ScenarioResult> {
  const fake = await new FakeTelegram({ rate: { perSecond: RATE, perChatIntervalMs: 1000 } }).start();
  const setup = testSetup({
    TELEGRAM_BOT_TOKEN: `123456:${'A'.repeat(35)}`,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_RATE_PER_SECOND: String(RATE),
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    LOG_LEVEL: 'silent',
  });
  const app = await startApp({ env: setup.env, log: createLogger('silent'), role: 'all', http: false });
  try {
    const { db, env } = app;
    // Baseline: the same number of bare jobs added in bulk to a queue on the same Redis.
    const bare = new Queue('bench-bare', { connection: app.redis, prefix: env.QUEUE_PREFIX });
    const bareStart = performance.now();
    for (let i = 0; i < options.residents; i += 1000) {
      await bare.addBulk(
        Array.from({ length: Math.min(1000, options.residents - i) }, (_, k) => ({
          name: 'b',
          data: { n: i + k },
          opts: { jobId: `b-${i + k}` },
        })),
      );
    }
    const bareSeconds = (performance.now() - bareStart) / 1000;
    await bare.obliterate({ force: true });
    await bare.close();

    await sql`
      insert into residents (channel, address, language, area, consent_version, consent_at)
      select 'telegram', (800000000 + g)::text, 'nl', 'nazareth', ${CONSENT_VERSION}, now()
      from generate_series(1, ${options.residents}) g`.execute(db);

    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await app.redis.info('memory'))?.[1] ?? 0);
    const tableBytes = async () =>
      Number(
        (await sql<{ n: string }>`select pg_total_relation_size('outbound_messages') as n`.execute(db))
          .rows[0]?.n ?? 0,
      );
    const [redisBefore, tableBefore] = [await usedMemory(), await tableBytes()];
    const queueStart = performance.now();
    const flash = await sendFlash(
      {
        db,
        queue: app.queues.broadcast,
        texts: loadTexts(),
        polls: loadPolls(),
        timeZone: env.TIME_ZONE,
        quietHours: new QuietHours(env.QUIET_HOURS_START, env.QUIET_HOURS_END, env.TIME_ZONE),
      },
      { text: { nl: 'Zaterdag 10:00 buurtontbijt in het Trefpunt.' } },
      'bench',
    );
    // Queued: the fan-out marks the broadcast sent once its last page's jobs are on the queue.
    // (Counting jobs in Redis does not work: the sender removes each job once it is sent.)
    for (;;) {
      const row = await db
        .selectFrom('broadcasts')
        .select('status')
        .where('id', '=', flash.broadcastId)
        .executeTakeFirstOrThrow();
      if (row.status === 'sent') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const queueSeconds = (performance.now() - queueStart) / 1000;
    // What the queued flash holds: Redis memory (the queue) and PostgreSQL (its rows and indexes).
    const redisMb = ((await usedMemory()) - redisBefore) / 1e6;
    const tableMb = ((await tableBytes()) - tableBefore) / 1e6;

    const okSends = () => fake.callsTo('sendMessage').filter((c) => c.status === 200);
    const before = okSends().length;
    const deliverStart = performance.now();
    await new Promise((r) => setTimeout(r, options.deliverSeconds * 1000));
    const deliverSeconds = (performance.now() - deliverStart) / 1000;
    const delivered = okSends().length - before;
    const sends = okSends();
    const perChat = new Map<string, number>();
    for (const c of sends)
      perChat.set(String(c.payload.chat_id), (perChat.get(String(c.payload.chat_id)) ?? 0) + 1);
    const duplicates = [...perChat.values()].filter((n) => n > 1).length;
    const tooMany = fake.callsTo('sendMessage').filter((c) => c.status === 429).length;
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from outbound_messages where broadcast_id = ${flash.broadcastId} group by status`.execute(
      db,
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const recorded = byStatus.sent ?? 0;
    return {
      scenario: 'broadcast',
      rows: [
        { measure: `baseline: bare addBulk of ${options.residents} jobs`, value: bareSeconds, unit: 's' },
        {
          measure: `flash fan-out: ${options.residents} recipients queued`,
          value: queueSeconds,
          unit: 's',
          target: '< 10',
        },
        {
          measure: 'ratio fan-out / bare addBulk',
          value: queueSeconds / bareSeconds,
          unit: '',
          target: '≤ 1.25',
        },
        { measure: `Redis memory growth, ${options.residents} queued`, value: redisMb, unit: 'MB' },
        { measure: `outbound_messages growth, ${options.residents} rows`, value: tableMb, unit: 'MB' },
        { measure: `delivered in ${options.deliverSeconds} s`, value: delivered, unit: 'messages' },
        {
          measure: 'achieved rate / limit',
          value: delivered / deliverSeconds / RATE,
          unit: '',
          target: '≥ 0.99',
        },
        { measure: '429 answers', value: tooMany, unit: '', target: '0' },
        { measure: 'chats that got the flash twice', value: duplicates, unit: '', target: '0' },
        {
          measure: 'delivered but not recorded as sent (loss)',
          value: Math.max(0, sends.length - recorded),
          unit: '',
          target: '0',
        },
        { measure: 'failed', value: byStatus.failed ?? 0, unit: '', target: '0' },
      ],
      notes: [
        `Limit enforced by the fake Bot API: ${RATE} messages/s, 1 per chat per second; ${fake.violations.length} violations recorded${fake.violations.length > 0 ? ` (${fake.violations.slice(0, 3).join('; ')})` : ''}.`,
      ],
    };
  } finally {
    await app.stop();
    await fake.close();
    await setup.cleanup();
  }
}
