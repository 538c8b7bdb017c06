import type { JobType } from 'bullmq';
import type { ChannelName } from '../domain/messages.js';
import { partitionOf } from './names.js';
import { outboundJobId } from './payloads.js';
import type { Queues } from './queues.js';

/** A resident erased by VERWIJDER, with what is needed to find their jobs once the rows are gone. */
export interface ErasedResident {
  channel: ChannelName;
  address: string;
  /** Their outbound rows that may still have a job (queued, or failed and kept for a while). */
  outbound: readonly { channel: ChannelName; id: string }[];
}

/** Every state a job can rest in; a job being worked on is locked and removed when it finishes. */
const RESTING: JobType[] = ['waiting', 'prioritized', 'delayed', 'completed', 'failed'];
/** Jobs read at a time (per state) while looking through the resident's partition. */
const PAGE = 500;

/**
 * Removes an erased resident's jobs from Redis: outbound jobs by their row ids (known from
 * PostgreSQL before the rows went), and the inbound jobs of that address in the one partition that
 * holds all their messages. Jobs in progress are locked; they finish on rows that no longer exist
 * and are removed when they finish. Returns how many jobs were removed.
 */
export async function removeJobsOf(queues: Queues, resident: ErasedResident): Promise<number> {
  let removed = 0;
  for (const { channel, id } of resident.outbound) {
    removed += Math.max(0, await queues.outbound(channel).remove(outboundJobId(id)));
  }
  const partition = queues.inbound(partitionOf(resident.channel, resident.address, queues.partitions));
  const ours: string[] = [];
  for (let start = 0; ; start += PAGE) {
    const jobs = await partition.getJobs(RESTING, start, start + PAGE - 1, true);
    for (const job of jobs) {
      const data = job?.data as { channel?: unknown; address?: unknown } | undefined;
      if (job?.id && data?.channel === resident.channel && data.address === resident.address) {
        ours.push(job.id);
      }
    }
    if (jobs.length === 0) break;
  }
  for (const id of ours) removed += Math.max(0, await partition.remove(id));
  return removed;
}
