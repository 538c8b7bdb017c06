import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Records an outbound message as sent: the platform's id for it, one attempt more, no error. A reply
 * of the outbox (`fromOutbox`) also lets go of its claim and leaves the outbox; a message sent by a
 * queue job has neither.
 */
export async function recordSent(
  db: Kysely<Database>,
  id: string,
  platformMessageId: string | undefined,
  { fromOutbox = false }: { fromOutbox?: boolean } = {},
): Promise<void> {
  await db
    .updateTable('outbound_messages')
    .set((eb) => ({
      status: 'sent',
      sent_at: new Date(),
      attempts: eb('attempts', '+', 1),
      platform_message_id: platformMessageId ?? null,
      error: null,
      ...(fromOutbox && { drain_after: null, claimed_until: null }),
    }))
    .where('id', '=', id)
    .execute();
}
