import type { Command } from 'commander';
import { recordAudit } from '../../desk/audit.js';
import { StartupError } from '../../domain/errors.js';
import type { Queues } from '../../queue/queues.js';
import { run } from '../context.js';
import { print } from '../output.js';

/** Failed jobs looked at per queue: the keep time (3 days) bounds how many there can be. */
const PAGE = 1_000;

interface FailedSummary {
  queue: string;
  failed: number;
  /** Failure reasons with how often each occurs, most frequent first (job data is never shown). */
  reasons: { reason: string; jobs: number }[];
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
    .showHelpAfterError(true);

  queue
    .command('failed')
    .description('failed jobs per queue with their reasons (kept 3 days)')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const queues = await ctx.queues();
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
            reasons: [...reasons].map(([reason, jobs]) => ({ reason, jobs })).sort((a, b) => b.jobs - a.jobs),
          });
        }
        print(opts.json, { queues: summaries }, () =>
          summaries.length === 0
            ? ['no failed jobs']
            : summaries.flatMap((s) => [
                `${s.queue}: ${s.failed} failed`,
                ...s.reasons.map((r) => `  ${r.jobs} × ${r.reason}`),
              ]),
        );
      }),
    );

  queue
    .command('retry')
    .description('move failed jobs back to their queue to run again (all queues, or one)')
    .option('--queue <name>', 'only this queue (a name from queue failed)')
    .option('--json', 'print one JSON document')
    .action((opts: { queue?: string; json?: boolean }) =>
      run(async (ctx) => {
        const queues = await ctx.queues();
        const retried: { queue: string; jobs: number }[] = [];
        for (const q of pick(queues, opts.queue)) {
          const jobs = await q.getFailedCount();
          if (jobs === 0) continue;
          await q.retryJobs({ state: 'failed', count: PAGE });
          retried.push({ queue: q.name, jobs });
        }
        const db = await ctx.db();
        await recordAudit(db, 'cli', 'queue.retry', { queue: opts.queue ?? null, retried }, new Date());
        const total = retried.reduce((sum, r) => sum + r.jobs, 0);
        print(opts.json, { retried, total }, () => [
          `${total} failed job${total === 1 ? '' : 's'} queued again`,
        ]);
      }),
    );
}
