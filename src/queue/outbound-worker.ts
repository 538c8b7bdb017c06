import { createHash } from 'node:crypto';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { ChannelAdapter } from '../../adapters/channel.js';
import { PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { outboundQueueName } from './names.js';
import { OutboundJobSchema, parseJob } from './payloads.js';

export interface OutboundWorkerOptions {
  connection: Redis;
  prefix: string;
  adapter: ChannelAdapter;
  db: Kysely<Database>;
  log: Logger;
  metrics: Metrics;
  lockMs: number;
  /** Sends at the same time; 1 keeps a resident's replies in order. */
  concurrency?: number;
  /** Platform-wide rate: at most `max` messages per `duration` ms. */
  limiter?: { max: number; duration: number };
  /** At least this long between two messages to the same address (ms), across all processes. */
  perAddressIntervalMs?: number;
}

/**
 * Delivers outbound jobs through one channel adapter and records each message's status. Retryable
 * errors go back with backoff (or the platform's wait); permanent ones fail at once and, for a
 * resident who blocked the bot, mark the resident stopped.
 */
export class OutboundWorker {
  readonly #worker: Worker;
  readonly #opts: OutboundWorkerOptions;

  constructor(opts: OutboundWorkerOptions) {
    this.#opts = opts;
    const channel = opts.adapter.name;
    this.#worker = new Worker(outboundQueueName(channel), (job, token) => this.#process(job, token), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 1,
      lockDuration: opts.lockMs,
      maxStalledCount: 1_000,
      ...(opts.limiter ? { limiter: opts.limiter } : {}),
    });
    this.#worker.on('failed', (job, error) => void this.#onFailed(job, error));
    this.#worker.on('error', (error) =>
      opts.log.error({ channel, reason: error.message }, 'outbound worker error'),
    );
  }

  async #process(job: Job, token: string | undefined): Promise<string> {
    const data = parseJob(OutboundJobSchema, job.data, 'outbound');
    const { db, adapter, metrics } = this.#opts;
    if (data.outboundId) {
      const row = await db
        .selectFrom('outbound_messages')
        .select('status')
        .where('id', '=', data.outboundId)
        .executeTakeFirst();
      // Erased residents (VERWIJDER) and messages already delivered are not sent again.
      if (!row) return 'gone';
      if (row.status !== 'queued') return row.status;
    }
    const wait = await this.#perAddressWait(data.address);
    if (wait > 0) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    const stop = metrics.duration.startTimer({ queue: `outbound-${adapter.name}` });
    try {
      const result = await adapter.send(data.address, data.message);
      metrics.sent.inc({ channel: adapter.name, kind: data.kind });
      metrics.processed.inc({ queue: `outbound-${adapter.name}` });
      if (data.kind === 'reply')
        metrics.replyLatency.observe({ channel: adapter.name }, (Date.now() - data.queuedAt) / 1000);
      if (data.outboundId) {
        await db
          .updateTable('outbound_messages')
          .set((eb) => ({
            status: 'sent',
            sent_at: new Date(),
            attempts: eb('attempts', '+', 1),
            platform_message_id: result.platformMessageId ?? null,
            error: null,
          }))
          .where('id', '=', data.outboundId)
          .execute();
      }
      return 'sent';
    } catch (error) {
      if (error instanceof PermanentSendError) {
        metrics.sendFailures.inc({ channel: adapter.name, retryable: 'false' });
        if (error.reason === 'blocked' && data.residentId) {
          await db
            .updateTable('residents')
            .set({ status: 'stopped', stopped_at: new Date(), updated_at: new Date() })
            .where('id', '=', data.residentId)
            .execute();
        }
        throw new UnrecoverableError(`${error.reason}: ${error.message}`);
      }
      metrics.sendFailures.inc({ channel: adapter.name, retryable: 'true' });
      if (error instanceof RetryableSendError && error.retryAfterMs !== undefined) {
        // The platform asked the whole channel to wait: pause the queue, keep the job.
        await this.#worker.rateLimit(error.retryAfterMs);
        throw Worker.RateLimitError();
      }
      throw error;
    } finally {
      stop();
    }
  }

  /** How long to wait before this address may get another message; 0 claims the slot now. */
  async #perAddressWait(address: string): Promise<number> {
    const interval = this.#opts.perAddressIntervalMs;
    if (!interval) return 0;
    // The key holds a hash, not the address: Redis keys show up in dashboards and dumps.
    const key = `${this.#opts.prefix}:gate:${this.#opts.adapter.name}:${createHash('sha256').update(address).digest('base64url').slice(0, 22)}`;
    const claimed = await this.#opts.connection.set(key, '1', 'PX', interval, 'NX');
    if (claimed === 'OK') return 0;
    const ttl = await this.#opts.connection.pttl(key);
    return Math.max(1, ttl);
  }

  /** Records a failure once it is final (permanent, or out of attempts). */
  async #onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= attempts;
    const outboundId = (job.data as { outboundId?: string | null }).outboundId;
    this.#opts.metrics.failed.inc({ queue: `outbound-${this.#opts.adapter.name}` });
    if (!outboundId) return;
    try {
      await this.#opts.db
        .updateTable('outbound_messages')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          error: error.message.slice(0, 500),
          ...(final ? { status: 'failed' } : {}),
        }))
        .where('id', '=', outboundId)
        .where('status', '=', 'queued')
        .execute();
    } catch (dbError) {
      this.#opts.log.error({ reason: (dbError as Error).message }, 'could not record a send failure');
    }
  }

  async ready(): Promise<void> {
    await this.#worker.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }
}
