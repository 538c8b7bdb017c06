import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { StartupError } from '../../src/domain/errors.js';
import type { Logger } from '../../src/log.js';
import {
  BASE_CAPABILITIES,
  type ChannelAdapter,
  type ChannelCapabilities,
  type FetchedMedia,
  type FetchMediaOptions,
  type InboundSink,
  type OutboundImage,
  type OutboundMessage,
  type SendContext,
  type SendResult,
} from '../channel.js';
import {
  DeferredSendError,
  MediaGoneError,
  MediaTooLargeError,
  PermanentSendError,
  RetryableSendError,
} from '../errors.js';
import { fitsCaption, readLimited } from '../media.js';
import { CloudContacts, insideWindow, type Recipient } from './contacts.js';
import { GraphClient, GraphError, type GraphOptions, GraphUnreachableError } from './graph.js';
import type { CloudEvent } from './normalise.js';
import { CloudPacing } from './pacing.js';
import { type CloudPayload, LIMITS, renderForCloud, renderTemplate } from './render.js';
import { CODES, isTokenError, toSendError } from './send-errors.js';
import { applyStatus, keepPending, type StatusOutcome, sweepPending } from './statuses.js';
import type { WhatsAppCloudTables } from './tables.js';
import { TEMPLATE_KINDS, type TemplateKind, type Templates } from './templates.js';

export interface CloudAdapterOptions {
  db: Kysely<WhatsAppCloudTables>;
  redis: Redis;
  prefix: string;
  log: Logger;
  graph: GraphOptions;
  templates: Templates;
  /** Meta's messaging limit: people a rolling 24 h we may start a conversation with. */
  dailyLimit: number;
  /**
   * Puts an outbound row (already back on `queued`) on the queue again, for a message Meta refused
   * later with 131047: the next send goes as a template.
   */
  requeue?: (outboundId: string) => Promise<void>;
  /** Numbers of the linked-number channel, when it is on: the Cloud number must be another one. */
  linkedNumbers?: readonly string[];
  /** Counts each bulk pause after Meta's spam rate limit (131048), for /metrics and its alert. */
  onBulkPaused?: () => void;
  /** How often statuses that came before their row's message id are tried again (ms). */
  sweepMs?: number;
  now?: () => Date;
}

/** How long the queue waits between looks while the token is refused (ms). */
const STOPPED_PAUSE_MS = 60_000;
const DEFAULT_SWEEP_MS = 2_000;

/** What one webhook call led to, for the route's answer and the tests. */
export interface ReceiveSummary {
  queued: number;
  statuses: number;
  ignored: number;
  invalid: number;
}

/**
 * The WhatsApp Cloud API channel (Meta's official WhatsApp Business Platform). Receives by webhook
 * (`webhook.ts` checks Meta's signature, then calls `receive`), sends through the Graph API:
 * texts, asks as reply buttons or lists, and approved templates for people outside the 24-hour
 * customer-service window. Statuses update the outbound rows (delivered, read, failed).
 *
 * Sending rules live here, so the outbound worker stays channel-neutral: a message outside the window
 * goes as its kind's template (a kind without one fails with a clear reason); templates count
 * against Meta's daily messaging limit and wait for the next free place (DeferredSendError); bulk
 * waits 6 s between two messages to one person and pauses for an hour after a spam warning
 * (131048); a refused token (190) stops sending with one line naming WHATSAPP_CLOUD_ACCESS_TOKEN.
 */
export class WhatsAppCloudAdapter implements ChannelAdapter {
  readonly name = 'whatsapp-cloud' as const;
  readonly capabilities: ChannelCapabilities = {
    ...BASE_CAPABILITIES,
    buttons: true,
    maxButtons: LIMITS.listRows,
    maxTextLength: LIMITS.text,
  };
  readonly contacts: CloudContacts;
  readonly #opts: CloudAdapterOptions;
  readonly #graph: GraphClient;
  /** The Cloud API's media id per flash picture already uploaded, so it is uploaded once. */
  readonly #mediaIds = new Map<string, Promise<string>>();
  readonly #pacing: CloudPacing;
  readonly #log: Logger;
  #sink: InboundSink | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> | undefined;
  /** Set when Meta refused the access token: nothing is sent until a restart with a new one. */
  #tokenRefused = false;

