import { z } from 'zod';
import type { InboundPayload, MediaKind } from '../../src/domain/messages.js';
import { textPayload } from '../commands.js';
import { decodeCallbackData } from '../telegram/callback-data.js';

// Only the fields we read are checked; Meta adds fields often, so objects stay loose. A person's
// profile name (`contacts[].profile.name`) and username are never read, so never stored.

/** A phone number as Meta writes it in `wa_id` and `from`: digits with the country code. */
const WaId = z.string().regex(/^\d{6,20}$/);
/** A business-scoped user id: country code, a dot, up to 128 letters and digits (`NL.1349…`). */
const UserId = z.string().regex(/^[A-Z]{2}\.(?:[A-Z]{3}\.)?[A-Za-z0-9]{1,128}$/);
/** Seconds since 1970, as a string. */
const Seconds = z.string().regex(/^\d{1,12}$/);
/** A media id of a file a resident sent (digits in practice); what `GET /<media id>` takes. */
const MediaId = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/);

const ContactSchema = z.looseObject({ wa_id: WaId.optional(), user_id: UserId.optional() });

const MessageSchema = z.looseObject({
  id: z.string().min(1).max(512),
  timestamp: Seconds,
  type: z.string().max(40),
  from: WaId.optional(),
  from_user_id: UserId.optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  image: z
    .looseObject({ caption: z.string().optional(), id: MediaId.optional().catch(undefined) })
    .optional(),
  audio: z.looseObject({ id: MediaId.optional().catch(undefined) }).optional(),
  voice: z.looseObject({ id: MediaId.optional().catch(undefined) }).optional(),
  video: z.looseObject({ caption: z.string().optional() }).optional(),
  document: z.looseObject({ caption: z.string().optional() }).optional(),
});

const StatusSchema = z.looseObject({
  id: z.string().min(1).max(512),
  status: z.string().max(40),
  timestamp: Seconds,
  errors: z.array(z.looseObject({ code: z.number().int() })).optional(),
});

const ValueSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ phone_number_id: z.string().max(64) }),
  contacts: z.array(ContactSchema).max(100).optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).max(1000).optional(),
});

/** The envelope of every WhatsApp Business Account webhook call. */
export const WebhookSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.looseObject({
        changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).max(100),
      }),
    )
    .max(100),
});

/** Who wrote: their phone number and/or business-scoped user id (one of them may be missing). */
export interface CloudSender {
  waId?: string;
  userId?: string;
}

/** What Meta says happened to a message we sent. */
export const CLOUD_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type CloudStatus = (typeof CLOUD_STATUSES)[number];

/** One thing a webhook call tells us. Reasons never hold personal data, so they can be logged. */
export type CloudEvent =
  | { kind: 'message'; sender: CloudSender; platformId: string; sentAt: string; payload: InboundPayload }
  | { kind: 'status'; wamid: string; status: CloudStatus; at: Date; errorCode?: number }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Message types we cannot read, and the media kind each becomes; the flows answer it kindly. */
const MEDIA: Readonly<Record<string, MediaKind>> = {
  image: 'image',
  audio: 'audio',
  voice: 'audio',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  contacts: 'contact',
};

/** Ids of buttons and list rows: the ask's ref and the option's value (see `callback-data.ts`). */
export const MAX_REPLY_ID_BYTES = 200;

/**
 * Turns a webhook body into events: messages from residents (channel-neutral payloads, with who
 * sent them), statuses of our messages, and what is ignored or invalid. Changes for another phone
 * number of the same business account are ignored. Pure.
 */
