import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { flashMessage, type RenderContext, sessionCancelled } from '../../flows/broadcast.js';
import type { CorrectionTarget } from '../../flows/desk/types.js';
import type { Database } from '../db/schema.js';
import { type AuditActor, type AuditVia, recordAudit } from '../desk/audit.js';
import {
  type BroadcastDeps,
  BroadcastNotFoundError,
  BroadcastStateError,
  insertBroadcast,
  nowOf,
} from './broadcasts.js';
import { BroadcastMessagesSchema, fanOutJobId, perLanguage, queueFanOut } from './fanout.js';
import { FlashTextSchema } from './flashes.js';

// Corrections: calling off a flash, a session or a wave before it goes, closing a wave early, and
// changing a scheduled flash's text. Shared by the CLI and the staff chat commands (/annuleer,
// /sluit-peiling). Each works in one transaction with its audit record. A fan-out already under way
// stops at its next page (src/broadcast/fanout.ts holds the broadcast's row while a page inserts);
// messages already on the queue but not sent are marked `cancelled`, which the outbound worker skips.

type Db = Kysely<Database>;

/** The thing asked for does not exist: the command says so and exits 1. */
export const CorrectionNotFoundError = BroadcastNotFoundError;

/** The thing exists but can no longer be changed that way (already sent, already open, …); exit 1. */
export const CorrectionStateError = BroadcastStateError;

const isUuid = (id: string) => z.uuid().safeParse(id).success;

/** What cancelling one broadcast did to its messages. */
export interface CancelledSend {
  /** Already handed to the channel before the cancel: these residents have it. */
  sent: number;
  /** On the queue but not sent: withdrawn. */
  withdrawn: number;
}

/**
 * Cancels a broadcast that has not finished (scheduled or sending) in the caller's transaction: its
 * status becomes `cancelled` (a running fan-out stops at its next page; one that has not started
 * never will), and its rows still queued become `cancelled`. Returns null when it had finished.
 */