  constructor(opts: CloudAdapterOptions) {
    this.#opts = opts;
    this.#graph = new GraphClient(opts.graph);
    this.#pacing = new CloudPacing(opts.redis, opts.prefix, opts.dailyLimit);
    this.contacts = new CloudContacts(opts.db);
    this.#log = opts.log.child({ channel: 'whatsapp-cloud' });
  }

  /** Whether `start` has run (and `stop` has not): only then is a webhook call taken. */
  get isReceiving(): boolean {
    return this.#sink !== undefined;
  }

  /** Whether sending stopped because Meta refused the access token. */
  get stopped(): boolean {
    return this.#tokenRefused;
  }

  /**
   * For /readyz (no personal data): whether webhook calls are taken, a refused token, and a bulk
   * pause after Meta's spam warning with when it ends.
   */
  async health(): Promise<Record<string, unknown>> {
    const paused = await this.#pacing.bulkPausedUntil().catch(() => 0);
    return {
      receiving: this.isReceiving,
      ...(this.#tokenRefused
        ? {
            problem: 'Meta refused WHATSAPP_CLOUD_ACCESS_TOKEN: sending stopped; set a new token and restart',
          }
        : {}),
      ...(paused > this.#now().getTime() ? { bulkPausedUntil: new Date(paused).toISOString() } : {}),
    };
  }

  /**
   * Checks the token and the phone number id with Meta; a refusal stops the start with one line.
   * Then takes webhook calls, and looks every few seconds for statuses whose rows are now known.
   */
  async start(sink: InboundSink): Promise<void> {
    if (this.#sink) return;
    let display: string | undefined;
    try {
      ({ display } = await this.#graph.phoneNumber());
    } catch (error) {
      throw new StartupError(this.#refusal(error));
    }
    const digits = display?.replace(/\D/g, '');
    if (digits && this.#opts.linkedNumbers?.includes(digits)) {
      throw new StartupError(
        `Configuration error: both WhatsApp channels are on with the same number ${digits}; turn WHATSAPP_ENABLED off (the Cloud API replaces the linked number) or link another number.`,
      );
    }
    this.#sink = sink;
    const every = this.#opts.sweepMs ?? DEFAULT_SWEEP_MS;
    this.#sweeper = setInterval(() => {
      this.#sweeping ??= this.sweep()
        .catch((error: Error) =>
          this.#log.warn({ reason: error.message }, 'whatsapp cloud status sweep failed'),
        )
        .finally(() => {
          this.#sweeping = undefined;
        });
    }, every);
    this.#sweeper.unref();
    this.#log.info('whatsapp cloud api connected');
  }

  async stop(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.#sweeping;
    this.#sink = undefined;
  }

  /**
   * Handles the events of one signed webhook call: messages go to the sink (after their sender's
   * address is found and their window noted), statuses update the outbound rows. Throws only when the
   * sink or the database fails, so the caller answers 500 and Meta delivers the call again.
   */
  async receive(events: readonly CloudEvent[]): Promise<ReceiveSummary> {
    const sink = this.#sink;
    if (!sink) throw new Error('whatsapp cloud adapter is not receiving');
    const summary: ReceiveSummary = { queued: 0, statuses: 0, ignored: 0, invalid: 0 };
    const now = this.#now();
    for (const event of events) {
      switch (event.kind) {
        case 'invalid':
          // Only the schema's complaint: the payload itself is personal data.
          this.#log.warn({ reason: event.reason }, 'whatsapp cloud webhook event dropped: invalid');
          summary.invalid += 1;
          break;
        case 'ignored':
          this.#log.debug({ reason: event.reason }, 'whatsapp cloud webhook event ignored');
          summary.ignored += 1;
          break;
        case 'message': {
          const sentAt = new Date(Math.min(Date.parse(event.sentAt), now.getTime()));
          const address = await this.contacts.resolve(event.sender, sentAt);
          try {
            await sink({
              channel: this.name,
              platformId: event.platformId,
              address,
              sentAt: event.sentAt,
              payload: event.payload,
            });
            summary.queued += 1;
          } catch (error) {
            if ((error as Error).name !== 'InvalidInboundError') throw error;
            this.#log.warn({ reason: (error as Error).message }, 'whatsapp cloud message dropped: invalid');
            summary.invalid += 1;
          }
          break;
        }
        case 'status': {
          const outcome = await applyStatus(this.#opts.db, event);
          if (outcome.kind === 'unknown') await keepPending(this.#opts.db, event);
          if (outcome.kind === 'resend') await this.#resend(outcome);
          summary.statuses += 1;
          break;
        }
      }
    }
    return summary;
  }

  /** Applies statuses that came before their row had its message id. */
  async sweep(): Promise<number> {
    return sweepPending(this.#opts.db, (r) => this.#resend(r), this.#now());
  }

  async send(address: string, message: OutboundMessage, context: SendContext = {}): Promise<SendResult> {
    if (this.#tokenRefused) throw this.#stoppedError();
    const to = await this.contacts.recipientOf(address);
    if (!to) throw new PermanentSendError('invalid_address', 'not a whatsapp cloud address');
    const now = this.#now();
    const row = context.outboundId ? await this.#rowOf(context.outboundId) : undefined;
    const bulk = context.kind === 'bulk';
    if (bulk) {
      const paused = await this.#pacing.bulkPausedUntil();
      if (paused > now.getTime()) {
        throw new DeferredSendError(paused, 'whatsapp cloud: bulk paused after a spam warning (131048)');
      }
      const wait = await this.#pacing.personWait(address);
      if (wait > 0)
        throw new DeferredSendError(now.getTime() + wait, 'whatsapp cloud: one message per person per 6 s');
    }
    if (row && !insideWindow(row.lastInbound, now)) return this.#sendTemplate(address, to, message, row, now);
    try {
      const parts =
        message.kind === 'text' && context.image
          ? await this.#withImage(message.text, context.image)
          : renderForCloud(message);
      const id = await this.#post(to, parts);
      await this.#pacing.markSent(address);
      return { platformMessageId: id };
    } catch (error) {
      if (error instanceof GraphError && error.code === CODES.WINDOW_CLOSED) {
        // Our clock thought the window open; Meta knows better. Templates from now on.
        await this.contacts.closeWindow(address);
        if (row) return this.#sendTemplate(address, to, message, row, now);
        throw new PermanentSendError('bad_request', 'whatsapp cloud 131047: outside the 24-hour window');
      }
      throw await this.#failure(error, now);
    }
  }

  async #sendTemplate(
    address: string,
    to: Recipient,
    message: OutboundMessage,
    row: RowInfo,
    now: Date,
  ): Promise<SendResult> {
    const template = this.#opts.templates.for(row.kind, row.language);
    if (!template) {
      throw new PermanentSendError(
        'bad_request',
        `no-template: no approved template for ${row.kind} (${row.language ?? 'nl'}) outside the 24-hour window; add one to WHATSAPP_CLOUD_TEMPLATES_FILE`,
      );
    }
    const until = await this.#pacing.claimDaily(address, now.getTime());
    if (until > 0) {
      throw new DeferredSendError(
        until,
        `daily-limit: Meta's messaging limit (WHATSAPP_CLOUD_DAILY_LIMIT) is used up; waits until ${new Date(until).toISOString()}`,
      );
    }
    try {
      const id = await this.#post(to, [renderTemplate(message, template)]);
      await this.#pacing.markSent(address);
      return { platformMessageId: id };
    } catch (error) {
      throw await this.#failure(error, now);
    }
  }

  /**
   * A picture with the text as its caption (`type: image`, by the id of a media upload made once per
   * picture); a text longer than a caption follows as messages of its own.
   */
  async #withImage(text: string, image: OutboundImage): Promise<CloudPayload[]> {
    // Sends running at the same time share the one upload.
    let upload = this.#mediaIds.get(image.id);
    if (!upload) {
      if (this.#mediaIds.size >= 100) this.#mediaIds.clear();
      upload = this.#graph.uploadMedia(
        image.bytes,
        image.mimeType,
        `${image.id}.${image.mimeType.split('/')[1]}`,
      );
      this.#mediaIds.set(image.id, upload);
      upload.catch(() => this.#mediaIds.delete(image.id));
    }
    const mediaId = await upload;
    if (fitsCaption(text)) return [{ type: 'image', image: { id: mediaId, caption: text } }];
    return [{ type: 'image', image: { id: mediaId } }, ...renderForCloud({ kind: 'text', text })];
  }

  /**
   * A photo or voice message a resident sent, by its media id: GET /<media id> for the link (valid
   * five minutes), then the file from that link with the token.
   */
  async fetchMedia(ref: string, options: FetchMediaOptions): Promise<FetchedMedia> {
    let info: { url: string; mimeType: string; size?: number };
    try {
      info = await this.#graph.mediaInfo(ref);
    } catch (error) {
      if (error instanceof GraphError && (error.status === 404 || error.code === 100)) {
        throw new MediaGoneError(error.message);
      }
      throw error;
    }
    if (info.size !== undefined && info.size > options.maxBytes)
      throw new MediaTooLargeError(options.maxBytes);
    const response = await this.#graph.download(info.url, options.signal);
    if (response.status === 404) throw new MediaGoneError('whatsapp cloud media: 404');
    if (!response.ok) throw new Error(`whatsapp cloud media download: ${response.status}`);
    return { bytes: await readLimited(response, options.maxBytes), mimeType: info.mimeType };
  }

  /** Sends the parts in order; the last part's id stands for the message (its statuses update the row). */
  async #post(to: Recipient, parts: readonly CloudPayload[]): Promise<string> {
    let id = '';
    for (const part of parts) {
      id = await this.#graph.sendMessage({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        ...to,
        ...part,
      });
    }
    return id;
  }

  async #failure(error: unknown, now: Date): Promise<Error> {
    if (isTokenError(error)) {
      if (!this.#tokenRefused) {
        this.#tokenRefused = true;
        this.#log.error(
          `WhatsApp Cloud API sending stopped: Meta refused WHATSAPP_CLOUD_ACCESS_TOKEN (${(error as Error).message}); set a new system user token and restart.`,
        );
      }
      return this.#stoppedError();
    }
    if (error instanceof GraphError && error.code === CODES.SPAM_RATE) {
      const until = await this.#pacing.pauseBulk(now.getTime());
      this.#opts.onBulkPaused?.();
      // The alert: an operator must look at the number's quality rating in WhatsApp Manager.
      this.#log.error(
        { code: error.code, until: new Date(until).toISOString() },
        'ALERT whatsapp cloud spam rate limit (131048): bulk paused for an hour; check the quality rating in WhatsApp Manager',
      );
      return new DeferredSendError(until, 'whatsapp cloud 131048: spam rate limit; bulk paused');
    }
    if (error instanceof GraphUnreachableError) {
      this.#log.warn({ reason: error.message }, 'whatsapp cloud api unreachable; will retry');
    }
    return toSendError(error);
  }

  #stoppedError(): RetryableSendError {
    return new RetryableSendError(
      'whatsapp cloud stopped: Meta refused WHATSAPP_CLOUD_ACCESS_TOKEN',
      STOPPED_PAUSE_MS,
    );
  }

  async #resend(outcome: Extract<StatusOutcome, { kind: 'resend' }>): Promise<void> {
    await this.contacts.closeWindow(outcome.address);
    if (!this.#opts.requeue) {
      this.#log.warn('whatsapp cloud: a message refused with 131047 cannot be re-sent (no queue here)');
      return;
    }
    await this.#opts.requeue(outcome.outboundId);
  }

  /** What the template decision needs about an outbound row; undefined when the row is gone. */
  async #rowOf(outboundId: string): Promise<RowInfo | undefined> {
    const row = await this.#opts.db
      .selectFrom('outbound_messages as o')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .leftJoin('broadcasts as b', 'b.id', 'o.broadcast_id')
      .leftJoin('whatsapp_cloud_contacts as c', 'c.address', 'r.address')
      .select(['b.kind as broadcast_kind', 'r.language', 'c.last_inbound_at'])
      .where('o.id', '=', outboundId)
      .executeTakeFirst();
    if (!row) return undefined;
    const kind = (TEMPLATE_KINDS as readonly string[]).includes(row.broadcast_kind ?? '')
      ? (row.broadcast_kind as TemplateKind)
      : 'reply';
    return { kind, language: row.language, lastInbound: row.last_inbound_at };
  }

  #refusal(error: unknown): string {
    const root = this.#opts.graph.root;
    if (isTokenError(error)) {
      return `Configuration error: WHATSAPP_CLOUD_ACCESS_TOKEN is invalid: the Graph API at ${root} refused it (${(error as Error).message}).`;
    }
    if (error instanceof GraphError) {
      return `Configuration error: WHATSAPP_CLOUD_PHONE_NUMBER_ID is not a phone number this token may use (${error.message}).`;
    }
    return `The WhatsApp Cloud API is not reachable at ${root} (${(error as Error).message}); check WHATSAPP_CLOUD_API_ROOT and the network.`;
  }

  #now(): Date {
    return this.#opts.now?.() ?? new Date();
  }
}

interface RowInfo {
  kind: TemplateKind;
  language: string | null;
  lastInbound: Date | null;
}
