import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ChannelName } from '../domain/messages.js';

/**
 * What an operator sees and does about the reply outbox (src/queue/outbox-drain.ts), for the metrics
 * and `straatpraat queue`: counts and failure reasons per channel, never an address, a name or a text.
 *
 * A reply of the outbox keeps its `drain_after` when it fails; replies sent through a queue job have
 * none. Failed replies count, and can be sent again, for as long as failed jobs are kept (3 days).
 */
export const FAILED_KEPT_DAYS = 3;

/** How many messages of the outbox are in each state. */
export interface OutboxCounts {
  /** Due now or later, not held by a sender. */
  waiting: number;
  /** Held by a sender that is sending them. */
  claimed: number;
  /** Failed after their last attempt (or at once, for a permanent error), within the keep time. */
  failed: number;
}

export interface OutboxBacklog {
  channel: string;
  /** Due now or later, not held by a sender. */
  waiting: number;
  /** Held by a sender that is sending them. */
  claimed: number;
  /** Failed after their last attempt (or at once, for a permanent error), within the keep time. */
  failed: number;
  /** Of these, the replies (the engine's) and the broadcasts (a fan-out's flashes, invitations, reminders). */
  replies: OutboxCounts;
  broadcasts: OutboxCounts;
}

/**
 * The outbox per channel: waiting, claimed and failed messages, in all and split into replies and
 * broadcasts (channels with none are left out).
 */
export async function outboxBacklog(db: Kysely<Database>): Promise<OutboxBacklog[]> {
  const { rows } = await sql<{
    channel: string;
    kind: string;
    waiting: string;
    claimed: string;
    failed: string;
  }>`
    with queued as (
      select channel, kind,
        count(*) filter (where claimed_until is null or claimed_until < now()) as waiting,
        count(*) filter (where claimed_until >= now()) as claimed,
        0::bigint as failed
      from outbound_messages
      where status = 'queued' and drain_after is not null
      group by channel, kind),
    failed as (
      select channel, kind, 0::bigint as waiting, 0::bigint as claimed, count(*) as failed
      from outbound_messages
      where status = 'failed' and created_at > now() - make_interval(days => ${FAILED_KEPT_DAYS})
        and drain_after is not null
      group by channel, kind)
    select channel, kind, sum(waiting) as waiting, sum(claimed) as claimed, sum(failed) as failed
    from (select * from queued union all select * from failed) b
    group by channel, kind
    order by channel, kind`.execute(db);
  const byChannel = new Map<string, OutboxBacklog>();
  const none = (): OutboxCounts => ({ waiting: 0, claimed: 0, failed: 0 });
  for (const r of rows) {
    let entry = byChannel.get(r.channel);
    if (!entry) {
      entry = { channel: r.channel, ...none(), replies: none(), broadcasts: none() };
      byChannel.set(r.channel, entry);
    }
    const part = r.kind === 'bulk' ? entry.broadcasts : entry.replies;
    for (const state of ['waiting', 'claimed', 'failed'] as const) {
      const n = Number(r[state]);
      part[state] += n;
      entry[state] += n;
    }
  }
  return [...byChannel.values()];
}

export interface FailedReplies {
  channel: string;
  failed: number;
  /** Failure reasons with how often each occurs, most frequent first. */
  reasons: { reason: string; replies: number }[];
}

/** Failed outbox replies per channel with their reasons (the platform's error, cut to 160 characters). */
export async function failedReplies(db: Kysely<Database>): Promise<FailedReplies[]> {
  const { rows } = await sql<{ channel: string; reason: string; replies: string }>`
    select channel, left(coalesce(error, 'unknown'), 160) as reason, count(*) as replies
    from outbound_messages
    where status = 'failed' and created_at > now() - make_interval(days => ${FAILED_KEPT_DAYS})
      and drain_after is not null
    group by 1, 2
    order by 1, 3 desc, 2`.execute(db);
  const byChannel = new Map<string, FailedReplies>();
  for (const r of rows) {
    const entry = byChannel.get(r.channel) ?? { channel: r.channel, failed: 0, reasons: [] };
    entry.failed += Number(r.replies);
    entry.reasons.push({ reason: r.reason, replies: Number(r.replies) });
    byChannel.set(r.channel, entry);
  }
  return [...byChannel.values()];
}

/**
 * Puts failed outbox replies of these channels back in the outbox, due now, with their attempts
 * counted from zero; the channel's sender takes them in the order they were written, per resident.
 * Only `failed` rows change, in one statement: a reply that was sent is never sent again, and two
 * retries at once queue a reply once. Left failed: replies to a resident who has stopped, or who has
 * moved to another channel since. Returns how many were queued again per channel.
 */
export async function retryFailedReplies(
  db: Kysely<Database>,
  channels: readonly ChannelName[],
): Promise<{ channel: string; replies: number }[]> {
  if (channels.length === 0) return [];
  const { rows } = await sql<{ channel: string; replies: string }>`
    with retried as (
      update outbound_messages o
      set status = 'queued', drain_after = now(), claimed_until = null, attempts = 0, error = null
      from residents r
      where r.id = o.resident_id and o.status = 'failed' and o.drain_after is not null
        and o.created_at > now() - make_interval(days => ${FAILED_KEPT_DAYS})
        -- A broadcast the wijkteam called off is not sent again.
        and not exists (select 1 from broadcasts b where b.id = o.broadcast_id and b.status = 'cancelled')
        and o.channel = any(${channels}::text[]) and o.channel = r.channel and r.status = 'active'
      returning o.channel)
    select channel, count(*) as replies from retried group by channel order by channel`.execute(db);
  return rows.map((r) => ({ channel: r.channel, replies: Number(r.replies) }));
}

/**
 * Before failed outbound jobs run again: their rows, recorded `failed` when the job gave up, go back
 * to `queued`, or the job would find them failed and send nothing. Only `failed` rows change (a
 * message sent is never sent again), and not those to a resident who has stopped or moved channel.
 */
export async function requeueFailedRows(db: Kysely<Database>, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql`
    update outbound_messages o set status = 'queued', error = null
    from residents r
    where r.id = o.resident_id and o.id = any(${ids}::uuid[]) and o.status = 'failed'
      and o.drain_after is null and o.channel = r.channel and r.status = 'active'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
