import { z } from 'zod';

/**
 * Channel-neutral messages. Adapters translate platform payloads into `InboundMessage` and render
 * `OutboundMessage`; flows only ever see these types.
 */
/** `whatsapp` is the linked number (Baileys); `whatsapp-cloud` is Meta's official Cloud API. */
export const CHANNELS = ['console', 'telegram', 'whatsapp', 'whatsapp-cloud'] as const;
export const ChannelNameSchema = z.enum(CHANNELS);
/**
 * Channels whose questions can be answered with a tap (buttons or a native poll). The console shows
 * numbered options only, so its hint says to type. Each adapter's capabilities agree (a contract test
 * checks it).
 */
export const TAP_CHANNELS: ReadonlySet<string> = new Set(['telegram', 'whatsapp', 'whatsapp-cloud']);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

const MAX_INBOUND_TEXT = 100_000;

/**
 * What a resident can send that we cannot read: a photo, a voice message or other sound, a video,
 * a file, a location, a contact card or a sticker. Only the kind is kept; the content is never fetched.
 */
export const MEDIA_KINDS = ['image', 'audio', 'video', 'document', 'location', 'contact', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * What a resident did: typed text, pressed a button, voted in a native poll, sent a command, or sent
 * media without a caption (a caption is the text instead).
 */
export const InboundPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(MAX_INBOUND_TEXT) }),
  z.object({ kind: z.literal('media'), media: z.enum(MEDIA_KINDS) }),
  /** A button press on a question we asked; `ref` is the ask's ref, `value` the option's value. */
  z.object({ kind: z.literal('choice'), ref: z.string().max(200), value: z.string().max(200) }),
  /**
   * A vote in a native poll; `values` are the option values chosen (several for multi). Empty values
   * mean the vote was taken back, unless `unreadable` says the vote could not be decrypted.
   */
  z.object({
    kind: z.literal('poll_vote'),
    ref: z.string().max(200),
    values: z.array(z.string().max(200)).max(12),
    unreadable: z.boolean().optional(),
  }),
  /** A slash command such as `/start nazareth` or `/flash`. `name` is lower case without the slash. */
  z.object({
    kind: z.literal('command'),
    name: z.string().min(1).max(64),
    args: z.string().max(MAX_INBOUND_TEXT),
  }),
]);
export type InboundPayload = z.infer<typeof InboundPayloadSchema>;

export const InboundMessageSchema = z.object({
  channel: ChannelNameSchema,
  /** Unique per message on its channel; the same delivery twice carries the same id. */
  platformId: z.string().min(1).max(512),
  /** Where replies go on this channel (chat id, JID, console name). Personal data. */
  address: z.string().min(1).max(256),
  /** When the platform says the message was sent (ISO 8601). */
  sentAt: z.iso.datetime({ offset: true }),
  payload: InboundPayloadSchema,
  /** Optional hints from the platform, e.g. the app's language. */
  hints: z.object({ languageCode: z.string().max(16).optional() }).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const AskOptionSchema = z.object({
  /** What comes back in a `choice` or `poll_vote` payload. */
  value: z.string().min(1).max(60),
  /** The option as shown to the resident, without its number. */
  label: z.string().min(1).max(200),
});
export type AskOption = z.infer<typeof AskOptionSchema>;

/** What the bot says. An `ask` is a question with options; adapters render it as buttons, a native poll or numbered text. */
export const OutboundMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1).max(8000) }),
  z.object({
    kind: z.literal('ask'),
    /** The question line (also the native poll's title). */
    text: z.string().min(1).max(8000),
    /** One line on how to answer by typing, shown with numbered options when no buttons are used. */
    hint: z.string().max(500).optional(),
    /**
     * The hint for a channel where nothing can be tapped (the console), when the message was made for
     * every channel at once (a wave invitation); a message made for one resident has the right `hint`.
     */
    typedHint: z.string().max(500).optional(),
    options: z.array(AskOptionSchema).min(1).max(12),
    /** Identifies the question so a button press can be matched to it. */
    ref: z.string().min(1).max(40),
    multiple: z.boolean().default(false),
  }),
]);
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;
export type OutboundMessageInput = z.input<typeof OutboundMessageSchema>;
