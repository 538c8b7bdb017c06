import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { ChannelAdapter, OutboundImage, SendGate } from '../../adapters/channel.js';
import { DeferredSendError, PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import { storedOutboundMessage } from '../db/outbound-body.js';
import type { Database } from '../db/schema.js';
import type { OutboundMessage } from '../domain/messages.js';
import { forLanguage } from '../domain/rtl.js';
import { patchColumns } from '../engine/profile.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { lockOptions } from './locks.js';
import { outboundQueueName } from './names.js';
import { OutboxDrain } from './outbox-drain.js';
import { Pacing, type PacingOptions } from './pacing.js';
import { OutboundPayloadSchema, parseJob } from './payloads.js';
import { recordSent } from './sent.js';

/** How long a reply waits for an earlier reply to the same resident before it looks again. */
const REORDER_WAIT_MS = 150;

/** Options of the outbound worker; how fast it may send (and quiet hours) go to its `Pacing`. */
export interface OutboundWorkerOptions extends Omit<PacingOptions, 'connection' | 'prefix' | 'channel'> {
  connection: Redis;
  prefix: string;
  adapter: ChannelAdapter;
  db: Kysely<Database>;
  log: Logger;
  metrics: Metrics;
  lockMs: number;
  /** Sends at the same time; 1 keeps a resident's replies in order. */
  concurrency?: number;
  /** When given, the worker takes jobs only while the gate is open (e.g. where WhatsApp's connection is). */
  gate?: SendGate;
  /** The public link of a flash's picture (`/media/flash/{id}`), for channels that send a link instead. */
  imageUrl?: (id: string) => string;
}

/** Pictures kept in memory per worker: a flash goes to many residents, its picture is read once. */
const IMAGE_CACHE = 4;

/**
 * Delivers outbound jobs, and the replies in the outbox (`OutboxDrain`), through one channel adapter
 * and records each message's status. Retryable
 * errors go back with backoff (or the platform's wait); permanent ones fail at once and, for a
 * resident who blocked the bot, mark the resident stopped.
 */
export class OutboundWorker {
  readonly #worker: Worker;
  readonly #opts: OutboundWorkerOptions;
  readonly #unfollowGate: (() => void) | undefined;
  readonly #pacing: Pacing;
  readonly #images = new Map<string, Promise<OutboundImage | undefined>>();
  readonly #drain: OutboxDrain;

  constructor(opts: OutboundWorkerOptions) {
    this.#opts = opts;
    const channel = opts.adapter.name;
    this.#pacing = new Pacing({ ...opts, channel });
    this.#worker = new Worker(outboundQueueName(channel), (job, token) => this.#process(job, token), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 1,
      ...lockOptions(opts.lockMs),
      maxStalledCount: 1_000,
      ...this.#pacing.workerOptions,
      // A gated worker starts paused and runs only while its gate is open.
      autorun: !opts.gate,
    });
    this.#worker.on('failed', (job, error) => void this.#onFailed(job, error));
    this.#worker.on('error', (error) =>
      opts.log.error({ channel, reason: error.message }, 'outbound worker error'),
    );
    if (opts.gate) {
      const follow = (open: boolean) => {
        // Jobs in flight finish (or fail as retryable) on their own; no new ones are taken.
        const change = open ? this.#worker.resume() : this.#worker.pause(true);
        change.catch((error: Error) => opts.log.error({ channel, reason: error.message }, 'send gate'));
      };
      this.#unfollowGate = opts.gate.onChange(follow);
      if (opts.gate.open) follow(true);
    }
    // Replies the engine stored and a fan-out's messages wait in the outbox, not as jobs: the same
    // pacing and gate apply.
    this.#drain = new OutboxDrain({
      connection: opts.connection,
      prefix: opts.prefix,
      adapter: opts.adapter,
      db: opts.db,
      pacing: this.#pacing,
      log: opts.log,
      metrics: opts.metrics,
      lockMs: opts.lockMs,
      concurrency: opts.concurrency ?? 1,
      ...(opts.gate && { gate: opts.gate }),
      image: (id) => this.#image(id),
      pauseChannel: (ms) => this.#worker.rateLimit(ms),
    });
    this.#drain.start();
  }

  /** A flash's picture (`flash_images`), read once per worker; undefined when it is gone (the text goes alone). */
  #image(id: string): Promise<OutboundImage | undefined> {
    let found = this.#images.get(id);
    if (!found) {
      found = this.#opts.db
        .selectFrom('flash_images')
        .select(['bytes', 'mime_type'])
        .where('flash_id', '=', id)
        .executeTakeFirst()
        .then((row) =>
          row
            ? {
                id,
                bytes: row.bytes,
                mimeType: row.mime_type as OutboundImage['mimeType'],
                ...(this.#opts.imageUrl && { url: this.#opts.imageUrl(id) }),
              }
            : undefined,
        );
      found.catch(() => this.#images.delete(id));
      if (this.#images.size >= IMAGE_CACHE) this.#images.delete(this.#images.keys().next().value!);
      this.#images.set(id, found);
    }
    return found;
  }

  async #process(job: Job, token: string | undefined): Promise<string> {
    if (this.#opts.gate && !this.#opts.gate.open) {
      // Fetched just as the gate closed: back to the front of the queue, for whoever holds it now.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const data = parseJob(OutboundPayloadSchema, job.data, 'outbound');
    const { db, adapter, metrics } = this.#opts;
    let send: { address: string; message: OutboundMessage; residentId: string | null };
    if (data.outboundId !== null) {
      // The address and the text are read from the row (and its resident) when the message goes.
      const row = await db
        .selectFrom('outbound_messages as o')
        .innerJoin('residents as r', 'r.id', 'o.resident_id')
        .select((eb) => [
          'o.status',
          'o.body',
          'o.sealed_body',
          'o.resident_id',
          'r.address',
          'r.language',
          // An earlier reply to the same resident still waiting (a retry, a gate): this one waits
          // too, so a resident reads the replies in the order the bot wrote them. Only recent
          // ones count (written or due in the last ten minutes, as an outbox reply queued again
          // is), so a reply whose job was lost can never block the chat for good.
          eb
            .exists(
              eb
                .selectFrom('outbound_messages as e')
                .select('e.id')
                .whereRef('e.resident_id', '=', 'o.resident_id')
                .where('e.status', '=', 'queued')
                .where('e.kind', '=', 'reply')
                .where(sql<boolean>`(e.created_at, e.seq) < (o.created_at, o.seq)`)
                .where(
                  sql<boolean>`(e.created_at > now() - interval '10 minutes' or e.drain_after > now() - interval '10 minutes')`,
                ),
            )
            .as('behind'),
        ])
        .where('o.id', '=', data.outboundId)
        .executeTakeFirst();
      // Erased residents (VERWIJDER) and messages already delivered are not sent again.
      if (!row) return 'gone';
      if (row.status !== 'queued') return row.status;
      if (data.kind === 'reply' && row.behind) {
        await job.moveToDelayed(Date.now() + REORDER_WAIT_MS, token);
        throw new DelayedError();
      }
      const message = storedOutboundMessage(row);
      if (!message) throw new UnrecoverableError('invalid outbound row: body');
      // Right-to-left languages get a mark at the start of each line (src/domain/rtl.ts).
      send = {
        address: row.address,
        message: forLanguage(message, row.language),
        residentId: row.resident_id,
      };
    } else {
      send = { address: data.address, message: data.message, residentId: null };
    }
    // Quiet hours and bulk slots (bulk only), the distance to the previous message to this address.
    const until = await this.#pacing.holdUntil({ id: job.id, kind: data.kind }, send.address);
    if (until > 0) {
      await job.moveToDelayed(until, token);
      throw new DelayedError();
    }
    const stop = metrics.duration.startTimer({ queue: `outbound-${adapter.name}` });
    try {
      // A worker whose lock ran out (an event loop that stood still) must not send: another worker
      // has the job now and sends it. Checked before the wait for the request's moment, so the
      // request leaves right at that moment, and again after a wait that took too long.
      const holdsLock = async () => !token || (await job.extendLock(token, this.#opts.lockMs)) === 1;
      if (!(await holdsLock())) throw new Error('lost the job lock before sending');
      if ((await this.#pacing.beforeRequest()) && !(await holdsLock()))
        throw new Error('lost the job lock before sending');
      const image =
        send.message.kind === 'text' && send.message.image
          ? await this.#image(send.message.image.id)
          : undefined;
      const result = await adapter.send(send.address, send.message, {
        outboundId: data.outboundId,
        residentId: send.residentId,
        kind: data.kind,
        ...(image && { image }),
      });
      // The goodbye after erasure: what the adapter keeps about the address (keys the send wrote
      // back) goes now. Sent is sent: a failure here is logged, never a second goodbye.
      if (data.outboundId === null && data.farewell) {
        await adapter.forget?.(send.address).catch((error: Error) => {
          this.#opts.log.error(
            { channel: adapter.name, reason: error.message },
            'could not forget an address',
          );
        });
      }
      metrics.sent.inc({ channel: adapter.name, kind: data.kind });
      metrics.processed.inc({ queue: `outbound-${adapter.name}` });
      if (data.kind === 'reply')
        metrics.replyLatency.observe({ channel: adapter.name }, (Date.now() - data.queuedAt) / 1000);
      if (data.outboundId) await recordSent(db, data.outboundId, result.platformMessageId);
      return 'sent';
    } catch (error) {
      if (error instanceof DeferredSendError) return this.#defer(job, token, data.outboundId, error);
      if (error instanceof PermanentSendError) {
        metrics.sendFailures.inc({ channel: adapter.name, retryable: 'false' });
        if (error.reason === 'blocked' && send.residentId) {
          await db
            .updateTable('residents')
            .set(patchColumns({ status: 'stopped' }, new Date()))
            .where('id', '=', send.residentId)
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

  /** The platform cannot take the message yet (e.g. a daily limit): back to delayed, no attempt counted. */
  async #defer(
    job: Job,
    token: string | undefined,
    outboundId: string | null,
    error: DeferredSendError,
  ): Promise<never> {
    if (outboundId) {
      await this.#opts.db
        .updateTable('outbound_messages')
        .set({ error: error.message.slice(0, 500) })
        .where('id', '=', outboundId)
        .execute();
    }
    await job.moveToDelayed(Math.max(error.until, Date.now() + 1), token);
    throw new DelayedError();
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
    this.#unfollowGate?.();
    await Promise.all([this.#worker.close(), this.#drain.close()]);
  }
}
