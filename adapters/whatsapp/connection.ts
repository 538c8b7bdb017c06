import { createHash, randomBytes } from 'node:crypto';
import {
  type AnyMessageContent,
  type BaileysEventMap,
  type ConnectionState,
  DEFAULT_CONNECTION_CONFIG,
  DisconnectReason,
  generateMessageIDV2,
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type SignalDataSet,
  type SignalKeyStore,
  WAMessageStatus,
} from '@whiskeysockets/baileys';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { backoff, sleep } from '../../src/domain/backoff.js';
import {
  type InboundMessage,
  InboundMessageSchema,
  type OutboundMessage,
} from '../../src/domain/messages.js';
import type { Logger } from '../../src/log.js';
import type { ColumnSealer, OutboundImage, SendContext, SendResult } from '../channel.js';
import { PermanentSendError, RetryableSendError } from '../errors.js';
import { fitsCaption } from '../media.js';
import { fitText } from '../render.js';
import { PgAuthStore, type StoredAuthState } from './auth-store.js';
import { type SenderIds, WhatsAppContacts } from './contacts.js';
import { forgetAddress } from './forget.js';
import { isPhoneJid, isSendableAddress, personJid } from './jid.js';
import { normaliseMessage, type WhatsAppOutcome } from './normalise.js';
import { decryptVote, PollStore } from './polls.js';
import { MAX_TEXT_LENGTH, renderAsk } from './render.js';
import { redisRetryCounter } from './retry-cache.js';
import { DISCONNECTED_PAUSE_MS, toSendError } from './send-errors.js';
import { SentStore } from './sent-store.js';
import { baileysLogger, type SocketFactory, type WhatsAppSocket } from './socket.js';
import type { WhatsAppTables } from './tables.js';
import { fetchCurrentWebVersion, newerVersion, type WebVersion } from './version.js';

/** Where the connection is, for the operator (terminal, admin page) and the send gate. */
export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'qr'; qr: string }
  | { state: 'pairing_code'; code: string }
  | { state: 'open' }
  | { state: 'reconnecting'; inMs: number; reason: number | undefined }
  /** WhatsApp refused our WhatsApp Web version (405); tried again slowly with a newer one. */
  | { state: 'outdated'; inMs: number }
  | { state: 'logged_out' }
  /** Stopped for good: another client took the connection over (440) or WhatsApp refused the number. */
  | { state: HaltReason; code: number }
  | { state: 'closed' };

/** Why the connection stopped and must not be retried until an operator looked: see `haltReason`. */
export type HaltReason = 'replaced' | 'refused';

/** What a connection needs: storage, how to build sockets, and where its news goes. */
export interface ConnectionOptions {
  db: Kysely<WhatsAppTables>;
  /** Seals the stored device credentials with the data key. */
  sealer: ColumnSealer;
  log: Logger;
  makeSocket?: SocketFactory | undefined;
  /** Pair with a code for this number (digits, with country code) instead of a QR code. */
  pairingNumber?: string | undefined;
  /**
   * Reconnect backoff, doubling from `baseMs` up to `maxMs`; after WhatsApp refused our version
   * (405) the next try waits `outdatedMs` (default 10 minutes).
   */
  reconnect: { baseMs: number; maxMs: number; outdatedMs?: number | undefined };
  /** For the retry counter Baileys keeps per sent message, shared by all processes. */
  redis: Redis;
  /** Key prefix in Redis (the queue prefix). */
  prefix: string;
  /** A fixed WhatsApp Web version (WHATSAPP_WEB_VERSION) instead of looking the current one up. */
  webVersion?: WebVersion | undefined;
  /**
   * Looks up the current WhatsApp Web version. Default: read from web.whatsapp.com when the socket
   * is Baileys' own; a socket made by `makeSocket` gets no version unless this is given.
   */
  fetchWebVersion?: (() => Promise<WebVersion | undefined>) | undefined;
  /** How long one send may take before it counts as failed and is retried (ms, default 30 s). */
  sendTimeoutMs?: number | undefined;
  /** Hands an inbound message on; resolves once it is safely queued. */
  deliver(message: InboundMessage): Promise<void>;
  onStatus(status: ConnectionStatus): void;
  /** WhatsApp unlinked the device; the auth state is cleared already. */
  onLoggedOut(): void;
  /** The connection stopped for a reason retrying cannot cure (see `HaltReason`). */
  onHalted(reason: HaltReason, code: number): void;
  /** WhatsApp refused a sent message afterwards, with this code (463, 479, ...). */
  onRefusal?(code: string): void;
}

