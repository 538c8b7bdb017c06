/**
 * How long a job's lock lasts, how often a living worker renews it and how often the queue is
 * checked for jobs whose lock ran out (their worker died), all from `QUEUE_LOCK_MS`.
 *
 * A worker killed mid-job holds its job until the lock runs out and the next stalled check puts the
 * job back at the front of its queue: at most `lockMs` plus one check. With the default of 4 s that is
 * about 4.5 s; a partition (and the residents in it) waits no longer than that. A living worker renews
 * every quarter of the lock (BullMQ looks every eighth), so its job is only taken from it when its
 * event loop stood still for about three quarters of the lock; even then the ledger and the outbound
 * row's status keep the second run from having a second effect.
 *
 * Each worker runs the check for its queue every `stalledInterval`; BullMQ's `stalled-check` key lets
 * one of them do the work per interval and the others return at once (one EXISTS).
 */
export function lockOptions(lockMs: number): {
  lockDuration: number;
  lockRenewTime: number;
  stalledInterval: number;
} {
  return {
    lockDuration: lockMs,
    lockRenewTime: Math.max(250, Math.floor(lockMs / 4)),
    stalledInterval: Math.max(250, Math.floor(lockMs / 8)),
  };
}
