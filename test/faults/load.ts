import { sql } from 'kysely';
import { ConsoleAdapter } from '../../adapters/console/adapter.js';
import { loadPolls } from '../../flows/polls/catalog.js';
import { CONSENT_VERSION, prepareStorage } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import { createDb } from '../../src/db/connect.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { Ingress } from '../../src/queue/ingress.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/queue/redis.js';
import { spawnCli } from '../helpers/cli.js';
import { eventually, type TestSetup, testSetup } from '../helpers/env.js';
import { FakeResident, joinByTyping } from '../helpers/flow.js';

/** What every resident types: the three scale questions of veerkracht-kort, one answer each. */
export const ANSWERS = ['4', '3', '5'] as const;

export type Worker = ReturnType<typeof spawnCli>;

export interface FaultLoadOptions {
  residents: number;
  /** Settings for this installation (e.g. REDIS_URL of a test-owned Redis). */
  overrides?: Record<string, string>;
  /** The DATABASE_URL the worker processes use (e.g. through a proxy the test can cut). */
  workerDatabaseUrl?: (direct: string) => string;
}

/**
 * An installation under load for a fault test: residents seeded at the first question of
 * veerkracht-kort, worker processes started with the CLI, and the checks every fault test ends with.
 */
export class FaultLoad {
  readonly setup: TestSetup;
  readonly residents: number;
  readonly workerVars: Record<string, string>;
  readonly db: ReturnType<typeof createDb>;
  readonly redis: ReturnType<typeof createRedis>;
  readonly queues: Queues;
  readonly ingress: Ingress;
  readonly workers: Worker[] = [];

  private constructor(opts: FaultLoadOptions) {
    this.residents = opts.residents;
    this.setup = testSetup({
      INBOUND_PARTITIONS: '8',
      WORKER_CONCURRENCY: '8',
      QUEUE_LOCK_MS: '2000',
      LOG_LEVEL: 'info',
      ...opts.overrides,
    });
    const direct = this.setup.env.DATABASE_URL;
    this.workerVars = { ...this.setup.vars, DATABASE_URL: opts.workerDatabaseUrl?.(direct) ?? direct };
    parseEnv(this.workerVars);
    this.db = createDb(direct, 4);
    this.redis = createRedis(this.setup.env.REDIS_URL);
    this.redis.on('error', () => {});
    this.queues = new Queues(this.redis, this.setup.env.QUEUE_PREFIX, this.setup.env.INBOUND_PARTITIONS);
    this.ingress = new Ingress(this.queues);
  }

  static async create(opts: FaultLoadOptions): Promise<FaultLoad> {
    const load = new FaultLoad(opts);
    await prepareStorage(load.setup.env);
    await load.queues.init();
    const joined = joinByTyping(new FakeResident({ polls: loadPolls() }));
    await sql`
      insert into residents (channel, address, language, area, age_group, consent_version, consent_at)
      select 'console', 'fault-' || g, 'nl', 'nazareth', '27-40', ${CONSENT_VERSION}, now()
      from generate_series(1, ${opts.residents}) g`.execute(load.db);
    await sql`insert into conversations (resident_id, state)
      select id, ${JSON.stringify(joined.state)}::jsonb from residents`.execute(load.db);
    return load;
  }

  get expected(): number {
    return this.residents * ANSWERS.length;
  }

  /** Every message of the run, one round of answers after the other (each resident's in order). */
  rounds(): InboundMessage[][] {
    return ANSWERS.map((answer, k) =>
      Array.from({ length: this.residents }, (_, i) =>
        ConsoleAdapter.normalise(answer, `fault-${i + 1}`, `fault-${i + 1}-${k}`, new Date()),
      ),
    );
  }

  /** Delivers every message with `deliver` (default: once through the ingress), round by round. */
  async sendAll(deliver: (m: InboundMessage) => Promise<unknown> = (m) => this.ingress.accept(m)) {
    for (const round of this.rounds()) {
      for (let i = 0; i < round.length; i += 100) {
        await Promise.all(round.slice(i, i + 100).map(deliver));
      }
    }
  }

  /** Starts a worker process and waits until it takes jobs. */
  startWorker(): Worker {
    const child = spawnCli(['start', '--role', 'worker'], this.workerVars);
    this.workers.push(child);
    return child;
  }

  async ready(child: Worker, timeoutMs = 45_000): Promise<void> {
    await eventually(
      () => child.output().includes('straatpraat started'),
      timeoutMs,
      'a worker to start',
    ).catch((error) => {
      throw new Error(`${(error as Error).message}\n${child.output().slice(-2000)}`);
    });
  }

  alive(): Worker[] {
    return this.workers.filter((w) => w.exitCode === null && w.signalCode === null);
  }

  async stored(): Promise<number> {
    const r = await sql<{ n: number }>`select count(*)::int as n from answers`.execute(this.db);
    return r.rows[0]!.n;
  }

  /** Resolves when stored answers reach `n` (checked directly on PostgreSQL). */
  async reach(n: number, timeoutMs = 60_000): Promise<void> {
    await eventually(async () => (await this.stored()) >= n, timeoutMs, `${n} stored answers`).catch(
      async (error) => {
        const tail = this.workers.map((w) => w.output().slice(-1500)).join('\n---\n');
        throw new Error(`${(error as Error).message} (stored ${await this.stored()})\n${tail}`);
      },
    );
  }

  /** Inbound jobs not finished (waiting, active, delayed) or failed, per partition queue. */
  async unfinished(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (let p = 0; p < this.queues.partitions; p++) {
      const q = this.queues.inbound(p);
      const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
      const n = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.active ?? 0) + (c.delayed ?? 0);
      if (n > 0 || (c.failed ?? 0) > 0) out[q.name] = n + (c.failed ?? 0);
    }
    return out;
  }

  /** The checks every fault test ends with. */
  async settle(timeoutMs = 60_000): Promise<{
    answers: number;
    distinctAnswers: number;
    inboundLogged: number;
    ledger: number;
    unfinished: Record<string, number>;
  }> {
    await this.reach(this.expected, timeoutMs);
    await eventually(
      async () => Object.keys(await this.unfinished()).length === 0,
      timeoutMs,
      'every queue to drain',
    ).catch(() => {});
    // A late duplicate would show up after the count was first reached.
    await new Promise((r) => setTimeout(r, 1_000));
    const one = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(this.db)).rows[0]!.n;
    return {
      answers: await this.stored(),
      distinctAnswers: await one(
        sql<{
          n: number;
        }>`select count(*)::int as n from (select distinct respondent, poll, question from answers) d`,
      ),
      inboundLogged: await one(
        sql<{ n: number }>`select count(*)::int as n from message_log where direction = 'in'`,
      ),
      ledger: await one(sql<{ n: number }>`select count(*)::int as n from inbound_ledger`),
      unfinished: await this.unfinished(),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.alive().map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            w.kill('SIGKILL');
          }),
      ),
    );
    await this.queues.close().catch(() => {});
    this.redis.disconnect();
    await this.db.destroy();
    await this.setup.cleanup();
  }
}

/** Waits until a process has exited. */
export const exited = (child: Worker) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
