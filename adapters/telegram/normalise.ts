import { z } from 'zod';
import {
  type InboundMessage,
  InboundMessageSchema,
  type InboundPayload,
  MAX_MEDIA_REF,
  type MediaKind,
} from '../../src/domain/messages.js';
import { decodeCallbackData } from './callback-data.js';

// Only the fields we read are checked; Telegram adds fields often, so the objects stay loose.
const UserSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  language_code: z.string().optional(),
});

const ChatSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
});

/** A file we may fetch (getFile): its id, and its size when Telegram says it. */
const FileSchema = z.looseObject({
  file_id: z.string().min(1).max(MAX_MEDIA_REF),
  file_size: z.number().int().nonnegative().optional(),
});

const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  /** A photo in several sizes, smallest first. */
  photo: z.array(FileSchema).optional().catch(undefined),
  voice: FileSchema.optional().catch(undefined),
  audio: FileSchema.optional().catch(undefined),
  // Seconds since 1970, within what a Date can hold (a wilder value would throw when formatted).
  date: z.number().int().nonnegative().max(8_640_000_000_000),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

const CallbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: UserSchema,
  // Absent for inline-mode buttons and for messages too old to be shown to the bot.
  message: z.looseObject({ message_id: z.number().int(), chat: ChatSchema }).optional(),
  data: z.string().optional(),
});

/** The part of a Telegram `Update` Straatpraat reads. */
export const TelegramUpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: MessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
});

/** The update kinds we ask Telegram for (getUpdates and setWebhook); others are never sent to us. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * Things a resident sends on purpose that carry no text, and the media kind each becomes; the flows
 * say kindly that we cannot look at or listen to it. The first match wins: an animation (a GIF) also
 * carries a `document`, a venue a `location`. A dice is an animated emoji, sent like a sticker.
 * Service messages (pins, timers) are not in this list. A resident's own poll or a forwarded story
 * has no media kind: it stays an empty text, which the flows answer with "type a number or a word".
 */
