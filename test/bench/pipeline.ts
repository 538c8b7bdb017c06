import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { converse } from '../../flows/conversation.js';
import { loadTexts } from '../../flows/i18n/texts.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, flowConfig, prepareStorage } from '../../src/app.js';
import { createDb } from '../../src/db/connect.js';
import { Engine } from '../../src/engine/engine.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import { Pseudonymizer } from '../../src/privacy/pseudonym.js';
import { InboundWorkers } from '../../src/queue/inbound-worker.js';
import { Ingress } from '../../src/queue/ingress.js';
import { Outbox } from '../../src/queue/outbox.js';
import { type OutboundJob, outboundJobId, outboundPayloadOf } from '../../src/queue/payloads.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';
import { median, percentile, type ScenarioResult } from './report.js';
import { benchSetup } from './setup.js';

/**
 * An Outbox that tells who is waiting for a reply the moment it is queued (its row committed in the
 * reply outbox, the sender signalled). A resident's messages are handled in order, so the oldest
 * waiter of an address is the one a reply answers.
 */
class TimedOutbox extends Outbox {
  readonly waiting = new Map<string, (() => void)[]>();
  /** Also one BullMQ job per reply, as before the reply outbox: the comparison in the same run. */
  replyJobs = false;
  readonly #queues: Queues;
  constructor(queues: Queues) {
    super(queues);
    this.#queues = queues;
  }
  override async enqueue(jobs: readonly OutboundJob[]): Promise<void> {
    await super.enqueue(jobs);
    if (this.replyJobs) {
      const replies = jobs.filter((j) => j.drained && j.outboundId);
      for (const channel of new Set(replies.map((j) => j.channel))) {
        await this.#queues.outbound(channel).addBulk(
          replies
            .filter((j) => j.channel === channel)
            .map((j) => ({
              name: j.kind,
              data: outboundPayloadOf(j),
              opts: { jobId: outboundJobId(j.outboundId!) },
            })),
        );
      }
    }
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
/** CPU time a process has used (ms), from /proc; 0 where there is none (another OS, a gone process). */
const cpuMs = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
};

/**
 * Residents answering the three scale questions of veerkracht-kort through the real ingress, queues,
 * engine and database; beside it, a bare BullMQ worker doing one PostgreSQL insert per job.
 */
