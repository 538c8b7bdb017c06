import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { sleep } from '../../src/domain/backoff.js';
import type { InboundMessage, OutboundMessage } from '../../src/domain/messages.js';
import type { Logger } from '../../src/log.js';
import {
  BASE_CAPABILITIES,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ColumnSealer,
  type FetchedMedia,
  type FetchMediaOptions,
  type InboundSink,
  type SendContext,
  type SendGate,
  type SendResult,
} from '../channel.js';
import { MediaGoneError, MediaTooLargeError, PermanentSendError, RetryableSendError } from '../errors.js';
import { RedisLease } from '../lease.js';
import type { ConnectionStatus, HaltReason, WhatsAppConnection } from './connection.js';
import { forgetAddress } from './forget.js';
import { isSendableAddress } from './jid.js';
import { type WhatsAppMediaRef, WhatsAppMediaRefSchema } from './media-ref.js';
import { type PairingStatus, pairingStatusKey, printQr } from './pairing.js';
import { MAX_TEXT_LENGTH } from './render.js';
import { DISCONNECTED_PAUSE_MS } from './send-errors.js';
import { type SocketFactory, socketFactoryForTests } from './socket.js';
import type { WhatsAppTables } from './tables.js';
import type { WebVersion } from './version.js';

/** Settings of the WhatsApp adapter (from the environment in `src/channels.ts`). */
export interface WhatsAppAdapterOptions {
  db: Kysely<WhatsAppTables>;
  /** Seals the stored device credentials with the data key (the app's `Sealer`). */
  sealer: ColumnSealer;
  /** For the lease and the pairing status. */
  redis: Redis;
  /** Key prefix in Redis (the queue prefix). */
  prefix: string;
  log: Logger;
  /** How long the connection lease lasts without renewal (ms); renewed every third of it. */
  leaseMs: number;
  /** Pair with a code for this number instead of a QR code. */
  pairingNumber?: string | undefined;
  /** Builds the socket; Baileys' `makeWASocket` unless given (or set by `useSocketFactoryForTests`). */
  makeSocket?: SocketFactory;
  /** Where the QR code is drawn for the operator; null draws nothing. Default: stderr. */
  terminal?: NodeJS.WritableStream | null;
  /** Reconnect backoff: doubles from `baseMs` up to `maxMs`; `outdatedMs` after a 405. */
  reconnect?: { baseMs: number; maxMs: number; outdatedMs?: number };
  /** A fixed WhatsApp Web version (WHATSAPP_WEB_VERSION) instead of looking the current one up. */
  webVersion?: WebVersion | undefined;
  /** Looks up the current WhatsApp Web version (default: web.whatsapp.com, for Baileys' own socket). */
  fetchWebVersion?: () => Promise<WebVersion | undefined>;
  /** How long one send may take before it is retried (ms, default 30 s). */
  sendTimeoutMs?: number;
  /** Counts the messages WhatsApp refused after they left, per code (for /metrics). */
  onRefusal?: (code: string) => void;
}

const DEFAULT_RECONNECT = { baseMs: 1_000, maxMs: 60_000 };
/** The logged-out notice stays on the admin page this long (ms). */
const LOGGED_OUT_NOTICE_MS = 24 * 3600 * 1000;

/** The Redis key that stops every process from connecting after a halt (see `HaltReason`). */
export function haltKey(prefix: string): string {
  return `${prefix}:whatsapp:halt`;
}

/** Opens while this process may send: it holds the lease and the connection is open. */
class Gate implements SendGate {
  #open = false;
  readonly #listeners = new Set<(open: boolean) => void>();

  get open(): boolean {
    return this.#open;
  }

