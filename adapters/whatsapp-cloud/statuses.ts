import type { Kysely } from 'kysely';
import type { CloudStatus } from './normalise.js';
import { CODES } from './send-errors.js';
import type { WhatsAppCloudTables } from './tables.js';

/** A status Meta reported for one of our messages. */
export interface StatusEvent {
  wamid: string;
  status: CloudStatus;
  at: Date;
  errorCode?: number;
}

/** What applying a status did. `resend` names an outbound row to send again, as a template. */
export type StatusOutcome =
  | { kind: 'applied' }
  | { kind: 'unknown' }
  | { kind: 'resend'; outboundId: string; address: string };

/** Statuses whose outbound row never turns up are dropped after this long. */
export const PENDING_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Applies one status to its outbound row. Statuses come out of order and more than once, so every
 * change only moves forward: `delivered_at` and `read_at` keep their first time (read implies
 * delivered), a failure after delivery is ignored (a resident's second phone), and a row already
 * failed stays failed. A 131047 failure (outside the 24-hour window) of a row we thought sent asks
 * for the row to be sent again as a template. `unknown`: no row carries this message id yet.
 */
export async function applyStatus(
  db: Kysely<WhatsAppCloudTables>,
  event: StatusEvent,
): Promise<StatusOutcome> {
  const row = await db
    .selectFrom('outbound_messages as o')
    .innerJoin('residents as r', 'r.id', 'o.resident_id')
    .select(['o.id', 'o.status', 'o.delivered_at', 'r.address'])
    .where('o.platform_message_id', '=', event.wamid)
    .where('o.channel', '=', 'whatsapp-cloud')
    .executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  switch (event.status) {
    case 'sent':
      return { kind: 'applied' };
    case 'delivered':
    case 'read':
      await db
        .updateTable('outbound_messages')
        .set((eb) => ({
          delivered_at: eb.fn.coalesce('delivered_at', eb.val(event.at)),
          ...(event.status === 'read' ? { read_at: eb.fn.coalesce('read_at', eb.val(event.at)) } : {}),
        }))
        .where('id', '=', row.id)
        .execute();
      return { kind: 'applied' };
    case 'failed': {
      if (row.status !== 'sent' || row.delivered_at) return { kind: 'applied' };
      const code = event.errorCode;
      if (code === CODES.WINDOW_CLOSED) {
        const requeued = await db
          .updateTable('outbound_messages')
          .set({
            status: 'queued',
            error: `whatsapp cloud ${code}: outside the 24-hour window; sent again as a template`,
          })
          .where('id', '=', row.id)
          .where('status', '=', 'sent')
          .returning('id')
          .executeTakeFirst();
        return requeued ? { kind: 'resend', outboundId: row.id, address: row.address } : { kind: 'applied' };
      }
      await db
        .updateTable('outbound_messages')
        .set({ status: 'failed', error: `whatsapp cloud ${code ?? 'unknown'}: failed after sending` })
        .where('id', '=', row.id)
        .where('status', '=', 'sent')
        .execute();
      return { kind: 'applied' };
    }
  }
}

/** Keeps a status whose row is not known yet (the worker records the message id just after the send). */
export async function keepPending(db: Kysely<WhatsAppCloudTables>, event: StatusEvent): Promise<void> {
  await db
    .insertInto('whatsapp_cloud_statuses')
    .values({ wamid: event.wamid, status: event.status, at: event.at, error_code: event.errorCode ?? null })
    .execute();
}

/**
 * Applies kept statuses whose rows now carry their message id; drops those older than a day.
 * Several processes may sweep at once: each takes rows the others have not locked.
 */
export async function sweepPending(
  db: Kysely<WhatsAppCloudTables>,
  onResend: (outcome: Extract<StatusOutcome, { kind: 'resend' }>) => Promise<void>,
  now: Date,
): Promise<number> {
  let applied = 0;
  const resends: Extract<StatusOutcome, { kind: 'resend' }>[] = [];
  await db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('whatsapp_cloud_statuses')
      .selectAll()
      .orderBy('id')
      .limit(500)
      .forUpdate()
      .skipLocked()
      .execute();
    const done: string[] = [];
    for (const row of rows) {
      const event: StatusEvent = {
        wamid: row.wamid,
        status: row.status as CloudStatus,
        at: row.at,
        ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
      };
      const outcome = await applyStatus(tx, event);
      if (outcome.kind === 'resend') resends.push(outcome);
      if (outcome.kind !== 'unknown') applied += 1;
      if (
        outcome.kind !== 'unknown' ||
        now.getTime() - new Date(row.received_at).getTime() > PENDING_TTL_MS
      ) {
        done.push(row.id);
      }
    }
    if (done.length > 0) await tx.deleteFrom('whatsapp_cloud_statuses').where('id', 'in', done).execute();
  });
  for (const resend of resends) await onResend(resend);
  return applied;
}
