import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { inboundQueueName } from './names.js';
import type { Outbox } from './outbox.js';
import { InboundJobSchema, parseJob } from './payloads.js';
import { isTransient, sleep } from './transient.js';

export interface InboundWorkerOptions {
  connection: Redis;
  prefix: string;
  partitions: number;
  /** Engine runs at the same time in this process (bounds the database pool). */
  concurrency: number;
  lockMs: number;
  engine: Engine;
  outbox: Outbox;
  log: Logger;
  metrics: Metrics;
}

/** A counting semaphore: at most `limit` engine runs at once in this process. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * One BullMQ worker per inbound partition, each taking one job at a time. A transient failure
 * (database or Redis away) is retried in place, so the partition waits and later messages of the
 * same resident cannot overtake; on shutdown such a job goes back to the front of its queue.
 */
export class InboundWorkers {
  readonly #workers: Worker[] = [];
  readonly #stopping = new AbortController();
  readonly #opts: InboundWorkerOptions;
  readonly #slots: Semaphore;

  constructor(opts: InboundWorkerOptions) {
    this.#opts = opts;
    this.#slots = new Semaphore(opts.concurrency);
    for (let p = 0; p < opts.partitions; p++) {
      const name = inboundQueueName(p);
      const worker = new Worker(name, (job, token) => this.#process(job, token, name), {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: 1,
        lockDuration: opts.lockMs,
        stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)),
        // Handling is idempotent (the ledger), so a job whose worker died is always tried again.
        maxStalledCount: 1_000,
      });
      worker.on('failed', (job, error) => {
        opts.metrics.failed.inc({ queue: 'inbound' });
        opts.log.warn({ queue: name, jobId: job?.id, reason: error.message }, 'inbound job failed');
      });
      worker.on('error', (error) =>
        opts.log.error({ queue: name, reason: error.message }, 'inbound worker error'),
      );
      this.#workers.push(worker);
    }
  }

  async #process(
    job: Job,
    token: string | undefined,
    queue: string,
  ): Promise<{ duplicate: boolean; replies: number }> {
    const message = parseJob(InboundJobSchema, job.data, 'inbound');
    const stopTimer = this.#opts.metrics.duration.startTimer({ queue: 'inbound' });
    await this.#slots.acquire();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const outcome = await this.#opts.engine.handle(message);
          await this.#opts.outbox.enqueue(outcome.outbound);
          this.#opts.metrics.processed.inc({ queue: 'inbound' });
          return { duplicate: outcome.duplicate, replies: outcome.outbound.length };
        } catch (error) {
          if (!isTransient(error)) throw error;
          if (this.#stopping.signal.aborted) {
            await job.moveToWait(token);
            throw new WaitingError();
          }
          if (attempt % 10 === 0) {
            this.#opts.log.warn(
              { queue, reason: (error as Error).message },
              'storage unavailable, retrying in place',
            );
          }
          await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)), this.#stopping.signal);
        }
      }
    } finally {
      this.#slots.release();
      stopTimer();
    }
  }

  /** Waits until every worker is connected and taking jobs. */
  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.waitUntilReady()));
  }

  /** Stops taking jobs, lets jobs in flight finish (or return to their queue) and closes. */
  async close(): Promise<void> {
    this.#stopping.abort();
    await Promise.all(this.#workers.map((w) => w.close()));
  }
}