/** One send that hangs (a half-dead socket) must not hold the queue; it is retried instead. */
const SEND_TIMEOUT_MS = 30_000;
/** After a 405 (our WhatsApp Web version too old), wait this long before trying a newer one. */
const OUTDATED_RETRY_MS = 10 * 60_000;
/** Numbers checked to be on WhatsApp, kept so each is asked about once per process. */
const VERIFIED_CACHE_SIZE = 20_000;
/** How often and how long a message is offered to the queue before it is given up (Redis away). */
const DELIVERY_ATTEMPTS = 6;
const DELIVERY_BACKOFF_MS = 500;

/**
 * Close codes after which WhatsApp will not let us back in by retrying: another client with our
 * credentials took over (440; two clients would kick each other out forever), or WhatsApp locked
 * or banned the number (402 and 403 temporary or locked, 406 banned, 419 refused). Retrying the
 * latter looks like hammering to WhatsApp and makes things worse.
 */
export function haltReason(code: number | undefined): HaltReason | undefined {
  if (code === DisconnectReason.connectionReplaced) return 'replaced';
  if (code === 402 || code === DisconnectReason.forbidden || code === 406 || code === 419) return 'refused';
  return undefined;
}

/** The WhatsApp message id for an outbound row: the same on every retry, so a phone shows it once. */
export function messageIdFor(outboundId: string): string {
  const hash = createHash('sha256').update(`straatpraat-outbound\u0000${outboundId}`).digest('hex');
  // Baileys' own ids look the same: 3EB0 and 18 upper-case hex digits.
  return `3EB0${hash.toUpperCase().slice(0, 18)}`;
}

/**
 * One process's link to WhatsApp through Baileys: the socket with its auth state in PostgreSQL,
 * pairing (QR code or pairing code), reconnecting with capped exponential backoff, inbound
 * messages and votes, and sending. A close WhatsApp means for good (logged out, replaced by
 * another client, refused) ends it instead. It knows nothing of the lease; the adapter starts it
 * only while this process holds it.
 */
export class WhatsAppConnection {
  readonly #opts: ConnectionOptions;
  readonly #log: Logger;
  readonly #auth: PgAuthStore;
  readonly #contacts: WhatsAppContacts;
  readonly #polls: PollStore;
  readonly #sent: SentStore;
  readonly #verified = new Set<string>();
  #stored: StoredAuthState | undefined;
  /** The socket's key store: the stored keys behind an in-memory cache. */
  #keys: SignalKeyStore | undefined;
  #sock: WhatsAppSocket | undefined;
  #open = false;
  #stopped = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The WhatsApp Web version to log in with; looked up again after a 405. */
  #version: WebVersion | undefined;
  #versionKnown = false;
  /** Inbound batches are handled one after the other, so a resident's messages keep their order. */
  #inbound: Promise<void> = Promise.resolve();
  #credsSaving: Promise<void> = Promise.resolve();

  constructor(opts: ConnectionOptions) {
    this.#opts = opts;
    this.#log = opts.log;
    this.#auth = new PgAuthStore(opts.db, opts.sealer);
    this.#contacts = new WhatsAppContacts(opts.db, opts.log);
    this.#polls = new PollStore(opts.db);
    this.#sent = new SentStore(opts.db, opts.sealer);
  }

