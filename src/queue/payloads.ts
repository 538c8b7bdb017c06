import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { ChannelNameSchema, InboundMessageSchema, OutboundMessageSchema } from '../domain/messages.js';

/** An inbound job is an InboundMessage as the adapter produced it. */
export const InboundJobSchema = InboundMessageSchema;
export type InboundJob = z.infer<typeof InboundJobSchema>;

/**
 * A message to send, as the code that stored it hands it to the `Outbox`: one message to one address.
 * `outboundId` is null for untracked sends (the goodbye after erasure); `farewell` marks that goodbye,
 * after which the adapter forgets what it keeps about the address.
 */
export const OutboundJobSchema = z.object({
  outboundId: z.uuid().nullable(),
  residentId: z.uuid().nullable(),
  channel: ChannelNameSchema,
  address: z.string().min(1).max(256),
  kind: z.enum(['reply', 'bulk']),
  message: OutboundMessageSchema,
  /** When the job was made, to measure inbound-to-delivery latency. */
  queuedAt: z.number().int().positive(),
  farewell: z.literal(true).optional(),
  /** Held until this moment (ms since the epoch; a BullMQ delay): a staff message in quiet hours. */
  notBefore: z.number().int().positive().optional(),
  /**
   * The row waits in the outbox (`outbound_messages.drain_after`): its channel's sender takes it from
   * there, so it gets no queue job of its own, only a wake-up signal.
   */
  drained: z.literal(true).optional(),
});
export type OutboundJob = z.infer<typeof OutboundJobSchema>;
export type OutboundJobInput = z.input<typeof OutboundJobSchema>;

/**
 * What an outbound job holds in Redis. A stored message is only its row id: the worker reads the
 * address and the text from PostgreSQL when it sends, so erasing the rows erases the message. Only the
 * goodbye after erasure, which has no row, carries its address and text, and is removed once sent.
 */
export const OutboundPayloadSchema = z.union([
  OutboundJobSchema.pick({ kind: true, queuedAt: true }).extend({ outboundId: z.uuid() }),
  OutboundJobSchema.pick({
    channel: true,
    address: true,
    kind: true,
    message: true,
    queuedAt: true,
    farewell: true,
  }).extend({ outboundId: z.null() }),
]);
export type OutboundPayload = z.infer<typeof OutboundPayloadSchema>;

/** The part of a job that goes to Redis. */
export function outboundPayloadOf(job: OutboundJob): OutboundPayload {
  if (job.outboundId) return { outboundId: job.outboundId, kind: job.kind, queuedAt: job.queuedAt };
  const { channel, address, kind, message, queuedAt, farewell } = job;
  return { outboundId: null, channel, address, kind, message, queuedAt, ...(farewell && { farewell }) };
}

/** Job id of an outbound row's job: the same row is queued once. */
export function outboundJobId(outboundId: string): string {
  return `out-${outboundId}`;
}

/** Job id of an inbound message: the same platform message always gets the same id. */
export function inboundJobId(channel: string, platformId: string): string {
  const digest = createHash('sha256').update(`${channel}\u0000${platformId}`).digest('base64url');
  return `in-${channel}-${digest.slice(0, 32)}`;
}

/** Validates a payload taken from a queue; a bad one fails the job for good with the reason. */
export function parseJob<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new UnrecoverableError(`invalid ${what} payload: ${path}: ${issue.message}`);
  }
  return result.data;
}
