import type { Command, CommanderError } from 'commander';
import { parseEnv } from '../../config/env.js';
import { createDb } from '../../db/connect.js';
import { prepareStorage } from '../../db/prepare.js';
import { recordAudit } from '../../desk/audit.js';
import { StartupError } from '../../errors.js';
import { Queues } from '../../queue/queues.js';
import { createRedis } from '../../queue/redis.js';
import { guarded } from '../guarded.js';

/** Failed jobs looked at per queue: the keep time (3 days) bounds how many there can be. */
const PAGE = 1_000;

interface FailedSummary {
  queue: string;
  failed: number;
  /** Failure reasons with how often each occurs, most frequent first (job data is never shown). */
  reasons: { reason: string; jobs: number }[];
}

function exitOnError(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}

async function withQueues<T>(work: (queues: Queues) => Promise<T>): Promise<T> {
  const env = parseEnv();
  await prepareStorage(env);
  const redis = createRedis(env.REDIS_URL);
  redis.on('error', () => {});
  const queues = new Queues(redis, env.QUEUE_PREFIX, env.INBOUND_PARTITIONS);
  try {
    return await work(queues);
  } finally {
    await queues.close().catch(() => {});
    redis.disconnect();
  }
}

function pick(queues: Queues, name: string | undefined) {
  const all = queues.all();
  if (name === undefined) return all;
  const one = all.filter((q) => q.name === name);
  if (one.length === 0) {
    throw new StartupError(`queue retry: no queue ${name}; straatpraat queue failed lists them.`);
  }
  return one;
}

/**
 * `queue failed` and `queue retry`: the operator's way to see and retry jobs that failed after all
 * their attempts (the queue dashboard is read-only). Job data — addresses, residents' texts — is
 * never printed; a retry is written to the audit log.
 */
export function registerQueueCommands(program: Command): void {
  const queue = program
    .command('queue')
    .description('failed jobs: how many per queue and why, and retrying them')
    .showHelpAfterError(true)
    .exitOverride(exitOnError);

  queue
    .command('failed')
    .description('failed jobs per queue with their reasons (kept 3 days)')
    .option('--json', 'print one JSON document')
    .exitOverride(exitOnError)
    .action((opts: { json?: boolean }) =>
      guarded(() =>
        withQueues(async (queues) => {
          const summaries: FailedSummary[] = [];
          for (const q of queues.all()) {
            const failed = await q.getFailedCount();
            if (failed === 0) continue;
            const reasons = new Map<string, number>();
            for (const job of await q.getFailed(0, PAGE - 1)) {
              const reason = (job.failedReason ?? 'unknown').slice(0, 160);
              reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
            }
            summaries.push({
              queue: q.name,
              failed,
              reasons: [...reasons]
                .map(([reason, jobs]) => ({ reason, jobs }))
                .sort((a, b) => b.jobs - a.jobs),
            });
          }
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ queues: summaries })}\n`);
            return;
          }
          if (summaries.length === 0) process.stdout.write('no failed jobs\n');
          for (const s of summaries) {
            process.stdout.write(`${s.queue}: ${s.failed} failed\n`);
            for (const r of s.reasons) process.stdout.write(`  ${r.jobs} × ${r.reason}\n`);
          }
        }),
      ),
    );

  queue
    .command('retry')
    .description('move failed jobs back to their queue to run again (all queues, or one)')
    .option('--queue <name>', 'only this queue (a name from queue failed)')
    .option('--json', 'print one JSON document')
    .exitOverride(exitOnError)
    .action((opts: { queue?: string; json?: boolean }) =>
      guarded(() =>
        withQueues(async (queues) => {
          const env = parseEnv();
          const retried: { queue: string; jobs: number }[] = [];
          for (const q of pick(queues, opts.queue)) {
            const jobs = await q.getFailedCount();
            if (jobs === 0) continue;
            await q.retryJobs({ state: 'failed', count: PAGE });
            retried.push({ queue: q.name, jobs });
          }
          const db = createDb(env.DATABASE_URL, 1);
          try {
            await recordAudit(db, 'cli', 'queue.retry', { queue: opts.queue ?? null, retried }, new Date());
          } finally {
            await db.destroy();
          }
          const total = retried.reduce((sum, r) => sum + r.jobs, 0);
          if (opts.json) process.stdout.write(`${JSON.stringify({ retried, total })}\n`);
          else process.stdout.write(`${total} failed job${total === 1 ? '' : 's'} queued again\n`);
        }),
      ),
    );
}
