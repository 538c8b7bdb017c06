import type { InboundMessage } from '../domain/messages.js';
import { partitionOf } from './names.js';
import { InboundJobSchema, inboundJobId } from './payloads.js';
import type { Queues } from './queues.js';

/** A platform payload that does not validate; adapters answer it with a clear message or drop it. */
export class InvalidInboundError extends Error {
  override readonly name = 'InvalidInboundError';
}

/**
 * The front door for every channel: validates an inbound message and queues it in its resident's
 * partition. The job id comes from channel + platform id, so a redelivery while the first copy is
 * still known to Redis is dropped here; the database ledger catches the rest.
 */
export class Ingress {
  readonly #queues: Queues;
  constructor(queues: Queues) {
    this.#queues = queues;
  }

  async accept(message: InboundMessage): Promise<{ jobId: string; partition: number }> {
    const result = InboundJobSchema.safeParse(message);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new InvalidInboundError(
        `invalid inbound message: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    const data = result.data;
    const partition = partitionOf(data.channel, data.address, this.#queues.partitions);
    const jobId = inboundJobId(data.channel, data.platformId);
    await this.#queues.inbound(partition).add('inbound', data, { jobId });
    return { jobId, partition };
  }
}
