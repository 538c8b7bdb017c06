import { sql } from 'kysely';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Ingress } from '../../src/queue/ingress.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { spawnCli } from '../helpers/cli.js';
import { eventually } from '../helpers/env.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { median, percentile, type ResultRow, type ScenarioResult } from './report.js';
import { benchSetup } from './setup.js';

const ANSWERS = ['4', '3', '5'];

type Child = ReturnType<typeof spawnCli>;

/**
 * The pipeline with 1, 2 and 4 worker processes (`straatpraat start --role worker`, as deployed)
 * against one Redis and one PostgreSQL; this process is the ingress. Per process count:
 *
 * - throughput: a round's residents each send their three answers (every first answer, then every
 *   second, …) as fast as the ingress takes them; the time until every answer is stored;
 * - latency at an offered rate: one message every 1/rate s, each resident's next answer only after
 *   its previous one was handled; a message counts as handled when its resident's conversation
 *   changed in PostgreSQL (looked up every few milliseconds for the residents with a message in
 *   flight), which is when the engine's transaction committed and its reply was handed on.
 */
export async function scaleScenario(options: {
  residents: number;
  rounds: number;
  offeredRate: number;
  processes: number[];
}): Promise<ScenarioResult> {
  const setup = benchSetup({
    // 'straatpraat started' is an info line: it tells that a worker process takes jobs.
    LOG_LEVEL: 'info',
  });
  const { env } = setup;
  await prepareStorage(env);
  const db = createDb(env.DATABASE_URL, 8);
  const redis = createRedis(env.REDIS_URL);
  const queues = new Queues(redis, env.QUEUE_PREFIX, env.INBOUND_PARTITIONS);
  await queues.init();
  const ingress = new Ingress(queues);
  const children: Child[] = [];
  try {
    const { residents, rounds } = options;
    const messages = residents * ANSWERS.length;
    // Per process count: a warm-up round, the measured rounds and the offered load, fresh residents each.
    const sets = rounds + 2;
    const joined = joinByTyping(new FakeResident({ polls: loadPolls() }));
    for (const n of options.processes) {
      await sql`
        insert into residents (channel, address, language, area, age_group, consent_version, consent_at)
        select 'console', 'scale-' || ${n}::int || '-' || g, 'nl', 'nazareth', '27-40', ${CONSENT_VERSION}, now()
        from generate_series(1, ${residents * sets}) g`.execute(db);
    }
    await sql`insert into conversations (resident_id, state, updated_at)
      select id, ${JSON.stringify(joined.state)}::jsonb, now() - interval '1 hour' from residents`.execute(
      db,
    );

    const stored = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from answers`.execute(db)).rows[0]!.n;
    let seq = 0;
    const message = (address: string, answer: string) =>
      ConsoleAdapter.normalise(answer, address, `scale-${++seq}`, new Date());

    const start = async (n: number): Promise<Child[]> => {
      const started = Array.from({ length: n }, () => spawnCli(['start', '--role', 'worker'], setup.vars));
      children.push(...started);
      for (const child of started) {
        await eventually(
          () => child.output().includes('straatpraat started'),
          120_000,
          'a worker to start',
        ).catch((error) => {
          throw new Error(`${(error as Error).message}\n${child.output().slice(-2000)}`);
        });
      }
      return started;
    };
    const stop = async (started: Child[]) => {
      await Promise.all(
        started.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    };

    /** One round: every answer of `residents` residents through the ingress; answers stored per second. */
    const round = async (n: number, set: number): Promise<number> => {
      const before = await stored();
      const began = performance.now();
      for (const answer of ANSWERS) {
        for (let i = 0; i < residents; i += 200) {
          await Promise.all(
            Array.from({ length: Math.min(200, residents - i) }, (_, k) =>
              ingress.accept(message(`scale-${n}-${set * residents + i + k + 1}`, answer)),
            ),
          );
        }
      }
      for (;;) {
        if ((await stored()) - before >= messages) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages / ((performance.now() - began) / 1000);
    };

    /** Offered load: latencies (ms) from accepting a message to its transaction being visible. */
    const offered = async (n: number, set: number): Promise<{ latencies: number[]; rate: number }> => {
      const waiting = new Map<string, { since: Date; sent: number; done: () => void }>();
      const seen = new Map<string, Date>();
      const latencies: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const addresses = [...waiting.keys()];
          if (addresses.length > 0) {
            const { rows } = await sql<{ address: string; updated_at: Date }>`
              select r.address, c.updated_at from residents r join conversations c on c.resident_id = r.id
              where r.channel = 'console' and r.address = any(${addresses}::text[])`.execute(db);
            const now = performance.now();
            for (const row of rows) {
              const w = waiting.get(row.address);
              if (!w || row.updated_at.getTime() === w.since.getTime()) continue;
              waiting.delete(row.address);
              seen.set(row.address, row.updated_at);
              latencies.push(now - w.sent);
              w.done();
            }
          }
          await new Promise((r) => setTimeout(r, 3));
        }
      })();
      // Every conversation was seeded with the same time; after that, the time the poller last saw.
      const seeded = (
        await sql<{ updated_at: Date }>`
          select c.updated_at from residents r join conversations c on c.resident_id = r.id
          where r.channel = 'console' and r.address = ${`scale-${n}-${set * residents + 1}`}`.execute(db)
      ).rows[0]!.updated_at;
      const send = async (address: string, answer: string) => {
        const done = new Promise<void>((resolve) => {
          waiting.set(address, {
            since: seen.get(address) ?? seeded,
            sent: performance.now(),
            done: resolve,
          });
        });
        await ingress.accept(message(address, answer));
        await done;
      };
      // Each resident's answers in order, one message every 1/rate s across all residents.
      const began = performance.now();
      const chains = new Map<string, Promise<void>>();
      for (let k = 0; k < messages; k++) {
        const address = `scale-${n}-${set * residents + 1 + (k % residents)}`;
        const answer = ANSWERS[Math.floor(k / residents)]!;
        const due = began + (k * 1000) / options.offeredRate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        chains.set(
          address,
          (chains.get(address) ?? Promise.resolve()).then(() => send(address, answer)),
        );
      }
      await Promise.all(chains.values());
      const rate = messages / ((performance.now() - began) / 1000);
      polling = false;
      await poller;
      return { latencies, rate };
    };

    const rows: ResultRow[] = [];
    const notes: string[] = [];
    const perProcess = new Map<number, number>();
    for (const n of options.processes) {
      const started = await start(n);
      await round(n, 0);
      const rates: number[] = [];
      for (let r = 1; r <= rounds; r++) rates.push(await round(n, r));
      const load = await offered(n, rounds + 1);
      await stop(started);
      const throughput = median(rates);
      perProcess.set(n, throughput);
      const label = `${n} worker process${n === 1 ? '' : 'es'}`;
      rows.push(
        {
          measure: `${label}: answers stored (median of ${rounds} rounds)`,
          value: throughput,
          unit: 'answers/s',
        },
        {
          measure: `${label}: throughput / 1 process`,
          value: throughput / (perProcess.get(options.processes[0]!) ?? throughput),
          unit: '',
        },
        {
          measure: `${label}: achieved at ${options.offeredRate}/s offered`,
          value: load.rate,
          unit: 'answers/s',
        },
        {
          measure: `${label}: latency p50 at ${options.offeredRate}/s`,
          value: percentile(load.latencies, 50),
          unit: 'ms',
        },
        {
          measure: `${label}: latency p99 at ${options.offeredRate}/s`,
          value: percentile(load.latencies, 99),
          unit: 'ms',
          target: '< 100',
        },
      );
      notes.push(`${label}: rounds ${rates.map((r) => r.toFixed(0)).join(', ')} answers/s.`);
    }
    const total = await stored();
    rows.push({
      measure: 'answers stored / sent',
      value: total / (messages * sets * options.processes.length),
      unit: '',
      target: '= 1',
    });
    notes.push(
      `${residents} residents a round, each sending ${ANSWERS.length} answers; partitions ${env.INBOUND_PARTITIONS}, transactions at once ${env.WORKER_CONCURRENCY} per process, batch at most ${env.INBOUND_BATCH_SIZE}. The ingress (this process), the workers, PostgreSQL and Redis share the machine's cores.`,
    );
    return { scenario: 'scale', rows, notes };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await queues.close().catch(() => {});
    redis.disconnect();
    await db.destroy();
    await setup.cleanup();
  }
}