export async function cancelBroadcast(
  tx: Transaction<Database>,
  broadcastId: string,
  now: Date,
): Promise<CancelledSend | null> {
  // FOR UPDATE waits for a fan-out page being inserted (it holds the row FOR KEY SHARE), so the rows of
  // every page are visible below, and a later page sees the cancel.
  await tx.selectFrom('broadcasts').select('id').where('id', '=', broadcastId).forUpdate().execute();
  const row = await tx
    .updateTable('broadcasts')
    .set({ status: 'cancelled', cancelled_at: now })
    .where('id', '=', broadcastId)
    .where('status', 'in', ['scheduled', 'sending'])
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  const withdrawn = await tx
    .updateTable('outbound_messages')
    .set({ status: 'cancelled', error: 'cancelled' })
    .where('broadcast_id', '=', broadcastId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  const sent = await tx
    .selectFrom('outbound_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('broadcast_id', '=', broadcastId)
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  return { sent: Number(sent.n), withdrawn: Number(withdrawn.numUpdatedRows) };
}

/** Removes the fan-out jobs of cancelled broadcasts from the queue, where they are not running. */
async function dropFanOutJobs(deps: BroadcastDeps, broadcastIds: readonly string[]): Promise<void> {
  for (const id of broadcastIds) {
    // A running job cannot be removed (it is locked); it stops by itself at its next page.
    await deps.queue.remove(fanOutJobId(id)).catch(() => 0);
  }
}

async function flashRow(db: Db, flashId: string) {
  if (!isUuid(flashId)) throw new CorrectionNotFoundError(`${flashId} is not a flash id`);
  const flash = await db.selectFrom('flashes').selectAll().where('id', '=', flashId).executeTakeFirst();
  if (!flash) throw new CorrectionNotFoundError(`no flash or session with id ${flashId}`);
  return flash;
}

async function announcementOf(db: Db, flashId: string) {
  return db
    .selectFrom('broadcasts')
    .select(['id', 'status', 'send_at', 'queued'])
    .where('flash_id', '=', flashId)
    .where('kind', '=', 'flash')
    .executeTakeFirstOrThrow();
}

/** What `flash cancel` did. */
export interface CancelledFlash extends CancelledSend {
  id: string;
  /** Still scheduled (nothing had gone) or already going out when cancelled. */
  was: 'scheduled' | 'sending';
}

/** Cancels a flash that has not gone out (or stops one that is going out), in the caller's transaction. */
export async function cancelFlashIn(
  tx: Transaction<Database>,
  flashId: string,
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<CancelledFlash & { broadcastId: string }> {
  const flash = await flashRow(tx, flashId);
  if (flash.kind === 'session')
    throw new CorrectionStateError(`${flashId} is a straatpraat session: use session cancel`);
  if (flash.cancelled_at) throw new CorrectionStateError(`flash ${flashId} was cancelled already`);
  const announcement = await announcementOf(tx, flashId);
  const was = announcement.status as 'scheduled' | 'sending';
  const done = await cancelBroadcast(tx, announcement.id, now);
  if (!done) {
    const sent = await tx
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('broadcast_id', '=', announcement.id)
      .executeTakeFirstOrThrow();
    throw new CorrectionStateError(
      `flash ${flashId} has already been sent (to ${Number(sent.n)} residents); it cannot be cancelled`,
    );
  }
  // No RSVP is taken any more: a JA to it is ordinary text again (the engine reads `rsvp`).
  await tx.updateTable('flashes').set({ cancelled_at: now, rsvp: false }).where('id', '=', flashId).execute();
  await recordAudit(
    tx,
    actor,
    'flash.cancel',
    { flashId, was, sent: done.sent, withdrawn: done.withdrawn, ...(via && { via }) },
    now,
  );
  return { id: flashId, was, ...done, broadcastId: announcement.id };
}

/** `flash cancel`: cancels a scheduled flash, or stops one that is going out. */
export async function cancelFlash(
  deps: BroadcastDeps,
  flashId: string,
  actor: AuditActor,
): Promise<CancelledFlash> {
  const now = nowOf(deps);
  const { broadcastId, ...result } = await deps.db
    .transaction()
    .execute((tx) => cancelFlashIn(tx, flashId, actor, now, deps.via));
  await dropFanOutJobs(deps, [broadcastId]);
  return result;
}

/** `flash edit`: a scheduled flash's new text (Dutch required), before it goes. */
export async function editFlash(
  deps: BroadcastDeps,
  flashId: string,
  input: z.input<typeof FlashTextSchema>,
  actor: AuditActor,
): Promise<{ id: string; sendAt: Date }> {
  const text = FlashTextSchema.parse(input);
  const now = nowOf(deps);
  return deps.db.transaction().execute(async (tx) => {
    const flash = await flashRow(tx, flashId);
    if (flash.kind === 'session')
      throw new CorrectionStateError(
        `${flashId} is a straatpraat session; only a flash's text can be edited`,
      );
    if (flash.cancelled_at) throw new CorrectionStateError(`flash ${flashId} was cancelled`);
    const messages = BroadcastMessagesSchema.parse(
      perLanguage(
        (language) => flashMessage(deps, language, text, flash.rsvp),
        (language) => Boolean(text[language]),
      ),
    );
    // Only while the fan-out has not claimed it: once it is sending, residents may have it already.
    const updated = await tx
      .updateTable('broadcasts')
      .set({ messages: JSON.stringify(messages) })
      .where('flash_id', '=', flashId)
      .where('kind', '=', 'flash')
      .where('status', '=', 'scheduled')
      .returning('send_at')
      .executeTakeFirst();
    if (!updated)
      throw new CorrectionStateError(
        `flash ${flashId} is going out or has been sent; its text can no longer be changed`,
      );
    await tx
      .updateTable('flashes')
      .set({ texts: JSON.stringify(text) })
      .where('id', '=', flashId)
      .execute();
    await recordAudit(
      tx,
      actor,
      'flash.edit',
      { flashId, languages: Object.keys(text), ...(deps.via && { via: deps.via }) },
      now,
    );
    return { id: flashId, sendAt: new Date(updated.send_at) };
  });
}

/** What `session cancel` did. */
export interface CancelledSession {
  id: string;
  /** Sends of the session (announcement, reminder) that were stopped. */
  stopped: number;
  /** Residents who said they would come: they get one line that it does not go ahead. */
  told: number;
  /** The fan-out of that line, when anyone is told. */
  noticeId: string | null;
}

/** Calls off a session that has not taken place, in the caller's transaction. */
export async function cancelSessionIn(
  tx: Transaction<Database>,
  render: RenderContext & { timeZone: string },
  flashId: string,
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<CancelledSession & { cancelledIds: string[] }> {
  const flash = await flashRow(tx, flashId);
  if (flash.kind !== 'session')
    throw new CorrectionStateError(`${flashId} is a flash, not a straatpraat session: use flash cancel`);
  if (flash.cancelled_at) throw new CorrectionStateError(`session ${flashId} was cancelled already`);
  if (!flash.session_at || new Date(flash.session_at) <= now)
    throw new CorrectionStateError(`session ${flashId} has already taken place`);
  const sends = await tx
    .selectFrom('broadcasts')
    .select('id')
    .where('flash_id', '=', flashId)
    .where('status', 'in', ['scheduled', 'sending'])
    .execute();
  const cancelledIds: string[] = [];
  for (const s of sends) if (await cancelBroadcast(tx, s.id, now)) cancelledIds.push(s.id);
  const rsvps = await tx
    .selectFrom('flash_rsvps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('flash_id', '=', flashId)
    .executeTakeFirstOrThrow();
  const told = Number(rsvps.n);
  const at = new Date(flash.session_at);
  const noticeId =
    told > 0
      ? await insertBroadcast(tx, {
          kind: 'session_cancelled',
          flashId,
          messages: BroadcastMessagesSchema.parse(
            perLanguage((language) => sessionCancelled(render, language, { at, timeZone: render.timeZone })),
          ),
          sendAt: now,
        })
      : null;
  await tx.updateTable('flashes').set({ cancelled_at: now, rsvp: false }).where('id', '=', flashId).execute();
  await recordAudit(
    tx,
    actor,
    'session.cancel',
    { flashId, stopped: cancelledIds.length, told, ...(via && { via }) },
    now,
  );
  return { id: flashId, stopped: cancelledIds.length, told, noticeId, cancelledIds };
}

/** `session cancel`: calls off a session; who said they would come gets one line. */
export async function cancelSession(
  deps: BroadcastDeps,
  flashId: string,
  actor: AuditActor,
): Promise<CancelledSession> {
  const now = nowOf(deps);
  const { cancelledIds, ...result } = await deps.db
    .transaction()
    .execute((tx) => cancelSessionIn(tx, deps, flashId, actor, now, deps.via));
  await dropFanOutJobs(deps, cancelledIds);
  if (result.noticeId) await queueFanOut(deps.queue, result.noticeId);
  return result;
}

async function waveRow(db: Db, waveId: string) {
  if (!isUuid(waveId)) throw new CorrectionNotFoundError(`${waveId} is not a wave id`);
  const wave = await db
    .selectFrom('waves')
    .selectAll()
    .where('id', '=', waveId)
    .forUpdate()
    .executeTakeFirst();
  if (!wave) throw new CorrectionNotFoundError(`no wave with id ${waveId}`);
  return wave;
}

/** Cancels the sends of a wave that have not finished; returns their ids. */
async function cancelWaveSends(tx: Transaction<Database>, waveId: string, now: Date): Promise<string[]> {
  const sends = await tx
    .selectFrom('broadcasts')
    .select('id')
    .where('wave_id', '=', waveId)
    .where('status', 'in', ['scheduled', 'sending'])
    .execute();
  const ids: string[] = [];
  for (const s of sends) if (await cancelBroadcast(tx, s.id, now)) ids.push(s.id);
  return ids;
}

/** True once a wave's invitations have started to go out (the wave opens as they do). */
async function invitationsStarted(db: Db, waveId: string): Promise<boolean> {
  const invitation = await db
    .selectFrom('broadcasts')
    .select('status')
    .where('wave_id', '=', waveId)
    .where('kind', '=', 'wave_invitation')
    .executeTakeFirst();
  return invitation !== undefined && invitation.status !== 'scheduled';
}

/** Cancels a wave before it opens, in the caller's transaction. */
export async function cancelWaveIn(
  tx: Transaction<Database>,
  waveId: string,
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<{ id: string; cancelledIds: string[] }> {
  const wave = await waveRow(tx, waveId);
  if (wave.status === 'cancelled') throw new CorrectionStateError(`wave ${waveId} was cancelled already`);
  if (wave.status === 'closed') throw new CorrectionStateError(`wave ${waveId} is closed already`);
  if (wave.status === 'open' || (await invitationsStarted(tx, waveId))) {
    throw new CorrectionStateError(
      `wave ${waveId} is open already (invitations have gone out); close it with poll close`,
    );
  }
  const cancelledIds = await cancelWaveSends(tx, waveId, now);
  await tx.updateTable('waves').set({ status: 'cancelled' }).where('id', '=', waveId).execute();
  await recordAudit(tx, actor, 'poll.cancel', { waveId, poll: wave.poll, ...(via && { via }) }, now);
  return { id: waveId, cancelledIds };
}

/** `poll cancel`: a wave that has not opened never will. */
export async function cancelWave(
  deps: BroadcastDeps,
  waveId: string,
  actor: AuditActor,
): Promise<{ id: string }> {
  const now = nowOf(deps);
  const { cancelledIds, id } = await deps.db
    .transaction()
    .execute((tx) => cancelWaveIn(tx, waveId, actor, now, deps.via));
  await dropFanOutJobs(deps, cancelledIds);
  return { id };
}

/** What `poll close` did. */
export interface ClosedWave {
  id: string;
  closedAt: Date;
  /** Sends still to come (the reminder, invitations still going out) that were stopped. */
  stopped: number;
}

/**
 * Closes an open wave now, in the caller's transaction: what happens at its normal closing happens
 * now. No answer counts after it; a resident in the middle of its poll who answers is told kindly
 * that the questions are closed; the reminder (and invitations still going out) stop.
 */
export async function closeWaveIn(
  tx: Transaction<Database>,
  waveId: string,
  actor: AuditActor,
  now: Date,
  via?: AuditVia,
): Promise<ClosedWave & { cancelledIds: string[] }> {
  const wave = await waveRow(tx, waveId);
  if (wave.status === 'closed' || (wave.status === 'open' && new Date(wave.closes_at) <= now))
    throw new CorrectionStateError(`wave ${waveId} is closed already`);
  if (wave.status === 'cancelled') throw new CorrectionStateError(`wave ${waveId} was cancelled`);
  if (wave.status === 'scheduled' && !(await invitationsStarted(tx, waveId)))
    throw new CorrectionStateError(`wave ${waveId} has not opened yet; cancel it with poll cancel`);
  const cancelledIds = await cancelWaveSends(tx, waveId, now);
  await tx.updateTable('waves').set({ status: 'closed', closes_at: now }).where('id', '=', waveId).execute();
  await recordAudit(
    tx,
    actor,
    'poll.close',
    { waveId, poll: wave.poll, plannedClose: new Date(wave.closes_at), ...(via && { via }) },
    now,
  );
  return { id: waveId, closedAt: now, stopped: cancelledIds.length, cancelledIds };
}

/** `poll close`: closes an open wave early. */
export async function closeWave(deps: BroadcastDeps, waveId: string, actor: AuditActor): Promise<ClosedWave> {
  const now = nowOf(deps);
  const { cancelledIds, ...result } = await deps.db
    .transaction()
    .execute((tx) => closeWaveIn(tx, waveId, actor, now, deps.via));
  await dropFanOutJobs(deps, cancelledIds);
  return result;
}

/**
 * What a flash, session or wave id names, for the chat's preview and its confirmation: kind, where it
 * stands, and how many residents it concerns. Undefined when the id names nothing.
 */
export async function correctionTarget(db: Db, id: string, now: Date): Promise<CorrectionTarget | undefined> {
  if (!isUuid(id)) return undefined;
  const flash = await db.selectFrom('flashes').selectAll().where('id', '=', id).executeTakeFirst();
  if (flash) {
    if (flash.kind === 'session') {
      const rsvps = await db
        .selectFrom('flash_rsvps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('flash_id', '=', id)
        .executeTakeFirstOrThrow();
      const at = flash.session_at ? new Date(flash.session_at) : now;
      return {
        kind: 'session',
        id,
        status: flash.cancelled_at ? 'cancelled' : at <= now ? 'past' : 'scheduled',
        label: (flash.session as { where: string } | null)?.where ?? '',
        at: at.toISOString(),
        count: Number(rsvps.n),
      };
    }
    const announcement = await announcementOf(db, id);
    const sent = await db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('broadcast_id', '=', announcement.id)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    return {
      kind: 'flash',
      id,
      status: flash.cancelled_at ? 'cancelled' : announcement.status,
      label: (flash.texts as { nl: string }).nl,
      at: new Date(announcement.send_at).toISOString(),
      count: Number(sent.n),
    };
  }
  const wave = await db.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirst();
  if (!wave) return undefined;
  const invitation = await db
    .selectFrom('broadcasts')
    .select('status')
    .where('wave_id', '=', id)
    .where('kind', '=', 'wave_invitation')
    .executeTakeFirst();
  const participants = await db
    .selectFrom('wave_participants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wave_id', '=', id)
    .executeTakeFirstOrThrow();
  const closesAt = new Date(wave.closes_at);
  const status =
    wave.status === 'cancelled' || wave.status === 'closed'
      ? wave.status
      : closesAt <= now
        ? 'closed'
        : wave.status === 'open' || (invitation && invitation.status !== 'scheduled')
          ? 'open'
          : 'scheduled';
  return {
    kind: 'wave',
    id,
    status,
    label: wave.poll,
    at: closesAt.toISOString(),
    count: Number(participants.n),
  };
}