  set(open: boolean): void {
    if (open === this.#open) return;
    this.#open = open;
    for (const listener of this.#listeners) listener(open);
  }

  onChange(listener: (open: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * The WhatsApp channel on Baileys (a linked device of the municipality's number). Exactly one
 * process holds the connection: a lease in Redis, renewed every third of its time while held; the
 * other processes stand by and try to take it over, which succeeds at once when the holder stops
 * and within the lease time when it dies. `sendGate` is open only in the holder while connected,
 * so the outbound worker runs where the connection is.
 *
 * Baileys itself (about a second to load) is imported only when the adapter starts holding the
 * connection, so a process without WhatsApp, or a standby, never loads it.
 */
export class WhatsAppAdapter implements ChannelAdapter {
  readonly name = 'whatsapp' as const;
  readonly capabilities: ChannelCapabilities = {
    ...BASE_CAPABILITIES,
    nativePolls: true,
    // Buttons and lists no longer reach WhatsApp users from a linked device.
    buttons: false,
    maxButtons: 0,
    maxTextLength: MAX_TEXT_LENGTH,
  };
  /** Open while this process holds the connection and it is up. */
  readonly sendGate: SendGate;
  readonly #gate = new Gate();
  readonly #opts: WhatsAppAdapterOptions;
  readonly #log: Logger;
  readonly #holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  #sink: InboundSink | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #connection: WhatsAppConnection | undefined;
  #endHold: ((why: HoldEnd) => void) | undefined;
  /** Aborted by stop(): wakes a standby wait at once. */
  #stopping: AbortController | undefined;
  #state: ConnectionStatus['state'] | 'standby' | 'halted' | 'stopped' = 'stopped';

  constructor(opts: WhatsAppAdapterOptions) {
    this.#opts = opts;
    this.#log = opts.log.child({ channel: 'whatsapp' });
    this.sendGate = this.#gate;
  }

  /**
   * Where this process is: standing by, holding the connection in some state, halted (another
   * process stopped WhatsApp for all: replaced or refused), or stopped.
   */
  get state(): ConnectionStatus['state'] | 'standby' | 'halted' | 'stopped' {
    return this.#state;
  }

  /** Whether this process holds the connection lease now. */
  get holdsConnection(): boolean {
    return this.#connection !== undefined;
  }

  /**
   * Starts standing by for the connection. A start clears an earlier halt: restarting Straatpraat
   * is how an operator says the cause (another client, a locked number) has been dealt with.
   */
  async start(sink: InboundSink): Promise<void> {
    if (this.#running) return;
    this.#sink = sink;
    this.#running = true;
    this.#stopping = new AbortController();
    this.#state = 'standby';
    await this.#opts.redis.del(haltKey(this.#opts.prefix)).catch(() => {});
    // Not awaited: a standby may wait for hours; start() only has to set it going.
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping?.abort();
    this.#endHold?.('stopped');
    await this.#loop;
    this.#state = 'stopped';
  }

  async send(address: string, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    if (!isSendableAddress(address))
      throw new PermanentSendError('invalid_address', 'not a WhatsApp person id');
    const connection = this.#connection;
    if (!connection)
      throw new RetryableSendError(
        'this process does not hold the WhatsApp connection',
        DISCONNECTED_PAUSE_MS,
      );
    return connection.send(address, message, context);
  }

  /**
   * A photo or voice message a resident sent: the encrypted file from WhatsApp's media servers,
   * decrypted with the key its message carried (Baileys' `downloadContentFromMessage`, which
   * `downloadMediaMessage` uses). Needs no connection, so any worker process can fetch.
   */
  async fetchMedia(ref: string, options: FetchMediaOptions): Promise<FetchedMedia> {
    let parsed: WhatsAppMediaRef;
    try {
      parsed = WhatsAppMediaRefSchema.parse(JSON.parse(ref));
    } catch {
      throw new MediaGoneError('not a whatsapp media reference');
    }
    const { downloadContentFromMessage } = await import('@whiskeysockets/baileys');
    let stream: AsyncIterable<Buffer>;
    try {
      stream = await downloadContentFromMessage(
        {
          mediaKey: Buffer.from(parsed.mediaKey, 'base64'),
          directPath: parsed.directPath ?? null,
          url: parsed.url ?? null,
        },
        parsed.type,
        { ...(options.signal && { options: { signal: options.signal } }) },
      );
    } catch (error) {
      // WhatsApp keeps media for a while only; 404 and 410 mean it is gone.
      if (/\b(404|410)\b/.test((error as Error).message)) throw new MediaGoneError('whatsapp media: gone');
      throw error;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > options.maxBytes) throw new MediaTooLargeError(options.maxBytes);
      chunks.push(chunk);
    }
    const fallback = parsed.type === 'image' ? 'image/jpeg' : 'audio/ogg';
    return { bytes: Buffer.concat(chunks), mimeType: parsed.mimetype?.split(';')[0]?.trim() || fallback };
  }

  async forget(address: string): Promise<void> {
    // The connection also drops the keys from its memory; without one, the database is all there is.
    if (this.#connection) await this.#connection.forget(address);
    else await forgetAddress(this.#opts.db, address);
  }

  async #run(): Promise<void> {
    const lease = new RedisLease(
      this.#opts.redis,
      `${this.#opts.prefix}:whatsapp:lease`,
      this.#holder,
      this.#opts.leaseMs,
    );
    const standbyMs = Math.max(100, Math.floor(this.#opts.leaseMs / 3));
    while (this.#running) {
      let held = false;
      try {
        // Halted by a process that was replaced or refused: nobody connects until a restart.
        if (await this.#opts.redis.exists(haltKey(this.#opts.prefix))) {
          this.#state = 'halted';
          await this.#sleep(standbyMs);
          continue;
        }
        if (this.#state === 'halted') this.#state = 'standby';
        held = await lease.acquire();
      } catch (error) {
        this.#log.warn({ reason: (error as Error).message }, 'WhatsApp lease: Redis unavailable');
      }
      if (held && this.#running) {
        const why = await this.#hold(lease);
        if (why === 'logged_out' || why === 'halted') this.#running = false;
        if (why === 'failed' || why === 'lost') await this.#sleep(standbyMs);
      } else {
        if (held) await lease.release().catch(() => {});
        await this.#sleep(standbyMs);
      }
    }
  }

  /** Holds the connection until the lease is lost, the adapter stops, or WhatsApp logs us out. */
  async #hold(lease: RedisLease): Promise<HoldEnd> {
    const ended = new Promise<HoldEnd>((resolve) => {
      this.#endHold = resolve;
    });
    const end = this.#endHold!;
    const ttl = this.#opts.leaseMs;
    let renewedAt = Date.now();
    const renewal = setInterval(
      () => {
        // Unrenewed for most of its time (Redis away or slow): the lease may expire and a standby
        // take over, so let go of the connection before that can happen.
        if (Date.now() - renewedAt > ttl * 0.8) return end('lost');
        lease
          .renew()
          .then((ok) => {
            if (!ok) return end('lost');
            renewedAt = Date.now();
            this.#opts.redis.pexpire(pairingStatusKey(this.#opts.prefix), ttl * 2).catch(() => {});
          })
          .catch(() => {});
      },
      Math.max(50, Math.floor(ttl / 3)),
    );

    let connection: WhatsAppConnection | undefined;
    try {
      const { WhatsAppConnection } = await import('./connection.js');
      connection = new WhatsAppConnection({
        db: this.#opts.db,
        sealer: this.#opts.sealer,
        log: this.#log,
        makeSocket: this.#opts.makeSocket ?? socketFactoryForTests(),
        pairingNumber: this.#opts.pairingNumber,
        reconnect: this.#opts.reconnect ?? DEFAULT_RECONNECT,
        redis: this.#opts.redis,
        prefix: this.#opts.prefix,
        webVersion: this.#opts.webVersion,
        fetchWebVersion: this.#opts.fetchWebVersion,
        sendTimeoutMs: this.#opts.sendTimeoutMs,
        deliver: (message: InboundMessage) => this.#sink!(message),
        onStatus: (status) => this.#onStatus(status),
        onLoggedOut: () => end('logged_out'),
        onHalted: (reason, code) => void this.#halt(reason, code).finally(() => end('halted')),
        ...(this.#opts.onRefusal ? { onRefusal: this.#opts.onRefusal } : {}),
      });
      this.#connection = connection;
      this.#log.info('holding the WhatsApp connection');
      await connection.start();
    } catch (error) {
      this.#log.error({ reason: (error as Error).message }, 'WhatsApp connection could not start');
      end('failed');
    }

    const why = await ended;
    clearInterval(renewal);
    this.#endHold = undefined;
    this.#connection = undefined;
    this.#gate.set(false);
    await connection?.stop().catch(() => {});
    // After losing the lease the status key is the new holder's; after a logout it is the notice.
    if (why === 'stopped' || why === 'failed') {
      await this.#opts.redis.del(pairingStatusKey(this.#opts.prefix)).catch(() => {});
    }
    if (why !== 'lost') await lease.release().catch(() => {});
    if (why === 'lost') this.#log.warn('lost the WhatsApp connection lease; standing by');
    this.#state = why === 'halted' ? 'halted' : this.#running && why !== 'logged_out' ? 'standby' : 'stopped';
    return why;
  }

  /** Stops every process from connecting (until one restarts), and tells the admin page why. */
  async #halt(reason: HaltReason, code: number): Promise<void> {
    const value = JSON.stringify({ reason, code, since: new Date().toISOString() });
    await this.#opts.redis.set(haltKey(this.#opts.prefix), value).catch(() => {});
  }

  #onStatus(status: ConnectionStatus): void {
    if (!this.#connection) return;
    if (status.state === 'qr' && this.#state !== 'qr') {
      // Once per pairing attempt, not on every QR refresh (about every 20 seconds).
      this.#log.warn('WhatsApp is not linked: scan the QR code in this terminal or at /admin/whatsapp');
    }
    this.#state = status.state;
    this.#gate.set(status.state === 'open');
    if (status.state === 'closed') return;
    const published: PairingStatus = { state: status.state, since: new Date().toISOString() };
    if (status.state === 'qr') {
      published.qr = status.qr;
      const out = this.#opts.terminal === undefined ? process.stderr : this.#opts.terminal;
      if (out) printQr(out, status.qr).catch(() => {});
    }
    if (status.state === 'pairing_code') {
      published.code = status.code;
      this.#log.warn(
        { pairingCode: status.code },
        'WhatsApp pairing code: on the phone open Settings → Linked devices → Link a device → Link with phone number instead, and type it',
      );
    }
    const notice = ['logged_out', 'replaced', 'refused'].includes(status.state);
    const ttl = notice ? LOGGED_OUT_NOTICE_MS : this.#opts.leaseMs * 2;
    this.#opts.redis
      .set(pairingStatusKey(this.#opts.prefix), JSON.stringify(published), 'PX', ttl)
      .catch(() => {});
  }

  async #sleep(ms: number): Promise<void> {
    if (!this.#running) return;
    await sleep(ms, this.#stopping?.signal);
  }
}

/** Why holding the connection ended. */
type HoldEnd = 'lost' | 'stopped' | 'logged_out' | 'halted' | 'failed';
