import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import {
  flashMessage,
  type RenderContext,
  type SessionDetails,
  sessionAnnouncement,
  sessionReminder,
  sessionSummary,
} from '../../flows/broadcast.js';
import type { Database } from '../db/schema.js';
import { type AuditActor, recordAudit } from '../desk/audit.js';
import { wallTimeOf } from '../domain/time.js';
import { type Audience, AudienceSchema, audienceOf } from './audience.js';
import {
  type BroadcastDeps,
  BroadcastRequestError,
  type BroadcastState,
  broadcastsOf,
  countEligible,
  type DeliveryCounts,
  deliveryCounts,
  insertBroadcast,
  nowOf,
} from './broadcasts.js';
import { BroadcastMessagesSchema, queueFanOut } from './fanout.js';

const FlashText = z
  .string()
  .trim()
  .min(1, 'expected some text')
  .max(2000, 'expected at most 2000 characters');

/** A text per language from the wijkteam; Dutch is required, English falls back to it. */
export const FlashTextSchema = z.object({ nl: FlashText, en: FlashText.optional() });

/** A news flash as the wijkteam asks for it. */
export const FlashInputSchema = z.object({
  text: FlashTextSchema,
  audience: AudienceSchema.default({}),
  /** When to send; now (or a time in the past) sends at once. */
  sendAt: z.date().optional(),
  /** Ask "Kom je? Stuur JA." and count the answers. */
  rsvp: z.boolean().default(false),
});
/** A news flash as the wijkteam asks for it. */
export type FlashInput = z.input<typeof FlashInputSchema>;

/** What was created: the flash, its fan-out, when it goes, and how many residents match now. */
export interface CreatedFlash {
  id: string;
  broadcastId: string;
  sendAt: Date;
  audience: number;
}

/** A flash as `FlashInputSchema` made it. */
type ParsedFlash = z.output<typeof FlashInputSchema>;

/**
 * Stores a news flash, its broadcast and its audit record in the caller's transaction. With an `id`
 * (a draft confirmed in the chat) it happens once: when that id exists already nothing is created
 * and the result is null.
 */
