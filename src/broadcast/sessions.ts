import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import {
  type RenderContext,
  type SessionDetails,
  sessionAnnouncement,
  sessionReminder,
  sessionSummary,
} from '../../flows/broadcast.js';
import type { Database } from '../db/schema.js';
import { type AuditActor, type AuditVia, recordAudit } from '../desk/audit.js';
import { dayReminderAt } from '../domain/quiet-hours.js';
import { AudienceSchema } from './audience.js';
import {
  type BroadcastDeps,
  BroadcastRequestError,
  countEligible,
  insertBroadcast,
  nowOf,
} from './broadcasts.js';
import { BroadcastMessagesSchema, perLanguage, queueFanOut } from './fanout.js';
import { type CreatedFlash, FlashTextSchema } from './flashes.js';

// Straatpraat sessions: a meeting announced like a flash with RSVP, reminded of on the day, and
// followed up with a summary to everyone who said they would come or sent a question.

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

/** A session as `SessionInputSchema` made it. */
type ParsedSession = z.output<typeof SessionInputSchema>;

/**
 * Stores a session's announcement, its day reminder and the audit record in the caller's
 * transaction. With an `id` (a draft confirmed in the chat) it happens once: when that id exists
 * already nothing is created and the result is null.
 */
export async function storeSession(
  tx: Transaction<Database>,
  render: RenderContext,
  session: ParsedSession,
  opts: {
    id?: string;
    actor: AuditActor;
    now: Date;
    sendAt: Date;
    reminderAt: Date;
    timeZone: string;
    via?: AuditVia;
  },
): Promise<{ id: string; broadcastId: string; reminderId: string } | null> {
  const details: SessionDetails = {
    at: session.at,
    where: session.where,
    who: session.who,
    timeZone: opts.timeZone,
    ...(session.text && { text: session.text }),
  };
  const announcement = BroadcastMessagesSchema.parse(
    perLanguage((language) => sessionAnnouncement(render, language, details)),
  );
  const reminder = BroadcastMessagesSchema.parse(
    perLanguage((language) => sessionReminder(render, language, details)),
  );
  const row = await tx
    .insertInto('flashes')
    .values({
      ...(opts.id && { id: opts.id }),
      kind: 'session',
      texts: JSON.stringify(session.text ?? { nl: '' }),
      session: JSON.stringify({ where: session.where, who: session.who }),
      session_at: session.at,
      audience: JSON.stringify(session.audience),
      rsvp: true,
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
    messages: announcement,
    audience: session.audience,
    sendAt: opts.sendAt,
  });
  const reminderId = await insertBroadcast(tx, {
    kind: 'session_reminder',
    flashId: row.id,
    messages: reminder,
    sendAt: opts.reminderAt,
  });
  await recordAudit(
    tx,
    opts.actor,
    'session.announce',
    {
      flashId: row.id,
      at: session.at,
      audience: session.audience,
      sendAt: opts.sendAt,
      ...(opts.via && { via: opts.via }),
    },
    opts.now,
  );
  return { id: row.id, broadcastId, reminderId };
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
  const reminderAt = dayReminderAt(deps.quietHours, session.at, sendAt);
  const created = await deps.db.transaction().execute((tx) =>
    storeSession(tx, deps, session, {
      actor,
      now,
      sendAt,
      reminderAt,
      timeZone: deps.timeZone,
      ...(deps.via && { via: deps.via }),
    }),
  );
  // Without an id of our own the insert cannot meet an existing row.
  const { id, broadcastId, reminderId } = created!;
  await queueFanOut(deps.queue, broadcastId, sendAt.getTime() - now.getTime());
  await queueFanOut(deps.queue, reminderId, reminderAt.getTime() - now.getTime());
  return {
    id,
    broadcastId,
    reminderId,
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
  const messages = BroadcastMessagesSchema.parse(
    perLanguage(
      (language) => sessionSummary(deps, language, summary),
      (language) => Boolean(summary[language]),
    ),
  );
  const broadcastId = await deps.db.transaction().execute(async (tx) => {
    const id = await insertBroadcast(tx, { kind: 'session_summary', flashId, messages, sendAt: now });
    await recordAudit(
      tx,
      actor,
      'session.summary',
      { flashId, broadcastId: id, ...(deps.via && { via: deps.via }) },
      now,
    );
    return id;
  });
  await queueFanOut(deps.queue, broadcastId);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select resident_id from flash_rsvps where flash_id = ${flashId}
      union select resident_id from session_askers where flash_id = ${flashId}) s`.execute(deps.db);
  return { broadcastId, recipients: rows[0]?.n ?? 0 };
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
