import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { ChannelNameSchema, InboundMessageSchema, OutboundMessageSchema } from '../domain/messages.js';

/** An inbound job is an InboundMessage as the adapter produced it. */
export const InboundJobSchema = InboundMessageSchema;
export type InboundJob = z.infer<typeof InboundJobSchema>;

/** An outbound job: one message to one address. `outboundId` is null for untracked sends (after erasure). */
export const OutboundJobSchema = z.object({
  outboundId: z.uuid().nullable(),
  residentId: z.uuid().nullable(),
  channel: ChannelNameSchema,
  address: z.string().min(1).max(256),
  kind: z.enum(['reply', 'bulk']),
  message: OutboundMessageSchema,
  /** When the job was made, to measure inbound-to-delivery latency. */
  queuedAt: z.number().int().positive(),
});
export type OutboundJob = z.infer<typeof OutboundJobSchema>;
export type OutboundJobInput = z.input<typeof OutboundJobSchema>;

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
