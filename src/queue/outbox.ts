import type { JobsOptions } from 'bullmq';
import type { ChannelName } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import { type ErasedResident, removeJobsOf } from './erasure.js';
import { wakeSenders } from './outbox-drain.js';
import {
  type OutboundJob,
  OutboundJobSchema,
  type OutboundPayload,
  outboundJobId,
  outboundPayloadOf,
} from './payloads.js';
import type { Queues } from './queues.js';

/** Replies go before bulk sends: BullMQ serves jobs without priority first. */
const BULK_PRIORITY = 10;
/** Jobs per `addBulk` call. */
const ADD_BATCH = 250;

/** Optional rules for what the outbox queues. */
export interface OutboxOptions {
  /**
   * Bulk messages queued in quiet hours wait (a BullMQ delay) until they end; replies wait only when
   * they carry a `notBefore` (a staff message to a resident, held for quiet hours).
   */
  quietHours?: QuietHours;
  clock?: () => Date;
}

/**
 * Hands outbound messages to their channel's sender after the transaction that stored them has
 * committed. A reply the engine stored waits in the outbox (its row), and the sender is woken with
 * one signal per channel; anything else goes on the channel's queue, where the job id is the
 * outbound row's id, so queueing the same row twice sends once.
 */
export class Outbox {
  readonly #queues: Queues;
  readonly #quietHours: QuietHours | undefined;
  readonly #clock: () => Date;
  constructor(queues: Queues, opts: OutboxOptions = {}) {
    this.#queues = queues;
    this.#quietHours = opts.quietHours;
    this.#clock = opts.clock ?? (() => new Date());
  }

  async enqueue(jobs: readonly OutboundJob[]): Promise<void> {
    const now = this.#clock().getTime();
    const hold = jobs.some((j) => j.kind === 'bulk') ? (this.#quietHours?.holdMs(new Date(now)) ?? 0) : 0;
    const byChannel = new Map<ChannelName, OutboundJob[]>();
    // Replies in the outbox (their rows are committed) need only their channel's sender woken.
    const wake = new Set<ChannelName>();
    for (const job of jobs) {
      const valid = OutboundJobSchema.parse(job);
      if (valid.drained && valid.outboundId) {
        wake.add(valid.channel);
        continue;
      }
      const list = byChannel.get(valid.channel) ?? [];
      list.push(valid);
      byChannel.set(valid.channel, list);
    }
    const adds: Promise<unknown>[] = [];
    // The rows are committed, so the replies are queued already; the signal only saves the sender a
    // wait. Nobody waits for it (a signal lost with Redis delays a reply by the sender's next look).
    if (wake.size > 0) void wakeSenders(this.#queues.connection, this.#queues.prefix, wake).catch(() => {});
    for (const [channel, list] of byChannel) {
      const jobs = list.map((data) => ({
        name: data.kind,
        data: outboundPayloadOf(data),
        opts: {
          // A stored message's job holds only its row id; the goodbye after erasure holds its address
          // and text, so it goes from Redis as soon as it is sent or given up on.
          ...(data.outboundId
            ? { jobId: outboundJobId(data.outboundId) }
            : { removeOnComplete: true, removeOnFail: true }),
          ...(data.kind === 'bulk' ? { priority: BULK_PRIORITY } : {}),
          ...(data.kind === 'bulk' && hold > 0 ? { delay: hold } : {}),
          // A staff message held for quiet hours (src/desk/actions.ts).
          ...(data.notBefore && data.notBefore > now ? { delay: data.notBefore - now } : {}),
        },
      }));
      // A fan-out page goes in a few concurrent batches, so Node encodes one while Redis runs the
      // other (about twice as fast). A message's replies are far fewer and keep their order.
      for (let i = 0; i < jobs.length; i += ADD_BATCH) {
        adds.push(this.#queues.outbound(channel).addBulk(jobs.slice(i, i + ADD_BATCH)));
      }
    }
    await Promise.all(adds);
  }

  /**
   * A fan-out page's messages: rows the fan-out has just stored, one bulk job each (the row id, as
   * `enqueue` would make it). The fan-out's own ids from PostgreSQL need no validation per job, and
   * the jobs no address or text: 100,000 of them cost Node a fifth less this way.
   */
  async enqueueBulk(
    rows: readonly { outboundId: string; channel: ChannelName }[],
    queuedAt: number,
  ): Promise<void> {
    const hold = this.#quietHours?.holdMs(this.#clock()) ?? 0;
    const byChannel = new Map<ChannelName, { name: 'bulk'; data: OutboundPayload; opts: JobsOptions }[]>();
    for (const { outboundId, channel } of rows) {
      let list = byChannel.get(channel);
      if (!list) {
        list = [];
        byChannel.set(channel, list);
      }
      list.push({
        name: 'bulk',
        data: { outboundId, kind: 'bulk', queuedAt },
        opts: {
          jobId: outboundJobId(outboundId),
          priority: BULK_PRIORITY,
          ...(hold > 0 ? { delay: hold } : {}),
        },
      });
    }
    const adds: Promise<unknown>[] = [];
    for (const [channel, jobs] of byChannel) {
      for (let i = 0; i < jobs.length; i += ADD_BATCH)
        adds.push(this.#queues.outbound(channel).addBulk(jobs.slice(i, i + ADD_BATCH)));
    }
    await Promise.all(adds);
  }

  /**
   * When a fan-out's messages written now may go: now, or (in quiet hours) when they end. The rows
   * wait in the outbox until then (their `drain_after`, in real time: the sender compares it with the
   * database's clock).
   */
  bulkDrainAfter(): Date {
    const hold = this.#quietHours?.holdMs(this.#clock()) ?? 0;
    return new Date(Date.now() + Math.max(0, hold));
  }

  /**
   * Wakes the senders of these channels for rows that were just committed to the outbox. Nobody
   * waits for the signal: a signal lost with Redis delays the rows by the sender's next look.
   */
  wake(channels: Iterable<ChannelName>): void {
    void wakeSenders(this.#queues.connection, this.#queues.prefix, channels).catch(() => {});
  }

  /** After an erasure has committed: removes the erased residents' jobs from every queue. */
  async erased(residents: readonly ErasedResident[]): Promise<void> {
    for (const resident of residents) await removeJobsOf(this.#queues, resident);
  }
}
