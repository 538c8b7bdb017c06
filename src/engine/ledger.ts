import type { InboundMessage } from '../domain/messages.js';
import { OutboundMessageSchema } from '../domain/messages.js';
import type { OutboundJob } from '../queue/payloads.js';
import { type LockedResident, residentKey } from './residents.js';
import type { Tx } from './scene.js';

// Half of a surrogate pair: what a cut-off emoji or a binary payload leaves behind.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** PostgreSQL text and jsonb hold neither NUL nor half a surrogate pair; a resident's text may. */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/** The message as it can be stored: NUL dropped, half surrogate pairs replaced. */
export function storable(message: InboundMessage): InboundMessage {
  const { payload } = message;
  if (payload.kind === 'text')
    return { ...message, payload: { ...payload, text: storableText(payload.text) } };
  if (payload.kind === 'command')
    return { ...message, payload: { ...payload, args: storableText(payload.args) } };
  return message;
}

/**
 * Enters the batch's messages in the ledger, in one statement; returns the ledger ids of the new
 * entries by channel and platform key. A message whose entry exists already is a duplicate.
 */
export async function enterLedger(
  tx: Tx,
  steps: readonly { message: InboundMessage; platformKey: string }[],
  known: ReadonlyMap<string, LockedResident>,
): Promise<Map<string, string>> {
  const entered = await tx
    .insertInto('inbound_ledger')
    .values(
      steps.map(({ message, platformKey }) => ({
        channel: message.channel,
        platform_key: platformKey,
        resident_id: known.get(residentKey(message.channel, message.address))?.row.id ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['channel', 'platform_key']).doNothing())
    .returning(['id', 'channel', 'platform_key'])
    .execute();
  return new Map(entered.map((e) => [residentKey(e.channel, e.platform_key), e.id]));
}

/** Links a ledger entry to the resident created for its message. */
export async function linkLedger(tx: Tx, ledgerId: string, residentId: string): Promise<void> {
  await tx
    .updateTable('inbound_ledger')
    .set({ resident_id: residentId })
    .where('id', '=', ledgerId)
    .execute();
}

/** Replies of an already handled message that may not have reached the queue before a crash. */
export async function pendingReplies(
  tx: Tx,
  message: InboundMessage,
  platformKey: string,
): Promise<OutboundJob[]> {
  const rows = await tx
    .selectFrom('outbound_messages as o')
    .innerJoin('inbound_ledger as l', 'l.id', 'o.inbound_id')
    .innerJoin('residents as r', 'r.id', 'o.resident_id')
    .select([
      'o.id',
      'o.resident_id',
      'o.channel',
      'o.body',
      'o.created_at',
      'o.not_before',
      'o.drain_after',
      'r.address',
    ])
    .where('l.channel', '=', message.channel)
    .where('l.platform_key', '=', platformKey)
    .where('o.status', '=', 'queued')
    .orderBy('o.seq')
    .execute();
  return rows.map((r) => ({
    outboundId: r.id,
    residentId: r.resident_id,
    // A staff member's reply to a resident may go out on another channel than it came in on.
    channel: r.channel as OutboundJob['channel'],
    address: r.address,
    kind: 'reply' as const,
    message: OutboundMessageSchema.parse(r.body),
    queuedAt: new Date(r.created_at).getTime(),
    // A staff message held for quiet hours stays held when it is queued again.
    ...(r.not_before && { notBefore: new Date(r.not_before).getTime() }),
    // A reply in the outbox needs only its sender woken.
    ...(r.drain_after && { drained: true as const }),
  }));
}
