import type { ChannelName } from '../domain/messages.js';
import { type OutboundJob, OutboundJobSchema } from './payloads.js';
import type { Queues } from './queues.js';

/** Replies go before bulk sends: BullMQ serves jobs without priority first. */
const BULK_PRIORITY = 10;

/**
 * Puts outbound messages on their channel's queue after the transaction that stored them has
 * committed. The job id is the outbound row's id, so queueing the same row twice sends once.
 */
export class Outbox {
  readonly #queues: Queues;
  constructor(queues: Queues) {
    this.#queues = queues;
  }

  async enqueue(jobs: readonly OutboundJob[]): Promise<void> {
    const byChannel = new Map<ChannelName, OutboundJob[]>();
    for (const job of jobs) {
      const valid = OutboundJobSchema.parse(job);
      const list = byChannel.get(valid.channel) ?? [];
      list.push(valid);
      byChannel.set(valid.channel, list);
    }
    await Promise.all(
      [...byChannel].map(([channel, list]) =>
        this.#queues.outbound(channel).addBulk(
          list.map((data) => ({
            name: data.kind,
            data,
            opts: {
              ...(data.outboundId ? { jobId: `out-${data.outboundId}` } : {}),
              ...(data.kind === 'bulk' ? { priority: BULK_PRIORITY } : {}),
            },
          })),
        ),
      ),
    );
  }
}
