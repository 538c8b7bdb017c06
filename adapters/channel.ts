import type { ChannelName, InboundMessage, OutboundMessage } from '../src/domain/messages.js';

export {
  DeferredSendError,
  MediaGoneError,
  MediaTooLargeError,
  PermanentSendError,
  RetryableSendError,
} from './errors.js';
export type { ChannelName, InboundMessage, OutboundMessage };

/**
 * What a channel can render. Read-only flags with conservative defaults in `BASE_CAPABILITIES`;
 * an adapter overrides what its platform supports, and renders an `ask` accordingly.
 */
export interface ChannelCapabilities {
  /** Choice questions as the platform's own poll (WhatsApp). */
  readonly nativePolls: boolean;
  /** Choice questions as tappable buttons (Telegram inline keyboards). */
  readonly buttons: boolean;
  readonly maxButtons: number;
  readonly maxTextLength: number;
}

export const BASE_CAPABILITIES: ChannelCapabilities = Object.freeze({
  nativePolls: false,
  buttons: false,
  maxButtons: 0,
  maxTextLength: 4096,
});

/**
 * Whether this process may send on a channel now. WhatsApp's gate is open only in the process that
 * holds the connection, while it is up.
 */
export interface SendGate {
  readonly open: boolean;
  /** Calls `listener` on every change; returns a function that stops listening. */
  onChange(listener: (open: boolean) => void): () => void;
}

/**
 * Seals and opens values an adapter keeps in the identity store with the process's data key (the
 * app passes its `Sealer`). `column` names where the value is stored: a sealed value copied into
 * another column does not open there.
 */
export interface ColumnSealer {
  seal(plain: string | Buffer, column: string): Buffer;
  /** Throws when the value was tampered with; a legacy plain-text value comes back as it is. */
  open(stored: Buffer, column: string): string;
  /** Like `open`, for bytes (e.g. a protobuf message). */
  openBytes(stored: Buffer, column: string): Buffer;
}

/**
 * Declares a route that machines call (a webhook) on the app's HTTP server: it may take bodies up to
 * `maxBodyBytes` and is not asked for a same-origin `Origin` header, which servers do not send. The
 * route must check a secret header or signature on every call itself. The app passes its own.
 */
export type DeclareMachineRoute = (path: string, maxBodyBytes: number) => void;

/** What a successful send tells us. */
export interface SendResult {
  platformMessageId?: string;
}

/**
 * What the outbound worker knows about a message besides its text: its outbound row (absent for
 * untracked sends) and whether it answers the resident or is bulk. Channels with rules per kind of
 * message (WhatsApp's Cloud API: templates outside the 24-hour window) read it; others ignore it.
 */
export interface SendContext {
  outboundId?: string | null;
  residentId?: string | null;
  kind?: 'reply' | 'bulk';
  /**
   * The picture of a message with `image` (a flash's flyer), loaded by the outbound worker: its bytes
   * (metadata stripped), type, and a public link for channels that cannot send pictures. The `id`
   * is the same for every recipient, so an adapter may upload once and reuse the platform's id.
   */
  image?: OutboundImage;
}

/** A picture to send with a message's text as its caption. */
export interface OutboundImage {
  id: string;
  bytes: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  /** Where the picture can be seen on the web (`/media/flash/{id}`), when a public URL is set. */
  url?: string;
}

/** Options of `fetchMedia`. */
export interface FetchMediaOptions {
  /** Larger files are refused with `MediaTooLargeError`, before or while downloading. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** A file a resident sent, as fetched from the platform. */
export interface FetchedMedia {
  bytes: Buffer;
  /** As the platform says it, e.g. `image/jpeg` or `audio/ogg`. */
  mimeType: string;
}

/** Where an adapter hands each inbound message: validation, dedupe and queueing happen behind it. */
export type InboundSink = (message: InboundMessage) => Promise<void>;

/**
 * The channel contract. Adapters translate between a platform and the channel-neutral messages;
 * they never import a flow, and flows never import an adapter.
 */
export interface ChannelAdapter {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Starts receiving from the platform; every message goes to `sink`. */
  start(sink: InboundSink): Promise<void>;
  /** Stops receiving and closes connections. */
  stop(): Promise<void>;
  /**
   * Delivers one message. Throws RetryableSendError, PermanentSendError or DeferredSendError; any
   * other error counts as retryable. `context.outboundId` is the outbound row the message comes from, the same on
   * every retry (WhatsApp derives its message id from it, so a retried send is not a second message).
   */
  send(address: string, message: OutboundMessage, context?: SendContext): Promise<SendResult>;
  /**
   * Erases what the adapter itself keeps about an address (WhatsApp: the Signal session and device
   * list that sending writes). Called after the goodbye to an erased resident has been sent.
   */
  forget?(address: string): Promise<void>;
  /**
   * Downloads a photo or voice message a resident sent, by the `ref` the adapter put in the inbound
   * payload (`{ kind: 'media', ref }`). Throws `MediaTooLargeError` past `maxBytes`, `MediaGoneError`
   * when the platform no longer has it; anything else is worth another try. Works without `start`.
   */
  fetchMedia?(ref: string, options: FetchMediaOptions): Promise<FetchedMedia>;
  /** What the operator should know about receiving (shown in /readyz); no personal data. */
  health?(): Promise<Record<string, unknown>>;
}
