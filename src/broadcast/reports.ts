import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { type Audience, audienceOf } from './audience.js';
import {
  BroadcastRequestError,
  type BroadcastState,
  broadcastsOf,
  countEligible,
  type DeliveryCounts,
  deliveryCounts,
} from './broadcasts.js';

// What flashes and sessions reached: delivery per flash, and RSVPs per flash and area.

/** A flash's delivery report: audience, queued, sent, failed, RSVPs. */
export interface FlashReport extends DeliveryCounts {
  id: string;
  kind: 'flash' | 'session';
  status: string;
  sendAt: string;
  /** Residents it goes to: every recipient once it is sent, the residents matching now before. */
  audience: number;
  rsvps: number;
  rsvp: boolean;
  audienceFilter: Audience;
  session?: {
    at: string;
    where: string;
    who: string;
    questions: number;
    askers: number;
    /** The day's reminder and any summaries sent, each with its delivery. */
    followUps: (BroadcastState & DeliveryCounts)[];
  };
}

/** The delivery report of a flash or session announcement, from `outbound_messages` and `flash_rsvps`. */
export async function flashReport(db: Kysely<Database>, flashId: string): Promise<FlashReport> {
  if (!z.uuid().safeParse(flashId).success) throw new BroadcastRequestError(`${flashId} is not a flash id`);
  const flash = await db.selectFrom('flashes').selectAll().where('id', '=', flashId).executeTakeFirst();
  if (!flash) throw new BroadcastRequestError(`no flash or session with id ${flashId}`);
  const all = await broadcastsOf(db, { flashId });
  const announcement = all.find((b) => b.kind === 'flash')!;
  const counts = await deliveryCounts(db, announcement.id);
  const rsvps = await db
    .selectFrom('flash_rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('flash_id', '=', flashId)
    .executeTakeFirstOrThrow();
  const audienceFilter = audienceOf(flash.audience);
  const report: FlashReport = {
    id: flash.id,
    kind: flash.kind as FlashReport['kind'],
    status: announcement.status,
    sendAt: announcement.sendAt,
    audience:
      announcement.status === 'sent' ? counts.recipients : await countEligible(db, audienceFilter, true),
    ...counts,
    rsvps: Number(rsvps.n),
    // A cancelled flash or session takes no more RSVPs (`rsvp` false), yet keeps those it had.
    rsvp: flash.rsvp || Number(rsvps.n) > 0,
    audienceFilter,
  };
  if (flash.kind === 'session' && flash.session && flash.session_at) {
    const place = flash.session as { where: string; who: string };
    const [questions, askers] = await Promise.all([
      db
        .selectFrom('session_questions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('flash_id', '=', flashId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('session_askers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('flash_id', '=', flashId)
        .executeTakeFirstOrThrow(),
    ]);
    const followUps = await Promise.all(
      all.filter((b) => b.kind !== 'flash').map(async (b) => ({ ...b, ...(await deliveryCounts(db, b.id)) })),
    );
    report.session = {
      at: new Date(flash.session_at).toISOString(),
      where: place.where,
      who: place.who,
      questions: Number(questions.n),
      askers: Number(askers.n),
      followUps,
    };
  }
  return report;
}

/** RSVPs of one flash in one area: counts only, for the indicator `deelname_ontmoetingen`. */
export interface MeetingParticipation {
  flashId: string;
  kind: 'flash' | 'session';
  /** The day the flash went out (or is due), in the city's time zone. */
  sentOn: string;
  area: string;
  rsvps: number;
}

/**
 * RSVPs per flash and area (residents who did not say their area count under `geen`). An erased
 * resident's RSVP is gone with them, as erasure requires.
 */
export async function meetingParticipation(
  db: Kysely<Database>,
  timeZone: string,
): Promise<MeetingParticipation[]> {
  const { rows } = await sql<{
    flash_id: string;
    kind: MeetingParticipation['kind'];
    sent_on: string;
    area: string;
    rsvps: number;
  }>`
    select f.id as flash_id, f.kind, to_char(b.send_at at time zone ${timeZone}, 'YYYY-MM-DD') as sent_on,
           coalesce(r.area, 'geen') as area, count(*)::int as rsvps
    from flash_rsvps x
    join flashes f on f.id = x.flash_id
    join broadcasts b on b.flash_id = f.id and b.kind = 'flash'
    join residents r on r.id = x.resident_id
    group by f.id, f.kind, b.send_at, coalesce(r.area, 'geen')
    order by b.send_at, f.id, area`.execute(db);
  return rows.map((r) => ({
    flashId: r.flash_id,
    kind: r.kind,
    sentOn: r.sent_on,
    area: r.area,
    rsvps: r.rsvps,
  }));
}
