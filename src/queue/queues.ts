import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CHANNELS, type ChannelName } from '../domain/messages.js';
import {
  BROADCAST_QUEUE,
  inboundQueueName,
  MEDIA_QUEUE,
  outboundQueueName,
  SCHEDULER_QUEUE,
} from './names.js';

/**
 * Failed jobs are kept this long (for an operator to look at and retry), then removed: by BullMQ when
 * a later job of the queue fails, and by the scheduler's nightly clean in any case.
 */
export const FAILED_JOBS_KEEP_MS = 3 * 24 * 3600 * 1000;
const KEEP_FAILED = { age: FAILED_JOBS_KEEP_MS / 1000 };

/**
 * Finished inbound and outbound jobs are removed at once: an inbound job holds the resident's address
 * and text, and nothing needs them afterwards. A platform's redelivery then makes a new job, which the
 * engine's ledger recognises (no second effect); a second job for an outbound row finds the row sent.
 */
export const INBOUND_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: KEEP_FAILED,
};

/** An outbound job holds only its row id (see `OutboundPayloadSchema`). */
export const OUTBOUND_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: KEEP_FAILED,
};

/** The nightly clean removes finished jobs older than this, and this many per call. */
const CLEAN_COMPLETED_AFTER_MS = 3_600_000;
const CLEAN_BATCH = 1_000;

/** Finished fan-outs hold only a broadcast id; kept a day for the dashboard. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 50_000 };

/** A fan-out resumes where it stopped, so it may be tried many times; the scheduler re-adds lost ones. */
export const BROADCAST_JOB_OPTIONS: JobsOptions = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

/**
 * A media job holds only a row id. A download that fails (the platform away, a slow network) is
 * tried again for about an hour; the platforms keep files for a day or more.
 */
export const MEDIA_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: true,
  removeOnFail: KEEP_FAILED,
};

/** Job id of an `idea_media` row's job: the same row is fetched once. */
export function mediaJobId(mediaId: string): string {
  return `media-${mediaId}`;
}

/** Every BullMQ queue of the installation, sharing one connection and key prefix. */
export class Queues {
  readonly prefix: string;
  readonly partitions: number;
  readonly #connection: Redis;
  readonly #inbound: Queue[];
  readonly #outbound = new Map<ChannelName, Queue>();
  /** Fan-out jobs of broadcasts. */
  readonly broadcast: Queue;
  /** The scheduler's tick and purge. */
  readonly scheduler: Queue;
  /** Photos and voice messages to fetch and keep with ideas. */
  readonly media: Queue;

  /** `onError` hears connection trouble (Redis restarting); without it BullMQ prints to the console. */
  constructor(
    connection: Redis,
    prefix: string,
    partitions: number,
    onError: (error: Error) => void = () => {},
  ) {
    this.#connection = connection;
    this.prefix = prefix;
    this.partitions = partitions;
    this.#inbound = Array.from(
      { length: partitions },
      (_, i) =>
        new Queue(inboundQueueName(i), { connection, prefix, defaultJobOptions: INBOUND_JOB_OPTIONS }),
    );
    for (const channel of CHANNELS) {
      this.#outbound.set(
        channel,
        new Queue(outboundQueueName(channel), {
          connection,
          prefix,
          defaultJobOptions: OUTBOUND_JOB_OPTIONS,
        }),
      );
    }
    this.broadcast = new Queue(BROADCAST_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: BROADCAST_JOB_OPTIONS,
    });
    this.scheduler = new Queue(SCHEDULER_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
    this.media = new Queue(MEDIA_QUEUE, { connection, prefix, defaultJobOptions: MEDIA_JOB_OPTIONS });
    for (const queue of this.all()) queue.on('error', onError);
  }

  get connection(): Redis {
    return this.#connection;
  }

  inbound(partition: number): Queue {
    const queue = this.#inbound[partition];
    if (!queue) throw new RangeError(`no inbound partition ${partition}`);
    return queue;
  }

  outbound(channel: ChannelName): Queue {
    return this.#outbound.get(channel)!;
  }

  /** All queues, for metrics, the dashboard and the nightly clean. */
  all(): Queue[] {
    return [...this.#inbound, ...this.#outbound.values(), this.broadcast, this.scheduler, this.media];
  }

  /**
   * One job at a time per inbound partition across all worker processes: together with FIFO
   * queues this keeps each resident's messages in order.
   */
  async init(): Promise<void> {
    await Promise.all(this.#inbound.map((q) => q.setGlobalConcurrency(1)));
  }

  /**
   * The nightly clean: removes finished jobs older than an hour and failed ones older than
   * `FAILED_JOBS_KEEP_MS` from every queue. BullMQ's own age limits act only when another job of
   * the same queue finishes, so a quiet queue would keep them. Returns how many jobs went.
   */
  async clean(): Promise<number> {
    let removed = 0;
    for (const queue of this.all()) {
      for (const [grace, type] of [
        [CLEAN_COMPLETED_AFTER_MS, 'completed'],
        [FAILED_JOBS_KEEP_MS, 'failed'],
      ] as const) {
        for (;;) {
          const ids = await queue.clean(grace, CLEAN_BATCH, type);
          removed += ids.length;
          if (ids.length < CLEAN_BATCH) break;
        }
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
