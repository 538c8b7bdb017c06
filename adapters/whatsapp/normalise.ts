import { normalizeMessageContent, type proto } from '@whiskeysockets/baileys';
import { z } from 'zod';
import { type InboundPayload, MAX_MEDIA_REF, type MediaKind } from '../../src/domain/messages.js';
import { textPayload } from '../commands.js';
import type { SenderIds } from './contacts.js';
import { isLid, isPhoneJid, personJid } from './jid.js';
import type { WhatsAppMediaRef } from './media-ref.js';
import type { EncryptedVote } from './polls.js';

const Bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes');
const Jid = z.string().min(1).max(256);

// Only the fields we read are checked; WhatsApp adds fields all the time, so objects stay loose.
const KeySchema = z.looseObject({
  remoteJid: Jid,
  remoteJidAlt: Jid.nullish(),
  // Baileys leaves an empty string here in 1:1 chats at times.
  participant: z.string().max(256).nullish(),
  fromMe: z.boolean().nullish(),
  id: z.string().min(1).max(128),
});

const Caption = z.looseObject({ caption: z.string().nullish() }).nullish();

const ContentSchema = z.looseObject({
  conversation: z.string().nullish(),
  extendedTextMessage: z.looseObject({ text: z.string().nullish() }).nullish(),
  imageMessage: Caption,
  videoMessage: Caption,
  documentMessage: Caption,
  pollUpdateMessage: z
    .looseObject({
      pollCreationMessageKey: z.looseObject({ id: z.string().min(1).max(128) }),
      vote: z.looseObject({ encPayload: Bytes, encIv: Bytes }),
    })
    .nullish(),
});

const MessageSchema = z.looseObject({
  key: KeySchema,
  messageTimestamp: z.unknown(),
});

/**
 * Things a resident sends on purpose that carry no text, and the media kind each becomes; the flows
 * say kindly that we cannot look at or listen to it (a voice note is an `audioMessage`). A resident's
 * own poll has no media kind: it stays an empty text, which the flows answer with "type a number or
 * a word".
 */
const CONTENT_WITHOUT_TEXT: readonly (readonly [keyof proto.IMessage, MediaKind | undefined])[] = [
  ['imageMessage', 'image'],
  ['videoMessage', 'video'],
  ['ptvMessage', 'video'],
  ['audioMessage', 'audio'],
  ['stickerMessage', 'sticker'],
  ['documentMessage', 'document'],
  ['contactMessage', 'contact'],
  ['contactsArrayMessage', 'contact'],
  ['locationMessage', 'location'],
  ['liveLocationMessage', 'location'],
  ['pollCreationMessage', undefined],
  ['pollCreationMessageV2', undefined],
  ['pollCreationMessageV3', undefined],
];

/** What the resident did, before we know their address (and, for a vote, which poll it is). */
export type WhatsAppContent =
  | { kind: 'payload'; payload: InboundPayload }
  | { kind: 'vote'; pollMessageId: string; vote: EncryptedVote };

/** What one upserted message means to Straatpraat. Reasons hold no personal data, so they can be logged. */
export type WhatsAppOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'message';
      sender: SenderIds;
      /** Every JID of the sender in this message (for vote decryption). */
      senderJids: string[];
      messageId: string;
      participant: string;
      sentAt: string;
      content: WhatsAppContent;
    };

/**
 * Turns one message from Baileys' `messages.upsert` into what Straatpraat reads, or says why it is
 * ignored (our own messages, status updates, groups, broadcasts, newsletters, receipts and other
 * protocol messages) or invalid. Pure: the clock is passed in.
 */
