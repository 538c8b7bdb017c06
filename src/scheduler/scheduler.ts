import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { DeskConfig } from '../../flows/desk/types.js';
import { loadTexts, type Texts } from '../../flows/i18n/texts.js';
import { BroadcastTick, type TickReport } from '../broadcast/tick.js';
import type { Database } from '../db/schema.js';
import {
  flagOverdueHelpRequests,
  notifyStaffOfFlagged,
  notifyStaffOfNewHelpRequests,
} from '../desk/help-requests.js';
import { defaultOfficeHours } from '../domain/office-hours.js';
import type { Logger } from '../log.js';
import { requeuePendingMedia } from '../media/idea-media.js';
import { openScheduledWaves } from '../polls/schedules.js';
import { lockOptions } from '../queue/locks.js';
import { SCHEDULER_QUEUE } from '../queue/names.js';
import type { Outbox } from '../queue/outbox.js';
import type { Queues } from '../queue/queues.js';
import { askAgeChecks } from './age-check.js';
import { type PurgeReport, purge, type RetentionPolicy } from './purge.js';

export interface SchedulerOptions {
  connection: Redis;
  prefix: string;
  queues: Queues;
  db: Kysely<Database>;
  outbox: Outbox;
  log: Logger;
  lockMs: number;
  /** How often the tick runs (ms). */
  tickMs: number;
  /** Time zone of the daily purge's time and of recurring waves' rules. */
  timeZone: string;
  retention: RetentionPolicy;
  clock?: () => Date;
  /** The texts of messages to staff; the shipped language files when not given. */
  texts?: Texts;
  /** Office hours and time zone of the wijkteam: when it is told of new help requests. */
  desk?: DeskConfig;
}

/** The daily purge runs at night, when nobody is messaged anyway. */
export const PURGE_PATTERN = '30 3 * * *';

/**
 * The scheduler role: BullMQ job schedulers put a `tick` job (every `tickMs`) and a daily `purge`
 * job on the `scheduler` queue, and this worker runs them. However many scheduler processes run,
 * each tick is one job and runs once; all the work is found in the database and is idempotent, so a
 * tick that runs twice or late does no harm.
 */
export class Scheduler {
  readonly #worker: Worker;
  readonly #opts: SchedulerOptions;
  readonly #tick: BroadcastTick;
  readonly #texts: Texts;

  private constructor(opts: SchedulerOptions) {
    this.#opts = opts;
    this.#texts = opts.texts ?? loadTexts();
    this.#tick = new BroadcastTick({
      db: opts.db,
      queue: opts.queues.broadcast,
      outbox: opts.outbox,
      log: opts.log,
      ...(opts.clock && { clock: opts.clock }),
    });
    this.#worker = new Worker(SCHEDULER_QUEUE, (job) => this.#process(job), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: 1,
      ...lockOptions(opts.lockMs),
    });
    this.#worker.on('failed', (job, error) =>
      opts.log.warn({ job: job?.name, reason: error.message }, 'scheduler job failed'),
    );
    this.#worker.on('error', (error) => opts.log.error({ reason: error.message }, 'scheduler worker error'));
  }

  /** Registers the job schedulers (idempotent across processes) and starts working them. */
  static async start(opts: SchedulerOptions): Promise<Scheduler> {
    const scheduler = new Scheduler(opts);
    const queue = opts.queues.scheduler;
    await queue.upsertJobScheduler('tick', { every: opts.tickMs }, { name: 'tick' });
    await queue.upsertJobScheduler('purge', { pattern: PURGE_PATTERN, tz: opts.timeZone }, { name: 'purge' });
    await scheduler.#worker.waitUntilReady();
    return scheduler;
  }

  async #process(
    job: Job,
  ): Promise<(TickReport & { recurring: number }) | (PurgeReport & { queueJobs: number }) | undefined> {
    if (job.name === 'tick') {
      // Help requests that came in while the office was closed are told to the wijkteam in the chat
      // once office hours start; those nobody took within a working day get flagged in the inbox, and
      // the wijkteam hears of it. Marks and messages commit together.
      const now = this.#opts.clock?.() ?? new Date();
      const desk = this.#opts.desk ?? { officeHours: defaultOfficeHours(), timeZone: this.#opts.timeZone };
      const notices = await this.#opts.db.transaction().execute(async (tx) => {
        const fresh = await notifyStaffOfNewHelpRequests(tx, this.#texts, desk, now);
        const flagged = await flagOverdueHelpRequests(tx, now);
        if (flagged.length > 0) this.#opts.log.info({ flagged: flagged.length }, 'help requests flagged');
        return [...fresh, ...(await notifyStaffOfFlagged(tx, this.#texts, flagged, now))];
      });
      await this.#opts.outbox.enqueue(notices);
      const ageChecks = await askAgeChecks({
        db: this.#opts.db,
        outbox: this.#opts.outbox,
        texts: this.#texts,
        now,
      });
      if (ageChecks > 0) this.#opts.log.info({ ageChecks }, 'yearly age checks asked');
      // A photo or voice message whose job was lost (Redis away at commit) is queued again.
      await requeuePendingMedia(this.#opts.db, this.#opts.queues.media, now).catch((error: Error) =>
        this.#opts.log.warn({ reason: error.message }, 'idea media requeue failed'),
      );
      // Recurring waves whose occurrence has come open first, so this same tick opens them.
      const recurring = await openScheduledWaves(
        {
          db: this.#opts.db,
          queue: this.#opts.queues.broadcast,
          render: { texts: this.#texts },
          timeZone: this.#opts.timeZone,
          log: this.#opts.log,
        },
        now,
      );
      return { ...(await this.#tick.run()), recurring: recurring.length };
    }
    if (job.name === 'purge') {
      const purged = await purge(this.#opts.db, this.#opts.retention, this.#opts.clock?.() ?? new Date());
      // Finished and long-failed jobs of every queue, however quiet the queue.
      const report = { ...purged, queueJobs: await this.#opts.queues.clean() };
      this.#opts.log.info(report, 'retention purge');
      return report;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}
