import type { Transaction } from 'kysely';
import { z } from 'zod';
import { flashMessage, type RenderContext } from '../../flows/broadcast.js';
import type { Database } from '../db/schema.js';
import { type AuditActor, type AuditVia, recordAudit } from '../desk/audit.js';
import { LANGUAGES } from '../domain/language.js';
import { type FlashImage, prepareFlashImage, storeFlashImage } from '../media/flash-images.js';
import { ImageError } from '../media/images.js';
import { AudienceSchema } from './audience.js';
import {
  type BroadcastDeps,
  BroadcastNotFoundError,
  BroadcastRequestError,
  countEligible,
  insertBroadcast,
  nowOf,
} from './broadcasts.js';
import { BroadcastMessagesSchema, perLanguage, queueFanOut } from './fanout.js';

// News flashes: a text from the wijkteam to the residents of an audience, now or at a time.
// Straatpraat sessions (sessions.ts) are flashes with a place, a reminder and a summary; what a
// flash reached is in reports.ts.

const FlashText = z
  .string()
  .trim()
  .min(1, 'expected some text')
  .max(2000, 'expected at most 2000 characters');

/**
 * A text per resident language from the wijkteam: Dutch is required, every other language of
 * flows/i18n is optional and falls back to Dutch. A code that is no resident language is refused.
 */
export const FlashTextSchema = z
  .object({ nl: FlashText })
  .catchall(FlashText.optional())
  .superRefine((text, ctx) => {
    for (const key of Object.keys(text))
      if (!(LANGUAGES as readonly string[]).includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" is no resident language (these are: ${LANGUAGES.join(', ')})`,
        });
  });

/** A news flash as the wijkteam asks for it. */
export const FlashInputSchema = z.object({
  text: FlashTextSchema,
  audience: AudienceSchema.default({}),
  /** When to send; now (or a time in the past) sends at once. */
  sendAt: z.date().optional(),
  /** Ask "Kom je? Stuur JA." and count the answers. */
  rsvp: z.boolean().default(false),
  /** A picture (a flyer), sent with the text as its caption; checked and stripped by `sendFlash`. */
  image: z.instanceof(Buffer).optional(),
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
  opts: { id?: string; actor: AuditActor; now: Date; sendAt: Date; via?: AuditVia; image?: FlashImage },
): Promise<{ id: string; broadcastId: string } | null> {
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
  // The picture is stored once; every message of the flash points to it by the flash's id.
  if (opts.image) await storeFlashImage(tx, row.id, opts.image, opts.now);
  const image = opts.image && { id: row.id, mime: opts.image.mimeType };
  // A language without a text of its own gets the whole Dutch message, RSVP line included.
  const messages = BroadcastMessagesSchema.parse(
    perLanguage(
      (language) => ({ ...flashMessage(render, language, flash.text, flash.rsvp), ...(image && { image }) }),
      (language) => Boolean(flash.text[language]),
    ),
  );
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
      ...(opts.image && { image: { type: opts.image.mimeType, bytes: opts.image.bytes.length } }),
      ...(opts.via && { via: opts.via }),
    },
    opts.now,
  );
  return { id: row.id, broadcastId };
}

/** A flash's picture checked and stripped; a wrong one is a request that cannot be carried out. */
async function flashImageOf(bytes: Buffer): Promise<FlashImage> {
  try {
    return await prepareFlashImage(bytes);
  } catch (error) {
    if (error instanceof ImageError) throw new BroadcastRequestError(error.message);
    throw error;
  }
}

/** Stores a news flash and queues its fan-out (now or at its time). */
export async function sendFlash(
  deps: BroadcastDeps,
  input: FlashInput,
  actor: AuditActor,
): Promise<CreatedFlash> {
  const flash = FlashInputSchema.parse(input);
  const wave = flash.audience.answeredWave;
  if (wave && !(await deps.db.selectFrom('waves').select('id').where('id', '=', wave).executeTakeFirst())) {
    throw new BroadcastNotFoundError(`no wave with id ${wave}`);
  }
  const now = nowOf(deps);
  const sendAt = flash.sendAt && flash.sendAt > now ? flash.sendAt : now;
  const image = flash.image ? await flashImageOf(flash.image) : undefined;
  const stored = await deps.db.transaction().execute((tx) =>
    storeFlash(tx, deps, flash, {
      actor,
      now,
      sendAt,
      ...(image && { image }),
      ...(deps.via && { via: deps.via }),
    }),
  );
  // Without an id of our own the insert cannot meet an existing row.
  const { id, broadcastId } = stored!;
  await queueFanOut(deps.queue, broadcastId, sendAt.getTime() - now.getTime());
  return { id, broadcastId, sendAt, audience: await countEligible(deps.db, flash.audience, true) };
}
