import { sql } from 'kysely';
import { broadcastContextOf, broadcastContextSql } from '../broadcast/resident-context.js';
import type { ResidentRow } from '../db/schema.js';
import type { InboundMessage } from '../domain/messages.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import { adoptLinkedResident } from './channel-move.js';
import type { Tx } from './scene.js';

/** How a resident (or a platform message) is keyed within a batch. */
export const residentKey = (channel: string, address: string) => `${channel}\u0000${address}`;

/** A resident's row, locked, with what the flow reads besides. */
export interface LockedResident {
  row: ResidentRow;
  isNew: boolean;
  state: unknown | null;
  broadcast: ReturnType<typeof broadcastContextOf>;
}

/**
 * Locks the rows of the residents who wrote (in id order, so two transactions cannot wait for each
 * other) and reads their conversation state and broadcast context, in one query. NO KEY UPDATE:
 * a fan-out inserting rows that refer to a resident is not held up by a conversation.
 */
export async function lockResidents(
  tx: Tx,
  messages: readonly InboundMessage[],
  now: Date,
): Promise<Map<string, LockedResident>> {
  const rows = await tx
    .selectFrom('residents as r')
    .leftJoin('conversations as c', 'c.resident_id', 'r.id')
    .selectAll('r')
    .select('c.state as conversation_state')
    .select(broadcastContextSql('r.id', now).as('broadcast_context'))
    .where(
      sql<boolean>`(r.channel, r.address) in (select * from unnest(${messages.map((m) => m.channel)}::text[], ${messages.map((m) => m.address)}::text[]))`,
    )
    .orderBy('r.id')
    .forNoKeyUpdate('r')
    .execute();
  const locked = new Map<string, LockedResident>();
  for (const { conversation_state, broadcast_context, ...row } of rows) {
    locked.set(residentKey(row.channel, row.address), {
      row,
      isNew: false,
      state: conversation_state ?? null,
      broadcast: broadcastContextOf(broadcast_context),
    });
  }
  return locked;
}

/**
 * Locks one resident's row and reads their conversation state; a resident seen for the first time
 * is created (two deliveries racing for a new resident end up here one after the other, thanks to
 * the unique key).
 */
export async function lockResident(
  tx: Tx,
  message: InboundMessage,
  now: Date,
  pseudonyms: Pseudonymizer,
): Promise<LockedResident> {
  const key = residentKey(message.channel, message.address);
  const existing = (await lockResidents(tx, [message], now)).get(key);
  if (existing) return existing;
  const moved = await adoptLinkedResident(tx, message, pseudonyms);
  if (moved) return (await lockResidents(tx, [message], now)).get(key)!;
  const inserted = await tx
    .insertInto('residents')
    .values({ channel: message.channel, address: message.address })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, isNew: true, state: null, broadcast: {} };
  return lockResident(tx, message, now, pseudonyms);
}
