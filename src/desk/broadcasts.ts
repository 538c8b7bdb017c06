import type { Transaction } from 'kysely';
import { flashMessage, type RenderContext, waveInvitation, waveReminder } from '../../flows/broadcast.js';
import type { DeskAudience } from '../../flows/desk-types.js';
import type { Poll } from '../../flows/polls/schema.js';
import { audit, insertBroadcast } from '../broadcast/broadcasts.js';
import { BroadcastMessagesSchema } from '../broadcast/fanout.js';
import { FlashInputSchema } from '../broadcast/flashes.js';
import { WAVE_DEFAULTS } from '../broadcast/waves.js';
import type { Database } from '../db/schema.js';
import type { Localized } from '../domain/language.js';

// A flash or wave confirmed in the chat is created inside the engine's transaction, with the id the
// draft got when it was composed: the confirmation, the flash and its audit record commit together,
// and a second confirmation (or a redelivered one) finds the id taken and creates nothing. The
// fan-out job is queued after commit; the scheduler's tick re-queues any due broadcast whose job got
// lost. Rendering, storage and audit are the broadcasting module's own building blocks.

/** A fan-out to queue after commit. */
export interface FanOutRequest {
  broadcastId: string;
  delayMs: number;
}

/** Creates a news flash with this id, sent now, unless it exists; returns its fan-out, if new. */
export async function createFlashOnce(
  tx: Transaction<Database>,
  render: RenderContext,
  input: { id: string; text: Localized; audience: DeskAudience; rsvp: boolean },
  actor: string,
  now: Date,
): Promise<FanOutRequest[]> {
  const flash = FlashInputSchema.parse({ text: input.text, audience: input.audience, rsvp: input.rsvp });
  const messages = BroadcastMessagesSchema.parse({
    nl: flashMessage(render, 'nl', flash.text, flash.rsvp),
    ...(flash.text.en && { en: flashMessage(render, 'en', flash.text, flash.rsvp) }),
  });
  const created = await tx
    .insertInto('flashes')
    .values({
      id: input.id,
      kind: 'flash',
      texts: JSON.stringify(flash.text),
      audience: JSON.stringify(flash.audience),
      rsvp: flash.rsvp,
      created_by: actor,
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) return [];
  const broadcastId = await insertBroadcast(tx, {
    kind: 'flash',
    flashId: input.id,
    messages,
    audience: flash.audience,
    sendAt: now,
  });
  await audit(
    tx,
    actor,
    'flash.send',
    { flashId: input.id, audience: flash.audience, sendAt: now, rsvp: flash.rsvp, via: 'chat' },
    now,
  );
  return [{ broadcastId, delayMs: 0 }];
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
  const created = await tx
    .insertInto('waves')
    .values({
      id: input.id,
      poll: poll.id,
      audience: JSON.stringify(input.audience),
      opens_at: now,
      closes_at: closesAt,
      remind_at: remindAt,
      created_by: actor,
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) return [];
  const invitationId = await insertBroadcast(tx, {
    kind: 'wave_invitation',
    waveId: input.id,
    messages: BroadcastMessagesSchema.parse({
      nl: waveInvitation(render, 'nl', poll),
      en: waveInvitation(render, 'en', poll),
    }),
    audience: input.audience,
    sendAt: now,
  });
  const reminderId = await insertBroadcast(tx, {
    kind: 'wave_reminder',
    waveId: input.id,
    messages: BroadcastMessagesSchema.parse({
      nl: waveReminder(render, 'nl'),
      en: waveReminder(render, 'en'),
    }),
    sendAt: remindAt,
  });
  await audit(
    tx,
    actor,
    'poll.launch',
    {
      waveId: input.id,
      poll: poll.id,
      audience: input.audience,
      opensAt: now,
      remindAt,
      closesAt,
      via: 'chat',
    },
    now,
  );
  return [
    { broadcastId: invitationId, delayMs: 0 },
    { broadcastId: reminderId, delayMs: remindAt.getTime() - now.getTime() },
  ];
}