const CONTENT_WITHOUT_TEXT: readonly (readonly [string, MediaKind | undefined])[] = [
  ['sticker', 'sticker'],
  ['dice', 'sticker'],
  ['photo', 'image'],
  ['animation', 'video'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['voice', 'audio'],
  ['audio', 'audio'],
  ['document', 'document'],
  ['contact', 'contact'],
  ['venue', 'location'],
  ['location', 'location'],
  ['poll', undefined],
  ['story', undefined],
];

const COMMAND = /^\/([A-Za-z][A-Za-z0-9_]{0,63})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

/** What an update means to Straatpraat. Reasons never contain personal data, so they can be logged. */
export type UpdateOutcome =
  | { kind: 'message'; updateId: number; message: InboundMessage; callbackQueryId?: string }
  | { kind: 'ignored'; updateId: number; reason: string; callbackQueryId?: string }
  | { kind: 'invalid'; updateId?: number; reason: string; callbackQueryId?: string };

/**
 * Turns a Telegram update into a channel-neutral inbound message, or says why it is ignored or
 * invalid. Pure: the clock is passed in (callback queries carry no date of their own).
 *
 * Platform ids: a message is `m<chat id>:<message id>` (message ids are unique within a chat and
 * never reused), a button press `c<callback query id>` (unique). Update ids are not used: Telegram
 * picks a random new starting point after a week without updates, so an old id could come back and
 * a new message would be taken for a duplicate. Webhook and long polling deliver the same ids.
 */
export function normaliseUpdate(raw: unknown, now: Date): UpdateOutcome {
  const parsed = TelegramUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const updateId = (raw as { update_id?: unknown } | null)?.update_id;
    const callbackQueryId = (raw as { callback_query?: { id?: unknown } } | null)?.callback_query?.id;
    return {
      kind: 'invalid',
      ...(typeof updateId === 'number' && Number.isInteger(updateId) ? { updateId } : {}),
      ...(typeof callbackQueryId === 'string' && callbackQueryId ? { callbackQueryId } : {}),
      reason: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  const update = parsed.data;
  if (update.message) return fromMessage(update.update_id, update.message);
  if (update.callback_query) return fromCallbackQuery(update.update_id, update.callback_query, now);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { kind: 'ignored', updateId: update.update_id, reason: `update kind ${kind}` };
}

function fromMessage(updateId: number, message: z.infer<typeof MessageSchema>): UpdateOutcome {
  // The bot never speaks in groups or channels: a neighbourhood group must not see poll questions.
  if (message.chat.type !== 'private') {
    return { kind: 'ignored', updateId, reason: `${message.chat.type} chat` };
  }
  if (message.from?.is_bot) return { kind: 'ignored', updateId, reason: 'from a bot' };
  const payload = payloadOf(message);
  if (!payload) return { kind: 'ignored', updateId, reason: 'service message' };
  const languageCode = message.from?.language_code;
  return inbound(updateId, {
    channel: 'telegram',
    platformId: `m${message.chat.id}:${message.message_id}`,
    address: String(message.chat.id),
    sentAt: new Date(message.date * 1000).toISOString(),
    payload,
    ...(languageCode ? { hints: { languageCode } } : {}),
  });
}

/** Text (a command when it starts with one), else a caption as text, else media; null for service messages. */
function payloadOf(message: z.infer<typeof MessageSchema>): InboundPayload | null {
  if (message.text !== undefined) {
    const command = COMMAND.exec(message.text.trim());
    return command
      ? { kind: 'command', name: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() }
      : { kind: 'text', text: message.text };
  }
  if (message.caption !== undefined) {
    // A photo with a caption: the caption is the text, the photo goes along for the idea dialog.
    const photo = message.photo?.at(-1);
    return {
      kind: 'text',
      text: message.caption,
      ...(photo && {
        attachment: {
          media: 'image' as const,
          ref: photo.file_id,
          ...(photo.file_size !== undefined && { size: photo.file_size }),
        },
      }),
    };
  }
  const found = CONTENT_WITHOUT_TEXT.find(([key]) => message[key] !== undefined);
  if (!found) return null;
  if (!found[1]) return { kind: 'text', text: '' };
  // A photo (its largest size) or a voice message can be fetched later by its file id (getFile).
  const file =
    found[0] === 'photo'
      ? message.photo?.at(-1)
      : found[0] === 'voice' || found[0] === 'audio'
        ? message[found[0]]
        : undefined;
  return {
    kind: 'media',
    media: found[1],
    ...(file && { ref: file.file_id }),
    ...(file?.file_size !== undefined && { size: file.file_size }),
  };
}

function fromCallbackQuery(
  updateId: number,
  query: z.infer<typeof CallbackQuerySchema>,
  now: Date,
): UpdateOutcome {
  const callbackQueryId = query.id;
  const chat = query.message?.chat;
  if (chat?.type !== 'private') {
    return { kind: 'ignored', updateId, callbackQueryId, reason: 'button outside a private chat' };
  }
  const choice = query.data === undefined ? undefined : decodeCallbackData(query.data);
  if (!choice) return { kind: 'ignored', updateId, callbackQueryId, reason: 'button data not ours' };
  const languageCode = query.from.language_code;
  const outcome = inbound(updateId, {
    channel: 'telegram',
    platformId: `c${query.id}`,
    address: String(chat.id),
    sentAt: now.toISOString(),
    payload: { kind: 'choice', ref: choice.ref, value: choice.value },
    ...(languageCode ? { hints: { languageCode } } : {}),
  });
  return { ...outcome, callbackQueryId };
}

/** The last check: what we built must be a valid inbound message (e.g. a value longer than allowed). */
function inbound(updateId: number, candidate: unknown): UpdateOutcome {
  const result = InboundMessageSchema.safeParse(candidate);
  if (result.success) return { kind: 'message', updateId, message: result.data };
  const issue = result.error.issues[0]!;
  return { kind: 'invalid', updateId, reason: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
}
