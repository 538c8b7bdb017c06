import type { ChannelName } from '../domain/messages.js';

/** Inbound partition queues: a resident's messages always land in the same one, in order. */
export function inboundQueueName(partition: number): string {
  return `inbound-${partition}`;
}

export function outboundQueueName(channel: ChannelName): string {
  return `outbound-${channel}`;
}

/** Fan-out jobs: one per broadcast (flash, wave invitation or reminder, session reminder or summary). */
export const BROADCAST_QUEUE = 'broadcast';
/**
 * Media jobs: one per photo or voice message kept with an idea. A job holds only the `idea_media` row
 * id; the worker fetches the file through the channel's adapter, strips it and stores it sealed.
 */
export const MEDIA_QUEUE = 'media';
/** The scheduler's own jobs: the frequent tick and the daily retention purge. */
export const SCHEDULER_QUEUE = 'scheduler';

/** FNV-1a: a stable, fast spread of residents over partitions. */
export function partitionOf(channel: string, address: string, partitions: number): number {
  let hash = 0x811c9dc5;
  const key = `${channel}\u0000${address}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
