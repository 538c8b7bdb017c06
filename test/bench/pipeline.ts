import { Queue, Worker } from 'bullmq';
import { sql } from 'kysely';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Engine } from '../../src/engine/engine.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { InboundWorkers } from '../../src/queue/inbound-worker.js';
import { Ingress } from '../../src/queue/ingress.js';
import { Outbox } from '../../src/queue/outbox.js';
import type { OutboundJob } from '../../src/queue/payloads.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { testSetup } from '../helpers/env.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { percentile, type ScenarioResult } from './report.js';

/**
 * An Outbox that tells who is waiting for a reply the moment it is queued. A resident's messages are
 * handled in order, so the oldest waiter of an address is the one a reply answers.
 */
class TimedOutbox extends Outbox {
  readonly waiting = new Map<string, (() => void)[]>();
  override async enqueue(jobs: readonly OutboundJob[]): Promise<void> {
    await super.enqueue(jobs);
    const seen = new Set<string>();
    for (const job of jobs) {
      if (seen.has(job.address)) continue;
      seen.add(job.address);
      const queue = this.waiting.get(job.address);
      queue?.shift()?.();
      if (queue?.length === 0) this.waiting.delete(job.address);
    }
  }
  wait(address: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(address) ?? [];
      queue.push(resolve);
      this.waiting.set(address, queue);
    });
  }
}

const ANSWERS = ['4', '3', '5'];

/**
 * Residents answering the three scale questions of veerkracht-kort through the real ingress, queues,
 * engine and database; beside it, a bare BullMQ worker doing one PostgreSQL insert per job.
 */
