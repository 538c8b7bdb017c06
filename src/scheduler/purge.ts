import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { purgeClosedHelpRequests } from '../desk/help-requests.js';

/** How long things are kept (spec §6.1), in days. */
export interface RetentionPolicy {
  /** Sealed message log (MESSAGE_LOG_RETENTION_DAYS, a week at most). */
  messageLogDays: number;
  /** Identities of residents who said STOP this long ago. */
  stoppedDays: number;
  /** Ledger of handled platform messages (only needed against redeliveries). */
  ledgerDays: number;
  /** Help requests, this long after they were closed (spec §4.7: 30 days). */
  helpRequestDays?: number;
}

/** What a purge removed. */
export interface PurgeReport {
  messageLog: number;
  /** Replies sent (or given up on) longer ago than the message log's retention. */
  replies: number;
  stoppedResidents: number;
  inboundLedger: number;
  /** Closed help requests erased, conversation and all. */
  helpRequests: number;
}

const DAY_MS = 86_400_000;
/** Rows per DELETE, so a first purge of a big table does not hold locks for long. */
const BATCH = 10_000;
/** Residents per DELETE: each cascades to everything linked to them, so fewer at a time. */
const RESIDENT_BATCH = 1_000;

/**
 * Applies the retention rules: the (sealed) message log and delivered replies older than its retention,
 * stopped identities (and everything that hangs off them in the identity store) stopped longer ago
 * than allowed, and the inbound ledger. Monitor answers stay: they are pseudonymous and only VERWIJDER removes them.
 * `onProgress` hears rows removed so far out of the rows there were to remove.
 */
export async function purge(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<PurgeReport> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const logCut = before(policy.messageLogDays);
  const rules: { table: string; where: RawBuilder<unknown>; batch: number }[] = [
    { table: 'message_log', where: sql`created_at < ${logCut}`, batch: BATCH },
    // The texts of replies are as personal as the message log (they answer what a resident wrote, a
    // staff member's answer to a help request among them), so they go after the same time. Broadcast
    // rows stay: they hold only the broadcast's text, and delivery reports count them.
    {
      table: 'outbound_messages',
      where: sql`kind = 'reply' and status in ('sent', 'failed') and created_at < ${logCut}`,
      batch: BATCH,
    },
    // Each resident cascades to everything linked to them.
    {
      table: 'residents',
      where: sql`status = 'stopped' and stopped_at < ${before(policy.stoppedDays)}`,
      batch: RESIDENT_BATCH,
    },
    { table: 'inbound_ledger', where: sql`received_at < ${before(policy.ledgerDays)}`, batch: BATCH },
  ];
  const counts = await Promise.all(
    rules.map(async ({ table, where }) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
      return rows[0]?.n ?? 0;
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  let done = 0;
  const removed: number[] = [];
  for (const { table, where, batch } of rules) {
    let n: number;
    let sum = 0;
    do {
      const result = await sql`
        delete from ${sql.table(table)}
        where id in (select id from ${sql.table(table)} where ${where} limit ${batch})`.execute(db);
      n = Number(result.numAffectedRows ?? 0);
      sum += n;
      done += n;
      onProgress?.(Math.min(done, total), total);
    } while (n === batch);
    removed.push(sum);
  }
  const [messageLog = 0, replies = 0, stoppedResidents = 0, inboundLedger = 0] = removed;
  const helpRequests = await purgeClosedHelpRequests(db, now, policy.helpRequestDays ?? 30);
  return { messageLog, replies, stoppedResidents, inboundLedger, helpRequests };
}

/** Spec §6.1: stopped identities go after 30 days; the ledger is kept as long against redeliveries. */
export function retentionOf(env: { MESSAGE_LOG_RETENTION_DAYS: number }): RetentionPolicy {
  return { messageLogDays: env.MESSAGE_LOG_RETENTION_DAYS, stoppedDays: 30, ledgerDays: 30 };
}