export function normaliseWebhook(raw: unknown, phoneNumberId: string): CloudEvent[] {
  const body = WebhookSchema.safeParse(raw);
  if (!body.success) return [{ kind: 'invalid', reason: describe(body.error) }];
  const events: CloudEvent[] = [];
  for (const entry of body.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        events.push({ kind: 'ignored', reason: `field ${change.field.slice(0, 40)}` });
        continue;
      }
      const value = ValueSchema.safeParse(change.value);
      if (!value.success) {
        events.push({ kind: 'invalid', reason: describe(value.error) });
        continue;
      }
      if (value.data.metadata.phone_number_id !== phoneNumberId) {
        events.push({ kind: 'ignored', reason: 'another phone number' });
        continue;
      }
      const contacts = value.data.contacts ?? [];
      for (const m of value.data.messages ?? []) events.push(fromMessage(m, contacts));
      for (const s of value.data.statuses ?? []) events.push(fromStatus(s));
    }
  }
  return events;
}

function fromMessage(raw: unknown, contacts: readonly z.infer<typeof ContactSchema>[]): CloudEvent {
  const parsed = MessageSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', reason: describe(parsed.error) };
  const m = parsed.data;
  // Since 2026-03-31 a message names its sender by number (`from`), by user id (`from_user_id`) or
  // both; `contacts` may add the other one. Either is enough to find the resident.
  const contact =
    contacts.find(
      (c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = m.from ?? contact?.wa_id;
  const userId = m.from_user_id ?? contact?.user_id;
  if (!waId && !userId) return { kind: 'invalid', reason: 'message without a sender' };
  const payload = payloadOf(m);
  if ('ignored' in payload) return { kind: 'ignored', reason: payload.ignored };
  return {
    kind: 'message',
    sender: { ...(waId ? { waId } : {}), ...(userId ? { userId } : {}) },
    platformId: m.id,
    sentAt: new Date(Number(m.timestamp) * 1000).toISOString(),
    payload,
  };
}

function payloadOf(m: z.infer<typeof MessageSchema>): InboundPayload | { ignored: string } {
  switch (m.type) {
    case 'text':
      return m.text ? textPayload(m.text.body) : { ignored: 'text without a body' };
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (!reply) return { ignored: `interactive ${m.interactive?.type ?? 'without a reply'}` };
      const choice = decodeCallbackData(reply.id);
      return choice ? { kind: 'choice', ...choice } : { ignored: 'reply id not ours' };
    }
    case 'button': {
      // A quick-reply button of a template: its payload when we set one, else its text as typed.
      const choice = m.button?.payload ? decodeCallbackData(m.button.payload) : undefined;
      if (choice) return { kind: 'choice', ...choice };
      return m.button?.text ? textPayload(m.button.text) : { ignored: 'button without text' };
    }
    case 'reaction':
      return { ignored: 'reaction' };
    default: {
      const caption = m.image?.caption ?? m.video?.caption ?? m.document?.caption;
      if (caption !== undefined) {
        const text = textPayload(caption);
        // A photo with a caption: the photo goes along for the idea dialog.
        const id = m.type === 'image' ? m.image?.id : undefined;
        return id && text.kind === 'text' ? { ...text, attachment: { media: 'image', ref: id } } : text;
      }
      const media = Object.hasOwn(MEDIA, m.type) ? MEDIA[m.type] : undefined;
      // A photo or voice message can be fetched later by its media id (GET /<media id>).
      const ref =
        m.type === 'image'
          ? m.image?.id
          : m.type === 'audio'
            ? m.audio?.id
            : m.type === 'voice'
              ? m.voice?.id
              : undefined;
      if (media) return { kind: 'media', media, ...(ref && { ref }) };
      return { ignored: `message type ${m.type}` };
    }
  }
}

function fromStatus(raw: unknown): CloudEvent {
  const parsed = StatusSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', reason: describe(parsed.error) };
  const s = parsed.data;
  if (!(CLOUD_STATUSES as readonly string[]).includes(s.status)) {
    return { kind: 'ignored', reason: `status ${s.status}` };
  }
  const errorCode = s.errors?.[0]?.code;
  return {
    kind: 'status',
    wamid: s.id,
    status: s.status as CloudStatus,
    at: new Date(Number(s.timestamp) * 1000),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
