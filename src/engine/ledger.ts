import { sql } from 'kysely';
import { broadcastContextOf } from '../broadcast/resident-context.js';
import { prepared } from '../db/connect.js';
import { outboundMessageOf } from '../db/outbound-body.js';
import type { ResidentRow } from '../db/schema.js';
import type { InboundMessage } from '../domain/messages.js';
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
 * The residents' columns, named (a prepared `r.*` would fail on its connection once a migration run by
 * a newer process adds a column); the compiler checks the list against the table.
 */
const RESIDENT_COLUMNS = sql.raw(
  Object.keys({
    id: true,
    channel: true,
    address: true,
    language: true,
    area: true,
    age_group: true,
    consent_version: true,
    consent_at: true,
    consent_refused_at: true,
    news_opt_out: true,
    news_topics: true,
    status: true,
    stopped_at: true,
    join_source: true,
    age_confirmed_at: true,
    age_asked_at: true,
    created_at: true,
    updated_at: true,
  } satisfies Record<keyof ResidentRow, true>)
    .map((column) => `r.${column}`)
    .join(', '),
);

/**
 * Locks and reads the batch's known residents and enters its messages in the ledger, in one
 * statement (one round trip, parsed once per connection): the residents' rows are locked in id order
 * (so two transactions cannot wait for each other) with their conversation state and broadcast
 * context, as `lockResidents` does; then each message gets its ledger entry, pointing at its resident
 * when known. A message whose entry exists already is a duplicate (no ledger id).
 */
export async function lockAndEnter(
  tx: Tx,
  steps: readonly { message: InboundMessage; platformKey: string }[],
  now: Date,
): Promise<{ known: Map<string, LockedResident>; ledgerIds: Map<string, string> }> {
  const channels = steps.map((s) => s.message.channel);
  const addresses = steps.map((s) => s.message.address);
  const keys = steps.map((s) => s.platformKey);
  const { rows } = await sql<
    Partial<ResidentRow> & {
      conversation_state: unknown;
      broadcast_context: unknown;
      m_channel: string;
      m_key: string;
      ledger_id: string | null;
    }
  >`${prepared('engine_lock_enter')}
    with m as (
      select * from unnest(${channels}::text[], ${addresses}::text[], ${keys}::text[])
        with ordinality as m(channel, address, platform_key, ord)
    ), locked as materialized (
      select ${RESIDENT_COLUMNS}, c.state as conversation_state, broadcast_context(r.id, ${now}::timestamptz) as broadcast_context
      from residents r left join conversations c on c.resident_id = r.id
      where (r.channel, r.address) in (select m.channel, m.address from m)
      order by r.id
      for no key update of r
    ), entered as (
      insert into inbound_ledger (channel, platform_key, resident_id)
      select m.channel, m.platform_key, l.id
      from m left join locked l on l.channel = m.channel and l.address = m.address
      order by m.ord
      on conflict (channel, platform_key) do nothing
      returning id, channel, platform_key
    )
    select l.*, m.channel as m_channel, m.platform_key as m_key, e.id as ledger_id
    from m
    left join locked l on l.channel = m.channel and l.address = m.address
    left join entered e on e.channel = m.channel and e.platform_key = m.platform_key
    order by m.ord`.execute(tx);
  const known = new Map<string, LockedResident>();
  const ledgerIds = new Map<string, string>();
  for (const { conversation_state, broadcast_context, m_channel, m_key, ledger_id, ...row } of rows) {
    if (ledger_id !== null) ledgerIds.set(residentKey(m_channel, m_key), ledger_id);
    if (row.id === null || row.id === undefined) continue;
    known.set(residentKey(row.channel!, row.address!), {
      row: row as ResidentRow,
      isNew: false,
      state: conversation_state ?? null,
      broadcast: broadcastContextOf(broadcast_context),
    });
  }
  return { known, ledgerIds };
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
      'o.sealed_body',
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
    message: outboundMessageOf(r),
    queuedAt: new Date(r.created_at).getTime(),
    // A staff message held for quiet hours stays held when it is queued again.
    ...(r.not_before && { notBefore: new Date(r.not_before).getTime() }),
    // A reply in the outbox needs only its sender woken.
    ...(r.drain_after && { drained: true as const }),
  }));
}
