import { DelayedError, type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { lockOptions } from '../queue/locks.js';
import { BROADCAST_QUEUE } from '../queue/names.js';
import type { Outbox } from '../queue/outbox.js';
import { parseJob } from '../queue/payloads.js';
import { FanOut, FanOutJobSchema, type FanOutResult } from './fanout.js';

export interface BroadcastWorkerOptions {
  connection: Redis;
  prefix: string;
  db: Kysely<Database>;
  outbox: Outbox;
  log: Logger;
  lockMs: number;
  clock?: () => Date;
  pageSize?: number;
  /** Fan-outs at the same time in this process. */
  concurrency?: number;
}

/**
 * Runs fan-out jobs from the `broadcast` queue. A job that comes early (clock skew, a tick that
 * re-added it) waits until its broadcast is due; on shutdown a fan-out stops between pages and goes
 * back to the queue, to resume at its cursor; a worker that dies mid-page loses its lock, and another
 * worker resumes the same way.
 */
export class BroadcastWorker {
  readonly #worker: Worker;
  readonly #fanOut: FanOut;
  readonly #clock: () => Date;
  readonly #stopping = new AbortController();

  constructor(opts: BroadcastWorkerOptions) {
    this.#clock = opts.clock ?? (() => new Date());
    this.#fanOut = new FanOut({
      db: opts.db,
      outbox: opts.outbox,
      log: opts.log,
      clock: this.#clock,
      ...(opts.pageSize !== undefined && { pageSize: opts.pageSize }),
    });
    this.#worker = new Worker(BROADCAST_QUEUE, (job, token) => this.#process(job, token), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 2,
      ...lockOptions(opts.lockMs),
      // Every run resumes at the cursor, so a fan-out whose worker died is always tried again.
      maxStalledCount: 1_000,
    });
    this.#worker.on('failed', (job, error) =>
      opts.log.warn({ jobId: job?.id, reason: error.message }, 'fan-out failed'),
    );
    this.#worker.on('error', (error) => opts.log.error({ reason: error.message }, 'broadcast worker error'));
  }

  async #process(job: Job, token: string | undefined): Promise<FanOutResult> {
    const { broadcastId } = parseJob(FanOutJobSchema, job.data, 'broadcast');
    const result = await this.#fanOut.run(broadcastId, {
      signal: this.#stopping.signal,
      afterPage: (progress) => job.updateProgress(progress),
    });
    if (result.outcome === 'not_due') {
      await job.moveToDelayed(
        Date.now() + Math.max(0, result.sendAt.getTime() - this.#clock().getTime()),
        token,
      );
      throw new DelayedError();
    }
    if (result.outcome === 'stopped') {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return result;
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  /** Stops between pages; the job goes back to the queue and resumes where it stopped. */
  async close(): Promise<void> {
    this.#stopping.abort();
    await this.#worker.close();
  }
}
