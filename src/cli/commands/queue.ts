import type { Command } from 'commander';
import { recordAudit } from '../../desk/audit.js';
import { StartupError } from '../../domain/errors.js';
import { CHANNELS, type ChannelName } from '../../domain/messages.js';
import { outboundQueueName } from '../../queue/names.js';
import {
  failedReplies,
  outboxBacklog,
  requeueFailedRows,
  retryFailedReplies,
} from '../../queue/outbox-ops.js';
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

/** The channels whose outbox a retry covers: all, or the one whose outbound queue was named. */
function outboxChannels(name: string | undefined): ChannelName[] {
  return CHANNELS.filter((c) => name === undefined || outboundQueueName(c) === name);
}

/**
 * `queue status`, `queue failed` and `queue retry`: the operator's way to see the queues and the
 * reply outbox, and to retry jobs and replies that failed after all their attempts (the queue
 * dashboard is read-only and shows only the queues). Job data and replies — addresses, residents'
 * texts — are never printed; a retry is written to the audit log.
 */
export function registerQueueCommands(program: Command): void {
  const queue = program
    .command('queue')
    .description('failed jobs: how many per queue and why, and retrying them')
    .showHelpAfterError(true);

  queue
    .command('status')
    .description('jobs per queue and messages in the outbox per channel, by state')
    .option('--json', 'print one JSON document')
    .action((opts: { json?: boolean }) =>
      run(async (ctx) => {
        const queues = await ctx.queues();
        const jobs = await Promise.all(
          queues.all().map(async (q) => {
            const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
            return {
              queue: q.name,
              waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
              active: c.active ?? 0,
              delayed: c.delayed ?? 0,
              failed: c.failed ?? 0,
            };
          }),
        );
        const outbox = await outboxBacklog(await ctx.db());
        print(opts.json, { queues: jobs, outbox }, () => [
          ...jobs.map(
            (j) =>
              `${j.queue}: ${j.waiting} waiting, ${j.active} active, ${j.delayed} delayed, ${j.failed} failed`,
          ),
          ...(outbox.length === 0
            ? ['outbox: empty']
            : outbox.map(
                (o) =>
                  `outbox ${o.channel}: ${o.waiting} waiting, ${o.claimed} being sent, ${o.failed} failed` +
                  (o.broadcasts.waiting + o.broadcasts.claimed + o.broadcasts.failed > 0
                    ? ` (broadcasts: ${o.broadcasts.waiting} waiting, ${o.broadcasts.claimed} being sent, ${o.broadcasts.failed} failed)`
                    : ''),
              )),
        ]);
      }),
    );

  queue
    .command('failed')
    .description('failed jobs per queue and failed replies per channel, with their reasons (kept 3 days)')
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
        const outbox = await failedReplies(await ctx.db());
        print(opts.json, { queues: summaries, outbox }, () => [
          ...(summaries.length === 0
            ? ['no failed jobs']
            : summaries.flatMap((s) => [
                `${s.queue}: ${s.failed} failed`,
                ...s.reasons.map((r) => `  ${r.jobs} × ${r.reason}`),
              ])),
          ...(outbox.length === 0
            ? ['no failed replies in the outbox']
            : outbox.flatMap((o) => [
                `outbox ${o.channel}: ${o.failed} failed repl${o.failed === 1 ? 'y' : 'ies'}`,
                ...o.reasons.map((r) => `  ${r.replies} × ${r.reason}`),
              ])),
        ]);
      }),
    );

  queue
    .command('retry')
    .description(
      'move failed jobs back to their queue and failed replies back to the outbox (all, or one queue)',
    )
    .option(
      '--queue <name>',
      "only this queue (a name from queue failed); outbound-<channel> with the channel's outbox",
    )
    .option('--json', 'print one JSON document')
    .action((opts: { queue?: string; json?: boolean }) =>
      run(async (ctx) => {
        const queues = await ctx.queues();
        const db = await ctx.db();
        const retried: { queue: string; jobs: number }[] = [];
        for (const q of pick(queues, opts.queue)) {
          const jobs = await q.getFailedCount();
          if (jobs === 0) continue;
          // An outbound job for a row: the row was recorded failed too, and must wait again.
          const ids: string[] = [];
          for (let start = 0; ; start += PAGE) {
            const page = await q.getFailed(start, start + PAGE - 1);
            for (const job of page) {
              const id = (job.data as { outboundId?: unknown } | undefined)?.outboundId;
              if (typeof id === 'string') ids.push(id);
            }
            if (page.length < PAGE) break;
          }
          await requeueFailedRows(db, ids);
          await q.retryJobs({ state: 'failed', count: PAGE });
          retried.push({ queue: q.name, jobs });
        }
        const replies = await retryFailedReplies(db, outboxChannels(opts.queue));
        await recordAudit(
          db,
          'cli',
          'queue.retry',
          { queue: opts.queue ?? null, retried, outbox: replies },
          new Date(),
        );
        const total = retried.reduce((sum, r) => sum + r.jobs, 0);
        const repliesTotal = replies.reduce((sum, r) => sum + r.replies, 0);
        print(opts.json, { retried, total, outbox: replies, replies: repliesTotal }, () => [
          `${total} failed job${total === 1 ? '' : 's'} queued again`,
          `${repliesTotal} failed repl${repliesTotal === 1 ? 'y' : 'ies'} back in the outbox`,
        ]);
      }),
    );
}
