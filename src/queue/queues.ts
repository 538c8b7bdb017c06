import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CHANNELS, type ChannelName } from '../domain/messages.js';
import { BROADCAST_QUEUE, inboundQueueName, outboundQueueName, SCHEDULER_QUEUE } from './names.js';

/** Kept long enough for a platform's redelivery to find the finished job and be dropped at once. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 50_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };

/**
 * Inbound jobs are kept for an hour after they finish, at most 1,000 per partition: a platform's
 * redelivery comes within minutes and is dropped by job id; a later one reaches the engine, whose
 * ledger gives it no second effect. (A day's worth, times 64 partitions, would be millions of jobs in
 * Redis's memory and costs every finished job more work.)
 */
const KEEP_COMPLETED_INBOUND = { age: 3600, count: 1_000 };

export const INBOUND_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: KEEP_COMPLETED_INBOUND,
  removeOnFail: KEEP_FAILED,
};

export const OUTBOUND_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

/** A fan-out resumes where it stopped, so it may be tried many times; the scheduler re-adds lost ones. */
export const BROADCAST_JOB_OPTIONS: JobsOptions = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
};

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

  /** All queues, for metrics and the dashboard. */
  all(): Queue[] {
    return [...this.#inbound, ...this.#outbound.values(), this.broadcast, this.scheduler];
  }

  /**
   * One job at a time per inbound partition across all worker processes: together with FIFO
   * queues this keeps each resident's messages in order.
   */
  async init(): Promise<void> {
    await Promise.all(this.#inbound.map((q) => q.setGlobalConcurrency(1)));
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
