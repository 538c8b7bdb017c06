import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { backoff, sleep } from '../domain/backoff.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Engine, HandleOutcome } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { lockOptions } from './locks.js';
import { inboundQueueName } from './names.js';
import type { Outbox } from './outbox.js';
import { InboundJobSchema, parseJob } from './payloads.js';
import { isTransient } from './transient.js';

export interface InboundWorkerOptions {
  connection: Redis;
  prefix: string;
  partitions: number;
  /** Transactions at the same time in this process (bounds the database pool). */
  concurrency: number;
  /** Messages at most in one transaction. */
  batchSize: number;
  lockMs: number;
  engine: Engine;
  outbox: Outbox;
  log: Logger;
  metrics: Metrics;
}

interface Waiting {
  message: InboundMessage;
  resolve: (outcome: HandleOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the messages the partition workers pick up at about the same time and hands them to the
 * engine together: one transaction and one `addBulk` for a batch instead of one per message. A
 * partition has one job in flight, so a batch never holds two messages of one resident.
 */
export class MessageBatcher {
  readonly #waiting: Waiting[] = [];
  readonly #engine: Engine;
  readonly #outbox: Outbox;
  readonly #maxBatch: number;
  readonly #maxRunning: number;
  #running = 0;
  #scheduled = false;

  constructor(opts: { engine: Engine; outbox: Outbox; maxBatch: number; maxRunning: number }) {
    this.#engine = opts.engine;
    this.#outbox = opts.outbox;
    this.#maxBatch = opts.maxBatch;
    this.#maxRunning = opts.maxRunning;
  }

  /** Handles one message (with others) and queues its replies; settles when both are done. */
  handle(message: InboundMessage): Promise<HandleOutcome> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ message, resolve, reject });
      this.#schedule();
    });
  }

  /** Starts a batch on the next turn of the event loop, so messages arriving together go together. */
  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#maxRunning || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#running >= this.#maxRunning || this.#waiting.length === 0) return;
      const batch = this.#waiting.splice(0, this.#maxBatch);
      this.#running++;
      void this.#run(batch).finally(() => {
        this.#running--;
        this.#schedule();
      });
      this.#schedule();
    });
  }

  async #run(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.#engine.handleBatch(batch.map((w) => w.message));
      await this.#outbox.enqueue(outcomes.flatMap((o) => o.outbound));
      await this.#outbox.erased(outcomes.flatMap((o) => (o.erased ? [o.erased] : [])));
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
    } catch (error) {
      // Storage away: every message waits and tries again (its job's loop). Anything else may be
      // one message's fault: each is tried alone, so only that one fails.
      if (batch.length === 1 || isTransient(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          const [outcome] = await this.#engine.handleBatch([w.message]);
          await this.#outbox.enqueue(outcome!.outbound);
          if (outcome!.erased) await this.#outbox.erased([outcome!.erased]);
          w.resolve(outcome!);
        } catch (single) {
          w.reject(single);
        }
      }
    }
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
  readonly #batches: MessageBatcher;

  constructor(opts: InboundWorkerOptions) {
    this.#opts = opts;
    this.#batches = new MessageBatcher({
      engine: opts.engine,
      outbox: opts.outbox,
      maxBatch: opts.batchSize,
      maxRunning: opts.concurrency,
    });
    for (let p = 0; p < opts.partitions; p++) {
      const name = inboundQueueName(p);
      const worker = new Worker(name, (job, token) => this.#process(job, token, name), {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: 1,
        ...lockOptions(opts.lockMs),
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
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const outcome = await this.#batches.handle(message);
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
          await sleep(backoff(attempt, { baseMs: 100, maxMs: 5_000 }), this.#stopping.signal);
        }
      }
    } finally {
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
