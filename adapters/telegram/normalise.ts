import { z } from 'zod';
import { type InboundMessage, InboundMessageSchema } from '../../src/domain/messages.js';
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

const MessageSchema = z.looseObject({
  message_id: z.number().int(),
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
 * Things a resident sends on purpose that carry no text. They become an empty text, which the flows
 * cannot parse and answer with "type a number or a word": a resident who sends a voice note or a
 * sticker hears back instead of nothing. Service messages (pins, timers) are not in this list.
 */
const CONTENT_WITHOUT_TEXT = [
  'sticker',
  'photo',
  'video',
  'video_note',
  'voice',
  'audio',
  'document',
  'animation',
  'contact',
  'location',
  'venue',
  'poll',
  'dice',
  'story',
] as const;

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
  const text = message.text ?? message.caption ?? (hasContentWithoutText(message) ? '' : undefined);
  if (text === undefined) return { kind: 'ignored', updateId, reason: 'service message' };
  const command = message.text !== undefined ? COMMAND.exec(text.trim()) : null;
  const languageCode = message.from?.language_code;
  return inbound(updateId, {
    channel: 'telegram',
    platformId: `m${message.chat.id}:${message.message_id}`,
    address: String(message.chat.id),
    sentAt: new Date(message.date * 1000).toISOString(),
    payload: command
      ? { kind: 'command', name: command[1]!.toLowerCase(), args: (command[2] ?? '').trim() }
      : { kind: 'text', text },
    ...(languageCode ? { hints: { languageCode } } : {}),
  });
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

function hasContentWithoutText(message: Record<string, unknown>): boolean {
  return CONTENT_WITHOUT_TEXT.some((key) => message[key] !== undefined);
}

/** The last check: what we built must be a valid inbound message (e.g. a value longer than allowed). */
function inbound(updateId: number, candidate: unknown): UpdateOutcome {
  const result = InboundMessageSchema.safeParse(candidate);
  if (result.success) return { kind: 'message', updateId, message: result.data };
  const issue = result.error.issues[0]!;
  return { kind: 'invalid', updateId, reason: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
}