  async start(): Promise<void> {
    this.#stored = await this.#auth.load();
    this.#polls
      .purge()
      .catch((error: Error) => this.#log.warn({ reason: error.message }, 'poll purge failed'));
    this.#connect();
  }

  /** Closes the socket and waits for inbound messages being handed on. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#open = false;
    const sock = this.#sock;
    this.#sock = undefined;
    if (sock) await sock.end(undefined).catch(() => {});
    await this.#inbound;
    await this.#credsSaving;
    this.#opts.onStatus({ state: 'closed' });
  }

  #connect(): void {
    this.#connectNow().catch((error: Error) => {
      if (this.#stopped) return;
      const delay = this.#backoff();
      this.#log.error({ reason: error.message, inMs: delay }, 'WhatsApp connection could not start');
      this.#opts.onStatus({ state: 'reconnecting', inMs: delay, reason: undefined });
      this.#timer = setTimeout(() => this.#connect(), delay);
    });
  }

  async #connectNow(): Promise<void> {
    if (this.#stopped || !this.#stored) return;
    if (this.#stored.state.creds.me && !this.#stored.state.creds.account) {
      // A pairing code asked for and never typed: Baileys stored our number as if we were linked,
      // and logging in with that would get "logged out" (401). Start over with a new code instead.
      this.#log.warn('WhatsApp pairing was not finished; starting a new pairing');
      await this.#credsSaving;
      await this.#auth.clear();
      this.#stored = await this.#auth.load();
    }
    if (!this.#versionKnown) {
      this.#version = await this.#webVersion();
      this.#versionKnown = true;
    }
    if (this.#stopped) return;
    const { state } = this.#stored;
    const logger = baileysLogger(this.#log);
    const make = this.#opts.makeSocket ?? (makeWASocket as unknown as SocketFactory);
    this.#opts.onStatus({ state: 'connecting' });
    const keys = makeCacheableSignalKeyStore(state.keys, logger);
    this.#keys = keys;
    const sock = make({
      auth: { creds: state.creds, keys },
      logger,
      ...(this.#version ? { version: this.#version } : {}),
      // The phone keeps its notifications, and we look less like an always-on client.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // A phone that could not decrypt a message asks for it again: answered from PostgreSQL, with
      // the count of such requests shared in Redis, so neither is lost on a restart or failover.
      getMessage: async (key) => (key.id ? this.#sent.find(key.id) : undefined),
      msgRetryCounterCache: redisRetryCounter(this.#opts.redis, this.#opts.prefix),
    });
    this.#sock = sock;
    let pairingRequested = false;
    sock.ev.process(async (events) => {
      if (events['creds.update']) this.#saveCreds();
      if (events['connection.update']) {
        const update = events['connection.update'];
        if (update.qr && !pairingRequested && sock === this.#sock) {
          if (this.#opts.pairingNumber) {
            pairingRequested = true;
            this.#requestPairingCode(sock);
          } else {
            this.#opts.onStatus({ state: 'qr', qr: update.qr });
          }
        }
        this.#onConnectionUpdate(sock, update);
      }
      if (events['lid-mapping.update']) this.#learn(events['lid-mapping.update']);
      if (events['messages.upsert']) this.#enqueue(events['messages.upsert']);
      if (events['messages.update']) this.#refusals(events['messages.update']);
    });
  }

  /** The version to log in with: WHATSAPP_WEB_VERSION, else the newer of WhatsApp's current and Baileys' own. */
  async #webVersion(): Promise<WebVersion | undefined> {
    if (this.#opts.webVersion) return this.#opts.webVersion;
    const fetch =
      this.#opts.fetchWebVersion ??
      (this.#opts.makeSocket ? undefined : () => fetchCurrentWebVersion(this.#log));
    if (!fetch) return undefined;
    const bundled = DEFAULT_CONNECTION_CONFIG.version as WebVersion;
    const current = await fetch().catch(() => undefined);
    return current ? newerVersion(current, bundled) : bundled;
  }

  #onConnectionUpdate(sock: WhatsAppSocket, update: Partial<ConnectionState>): void {
    if (update.reachoutTimeLock?.isActive) {
      // WhatsApp stopped this number from starting chats for a while: a warning of a ban.
      this.#log.error(
        { until: update.reachoutTimeLock.timeEnforcementEnds?.toISOString() },
        'WhatsApp restricts this number from reaching out (reach-out time-lock): slow down bulk sending',
      );
    }
    if (update.connection === 'open') {
      this.#attempt = 0;
      this.#open = true;
      this.#opts.onStatus({ state: 'open' });
      this.#log.info('WhatsApp connected');
      return;
    }
    if (update.connection !== 'close') return;
    this.#open = false;
    if (sock !== this.#sock || this.#stopped) return;
    this.#sock = undefined;
    const reason = statusCode(update.lastDisconnect?.error);
    // Paired means WhatsApp accepted the device (`account`); `registered` is set only by pairing
    // with a code, so a device paired by QR code would otherwise never count as paired.
    const paired = this.#stored?.state.creds.account != null;
    if (reason === DisconnectReason.loggedOut && paired) {
      void this.#loggedOut();
      return;
    }
    const halt = haltReason(reason);
    if (halt) {
      void this.#halted(halt, reason!);
      return;
    }
    if (reason === 405) {
      // Our WhatsApp Web version is too old for WhatsApp: look up the current one, slowly.
      this.#versionKnown = false;
      const delay = this.#opts.reconnect.outdatedMs ?? OUTDATED_RETRY_MS;
      this.#log.error(
        { reason, inMs: delay, version: this.#version?.join('.') },
        'WhatsApp refused our WhatsApp Web version (405); trying a newer one later. Update Baileys or set WHATSAPP_WEB_VERSION',
      );
      this.#opts.onStatus({ state: 'outdated', inMs: delay });
      this.#timer = setTimeout(() => this.#connect(), delay);
      return;
    }
    // After pairing WhatsApp closes the socket once on purpose: come back at once. While waiting to
    // be paired the QR codes run out about every minute: show new ones without growing waits (a 401
    // then means an unfinished pairing, started over on the next connect).
    const restart = reason === DisconnectReason.restartRequired;
    const delay = restart ? 0 : paired ? this.#backoff() : this.#opts.reconnect.baseMs;
    this.#log[restart ? 'info' : 'warn']({ reason, inMs: delay }, 'WhatsApp connection closed; reconnecting');
    this.#opts.onStatus({ state: 'reconnecting', inMs: delay, reason });
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  async #halted(reason: HaltReason, code: number): Promise<void> {
    this.#stopped = true;
    await this.#credsSaving;
    this.#log.error(
      { code },
      reason === 'replaced'
        ? 'WhatsApp connection replaced (440): another client uses this linked device. Straatpraat stops using WhatsApp so the two do not push each other out; find the other client (a second installation, a copied database), stop it, then restart Straatpraat.'
        : `WhatsApp refused this number (${code}): it may be locked or banned. Straatpraat stops using WhatsApp; check the phone of the bot's number, then restart Straatpraat.`,
    );
    this.#opts.onStatus({ state: reason, code });
    this.#opts.onHalted(reason, code);
  }