export function normaliseMessage(raw: unknown, now: Date): WhatsAppOutcome {
  const parsed = MessageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', reason: describe(parsed.error) };
  const { key } = parsed.data;
  if (key.fromMe) return { kind: 'ignored', reason: 'own message' };
  const chat = key.remoteJid;
  if (chat === 'status@broadcast') return { kind: 'ignored', reason: 'status update' };
  if (chat.endsWith('@g.us')) return { kind: 'ignored', reason: 'group message' };
  if (chat.endsWith('@broadcast')) return { kind: 'ignored', reason: 'broadcast list' };
  if (chat.endsWith('@newsletter')) return { kind: 'ignored', reason: 'newsletter' };
  const person = personJid(chat);
  if (!person) return { kind: 'ignored', reason: 'not a person' };

  const seconds = toSeconds(parsed.data.messageTimestamp);
  const stamped = seconds === undefined ? now : new Date(seconds * 1000);
  // A timestamp beyond what a Date can hold is not worth refusing the resident's message over.
  // Messages Baileys labels `append` were sent while we were offline, however long that was (an
  // outage over a weekend): WhatsApp keeps them for us, and each is a real answer. History (old
  // chats synced on pairing) comes in another event, which we do not read.
  const sentAt = Number.isNaN(stamped.getTime()) ? now : stamped;

  const content = normalizeMessageContent((raw as { message?: proto.IMessage | null }).message);
  if (!content) return { kind: 'ignored', reason: 'no content' };
  const fields = ContentSchema.safeParse(content);
  if (!fields.success) return { kind: 'invalid', reason: describe(fields.error) };
  const read = readContent(fields.data, content);
  if (!read) return { kind: 'ignored', reason: 'protocol or unsupported message' };

  const alt = personJid(key.remoteJidAlt);
  const senderJids = alt && alt !== person ? [person, alt] : [person];
  return {
    kind: 'message',
    sender: { pn: senderJids.find(isPhoneJid), lid: senderJids.find(isLid) },
    senderJids,
    messageId: key.id,
    participant: key.participant ?? '',
    sentAt: sentAt.toISOString(),
    content: read,
  };
}

function readContent(fields: z.infer<typeof ContentSchema>, content: proto.IMessage): WhatsAppContent | null {
  if (fields.pollUpdateMessage) {
    const { pollCreationMessageKey, vote } = fields.pollUpdateMessage;
    return { kind: 'vote', pollMessageId: pollCreationMessageKey.id, vote };
  }
  const text =
    fields.conversation ??
    fields.extendedTextMessage?.text ??
    fields.imageMessage?.caption ??
    fields.videoMessage?.caption ??
    fields.documentMessage?.caption;
  if (typeof text === 'string') {
    const payload = textPayload(text);
    // A photo with a caption: the photo goes along for the idea dialog.
    const photo =
      payload.kind === 'text' && !fields.conversation && !fields.extendedTextMessage?.text
        ? mediaRefOf('imageMessage', content)
        : undefined;
    return {
      kind: 'payload',
      payload:
        photo && payload.kind === 'text' ? { ...payload, attachment: { media: 'image', ...photo } } : payload,
    };
  }
  const found = CONTENT_WITHOUT_TEXT.find(([key]) => content[key]);
  if (!found) return null;
  if (!found[1]) return { kind: 'payload', payload: { kind: 'text', text: '' } };
  const file =
    found[0] === 'imageMessage' || found[0] === 'audioMessage' ? mediaRefOf(found[0], content) : undefined;
  return { kind: 'payload', payload: { kind: 'media', media: found[1], ...file } };
}

/** What `fetchMedia` needs of a photo or voice message: where the encrypted file is, and its key. */
const FileSchema = z.looseObject({
  url: z.string().max(2000).nullish(),
  directPath: z.string().max(2000).nullish(),
  mediaKey: Bytes.nullish(),
  mimetype: z.string().max(200).nullish(),
  fileLength: z.unknown(),
});

function mediaRefOf(
  key: 'imageMessage' | 'audioMessage',
  content: proto.IMessage,
): { ref: string; size?: number } | undefined {
  const file = FileSchema.safeParse(content[key]);
  if (!file.success || !file.data.mediaKey || !(file.data.url || file.data.directPath)) return undefined;
  const { url, directPath, mediaKey, mimetype, fileLength } = file.data;
  const ref: WhatsAppMediaRef = {
    type: key === 'imageMessage' ? 'image' : 'audio',
    ...(url && { url }),
    ...(directPath && { directPath }),
    mediaKey: Buffer.from(mediaKey).toString('base64'),
    ...(mimetype && { mimetype }),
  };
  const size = toSeconds(fileLength);
  const json = JSON.stringify(ref);
  if (json.length > MAX_MEDIA_REF) return undefined;
  return { ref: json, ...(size !== undefined && { size }) };
}

export { textPayload } from '../commands.js';

/** Protobuf numbers (timestamps, file lengths) come as numbers, strings or Long objects. */
function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (value && typeof value === 'object' && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    const n = high * 2 ** 32 + (low >>> 0);
    return n > 0 ? n : undefined;
  }
  return undefined;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
