import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundQueueName } from '../../src/queue/names.js';
import { runCli } from '../helpers/cli.js';
import { eventually, REDIS_URL, type TestSetup, testSetup } from '../helpers/env.js';

const SECRET_TEXT = 'mijn nummer is 0612345678';

describe('straatpraat queue: failed jobs without the dashboard', () => {
  let setup: TestSetup;
  let redis: Redis;
  let queue: Queue;

  beforeAll(async () => {
    setup = testSetup();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(outboundQueueName('console'), { connection: redis, prefix: setup.vars.QUEUE_PREFIX });
    await queue.add('reply', { address: 'console:someone', text: SECRET_TEXT }, { jobId: 'out-1' });
    const worker = new Worker(
      queue.name,
      async () => {
        throw new UnrecoverableError('console adapter refused the message');
      },
      { connection: redis.duplicate(), prefix: setup.vars.QUEUE_PREFIX },
    );
    await eventually(async () => (await queue.getFailedCount()) === 1, 10_000, 'the job to fail');
    await worker.close();
  });

  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await setup.cleanup();
  });

  it('lists failed jobs per queue with their reason, never their data', async () => {
    const run = await runCli(['queue', 'failed', '--json'], setup.vars);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { queues: { queue: string; failed: number }[] };
    expect(report.queues).toEqual([
      {
        queue: outboundQueueName('console'),
        failed: 1,
        reasons: [{ reason: 'console adapter refused the message', jobs: 1 }],
      },
    ]);
    expect(run.stdout).not.toContain('0612345678');
    expect(run.stdout).not.toContain('console:someone');
  });

  it('shows jobs per queue by state and an empty outbox in queue status', async () => {
    const run = await runCli(['queue', 'status', '--json'], setup.vars);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as { queues: { queue: string }[]; outbox: unknown[] };
    expect(status.queues).toContainEqual({
      queue: outboundQueueName('console'),
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 1,
    });
    expect(status.outbox).toEqual([]);
    expect(run.stdout).not.toContain('console:someone');
  });

  it('refuses an unknown queue with exit code 2', async () => {
    const run = await runCli(['queue', 'retry', '--queue', 'nope'], setup.vars);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no queue nope');
  });

  it('queues failed jobs again and writes the retry to the audit log', async () => {
    const run = await runCli(['queue', 'retry', '--queue', outboundQueueName('console')], setup.vars);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 failed job queued again');
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(1);
    const client = new pg.Client({ connectionString: setup.vars.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`select actor, action from audit_log where action = 'queue.retry'`);
      expect(rows).toEqual([{ actor: 'cli', action: 'queue.retry' }]);
    } finally {
      await client.end();
    }
  });
});