  #backoff(): number {
    const { baseMs, maxMs } = this.#opts.reconnect;
    // Half fixed, half random: several installations behind one address do not knock in step.
    return backoff(this.#attempt++, { baseMs, maxMs, jitter: 0.5 });
  }

  async #loggedOut(): Promise<void> {
    this.#stopped = true;
    await this.#credsSaving;
    try {
      await this.#auth.clear();
    } catch (error) {
      this.#log.error({ reason: (error as Error).message }, 'could not clear the WhatsApp auth state');
    }
    this.#log.error(
      'WhatsApp logged out: the linked device was removed on the phone and its auth state is cleared. ' +
        'To pair again, restart Straatpraat and scan the QR code in its terminal or at /admin/whatsapp ' +
        '(or set WHATSAPP_PAIRING_NUMBER for a pairing code).',
    );
    this.#opts.onStatus({ state: 'logged_out' });
    this.#opts.onLoggedOut();
  }

  #requestPairingCode(sock: WhatsAppSocket): void {
    const number = this.#opts.pairingNumber!;
    sock
      .requestPairingCode(number)
      .then((code) => {
        if (sock === this.#sock) this.#opts.onStatus({ state: 'pairing_code', code });
      })
      .catch((error: Error) =>
        this.#log.error(
          { reason: error.message },
          'WhatsApp did not give a pairing code; check WHATSAPP_PAIRING_NUMBER',
        ),
      );
  }

  #saveCreds(): void {
    const stored = this.#stored;
    if (!stored) return;
    // Chained: two quick updates must reach the database in the order they happened.
    this.#credsSaving = this.#credsSaving
      .then(() => stored.saveCreds())
      .catch((error: Error) =>
        this.#log.error({ reason: error.message }, 'could not save WhatsApp credentials'),
      );
  }

  #learn(mapping: BaileysEventMap['lid-mapping.update']): void {
    const pn = personJid(mapping.pn);
    const lid = personJid(mapping.lid);
    if (!pn || !lid) return;
    this.#inbound = this.#inbound
      .then(() => this.#contacts.learn({ pn, lid }))
      .catch((error: Error) => this.#log.warn({ reason: error.message }, 'could not store a LID mapping'));
  }

  /**
   * New messages (`notify`) and those that waited on WhatsApp's server while we were offline
   * (`append`, however long that was) alike: each is a resident's real message.
   */
  #enqueue(upsert: BaileysEventMap['messages.upsert']): void {
    const messages = upsert.messages;
    this.#inbound = this.#inbound.then(async () => {
      for (const raw of messages) await this.#receive(raw);
    });
  }

  /**
   * WhatsApp refuses some messages after they left (a `messages.update` with status ERROR): 463
   * (reach-out time-lock: the number may not start chats), 479 and others. Each is recorded on its
   * outbound row and counted; they warn of a coming ban.
   */
  #refusals(updates: BaileysEventMap['messages.update']): void {
    for (const { key, update } of updates) {
      if (!key.fromMe || !key.id || update.status !== WAMessageStatus.ERROR) continue;
      const raw = update.messageStubParameters?.[0];
      const code = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? raw : 'unknown';
      const id = key.id;
      this.#log.error(
        { code },
        'WhatsApp refused a sent message; many of these come before a ban: slow down bulk sending',
      );
      this.#opts.onRefusal?.(code);
      this.#inbound = this.#inbound
        .then(async () => {
          await this.#opts.db
            .updateTable('outbound_messages')
            .set({
              status: 'failed',
              refusal: code,
              refused_at: new Date(),
              error: `WhatsApp refused the message (${code})`,
            })
            .where('channel', '=', 'whatsapp')
            .where('platform_message_id', '=', id)
            .execute();
        })
        .catch((error: Error) => this.#log.warn({ reason: error.message }, 'could not record a refusal'));
    }
  }

  async #receive(raw: unknown): Promise<void> {
    let outcome: WhatsAppOutcome;
    try {
      outcome = normaliseMessage(raw, new Date());
    } catch (error) {
      outcome = { kind: 'invalid', reason: (error as Error).message.replace(/\d{6,}/g, '[id]') };
    }
    if (outcome.kind === 'ignored') {
      this.#log.debug({ reason: outcome.reason }, 'WhatsApp message ignored');
      return;
    }
    if (outcome.kind === 'invalid') {
      this.#log.warn({ reason: outcome.reason }, 'malformed WhatsApp message dropped');
      return;
    }
    try {
      const message = await this.#toInbound(outcome);
      if (message) await this.#deliver(message);
    } catch (error) {
      this.#log.error({ reason: (error as Error).message }, 'WhatsApp message could not be handled');
    }
  }

  async #toInbound(outcome: Extract<WhatsAppOutcome, { kind: 'message' }>): Promise<InboundMessage | null> {
    const contact = await this.#contacts.resolve(await this.#withPhoneNumber(outcome.sender));
    let payload: InboundMessage['payload'];
    if (outcome.content.kind === 'payload') {
      payload = outcome.content.payload;
    } else {
      const poll = await this.#polls.find(outcome.content.pollMessageId);
      if (!poll || poll.chat !== contact.address) {
        this.#log.debug('vote on a poll we did not send to this resident ignored');
        return null;
      }
      const voters = [...outcome.senderJids, contact.pn, contact.lid].filter((j): j is string => !!j);
      const vote = decryptVote(poll, outcome.content.vote, this.#creatorJids(), voters);
      payload = vote.readable
        ? { kind: 'poll_vote', ref: poll.ref, values: vote.values }
        : { kind: 'poll_vote', ref: poll.ref, values: [], unreadable: true };
      if (!vote.readable)
        this.#log.warn('a WhatsApp poll vote could not be decrypted; the question is asked again');
    }
    return InboundMessageSchema.parse({
      channel: 'whatsapp',
      // Chat + participant + message id: a message id is unique per sender, not globally.
      platformId: `${contact.address}|${outcome.participant}|${outcome.messageId}`,
      address: contact.address,
      sentAt: outcome.sentAt,
      payload,
    });
  }

  /**
   * A sender who wrote with only a LID: Baileys may know their phone number (it stores the pairs
   * WhatsApp tells it, mostly without an event), and a resident first known by number must stay
   * that resident.
   */
  async #withPhoneNumber(sender: SenderIds): Promise<SenderIds> {
    if (sender.pn || !sender.lid || !this.#sock) return sender;
    try {
      const pn = personJid(await this.#sock.signalRepository.lidMapping.getPNForLID(sender.lid));
      return pn && isPhoneJid(pn) ? { ...sender, pn } : sender;
    } catch (error) {
      this.#log.warn({ reason: (error as Error).message }, 'could not read the LID mapping');
      return sender;
    }
  }

  /** Our own ids: votes are encrypted with the poll creator's LID or phone-number JID. */
  #creatorJids(): string[] {
    const me = this.#sock?.user ?? this.#stored?.state.creds.me;
    return [me?.lid, me?.id, me?.phoneNumber]
      .filter((j): j is string => !!j)
      .map((j) => jidNormalizedUser(j))
      .filter((j) => personJid(j) !== null);
  }

  async #deliver(message: InboundMessage): Promise<void> {
    // Baileys has acknowledged the message to WhatsApp already: if the queue is away for a moment
    // we wait for it rather than lose what the resident wrote.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#opts.deliver(message);
        return;
      } catch (error) {
        // A message the queue refuses as invalid will not become valid by waiting.
        if (attempt >= DELIVERY_ATTEMPTS || (error as Error).name === 'InvalidInboundError') throw error;
        await sleep(backoff(attempt - 1, { baseMs: DELIVERY_BACKOFF_MS }));
      }
    }
  }

  /**
   * Sends one message; throws the contract's send errors. A message from an outbound row gets an
   * id derived from the row, so a send that timed out and is retried is the same message to the
   * phone (shown once), not a second one.
   */
  async send(address: string, message: OutboundMessage, context: SendContext = {}): Promise<SendResult> {
    if (!isSendableAddress(address))
      throw new PermanentSendError('invalid_address', 'not a WhatsApp person id');
    const sock = this.#sock;
    if (!sock || !this.#open)
      throw new RetryableSendError('WhatsApp is not connected', DISCONNECTED_PAUSE_MS);
    try {
      await this.#verify(sock, address);
      const fixedId = context.outboundId ? messageIdFor(context.outboundId) : undefined;
      if (message.kind === 'text' && context.image && !fitsCaption(message.text)) {
        // A text too long for a caption: the picture first, then the text as the row's message.
        const photo = await this.#withTimeout(
          sock.sendMessage(address, { image: context.image.bytes, mimetype: context.image.mimeType }),
        );
        if (photo?.key.id && photo.message) await this.#sent.save(photo.key.id, address, photo.message);
      }
      const { content, messageId } = await this.#render(sock, address, message, fixedId, context.image);
      const sent = await this.#withTimeout(
        sock.sendMessage(address, content, messageId ? { messageId } : {}),
      );
      const id = sent?.key.id ?? messageId;
      if (id && sent?.message) await this.#sent.save(id, address, sent.message);
      return id ? { platformMessageId: id } : {};
    } catch (error) {
      throw toSendError(error);
    }
  }

  /** Erases what is kept about an address, in the database and in the key cache of this socket. */
  async forget(address: string): Promise<void> {
    const removed = await forgetAddress(this.#opts.db, address);
    this.#verified.delete(address);
    if (!this.#keys || removed.size === 0) return;
    const data: Record<string, Record<string, null>> = {};
    for (const [type, ids] of removed) data[type] = Object.fromEntries(ids.map((id) => [id, null]));
    await this.#keys.set(data as SignalDataSet);
  }

  /** The Baileys content for a message; a poll is stored (with its secret) before it goes out. */
  async #render(
    sock: WhatsAppSocket,
    address: string,
    message: OutboundMessage,
    fixedId: string | undefined,
    image?: OutboundImage,
  ): Promise<{ content: AnyMessageContent; messageId?: string }> {
    const text = (t: string) => ({ content: { text: t }, ...(fixedId ? { messageId: fixedId } : {}) });
    if (message.kind === 'text' && image && fitsCaption(message.text)) {
      // A flash's picture with its text as the caption (Baileys uploads it, encrypted, to WhatsApp).
      return {
        content: { image: image.bytes, caption: message.text, mimetype: image.mimeType },
        ...(fixedId ? { messageId: fixedId } : {}),
      };
    }
    if (message.kind === 'text') return text(fitText(message.text, MAX_TEXT_LENGTH));
    const rendered = renderAsk(message);
    if (rendered.kind === 'text') return text(rendered.text);
    const messageId = fixedId ?? generateMessageIDV2(sock.user?.id);
    // A retried poll keeps its secret: the phone may hold the first copy, and votes on it must
    // decrypt with what we stored.
    const earlier = fixedId ? await this.#polls.find(messageId) : undefined;
    const secret = earlier?.chat === address ? earlier.secret : randomBytes(32);
    // Stored first: a vote can come back within a second, and must find its poll.
    await this.#polls.save({ messageId, chat: address, ref: message.ref, options: rendered.options, secret });
    return {
      messageId,
      content: {
        poll: {
          name: rendered.name,
          values: rendered.options.map((o) => o.name),
          selectableCount: rendered.selectableCount,
          messageSecret: secret,
        },
      },
    };
  }

  /** A phone-number JID must be on WhatsApp; a LID always is. Asked once per number per process. */
  async #verify(sock: WhatsAppSocket, address: string): Promise<void> {
    if (!isPhoneJid(address) || this.#verified.has(address)) return;
    const found = await this.#withTimeout(sock.onWhatsApp(address));
    // No answer is not "no": send, and ask again next time.
    if (found === undefined) return;
    if (!found.some((r) => r.exists)) {
      throw new PermanentSendError('invalid_address', 'this number is not on WhatsApp');
    }
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.clear();
    this.#verified.add(address);
  }

  async #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const ms = this.#opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('WhatsApp send timed out')), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
