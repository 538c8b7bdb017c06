import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { Api, GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup, WebhookInfo } from 'grammy/types';
import type { Redis } from 'ioredis';
import { backoff, sleep } from '../../src/domain/backoff.js';
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
import { MediaGoneError, MediaTooLargeError, PermanentSendError } from '../errors.js';
import { RedisLease } from '../lease.js';
import { fitsCaption, readLimited } from '../media.js';
import { fitText } from '../render.js';
import { ALLOWED_UPDATES, normaliseUpdate, type UpdateOutcome } from './normalise.js';
import { MAX_BUTTONS, MAX_TEXT_LENGTH, renderForTelegram } from './render.js';
import { toSendError } from './send-errors.js';

export interface TelegramAdapterOptions {
  /** The bot token from BotFather. */
  token: string;
  /** Bot API server, e.g. `https://api.telegram.org` or a self-hosted `telegram-bot-api`. */
  apiRoot: string;
  log: Logger;
  /** For the long-polling lease: only one process of the installation polls at a time. */
  redis: Redis;
  /** Key prefix in Redis (the queue prefix). */
  prefix: string;
  /** How long the polling lease lasts without renewal before a standby polls instead (ms, default 15 s). */
  leaseMs?: number;
  /** Webhook mode: Telegram posts updates to `url` with `secret` in a header. Long polling when absent. */
  webhook?: { url: string; secret: string };
  /** How long one getUpdates call waits on the server for news (s). */
  pollTimeoutSeconds?: number;
  /** The clock, for button presses (they carry no date). */
  now?: () => Date;
}

/** What happened to one update handed to `receive`. */
export type ReceiveResult = 'queued' | 'ignored' | 'invalid';

const DEFAULT_POLL_TIMEOUT_S = 25;
const START_TIMEOUT_MS = 10_000;
const SEND_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;
/** stop() waits this long at most for the poll loop (and an update being queued) to end… */
const STOP_GRACE_MS = 400;
/** …and this long for Telegram to take the final offset, so stopping stays under a second. */
const CONFIRM_TIMEOUT_MS = 500;
const DEFAULT_LEASE_MS = 15_000;
/** /readyz asks Telegram for the webhook's state at most this often. */
const WEBHOOK_INFO_MAX_AGE_MS = 60_000;

/** What /readyz says about Telegram. */
export type TelegramHealth =
  | { mode: 'polling'; polling: boolean; problem?: string }
  | {
      mode: 'webhook';
      pendingUpdates?: number;
      lastError?: string;
      lastErrorAt?: string;
      problem?: string;
    };

/**
 * The Telegram channel on grammY's API client. Receives by long polling (default) or by webhook
 * (see `webhook.ts`); both paths end in `receive`. Only one process of an installation polls: the
 * one holding a lease in Redis (two long polls with one token end each other with 409 forever);
 * the others stand by and take over when it stops or dies. A 409 is therefore never expected: it
 * means someone else polls with our token, or set a webhook, which leaves the bot deaf. Sends one `sendMessage` per outbound message;
 * rate limits are the outbound queue's pacing (BullMQ limiter and a per-chat gate, `src/queue/pacing.ts`),
 * and Telegram's own 429 comes back as a RetryableSendError with its `retry_after`, which pauses the
 * whole queue.
 *
 * The poll loop is our own rather than `bot.start()`: it moves Telegram's offset past an update only
 * after the update is queued, so a Redis outage delays messages instead of losing them, and stop()
 * aborts the pending long poll at once.
 */
export class TelegramAdapter implements ChannelAdapter {
  readonly name = 'telegram' as const;
  readonly capabilities: ChannelCapabilities = {
    ...BASE_CAPABILITIES,
    buttons: true,
    maxButtons: MAX_BUTTONS,
    maxTextLength: MAX_TEXT_LENGTH,
  };
  readonly #api: Api;
  readonly #opts: TelegramAdapterOptions;
  readonly #log: Logger;
  #sink: InboundSink | undefined;
  #controller: AbortController | undefined;
  #background: Promise<void> | undefined;
  /** The next update id to ask for; undefined until the first batch. */
  #offset: number | undefined;
  readonly #lease: RedisLease;
  #holdsLease = false;
  /** The latest conflict or webhook trouble, for /readyz; cleared when polling works again. */
  #problem: string | undefined;
  #webhookInfo: { at: number; info: WebhookInfo } | undefined;
  /** Telegram's `file_id` per flash picture uploaded (or being uploaded), so it is uploaded once. */
  readonly #photoIds = new Map<string, Promise<string | undefined>>();