export async function storeFlash(
  tx: Transaction<Database>,
  render: RenderContext,
  flash: ParsedFlash,
  opts: { id?: string; actor: AuditActor; now: Date; sendAt: Date; via?: 'chat' },
): Promise<{ id: string; broadcastId: string } | null> {
  // Without an English text the whole message stays Dutch, RSVP line included.
  const messages = BroadcastMessagesSchema.parse({
    nl: flashMessage(render, 'nl', flash.text, flash.rsvp),
    ...(flash.text.en && { en: flashMessage(render, 'en', flash.text, flash.rsvp) }),
  });
  const row = await tx
    .insertInto('flashes')
    .values({
      ...(opts.id && { id: opts.id }),
      kind: 'flash',
      texts: JSON.stringify(flash.text),
      audience: JSON.stringify(flash.audience),
      rsvp: flash.rsvp,
      created_by: opts.actor,
      created_at: opts.now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  const broadcastId = await insertBroadcast(tx, {
    kind: 'flash',
    flashId: row.id,
    messages,
    audience: flash.audience,
    sendAt: opts.sendAt,
  });
  await recordAudit(
    tx,
    opts.actor,
    'flash.send',
    {
      flashId: row.id,
      audience: flash.audience,
      sendAt: opts.sendAt,
      rsvp: flash.rsvp,
      ...(opts.via && { via: opts.via }),
    },
    opts.now,
  );
  return { id: row.id, broadcastId };
}

/** Stores a news flash and queues its fan-out (now or at its time). */
export async function sendFlash(
  deps: BroadcastDeps,
  input: FlashInput,
  actor: AuditActor,
): Promise<CreatedFlash> {
  const flash = FlashInputSchema.parse(input);
  const now = nowOf(deps);
  const sendAt = flash.sendAt && flash.sendAt > now ? flash.sendAt : now;
  const stored = await deps.db
    .transaction()
    .execute((tx) => storeFlash(tx, deps, flash, { actor, now, sendAt }));
  // Without an id of our own the insert cannot meet an existing row.
  const { id, broadcastId } = stored!;
  await queueFanOut(deps.queue, broadcastId, sendAt.getTime() - now.getTime());
  return { id, broadcastId, sendAt, audience: await countEligible(deps.db, flash.audience, true) };
}

/** A straatpraat session as the wijkteam announces it. */
export const SessionInputSchema = z.object({
  at: z.date(),
  where: z.string().trim().min(1).max(200),
  who: z.string().trim().min(1).max(200),
  text: FlashTextSchema.optional(),
  audience: AudienceSchema.default({}),
  sendAt: z.date().optional(),
});
/** A straatpraat session as the wijkteam announces it. */
export type SessionInput = z.input<typeof SessionInputSchema>;

/** A session's announcement and its day reminder. */
export interface CreatedSession extends CreatedFlash {
  reminderId: string;
  reminderAt: Date;
}

/**
 * When the day's reminder goes: the end of quiet hours on the session's day (09:00). A session that
 * starts before then is reminded of the morning before; one announced on the day itself halfway
 * between the announcement and the start.
 */
export function dayReminderAt(deps: BroadcastDeps, at: Date, announcedAt: Date): Date {
  let reminder = deps.quietHours.endOn(wallTimeOf(at, deps.timeZone));
  if (reminder >= at)
    reminder = deps.quietHours.endOn(wallTimeOf(new Date(at.getTime() - 86_400_000), deps.timeZone));
  if (reminder <= announcedAt)
    reminder = new Date(announcedAt.getTime() + (at.getTime() - announcedAt.getTime()) / 2);
  return reminder;
}

/** Announces a straatpraat session like a flash with RSVP, and schedules the reminder on the day. */
export async function announceSession(
  deps: BroadcastDeps,
  input: SessionInput,
  actor: AuditActor,
): Promise<CreatedSession> {
  const session = SessionInputSchema.parse(input);
  const now = nowOf(deps);
  const sendAt = session.sendAt && session.sendAt > now ? session.sendAt : now;
  if (session.at <= sendAt) {
    throw new BroadcastRequestError('the session must start after its announcement goes out');
  }
  const details: SessionDetails = {
    at: session.at,
    where: session.where,
    who: session.who,
    timeZone: deps.timeZone,
    ...(session.text && { text: session.text }),
  };
  const reminderAt = dayReminderAt(deps, session.at, sendAt);
  const announcement = BroadcastMessagesSchema.parse({
    nl: sessionAnnouncement(deps, 'nl', details),
    en: sessionAnnouncement(deps, 'en', details),
  });
  const reminder = BroadcastMessagesSchema.parse({
    nl: sessionReminder(deps, 'nl', details),
    en: sessionReminder(deps, 'en', details),
  });
  const created = await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('flashes')
      .values({
        kind: 'session',
        texts: JSON.stringify(session.text ?? { nl: '' }),
        session: JSON.stringify({ where: session.where, who: session.who }),
        session_at: session.at,
        audience: JSON.stringify(session.audience),
        rsvp: true,
        created_by: actor,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const broadcastId = await insertBroadcast(tx, {
      kind: 'flash',
      flashId: row.id,
      messages: announcement,
      audience: session.audience,
      sendAt,
    });
    const reminderId = await insertBroadcast(tx, {
      kind: 'session_reminder',
      flashId: row.id,
      messages: reminder,
      sendAt: reminderAt,
    });
    await recordAudit(
      tx,
      actor,
      'session.announce',
      { flashId: row.id, at: session.at, audience: session.audience, sendAt },
      now,
    );
    return { id: row.id, broadcastId, reminderId };
  });
  await queueFanOut(deps.queue, created.broadcastId, sendAt.getTime() - now.getTime());
  await queueFanOut(deps.queue, created.reminderId, reminderAt.getTime() - now.getTime());
  return {
    ...created,
    sendAt,
    reminderAt,
    audience: await countEligible(deps.db, session.audience, true),
  };
}

/** The session behind a flash id, or a one-line error. */
async function sessionOf(db: Kysely<Database>, flashId: string) {
  const flash = await db.selectFrom('flashes').selectAll().where('id', '=', flashId).executeTakeFirst();
  if (!flash) throw new BroadcastRequestError(`no flash or session with id ${flashId}`);
  if (flash.kind !== 'session')
    throw new BroadcastRequestError(`${flashId} is a flash, not a straatpraat session`);
  return flash;
}

/** Sends the follow-up of a session to everyone who said they would come or sent a question. */
export async function sendSessionSummary(
  deps: BroadcastDeps,
  flashId: string,
  text: z.input<typeof FlashTextSchema>,
  actor: AuditActor,
): Promise<{ broadcastId: string; recipients: number }> {
  const summary = FlashTextSchema.parse(text);
  await sessionOf(deps.db, flashId);
  const now = nowOf(deps);
  const messages = BroadcastMessagesSchema.parse({
    nl: sessionSummary(deps, 'nl', summary),
    ...(summary.en && { en: sessionSummary(deps, 'en', summary) }),
  });
  const broadcastId = await deps.db.transaction().execute(async (tx) => {
    const id = await insertBroadcast(tx, { kind: 'session_summary', flashId, messages, sendAt: now });
    await recordAudit(tx, actor, 'session.summary', { flashId, broadcastId: id }, now);
    return id;
  });
  await queueFanOut(deps.queue, broadcastId);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select resident_id from flash_rsvps where flash_id = ${flashId}
      union select resident_id from session_askers where flash_id = ${flashId}) s`.execute(deps.db);
  return { broadcastId, recipients: rows[0]?.n ?? 0 };
}

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
    rsvp: flash.rsvp,
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

/** The questions of one theme, for the wijkteam: text and day only, never who asked. */
export interface QuestionGroup {
  theme: string;
  questions: { text: string; askedOn: string }[];
}

/** The questions sent in advance for a session, grouped by theme (themes in a fixed order). */
export async function sessionQuestions(db: Kysely<Database>, flashId: string): Promise<QuestionGroup[]> {
  if (!z.uuid().safeParse(flashId).success) throw new BroadcastRequestError(`${flashId} is not a session id`);
  await sessionOf(db, flashId);
  const rows = await db
    .selectFrom('session_questions')
    .select(['theme', 'text', 'asked_on'])
    .where('flash_id', '=', flashId)
    .orderBy('theme')
    .orderBy('asked_on')
    .orderBy('id')
    .execute();
  const groups = new Map<string, QuestionGroup>();
  for (const r of rows) {
    const group = groups.get(r.theme) ?? { theme: r.theme, questions: [] };
    group.questions.push({ text: r.text, askedOn: r.asked_on });
    groups.set(r.theme, group);
  }
  return [...groups.values()];
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
