import type { Kysely } from 'kysely';
import { sealedOutbound } from '../db/outbound-body.js';
import type { Database } from '../db/schema.js';
import { LOG_BODY } from '../db/sealed-columns.js';
import { type OutboundMessageInput, OutboundMessageSchema } from '../domain/messages.js';
import { seal } from '../privacy/sealed.js';
import type { OutboundJob } from '../queue/payloads.js';

// Messages to someone other than the sender (a staff reply to a resident, a resident's answer to the
// staff member, an idea's answer to its author). The address is looked up here, inside the caller's
// transaction, and goes only into the outbound row and job: never into anything staff can see.

type Db = Kysely<Database>;

/** Where a delivery row belongs: the inbound message that caused it (for redelivery after a crash). */
export interface DeliveryOrigin {
  inboundId: string | null;
  seq: number;
  now: Date;
  /** Not to be sent before this moment (ms since the epoch): a staff message held for quiet hours. */
  notBefore?: number;
}

/**
 * Stores a message for a resident as an outbound row (kind `reply`: a person answering, which quiet
 * hours do not hold) and logs it; returns the job to queue after commit. Nothing is sent to a
 * resident who said STOP or no longer exists.
 */
export async function deliverTo(
  db: Db,
  residentId: string,
  message: OutboundMessageInput,
  origin: DeliveryOrigin,
): Promise<OutboundJob | undefined> {
  const resident = await db
    .selectFrom('residents')
    .select(['id', 'channel', 'address', 'status'])
    .where('id', '=', residentId)
    .executeTakeFirst();
  if (resident?.status !== 'active') return undefined;
  const body = OutboundMessageSchema.parse(message);
  const row = await db
    .insertInto('outbound_messages')
    .values({
      resident_id: resident.id,
      channel: resident.channel,
      kind: 'reply',
      // Sealed: a staff member's answer is about this one resident.
      ...sealedOutbound(body),
      inbound_id: origin.inboundId,
      seq: origin.seq,
      created_at: origin.now,
      ...(origin.notBefore && { not_before: new Date(origin.notBefore) }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('message_log')
    .values({
      resident_id: resident.id,
      direction: 'out',
      body: seal(body.text.slice(0, 10_000), LOG_BODY),
    })
    .execute();
  return {
    outboundId: row.id,
    residentId: resident.id,
    channel: resident.channel as OutboundJob['channel'],
    address: resident.address,
    kind: 'reply',
    message: body,
    queuedAt: origin.now.getTime(),
    ...(origin.notBefore && { notBefore: origin.notBefore }),
  };
}

/**
 * The identity row a staff member talks to the bot from, so relayed messages reach them; created when
 * they have not written to the bot yet (e.g. a request taken on the command line).
 */
export async function residentOfStaff(db: Db, staffId: number): Promise<string | undefined> {
  const staff = await db
    .selectFrom('staff')
    .select(['channel', 'user_id'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!staff) return undefined;
  const known = await db
    .selectFrom('residents')
    .select('id')
    .where('channel', '=', staff.channel)
    .where((eb) =>
      eb.or([
        eb('address', '=', staff.user_id),
        eb(
          'address',
          'in',
          eb
            .selectFrom('whatsapp_contacts')
            .select('address')
            .where((c) => c.or([c('pn', '=', staff.user_id), c('lid', '=', staff.user_id)])),
        ),
      ]),
    )
    .executeTakeFirst();
  if (known) return known.id;
  const created = await db
    .insertInto('residents')
    .values({ channel: staff.channel, address: staff.user_id })
    .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return created?.id;
}