export async function pipelineScenario(options: {
  residents: number;
  offeredRate: number;
}): Promise<ScenarioResult> {
  const setup = testSetup({ INBOUND_PARTITIONS: '16', WORKER_CONCURRENCY: '16', LOG_LEVEL: 'silent' });
  const { env } = setup;
  await prepareStorage(env);
  const db = createDb(env.DATABASE_URL, 20);
  const redis = createRedis(env.REDIS_URL);
  const workerRedis = createRedis(env.REDIS_URL);
  try {
    const total = options.residents * ANSWERS.length;

    await sql`create table bench_baseline (id bigserial primary key, resident text, answer text, at timestamptz default now())`.execute(
      db,
    );
    const baselineQueue = new Queue('baseline', { connection: redis, prefix: env.QUEUE_PREFIX });
    let baselineDone = 0;
    let baselineFinished: () => void = () => {};
    const baselineAllDone = new Promise<void>((r) => {
      baselineFinished = r;
    });
    const baselineWorker = new Worker(
      'baseline',
      async (job) => {
        await sql`insert into bench_baseline (resident, answer) values (${job.data.resident}, ${job.data.answer})`.execute(
          db,
        );
        if (++baselineDone === total) baselineFinished();
      },
      { connection: workerRedis, prefix: env.QUEUE_PREFIX, concurrency: 16, autorun: false },
    );
    const baselineJobs = Array.from({ length: total }, (_, i) => ({
      name: 'b',
      data: { resident: `r${i % options.residents}`, answer: ANSWERS[Math.floor(i / options.residents)]! },
      opts: { removeOnComplete: true },
    }));
    for (let i = 0; i < baselineJobs.length; i += 1000)
      await baselineQueue.addBulk(baselineJobs.slice(i, i + 1000));
    const baselineStart = performance.now();
    void baselineWorker.run();
    await baselineAllDone;
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    await baselineWorker.close();
    await baselineQueue.close();

    // Residents who joined and are at the first question of veerkracht-kort.
    const polls = loadPolls();
    const joined = joinByTyping(new FakeResident({ polls }));
    const state = JSON.stringify(joined.state);
    await sql`
      insert into residents (channel, address, language, area, age_group, consent_version, consent_at)
      select 'console', 'bench-' || g, 'nl', 'nazareth', '27-40', '2026-1', now() from generate_series(1, ${options.residents}) g`.execute(
      db,
    );
    await sql`insert into conversations (resident_id, state) select id, ${state}::jsonb from residents`.execute(
      db,
    );

    const queues = new Queues(redis, env.QUEUE_PREFIX, env.INBOUND_PARTITIONS);
    await queues.init();
    const outbox = new TimedOutbox(queues);
    const engine = new Engine({
      db,
      pseudonyms: new Pseudonymizer(Buffer.from(env.PSEUDONYM_KEY!, 'utf8')),
      flow: converse,
      context: { config: flowConfig(env), texts: loadTexts(), polls },
    });
    const workers = new InboundWorkers({
      connection: workerRedis,
      prefix: env.QUEUE_PREFIX,
      partitions: env.INBOUND_PARTITIONS,
      concurrency: env.WORKER_CONCURRENCY,
      lockMs: 30_000,
      engine,
      outbox,
      log: createLogger('silent'),
      metrics: new Metrics(),
    });
    await workers.ready();
    const ingress = new Ingress(queues);
    let seq = 0;
    const send = async (resident: number, answer: string): Promise<number> => {
      const address = `bench-${resident}`;
      const replied = outbox.wait(address);
      const started = performance.now();
      await ingress.accept(ConsoleAdapter.normalise(answer, address, `bench-${++seq}`, new Date()));
      await replied;
      return performance.now() - started;
    };

    // Maximum throughput: every resident answers as fast as the bot replies (closed loop).
    const half = Math.floor(options.residents / 2);
    const maxStart = performance.now();
    const maxLatencies: number[] = [];
    await Promise.all(
      Array.from({ length: half }, async (_, i) => {
        for (const answer of ANSWERS) maxLatencies.push(await send(i + 1, answer));
      }),
    );
    const maxSeconds = (performance.now() - maxStart) / 1000;
    const maxAnswers = half * ANSWERS.length;

    // Offered load: messages arrive at a fixed rate; each resident waits for the reply before the next.
    const offered = options.offeredRate;
    const rest = options.residents - half;
    const offeredLatencies: number[] = [];
    const offeredStart = performance.now();
    const sends: Promise<void>[] = [];
    for (let k = 0; k < rest * ANSWERS.length; k++) {
      const resident = half + 1 + (k % rest);
      const answer = ANSWERS[Math.floor(k / rest)]!;
      const due = offeredStart + (k * 1000) / offered;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      sends.push(send(resident, answer).then((ms) => void offeredLatencies.push(ms)));
    }
    await Promise.all(sends);
    const offeredSeconds = (performance.now() - offeredStart) / 1000;

    const stored = await sql<{ n: number }>`select count(*)::int as n from answers`.execute(db);
    await workers.close();
    await queues.close();
    const answersPerSecond = maxAnswers / maxSeconds;
    const baselinePerSecond = total / baselineSeconds;
    return {
      scenario: 'pipeline',
      rows: [
        { measure: 'baseline: BullMQ job + one insert', value: baselinePerSecond, unit: 'jobs/s' },
        {
          measure: 'pipeline: answers at maximum throughput',
          value: answersPerSecond,
          unit: 'answers/s',
          target: '≥ 1000',
        },
        {
          measure: 'ratio pipeline / baseline',
          value: answersPerSecond / baselinePerSecond,
          unit: '',
          target: '≥ 0.5',
        },
        { measure: 'latency p50 at maximum', value: percentile(maxLatencies, 50), unit: 'ms' },
        { measure: 'latency p99 at maximum', value: percentile(maxLatencies, 99), unit: 'ms' },
        {
          measure: `achieved rate at ${offered}/s offered`,
          value: offeredLatencies.length / offeredSeconds,
          unit: 'answers/s',
        },
        { measure: `latency p50 at ${offered}/s`, value: percentile(offeredLatencies, 50), unit: 'ms' },
        { measure: `latency p95 at ${offered}/s`, value: percentile(offeredLatencies, 95), unit: 'ms' },
        {
          measure: `latency p99 at ${offered}/s`,
          value: percentile(offeredLatencies, 99),
          unit: 'ms',
          target: '< 100',
        },
        { measure: 'answers stored / sent', value: stored.rows[0]!.n / total, unit: '', target: '= 1' },
      ],
    };
  } finally {
    workerRedis.disconnect();
    redis.disconnect();
    await db.destroy();
    await setup.cleanup();
  }
}
