import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { purgeClosedHelpRequests } from '../desk/help-requests.js';

/** How long things are kept (spec §6.1), in days. */
export interface RetentionPolicy {
  /** Raw message log (MESSAGE_LOG_RETENTION_DAYS). */
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
/** Residents per DELETE: each cascades to everything linked to them. */
const RESIDENT_BATCH = 1_000;

/**
 * Applies the retention rules: raw message log and delivered replies older than its retention, stopped identities (and
 * everything that hangs off them in the identity store) stopped longer ago than allowed, and the
 * inbound ledger. Monitor answers stay: they are pseudonymous and only VERWIJDER removes them.
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
  const stoppedCut = before(policy.stoppedDays);
  const ledgerCut = before(policy.ledgerDays);
  const { rows } = await sql<{ log: number; replies: number; stopped: number; ledger: number }>`
    select (select count(*)::int from message_log where created_at < ${logCut}) as log,
           (select count(*)::int from outbound_messages
             where kind = 'reply' and status in ('sent', 'failed') and created_at < ${logCut}) as replies,
           (select count(*)::int from residents where status = 'stopped' and stopped_at < ${stoppedCut}) as stopped,
           (select count(*)::int from inbound_ledger where received_at < ${ledgerCut}) as ledger
  `.execute(db);
  const total =
    (rows[0]?.log ?? 0) + (rows[0]?.replies ?? 0) + (rows[0]?.stopped ?? 0) + (rows[0]?.ledger ?? 0);
  let done = 0;
  const step = async (statement: () => Promise<number>, batch: number): Promise<number> => {
    let removed = 0;
    for (;;) {
      const n = await statement();
      removed += n;
      done += n;
      onProgress?.(Math.min(done, total), total);
      if (n < batch) return removed;
    }
  };
  const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const messageLog = await step(
    async () =>
      deleted(
        await db
          .deleteFrom('message_log')
          .where('id', 'in', (eb) =>
            eb.selectFrom('message_log').select('id').where('created_at', '<', logCut).limit(BATCH),
          )
          .executeTakeFirst(),
      ),
    BATCH,
  );
  // The texts of replies are as personal as the message log (they answer what a resident wrote, a
  // staff member's answer to a help request among them), so they go after the same time. Broadcast
  // rows stay: they hold only the broadcast's text, and delivery reports count them.
  const replies = await step(
    async () =>
      deleted(
        await db
          .deleteFrom('outbound_messages')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('outbound_messages')
              .select('id')
              .where('kind', '=', 'reply')
              .where('status', 'in', ['sent', 'failed'])
              .where('created_at', '<', logCut)
              .limit(BATCH),
          )
          .executeTakeFirst(),
      ),
    BATCH,
  );
  const stoppedResidents = await step(
    async () =>
      deleted(
        await db
          .deleteFrom('residents')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('residents')
              .select('id')
              .where('status', '=', 'stopped')
              .where('stopped_at', '<', stoppedCut)
              .limit(RESIDENT_BATCH),
          )
          .executeTakeFirst(),
      ),
    RESIDENT_BATCH,
  );
  const inboundLedger = await step(
    async () =>
      deleted(
        await db
          .deleteFrom('inbound_ledger')
          .where('id', 'in', (eb) =>
            eb.selectFrom('inbound_ledger').select('id').where('received_at', '<', ledgerCut).limit(BATCH),
          )
          .executeTakeFirst(),
      ),
    BATCH,
  );
  const helpRequests = await purgeClosedHelpRequests(db, now, policy.helpRequestDays ?? 30);
  return { messageLog, replies, stoppedResidents, inboundLedger, helpRequests };
}

/** Spec §6.1: stopped identities go after 30 days; the ledger is kept as long against redeliveries. */
export function retentionOf(env: { MESSAGE_LOG_RETENTION_DAYS: number }): RetentionPolicy {
  return { messageLogDays: env.MESSAGE_LOG_RETENTION_DAYS, stoppedDays: 30, ledgerDays: 30 };
}
