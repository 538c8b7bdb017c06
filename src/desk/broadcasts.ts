import type { Transaction } from 'kysely';
import type { RenderContext } from '../../flows/broadcast.js';
import type { DeskAudience } from '../../flows/desk/types.js';
import type { Poll } from '../../flows/polls/schema.js';
import { FlashInputSchema, storeFlash } from '../broadcast/flashes.js';
import { SessionInputSchema, storeSession } from '../broadcast/sessions.js';
import { storeWave, WAVE_DEFAULTS } from '../broadcast/waves.js';
import type { Database } from '../db/schema.js';
import type { Localized } from '../domain/language.js';
import { dayReminderAt, type QuietHours } from '../domain/quiet-hours.js';

// A flash or wave confirmed in the chat is created inside the engine's transaction, with the id the
// draft got when it was composed: the confirmation, the flash and its audit record commit together,
// and a second confirmation (or a redelivered one) finds the id taken and creates nothing. The
// fan-out job is queued after commit; the scheduler's tick re-queues any due broadcast whose job got
// lost. Storing is the broadcasting module's own (`storeFlash`, `storeWave`), as for the CLI and API.

/** A fan-out to queue after commit. */
export interface FanOutRequest {
  broadcastId: string;
  delayMs: number;
}

/**
 * Creates a news flash with this id, sent now or at `sendAt`, unless it exists; returns its fan-out,
 * if new. A `sendAt` that has passed sends now, as on the command line.
 */
export async function createFlashOnce(
  tx: Transaction<Database>,
  render: RenderContext,
  input: { id: string; text: Localized; audience: DeskAudience; rsvp: boolean; sendAt?: Date },
  actor: string,
  now: Date,
): Promise<FanOutRequest[]> {
  const flash = FlashInputSchema.parse({ text: input.text, audience: input.audience, rsvp: input.rsvp });
  const sendAt = input.sendAt && input.sendAt > now ? input.sendAt : now;
  const stored = await storeFlash(tx, render, flash, { id: input.id, actor, now, sendAt, via: 'chat' });
  return stored ? [{ broadcastId: stored.broadcastId, delayMs: sendAt.getTime() - now.getTime() }] : [];
}

/**
 * Announces a straatpraat session with this id, now, unless it exists; returns the fan-outs of the
 * announcement and the day reminder, if new. A session that has started by now is not announced.
 */
export async function announceSessionOnce(
  tx: Transaction<Database>,
  render: RenderContext,
  input: { id: string; at: Date; where: string; who: string; text?: Localized; audience: DeskAudience },
  opts: { actor: string; now: Date; quietHours: QuietHours; timeZone: string },
): Promise<FanOutRequest[]> {
  const session = SessionInputSchema.parse({
    at: input.at,
    where: input.where,
    who: input.who,
    audience: input.audience,
    ...(input.text && { text: input.text }),
  });
  const { now } = opts;
  if (session.at <= now) return [];
  const reminderAt = dayReminderAt(opts.quietHours, session.at, now);
  const stored = await storeSession(tx, render, session, {
    id: input.id,
    actor: opts.actor,
    now,
    sendAt: now,
    reminderAt,
    timeZone: opts.timeZone,
    via: 'chat',
  });
  if (!stored) return [];
  return [
    { broadcastId: stored.broadcastId, delayMs: 0 },
    { broadcastId: stored.reminderId, delayMs: reminderAt.getTime() - now.getTime() },
  ];
}

/** Launches a wave of a poll with this id, opening now, unless it exists; returns its fan-outs, if new. */
export async function launchWaveOnce(
  tx: Transaction<Database>,
  render: RenderContext,
  poll: Poll,
  input: { id: string; audience: DeskAudience },
  actor: string,
  now: Date,
): Promise<FanOutRequest[]> {
  const closesAt = new Date(now.getTime() + WAVE_DEFAULTS.closeAfterMs);
  const remindAt = new Date(now.getTime() + WAVE_DEFAULTS.remindAfterMs);
  const stored = await storeWave(
    tx,
    render,
    poll,
    { audience: input.audience, opensAt: now, remindAt, closesAt },
    { id: input.id, actor, now, via: 'chat' },
  );
  if (!stored) return [];
  return [
    { broadcastId: stored.invitationId, delayMs: 0 },
    { broadcastId: stored.reminderId!, delayMs: remindAt.getTime() - now.getTime() },
  ];
}
