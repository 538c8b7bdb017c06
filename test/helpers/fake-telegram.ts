import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseMultipart } from './multipart.js';

/** A Bot API answer recorded from Telegram's documentation and servers (`test/fixtures/telegram/api`). */
export function telegramApiFixture(name: string): Record<string, unknown> {
  const file = join(import.meta.dirname, '../fixtures/telegram/api', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
const conflict = (name: string) => telegramApiFixture(name).description as string;

/** A token in BotFather's shape, accepted by the env schema. */
export const FAKE_TOKEN = `123456:${'A'.repeat(35)}`;

/** One HTTP call the fake received. */
export interface FakeCall {
  method: string;
  payload: Record<string, unknown>;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The HTTP status the fake answered with. */
  status: number;
  /** Telegram's description of an error answer. */
  description?: string;
}

/** A scripted failure: the next `times` calls of `method` (to `chatId`, if given) fail like this. */
export interface FakeFailure {
  method: string;
  code: number;
  description: string;
  retryAfter?: number;
  times?: number;
  chatId?: number | string;
  /** Answer with an HTML page instead of JSON, as a proxy in front of the Bot API does on 502. */
  html?: boolean;
}

export interface FakeTelegramOptions {
  token?: string;
  /** A fixed port (default: any free one). */
  port?: number;
  /** Telegram's limits, enforced like Telegram does: a 429 with retry_after, and a recorded violation. */
  rate?: { perSecond?: number; perChatIntervalMs?: number };
  /** Slack for timer jitter between the sender's clock and ours (ms). */
  toleranceMs?: number;
}

interface Waiter {
  res: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout;
}

type Json = Record<string, unknown>;

const BOT = {
  id: 123456,
  is_bot: true,
  first_name: 'Straatpraat',
  username: 'straatpraat_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/**
 * A Telegram Bot API server on 127.0.0.1, for tests: what the adapter calls (getMe, getUpdates
 * with long polling, sendMessage, answerCallbackQuery, setWebhook, deleteWebhook), with Telegram's
 * answers and errors. Tests inject updates, script failures (429 with retry_after, 403 blocked,
 * 400 chat not found, 5xx) and read back every call. It stands where `TELEGRAM_API_ROOT` points,
 * exactly as a self-hosted Bot API server would.
 */
export class FakeTelegram {
  readonly token: string;
  readonly calls: FakeCall[] = [];
  /** Limits the sender broke (empty when it kept to them). */
  readonly violations: string[] = [];
  /** The webhook set with setWebhook, if any. */
  webhook: { url: string; secret_token?: string; allowed_updates?: unknown } | undefined;
  /**
   * Telegram's record of failed webhook deliveries, as getWebhookInfo reports it
   * (`last_error_date`, `last_error_message`, `ip_address`).
   */
  webhookErrors: Record<string, unknown> = {};
  /** The highest offset a getUpdates call confirmed. */
  confirmedOffset = 0;
  /** Milliseconds every answer is held back, like a slow network. */
  latencyMs = 0;
  #server: Server | undefined;
  #url = '';
  readonly #files = new Map<string, { bytes: Buffer; path: string }>();
  /** Photos sent, by the file_id Telegram gave them: size in bytes. */
  readonly #photoFiles = new Map<string, number>();
  #updates: Json[] = [];
  #nextUpdateId = 500_000_000;
  #nextMessageId = new Map<string, number>();
  #nextCallbackId = 9_000_000_000_000_000n;
  #waiters = new Set<Waiter>();
  #failures: FakeFailure[] = [];
  #blocked = new Set<string>();
  #unknown = new Set<string>();
  #lastSendByChat = new Map<string, number>();
  #sendTimes: number[] = [];
  readonly #opts: FakeTelegramOptions;

  constructor(opts: FakeTelegramOptions = {}) {
    this.#opts = opts;
    this.token = opts.token ?? FAKE_TOKEN;
  }

  /** The API root to give the adapter (`TELEGRAM_API_ROOT`). */
  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(this.#opts.port ?? 0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const waiter of this.#waiters) this.#finishPoll(waiter, []);
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues an update (update_id added when missing); a waiting long poll gets it at once. */
  inject(update: Json): Json {
    const full = { ...update, update_id: (update.update_id as number | undefined) ?? this.#nextUpdateId++ };
    this.#updates.push(full);
    for (const waiter of [...this.#waiters]) {
      const ready = this.#pending(waiter.offset, waiter.limit);
      if (ready.length > 0) this.#finishPoll(waiter, ready);
    }
    return full;
  }

  /** A private-chat text message from a resident, as Telegram sends it (not injected). */
  textUpdate(chatId: number, text: string, extra: { languageCode?: string } = {}): Json {
    const messageId = this.#messageId(String(chatId));
    const from = {
      id: chatId,
      is_bot: false,
      first_name: 'Bewoner',
      language_code: extra.languageCode ?? 'nl',
    };
    const command = /^\/\S+/.exec(text);
    return {
      update_id: this.#nextUpdateId++,
      message: {
        message_id: messageId,
        from,
        chat: { id: chatId, first_name: 'Bewoner', type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
        ...(command ? { entities: [{ offset: 0, length: command[0].length, type: 'bot_command' }] } : {}),
      },
    };
  }

  /**
   * A photo (in two sizes, largest last) or a voice message from a resident, without a caption, as
   * Telegram sends it (not injected). Its file is what `addFile` registered under `fileId`.
   */
  mediaUpdate(chatId: number, kind: 'photo' | 'voice', fileId: string, fileSize: number): Json {
    const media =
      kind === 'photo'
        ? {
            photo: [
              {
                file_id: `${fileId}-small`,
                file_unique_id: `${fileId}-us`,
                file_size: 1200,
                width: 90,
                height: 60,
              },
              {
                file_id: fileId,
                file_unique_id: `${fileId}-u`,
                file_size: fileSize,
                width: 1280,
                height: 853,
              },
            ],
          }
        : {
            voice: {
              file_id: fileId,
              file_unique_id: `${fileId}-u`,
              duration: 4,
              mime_type: 'audio/ogg',
              file_size: fileSize,
            },
          };
    return {
      update_id: this.#nextUpdateId++,
      message: {
        message_id: this.#messageId(String(chatId)),
        from: { id: chatId, is_bot: false, first_name: 'Bewoner', language_code: 'nl' },
        chat: { id: chatId, first_name: 'Bewoner', type: 'private' },
        date: Math.floor(Date.now() / 1000),
        ...media,
      },
    };
  }

  /** A button press on one of the bot's messages in a private chat (not injected). */
  callbackUpdate(chatId: number, data: string, messageId = 1): Json {
    this.#nextCallbackId += 1n;
    return {
      update_id: this.#nextUpdateId++,
      callback_query: {
        id: String(this.#nextCallbackId),
        from: { id: chatId, is_bot: false, first_name: 'Bewoner', language_code: 'nl' },
        message: {
          message_id: messageId,
          from: BOT,
          chat: { id: chatId, first_name: 'Bewoner', type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: 'vraag',
        },
        chat_instance: String(-chatId),
        data,
      },
    };
  }

  /** Scripts a failure for the next calls of a method. */
  failNext(failure: FakeFailure): void {
    this.#failures.push({ times: 1, ...failure });
  }

  /** The resident blocked the bot: every send to this chat gets 403 from now on. */
  block(chatId: number | string): void {
    this.#blocked.add(String(chatId));
  }

  /** Telegram does not know this chat: sends get 400 "chat not found". */
  forget(chatId: number | string): void {
    this.#unknown.add(String(chatId));
  }

  /** Calls of one method (all, or only those answered 200). */
  callsTo(method: string, onlyOk = false): FakeCall[] {
    return this.calls.filter((c) => c.method === method && (!onlyOk || c.status === 200));
  }

  /** Messages delivered (sendMessage answered 200), optionally to one chat. */
  sent(chatId?: number | string): FakeCall[] {
    return this.callsTo('sendMessage', true).filter(
      (c) => chatId === undefined || String(c.payload.chat_id) === String(chatId),
    );
  }

  /** Updates not yet confirmed by an offset. */
  get pendingUpdates(): number {
    return this.#updates.length;
  }

  /** Whether a long poll is waiting right now. */
  get polling(): boolean {
    return this.#waiters.size > 0;
  }

  /**
   * A file a resident sent, as Telegram stores it: `getFile` finds it by `fileId`, and the file URL
   * (`/file/bot<token>/<path>`) serves its bytes. `path` as Telegram names them (`photos/file_3.jpg`).
   */
  addFile(fileId: string, bytes: Buffer, path: string): void {
    this.#files.set(fileId, { bytes, path });
  }

  /** Photos delivered (sendPhoto answered 200), optionally to one chat. */
  photos(chatId?: number | string): FakeCall[] {
    return this.callsTo('sendPhoto', true).filter(
      (c) => chatId === undefined || String(c.payload.chat_id) === String(chatId),
    );
  }

  /** The bytes of every photo uploaded with sendPhoto (multipart), in order. */
  readonly uploads: { fileName: string; type: string; bytes: Buffer }[] = [];

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (file) return this.#download(res, file[1]!, file[2]!);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    let payload: Json = {};
    try {
      const type = String(req.headers['content-type'] ?? '');
      if (type.startsWith('multipart/form-data')) {
        // Bot API calls with a file upload (sendPhoto with an InputFile) come as multipart.
        payload = this.#multipart(Buffer.concat(chunks), type);
      } else {
        const raw = Buffer.concat(chunks).toString('utf8');
        payload = raw ? (JSON.parse(raw) as Json) : {};
      }
    } catch {
      return this.#reply(res, 'unknown', payload, 400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: invalid JSON',
      });
    }
    const method = match?.[2] ?? 'unknown';
    if (!match)
      return this.#reply(res, method, payload, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) {
      return this.#reply(res, method, payload, 401, {
        ok: false,
        error_code: 401,
        description: 'Unauthorized',
      });
    }
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const failure = this.#takeFailure(method, payload);
    if (failure) {
      if (failure.html) {
        this.calls.push({ method, payload, at: Date.now(), status: failure.code });
        res.writeHead(failure.code, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      }
      return this.#reply(res, method, payload, failure.code, {
        ok: false,
        error_code: failure.code,
        description: failure.description,
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }
    switch (method) {
      case 'getMe':
        return this.#ok(res, method, payload, BOT);
      case 'getUpdates':
        return this.#getUpdates(res, payload);
      case 'setWebhook':
        // A long poll in progress ends with a conflict, as on Telegram.
        for (const waiter of [...this.#waiters]) this.#endPoll(waiter, 'get-updates-conflict-set-webhook');
        this.webhook = {
          url: String(payload.url),
          ...(payload.secret_token !== undefined ? { secret_token: String(payload.secret_token) } : {}),
          allowed_updates: payload.allowed_updates,
        };
        return this.#ok(res, method, payload, true);
      case 'deleteWebhook':
        this.webhook = undefined;
        if (payload.drop_pending_updates) this.#updates = [];
        return this.#ok(res, method, payload, true);
      case 'getWebhookInfo':
        // WebhookInfo as the Bot API documents it; optional fields only when they have a value.
        return this.#ok(res, method, payload, {
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.#updates.length,
          ...(this.webhook ? { ...this.webhookErrors, max_connections: 40 } : {}),
          ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
        });
      case 'answerCallbackQuery':
        return this.#ok(res, method, payload, true);
      case 'sendMessage':
        return this.#sendMessage(res, payload);
      case 'sendPhoto':
        return this.#sendPhoto(res, payload);
      case 'getFile':
        return this.#getFile(res, payload);
      default:
        return this.#reply(res, method, payload, 404, {
          ok: false,
          error_code: 404,
          description: 'Not Found: method not found',
        });
    }
  }

  #getUpdates(res: ServerResponse, payload: Json) {
    if (this.webhook) {
      return this.#reply(res, 'getUpdates', payload, 409, {
        ok: false,
        error_code: 409,
        description: conflict('get-updates-conflict-webhook-active'),
      });
    }
    const offset = typeof payload.offset === 'number' ? payload.offset : 0;
    const limit = typeof payload.limit === 'number' ? payload.limit : 100;
    const timeout = typeof payload.timeout === 'number' ? payload.timeout : 0;
    if (offset > 0) {
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      this.#updates = this.#updates.filter((u) => (u.update_id as number) >= offset);
    }
    // Telegram ends an older long poll when a newer one comes in.
    for (const waiter of [...this.#waiters]) this.#endPoll(waiter, 'get-updates-conflict-poller');
    const ready = this.#pending(offset, limit);
    if (ready.length > 0 || timeout <= 0) return this.#ok(res, 'getUpdates', payload, ready);
    const waiter: Waiter = {
      res,
      offset,
      limit,
      timer: setTimeout(() => this.#finishPoll(waiter, []), timeout * 1000),
    };
    this.#waiters.add(waiter);
    res.once('close', () => {
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
    });
  }

  /** Ends a waiting long poll with one of Telegram's 409 answers. */
  #endPoll(waiter: Waiter, fixture: string): void {
    this.#waiters.delete(waiter);
    clearTimeout(waiter.timer);
    this.#reply(waiter.res, 'getUpdates', { offset: waiter.offset }, 409, {
      ok: false,
      error_code: 409,
      description: conflict(fixture),
    });
  }

  /** Someone else (another program with this token) sets a webhook, as a Bot API call would. */
  async setWebhookElsewhere(url: string): Promise<void> {
    const res = await fetch(`${this.#url}/bot${this.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    });
    await res.arrayBuffer();
  }

  /** Someone else polls with this token once (a second installation), as a Bot API call would. */
  async pollElsewhere(): Promise<number> {
    const res = await fetch(`${this.#url}/bot${this.token}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeout: 0 }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  #pending(offset: number, limit: number): Json[] {
    return this.#updates.filter((u) => (u.update_id as number) >= offset).slice(0, limit);
  }

  #finishPoll(waiter: Waiter, updates: Json[]): void {
    if (!this.#waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    this.#ok(waiter.res, 'getUpdates', { offset: waiter.offset }, updates);
  }

  /** Form fields as strings (JSON-looking ones parsed, as the Bot API does); files kept in `uploads`. */
  #multipart(body: Buffer, type: string): Json {
    const payload: Json = {};
    for (const part of parseMultipart(body, type)) {
      if (part.filename === undefined) {
        const value = part.data.toString('utf8');
        payload[part.name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
      } else {
        this.uploads.push({ fileName: part.filename, type: part.type ?? '', bytes: part.data });
        payload[part.name] = { upload: part.filename, size: part.data.length };
      }
    }
    return payload;
  }

  /**
   * sendPhoto as the Bot API documents it: `photo` is a new upload (multipart, an `attach://` name
   * or the field itself) or the `file_id` of a photo sent before; `caption` at most 1024 characters.
   * The answer is the Message, with the photo in Telegram's sizes (smallest first).
   */
  #sendPhoto(res: ServerResponse, payload: Json) {
    const chat = String(payload.chat_id ?? '');
    const bad = (description: string) =>
      this.#reply(res, 'sendPhoto', payload, 400, { ok: false, error_code: 400, description });
    if (!/^-?\d+$/.test(chat)) return bad('Bad Request: chat not found');
    const caption = typeof payload.caption === 'string' ? payload.caption : undefined;
    if (caption !== undefined && caption.length > 1024)
      return bad('Bad Request: message caption is too long');
    let photo = payload.photo;
    if (typeof photo === 'string' && photo.startsWith('attach://')) photo = payload[photo.slice(9)];
    let fileId: string;
    let size: number;
    if (typeof photo === 'string') {
      const known = this.#photoFiles.get(photo);
      if (!known) return bad('Bad Request: wrong file identifier/HTTP URL specified');
      fileId = photo;
      size = known;
    } else if (photo && typeof photo === 'object' && 'upload' in photo) {
      size = Number((photo as unknown as { size: number }).size);
      if (size === 0) return bad('Bad Request: file must be non-empty');
      fileId = `AgACAgQAAxkDAAI${this.#photoFiles.size + 1}`;
      this.#photoFiles.set(fileId, size);
    } else {
      return bad('Bad Request: there is no photo in the request');
    }
    if (this.#unknown.has(chat)) return bad('Bad Request: chat not found');
    if (this.#blocked.has(chat)) {
      return this.#reply(res, 'sendPhoto', payload, 403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      });
    }
    this.#ok(res, 'sendPhoto', payload, {
      message_id: this.#messageId(chat),
      from: BOT,
      chat: { id: Number(chat), first_name: 'Bewoner', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      photo: [
        {
          file_id: `${fileId}s`,
          file_unique_id: `${fileId}us`,
          file_size: Math.min(size, 1500),
          width: 90,
          height: 60,
        },
        { file_id: fileId, file_unique_id: `${fileId}u`, file_size: size, width: 1280, height: 853 },
      ],
      ...(caption !== undefined ? { caption } : {}),
    });
  }

  /** getFile: the File object (`file_path` for the download); files over 20 MB cannot be downloaded. */
  #getFile(res: ServerResponse, payload: Json) {
    const fileId = String(payload.file_id ?? '');
    const file = this.#files.get(fileId);
    if (!file) {
      return this.#reply(res, 'getFile', payload, 400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: invalid file_id',
      });
    }
    if (file.bytes.length > 20 * 1024 * 1024) {
      return this.#reply(res, 'getFile', payload, 400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: file is too big',
      });
    }
    this.#ok(res, 'getFile', payload, {
      file_id: fileId,
      file_unique_id: `${fileId}-u`,
      file_size: file.bytes.length,
      file_path: file.path,
    });
  }

  /** `https://api.telegram.org/file/bot<token>/<file_path>`: the file's bytes. */
  #download(res: ServerResponse, token: string, path: string) {
    const file = [...this.#files.values()].find((f) => f.path === path);
    this.calls.push({
      method: 'file',
      payload: { path },
      at: Date.now(),
      status: file && token === this.token ? 200 : 404,
    });
    if (!file || token !== this.token) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  #sendMessage(res: ServerResponse, payload: Json) {
    const chat = String(payload.chat_id ?? '');
    const text = typeof payload.text === 'string' ? payload.text : '';
    const bad = (description: string) =>
      this.#reply(res, 'sendMessage', payload, 400, { ok: false, error_code: 400, description });
    if (!/^-?\d+$/.test(chat)) return bad('Bad Request: chat not found');
    if (text.trim() === '') return bad('Bad Request: message text is empty');
    if (text.length > 4096) return bad('Bad Request: message is too long');
    const keyboard = (
      payload.reply_markup as { inline_keyboard?: { text?: string; callback_data?: string }[][] }
    )?.inline_keyboard;
    for (const button of keyboard?.flat() ?? []) {
      if (!button.text) return bad('Bad Request: text buttons are unallowed in the inline keyboard');
      const data = button.callback_data ?? '';
      if (Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)
        return bad('Bad Request: BUTTON_DATA_INVALID');
    }
    if (this.#unknown.has(chat)) return bad('Bad Request: chat not found');
    if (this.#blocked.has(chat)) {
      return this.#reply(res, 'sendMessage', payload, 403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      });
    }
    const limited = this.#rateCheck(chat);
    if (limited) {
      this.violations.push(limited);
      return this.#reply(res, 'sendMessage', payload, 429, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      });
    }
    const messageId = this.#messageId(chat);
    this.#ok(res, 'sendMessage', payload, {
      message_id: messageId,
      from: BOT,
      chat: { id: Number(chat), first_name: 'Bewoner', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
    });
  }

  /** Telegram's flood control, as a description of the limit broken (undefined when within it). */
  #rateCheck(chat: string): string | undefined {
    const now = Date.now();
    const tolerance = this.#opts.toleranceMs ?? 30;
    const { perSecond, perChatIntervalMs } = this.#opts.rate ?? {};
    const last = this.#lastSendByChat.get(chat);
    if (perChatIntervalMs && last !== undefined && now - last < perChatIntervalMs - tolerance) {
      return `chat ${chat}: ${now - last} ms after the previous message`;
    }
    if (perSecond) {
      this.#sendTimes = this.#sendTimes.filter((t) => now - t < 1000 - tolerance);
      if (this.#sendTimes.length >= perSecond)
        return `${this.#sendTimes.length + 1} messages within a second`;
      this.#sendTimes.push(now);
    }
    this.#lastSendByChat.set(chat, now);
    return undefined;
  }

  #takeFailure(method: string, payload: Json): FakeFailure | undefined {
    const index = this.#failures.findIndex(
      (f) => f.method === method && (f.chatId === undefined || String(f.chatId) === String(payload.chat_id)),
    );
    if (index < 0) return undefined;
    const failure = this.#failures[index]!;
    failure.times = (failure.times ?? 1) - 1;
    if (failure.times <= 0) this.#failures.splice(index, 1);
    return failure;
  }

  #messageId(chat: string): number {
    const next = (this.#nextMessageId.get(chat) ?? 100) + 1;
    this.#nextMessageId.set(chat, next);
    return next;
  }

  #ok(res: ServerResponse, method: string, payload: Json, result: unknown): void {
    this.#reply(res, method, payload, 200, { ok: true, result });
  }

  #reply(res: ServerResponse, method: string, payload: Json, status: number, body: Json): void {
    const description = typeof body.description === 'string' ? body.description : undefined;
    this.calls.push({ method, payload, at: Date.now(), status, ...(description ? { description } : {}) });
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** Posts an update to a webhook route the way Telegram does; resolves with the HTTP status. */
export async function postUpdate(url: string, update: unknown, secret?: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: JSON.stringify(update),
  });
  await response.arrayBuffer();
  return response.status;
}