export async function pipelineScenario(options: {
  /** Residents answering in one round (and at the offered rate). */
  residents: number;
  rounds: number;
  offeredRate: number;
}): Promise<ScenarioResult> {
  const setup = benchSetup({
    LOG_LEVEL: 'silent',
  });
  const { env } = setup;
  await prepareStorage(env);
  const db = createDb(env.DATABASE_URL, 20);
  const redis = createRedis(env.REDIS_URL);
  const workerRedis = createRedis(env.REDIS_URL);
  const bareRedis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const bareWorkerRedis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  try {
    const { residents, rounds } = options;
    const messages = residents * ANSWERS.length;

    await sql`create table bench_baseline (id bigserial primary key, resident text, answer text, at timestamptz default now())`.execute(
      db,
    );
    // The baselines use plain ioredis connections, as a bare BullMQ worker would: one insert per job.
    const baselineQueue = new Queue('baseline', { connection: bareRedis, prefix: env.QUEUE_PREFIX });
    const inserted = new Map<string, () => void>();
    let drained = 0;
    let drainedAll: () => void = () => {};
    const baselineWorker = new Worker(
      'baseline',
      async (job) => {
        await sql`insert into bench_baseline (resident, answer) values (${job.data.resident}, ${job.data.answer})`.execute(
          db,
        );
        if (++drained === messages) drainedAll();
        inserted.get(job.data.resident)?.();
      },
      {
        connection: bareWorkerRedis,
        prefix: env.QUEUE_PREFIX,
        concurrency: env.INBOUND_PARTITIONS,
        autorun: false,
      },
    );
    // Drain: every job queued up front, then the worker empties the queue.
    const baselineJobs = Array.from({ length: messages }, (_, i) => ({
      name: 'b',
      data: { resident: `d${i % residents}`, answer: ANSWERS[Math.floor(i / residents)]! },
      opts: { removeOnComplete: true },
    }));
    for (let i = 0; i < baselineJobs.length; i += 1000)
      await baselineQueue.addBulk(baselineJobs.slice(i, i + 1000));
    const drainDone = new Promise<void>((r) => {
      drainedAll = r;
    });
    const drainStart = performance.now();
    void baselineWorker.run();
    await drainDone;
    const drainPerSecond = messages / ((performance.now() - drainStart) / 1000);

    // Like for like: residents each queueing one message at a time and waiting until the worker has
    // stored it, as the pipeline's residents wait for the reply.
    const baselineRound = async (round: number): Promise<number> => {
      const start = performance.now();
      await Promise.all(
        Array.from({ length: residents }, async (_, i) => {
          const resident = `l${round}-${i}`;
          for (const answer of ANSWERS) {
            const done = new Promise<void>((r) => inserted.set(resident, r));
            await baselineQueue.add('b', { resident, answer }, { removeOnComplete: true });
            await done;
          }
        }),
      );
      return messages / ((performance.now() - start) / 1000);
    };

    // Residents who joined and are at the first question of veerkracht-kort: a fresh set per round
    // (and the warm-up) of each pipeline side, plus one for the offered load.
    const polls = loadPolls();
    const joined = joinByTyping(new FakeResident({ polls }));
    const state = JSON.stringify(joined.state);
    await sql`
      insert into residents (channel, address, language, area, age_group, consent_version, consent_at)
      select 'console', 'bench-' || g, 'nl', 'nazareth', '27-40', ${CONSENT_VERSION}, now()
      from generate_series(1, ${residents * (2 * rounds + 3)}) g`.execute(db);
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
      batchSize: env.INBOUND_BATCH_SIZE,
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
    const maxLatencies: number[] = [];
    const pipelineRound = async (round: number, replyJobs = false): Promise<number> => {
      outbox.replyJobs = replyJobs;
      const first = (replyJobs ? rounds + 1 + round : round) * residents;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: residents }, async (_, i) => {
          for (const answer of ANSWERS) {
            const ms = await send(first + i + 1, answer);
            if (round > 0 && !replyJobs) maxLatencies.push(ms);
          }
        }),
      );
      outbox.replyJobs = false;
      return messages / ((performance.now() - start) / 1000);
    };
    // Rounds alternate, so a noisy neighbour slows both sides alike; the medians are compared. The
    // first round of each only warms up (compiled code, caches, connections) and is not counted.
    const baselineRates: number[] = [];
    const pipelineRates: number[] = [];
    const replyJobRates: number[] = [];
    // CPU per message of each side: this process (ingress, workers, engine), the PostgreSQL backends
    // of this database and the Redis server (shared with anything else using it on this machine).
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
    const cpu = { baseline: [] as number[][], pipeline: [] as number[][], replyJobs: [] as number[][] };
    const measured = async (into: number[][] | null, round: () => Promise<number>): Promise<number> => {
      const backends = await sql<{
        pid: number;
      }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
      const pgMs = () => backends.rows.reduce((sum, r) => sum + cpuMs(r.pid), 0);
      const before = [process.cpuUsage(), pgMs(), cpuMs(redisPid)] as const;
      const rate = await round();
      const node = process.cpuUsage(before[0]);
      into?.push(
        [(node.user + node.system) / 1000, pgMs() - before[1], cpuMs(redisPid) - before[2]].map(
          (ms) => (ms * 1000) / messages,
        ),
      );
      return rate;
    };
    for (let round = 0; round <= rounds; round++) {
      const counted = round > 0;
      const baselineRate = await measured(counted ? cpu.baseline : null, () => baselineRound(round));
      const pipelineRate = await measured(counted ? cpu.pipeline : null, () => pipelineRound(round));
      const replyJobRate = await measured(counted ? cpu.replyJobs : null, () => pipelineRound(round, true));
      if (round === 0) continue;
      baselineRates.push(baselineRate);
      pipelineRates.push(pipelineRate);
      replyJobRates.push(replyJobRate);
    }
    const baselinePerSecond = median(baselineRates);
    const answersPerSecond = median(pipelineRates);
    const replyJobsPerSecond = median(replyJobRates);

    // Offered load: messages arrive at a fixed rate; each resident waits for the reply before the next.
    const offered = options.offeredRate;
    const offeredLatencies: number[] = [];
    const offeredStart = performance.now();
    const sends: Promise<void>[] = [];
    for (let k = 0; k < messages; k++) {
      const resident = (2 * rounds + 2) * residents + 1 + (k % residents);
      const answer = ANSWERS[Math.floor(k / residents)]!;
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
    await baselineWorker.close();
    await baselineQueue.close();
    const cpuNote = (rows: number[][]) =>
      ['this process', 'PostgreSQL', 'Redis']
        .map((name, i) => `${name} ${median(rows.map((r) => r[i]!)).toFixed(0)}`)
        .join(', ');
    const range = (rates: number[]) => `rounds: ${rates.map((r) => r.toFixed(0)).join(', ')}`;
    return {
      scenario: 'pipeline',
      rows: [
        {
          measure: 'baseline: bare worker draining queued jobs, one insert each',
          value: drainPerSecond,
          unit: 'jobs/s',
        },
        {
          measure: `baseline: residents queueing a job and waiting for its insert (median of ${rounds})`,
          value: baselinePerSecond,
          unit: 'jobs/s',
        },
        {
          measure: `pipeline: answers at maximum throughput (median of ${rounds})`,
          value: answersPerSecond,
          unit: 'answers/s',
          target: '≥ 1000',
        },
        {
          measure: 'ratio pipeline / like-for-like baseline',
          value: answersPerSecond / baselinePerSecond,
          unit: '',
          target: '≥ 1.0',
        },
        { measure: 'ratio pipeline / drain baseline', value: answersPerSecond / drainPerSecond, unit: '' },
        {
          measure: `pipeline with one BullMQ job per reply, as before the reply outbox (median of ${rounds})`,
          value: replyJobsPerSecond,
          unit: 'answers/s',
        },
        {
          measure: 'ratio of that / like-for-like baseline',
          value: replyJobsPerSecond / baselinePerSecond,
          unit: '',
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
        {
          measure: 'answers stored / sent',
          value: stored.rows[0]!.n / (messages * (2 * rounds + 3)),
          unit: '',
          target: '= 1',
        },
      ],
      notes: [
        `Like-for-like baseline ${range(baselineRates)} jobs/s; pipeline ${range(pipelineRates)} answers/s; with a job per reply ${range(replyJobRates)} answers/s.`,
        `CPU ms per 1,000 messages (median of the rounds): baseline ${cpuNote(cpu.baseline)}; pipeline ${cpuNote(cpu.pipeline)}; with a job per reply ${cpuNote(cpu.replyJobs)}.`,
        `${residents} residents a round, each sending ${ANSWERS.length} answers; partitions ${env.INBOUND_PARTITIONS}, transactions at once ${env.WORKER_CONCURRENCY}, batch at most ${env.INBOUND_BATCH_SIZE}.`,
      ],
    };
  } finally {
    workerRedis.disconnect();
    redis.disconnect();
    bareWorkerRedis.disconnect();
    bareRedis.disconnect();
    await db.destroy();
    await setup.cleanup();
  }
}