  constructor(opts: TelegramAdapterOptions) {
    this.#opts = opts;
    this.#log = opts.log.child({ channel: 'telegram' });
    // The same client `new Bot(token, { client })` builds; we use no middleware, so no Bot.
    this.#api = new Api(opts.token, {
      apiRoot: opts.apiRoot.replace(/\/+$/, ''),
      // grammY's default is 500 s; a connection that silently died would stall polling that long.
      timeoutSeconds: (opts.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_S) + 30,
    });
    this.#lease = new RedisLease(
      opts.redis,
      `${opts.prefix}:telegram:poll-lease`,
      `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
      opts.leaseMs ?? DEFAULT_LEASE_MS,
    );
  }

  /** Whether this process polls Telegram now (it holds the polling lease). */
  get polls(): boolean {
    return this.#holdsLease;
  }

  /** Whether updates arrive by webhook (true) or long polling. */
  get usesWebhook(): boolean {
    return this.#opts.webhook !== undefined;
  }

  /** Whether `start` has run (and `stop` has not): only then do updates go anywhere. */
  get isReceiving(): boolean {
    return this.#sink !== undefined;
  }

  /**
   * Checks the token, then sets up the webhook or starts long polling. A token or webhook URL the
   * Bot API refuses, or an API that does not answer at all, stops the process (StartupError); a
   * busy API (5xx, 429) only delays receiving.
   */
  async start(sink: InboundSink): Promise<void> {
    if (this.#sink) return;
    this.#sink = sink;
    const controller = new AbortController();
    this.#controller = controller;
    let prepared = false;
    try {
      await this.#prepare(AbortSignal.any([controller.signal, AbortSignal.timeout(START_TIMEOUT_MS)]));
      prepared = true;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) {
        this.#sink = undefined;
        this.#controller = undefined;
        throw new StartupError(this.#refusal(error));
      }
      if (!(error instanceof GrammyError)) {
        // No answer at all (wrong TELEGRAM_API_ROOT, no network): the operator must know now. A
        // Bot API that answers with 5xx or 429 is only busy, and is tried again in the background.
        this.#sink = undefined;
        this.#controller = undefined;
        const reason = ((error as Error).message ?? String(error)).split('\n')[0];
        throw new StartupError(
          `The Telegram Bot API is not reachable at ${this.#opts.apiRoot} (${reason}); check TELEGRAM_API_ROOT and the network.`,
        );
      }
      this.#log.warn(
        { reason: (error as Error).message, apiRoot: this.#opts.apiRoot },
        'telegram bot api not reachable at start; will keep trying',
      );
    }
    this.#background = this.#run(prepared, controller.signal).catch((error: Error) =>
      this.#log.error({ reason: error.message }, 'telegram receiving stopped by an unexpected error'),
    );
  }

  /** Ends long polling within about a second; the webhook stays registered for the next start. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    this.#controller = undefined;
    controller.abort();
    const background = this.#background;
    if (background) await Promise.race([background, delay(STOP_GRACE_MS, undefined, { ref: false })]);
    if (!this.usesWebhook && this.#offset !== undefined && this.#holdsLease) {
      // Tells Telegram which updates are queued, so the next start does not fetch them again
      // (they would be dropped as duplicates anyway). Only the lease holder: anyone else's call
      // would end the holder's long poll.
      await this.#api
        .getUpdates(
          { offset: this.#offset, limit: 1, timeout: 0 },
          apiSignal(AbortSignal.timeout(CONFIRM_TIMEOUT_MS)),
        )
        .catch(() => undefined);
    }
    if (this.#holdsLease) {
      this.#holdsLease = false;
      await this.#lease.release().catch(() => undefined);
    }
    this.#sink = undefined;
  }

  async send(address: string, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    const chatId = Number(address);
    if (!/^-?\d{1,16}$/.test(address) || !Number.isSafeInteger(chatId)) {
      throw new PermanentSendError('invalid_address', 'not a telegram chat id');
    }
    if (message.kind === 'text' && context?.image)
      return this.#sendPhoto(chatId, message.text, context.image);
    const rendered = renderForTelegram(message);
    if (rendered.droppedButtons && message.kind === 'ask') {
      this.#log.info(
        { ref: message.ref, reason: rendered.droppedButtons },
        'telegram ask sent without buttons',
      );
    }
    const markup: InlineKeyboardMarkup | undefined = rendered.keyboard
      ? { inline_keyboard: rendered.keyboard }
      : undefined;
    try {
      const sent = await this.#api.sendMessage(
        chatId,
        rendered.text,
        markup ? { reply_markup: markup } : {},
        apiSignal(AbortSignal.timeout(SEND_TIMEOUT_MS)),
      );
      return { platformMessageId: String(sent.message_id) };
    } catch (error) {
      throw toSendError(error);
    }
  }

  /**
   * A picture with the text as its caption (`sendPhoto`); a text longer than a caption goes as a
   * message of its own after the photo. The picture is uploaded once (multipart); later sends of the
   * same picture reuse the `file_id` Telegram gave it.
   */
  async #sendPhoto(chatId: number, text: string, image: OutboundImage): Promise<SendResult> {
    const signal = () => apiSignal(AbortSignal.timeout(SEND_TIMEOUT_MS));
    const caption = fitsCaption(text);
    const options = caption ? { caption: text } : {};
    try {
      // Sends running at the same time wait for the first upload, then reuse its file_id.
      const known = await this.#photoIds.get(image.id);
      let sent: { message_id: number };
      if (known) {
        sent = await this.#api.sendPhoto(chatId, known, options, signal());
      } else {
        let settle: (fileId: string | undefined) => void = () => {};
        if (this.#photoIds.size >= 100) this.#photoIds.clear();
        this.#photoIds.set(image.id, new Promise((resolve) => (settle = resolve)));
        try {
          const file = new InputFile(image.bytes, `${image.id}.${image.mimeType.split('/')[1]}`);
          const uploaded = await this.#api.sendPhoto(chatId, file, options, signal());
          const largest = uploaded.photo?.at(-1)?.file_id;
          if (!largest) this.#photoIds.delete(image.id);
          settle(largest);
          sent = uploaded;
        } catch (error) {
          this.#photoIds.delete(image.id);
          settle(undefined);
          throw error;
        }
      }
      if (caption) return { platformMessageId: String(sent.message_id) };
      const rest = await this.#api.sendMessage(chatId, fitText(text, MAX_TEXT_LENGTH), {}, signal());
      return { platformMessageId: String(rest.message_id) };
    } catch (error) {
      throw toSendError(error);
    }
  }

  /**
   * A photo or voice message a resident sent, by its `file_id`: `getFile`, then the file from the
   * Bot API's file URL. The Bot API serves files up to 20 MB; Telegram's own size is checked first.
   */
  async fetchMedia(ref: string, options: FetchMediaOptions): Promise<FetchedMedia> {
    let file: { file_path?: string; file_size?: number };
    try {
      file = await this.#api.getFile(ref, options.signal ? apiSignal(options.signal) : undefined);
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 400) {
        if (/too big/i.test(error.description)) throw new MediaTooLargeError(options.maxBytes);
        throw new MediaGoneError(`telegram getFile: ${error.description}`);
      }
      throw error;
    }
    if (file.file_size !== undefined && file.file_size > options.maxBytes) {
      throw new MediaTooLargeError(options.maxBytes);
    }
    if (!file.file_path) throw new MediaGoneError('telegram getFile: no file_path');
    const root = this.#opts.apiRoot.replace(/\/+$/, '');
    const response = await fetch(`${root}/file/bot${this.#opts.token}/${file.file_path}`, {
      ...(options.signal && { signal: options.signal }),
    });
    // The URL holds the token: only the status is ever reported.
    if (response.status === 404) throw new MediaGoneError('telegram file: 404');
    if (!response.ok) throw new Error(`telegram file download: ${response.status}`);
    const bytes = await readLimited(response, options.maxBytes);
    return { bytes, mimeType: mimeOfPath(file.file_path) };
  }

  /**
   * Handles one update from either transport: validates and normalises it, hands it to the sink,
   * and answers a button press so its spinner stops. Throws only when the sink fails (e.g. Redis is
   * away), so the caller can have Telegram deliver it again. Before `start` nothing is received.
   */
  async receive(raw: unknown): Promise<ReceiveResult> {
    const sink = this.#sink;
    if (!sink) throw new Error('telegram adapter is not receiving');
    const outcome = normaliseUpdate(raw, this.#opts.now?.() ?? new Date());
    const result = await this.#deliver(outcome, sink);
    if (outcome.callbackQueryId) this.#answer(outcome.callbackQueryId);
    return result;
  }

  async #deliver(outcome: UpdateOutcome, sink: InboundSink): Promise<ReceiveResult> {
    if (outcome.kind === 'invalid') {
      // Only the update id and the schema's complaint: the payload itself is personal data.
      this.#log.warn(
        { updateId: outcome.updateId, reason: outcome.reason },
        'telegram update dropped: invalid',
      );
      return 'invalid';
    }
    if (outcome.kind === 'ignored') {
      this.#log.debug({ updateId: outcome.updateId, reason: outcome.reason }, 'telegram update ignored');
      return 'ignored';
    }
    try {
      await sink(outcome.message);
    } catch (error) {
      // The ingress refusing a message is final; anything else (Redis away) is worth another try.
      if ((error as Error).name === 'InvalidInboundError') {
        this.#log.warn(
          { updateId: outcome.updateId, reason: (error as Error).message },
          'telegram update dropped: invalid',
        );
        return 'invalid';
      }
      throw error;
    }
    return 'queued';
  }

  #answer(callbackQueryId: string): void {
    // Fire and forget: a press answered late (or twice, on a redelivery) fails harmlessly.
    this.#api
      .answerCallbackQuery(callbackQueryId, undefined, apiSignal(AbortSignal.timeout(ANSWER_TIMEOUT_MS)))
      .catch((error: Error) => this.#log.debug({ reason: error.message }, 'telegram button not answered'));
  }

  async #prepare(signal: AbortSignal): Promise<void> {
    const me = await this.#api.getMe(apiSignal(signal));
    const webhook = this.#opts.webhook;
    if (webhook) {
      await this.#api.setWebhook(
        webhook.url,
        { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] },
        apiSignal(signal),
      );
      await this.#readWebhookInfo(signal);
    } else {
      // Telegram refuses getUpdates while a webhook is set (e.g. left from an earlier webhook run).
      await this.#api.deleteWebhook({}, apiSignal(signal));
    }
    this.#log.info({ bot: me.username, mode: webhook ? 'webhook' : 'polling' }, 'telegram connected');
  }

  async #run(prepared: boolean, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!prepared && !signal.aborted) {
      await sleep(retryDelay(++failures), signal);
      if (signal.aborted) return;
      try {
        await this.#prepare(signal);
        prepared = true;
      } catch (error) {
        this.#logFailure(error, 'telegram set-up failed; trying again');
      }
    }
    if (!this.usesWebhook) await this.#pollWhileLeased(signal);
  }

  /** Stands by until this process holds the polling lease, then polls while it keeps it. */
  async #pollWhileLeased(signal: AbortSignal): Promise<void> {
    const ttl = this.#lease.ttlMs;
    let standingBy = false;
    while (!signal.aborted) {
      let held = false;
      try {
        held = await this.#lease.acquire();
      } catch (error) {
        this.#log.warn({ reason: (error as Error).message }, 'telegram polling lease: Redis unavailable');
      }
      if (!held) {
        if (!standingBy) this.#log.info('another process polls Telegram; standing by');
        standingBy = true;
        await sleep(Math.max(50, Math.floor(ttl / 3)), signal);
        continue;
      }
      standingBy = false;
      this.#holdsLease = true;
      const lost = new AbortController();
      let renewedAt = Date.now();
      const renewal = setInterval(
        () => {
          // Unrenewed for most of its time: a standby may poll soon, so stop first.
          if (Date.now() - renewedAt > ttl * 0.8) return lost.abort();
          this.#lease
            .renew()
            .then((ok) => {
              if (ok) renewedAt = Date.now();
              else lost.abort();
            })
            .catch(() => undefined);
        },
        Math.max(50, Math.floor(ttl / 3)),
      );
      try {
        await this.#poll(AbortSignal.any([signal, lost.signal]));
      } finally {
        clearInterval(renewal);
      }
      if (signal.aborted) return;
      this.#holdsLease = false;
      this.#log.warn('lost the Telegram polling lease; standing by');
    }
  }

  async #poll(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let updates: unknown[];
      try {
        updates = await this.#api.getUpdates(
          {
            ...(this.#offset !== undefined ? { offset: this.#offset } : {}),
            timeout: this.#opts.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_S,
            allowed_updates: [...ALLOWED_UPDATES],
          },
          apiSignal(signal),
        );
        failures = 0;
        this.#problem = undefined;
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        this.#logFailure(error, 'telegram getUpdates failed; trying again');
        const retryAfter = error instanceof GrammyError ? error.parameters?.retry_after : undefined;
        await sleep(retryAfter !== undefined ? retryAfter * 1000 : retryDelay(failures), signal);
        continue;
      }
      for (const update of updates) {
        if (!(await this.#receiveUntilQueued(update, signal))) return;
        const id = (update as { update_id?: unknown }).update_id;
        if (typeof id === 'number' && Number.isInteger(id)) {
          this.#offset = Math.max(this.#offset ?? 0, id + 1);
        }
      }
    }
  }

  /** Receives one polled update, trying again while the sink fails; false when stopped first. */
  async #receiveUntilQueued(update: unknown, signal: AbortSignal): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      try {
        await this.receive(update);
        return true;
      } catch (error) {
        this.#log.warn({ reason: (error as Error).message }, 'telegram update not queued; trying again');
        await sleep(retryDelay(failures), signal);
        if (signal.aborted) return false;
      }
    }
  }

  #logFailure(error: unknown, what: string): void {
    const code = error instanceof GrammyError ? error.error_code : undefined;
    if (code === 409) {
      // Our processes poll one at a time (the lease), so a conflict is someone else: a webhook set
      // for this bot (we hear nothing until it is removed) or another installation polling with
      // our token (the two take each other's updates).
      const description = (error as GrammyError).description;
      this.#problem = /webhook/i.test(description)
        ? 'a webhook is set for this bot, so long polling receives nothing: remove it (deleteWebhook) or run Straatpraat with TELEGRAM_WEBHOOK_URL'
        : 'another program polls Telegram with this bot token: stop it (each token can have one poller)';
      this.#log.error({ code, reason: description }, `telegram: ${this.#problem}`);
      return;
    }
    // A refused token (revoked while running) needs an operator.
    const level = code === 401 || code === 404 ? 'error' : 'warn';
    this.#log[level]({ code, reason: (error as Error).message }, what);
  }

  /** Asks Telegram how webhook delivery goes (pending updates, its last error) and says so if badly. */
  async #readWebhookInfo(signal: AbortSignal): Promise<WebhookInfo> {
    const info = await this.#api.getWebhookInfo(apiSignal(signal));
    this.#webhookInfo = { at: Date.now(), info };
    const expected = this.#opts.webhook?.url;
    this.#problem =
      expected && info.url !== expected
        ? 'the webhook Telegram has is not this installation’s TELEGRAM_WEBHOOK_URL'
        : undefined;
    if (info.last_error_message || info.pending_update_count > 0 || this.#problem) {
      this.#log.warn(
        {
          pendingUpdates: info.pending_update_count,
          lastError: info.last_error_message,
          lastErrorAt: info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : undefined,
        },
        this.#problem ?? 'telegram webhook: updates waiting or a recent delivery error',
      );
    }
    return info;
  }

  /**
   * For /readyz: in webhook mode Telegram's view of the webhook (updates waiting, its last delivery
   * error; asked again at most once a minute), in polling mode whether this process polls and any
   * conflict.
   */
  async health(): Promise<TelegramHealth> {
    if (!this.usesWebhook) {
      return {
        mode: 'polling',
        polling: this.#holdsLease,
        ...(this.#problem ? { problem: this.#problem } : {}),
      };
    }
    let info = this.#webhookInfo?.info;
    if (!this.#webhookInfo || Date.now() - this.#webhookInfo.at > WEBHOOK_INFO_MAX_AGE_MS) {
      info = await this.#readWebhookInfo(AbortSignal.timeout(2_000)).catch(() => info);
    }
    return {
      mode: 'webhook',
      ...(info
        ? {
            pendingUpdates: info.pending_update_count,
            ...(info.last_error_message ? { lastError: info.last_error_message } : {}),
            ...(info.last_error_date
              ? { lastErrorAt: new Date(info.last_error_date * 1000).toISOString() }
              : {}),
          }
        : {}),
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }

  #refusal(error: GrammyError): string {
    if (error.error_code === 401 || error.error_code === 404) {
      return `Configuration error: TELEGRAM_BOT_TOKEN is invalid: the Bot API at ${this.#opts.apiRoot} refused it (${error.error_code} ${error.description}).`;
    }
    return `Configuration error: Telegram refused the set-up (${error.method}): ${error.error_code} ${error.description}.`;
  }
}

/** grammY types its signals with the `abort-controller` polyfill; Node's own work the same at run time. */
type ApiSignal = NonNullable<Parameters<Api['getMe']>[0]>;
const apiSignal = (signal: AbortSignal): ApiSignal => signal as unknown as ApiSignal;

/** The type of a file Telegram stores, by its path's extension (`photos/file_0.jpg`, `voice/file_1.oga`). */
function mimeOfPath(path: string): string {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  const types: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    webp: 'image/webp',
    oga: 'audio/ogg',
    ogg: 'audio/ogg',
    opus: 'audio/ogg',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
  };
  return types[ext] ?? 'application/octet-stream';
}

/** After the n-th failure in a row: 1 s, 2 s, 4 s … up to 30 s. */
function retryDelay(failures: number): number {
  return backoff(failures - 1, { baseMs: 1000, maxMs: MAX_BACKOFF_MS });
}
