import { randomBytes } from 'node:crypto';
import {
  type AnyMessageContent,
  type BaileysEventMap,
  type ConnectionState,
  DisconnectReason,
  generateMessageIDV2,
  jidNormalizedUser,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type proto,
  type SignalDataSet,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import {
  type InboundMessage,
  InboundMessageSchema,
  type OutboundMessage,
} from '../../src/domain/messages.js';
import type { Logger } from '../../src/log.js';
import type { SendResult } from '../channel.js';
import { PermanentSendError, RetryableSendError } from '../errors.js';
import { fitText } from '../render.js';
import { PgAuthStore, type StoredAuthState } from './auth-store.js';
import { WhatsAppContacts } from './contacts.js';
import { forgetAddress } from './forget.js';
import { isPhoneJid, isSendableAddress, personJid } from './jid.js';
import { normaliseMessage, type WhatsAppOutcome } from './normalise.js';
import { decryptVote, PollStore } from './polls.js';
import { MAX_TEXT_LENGTH, renderAsk } from './render.js';
import { DISCONNECTED_PAUSE_MS, toSendError } from './send-errors.js';
import { baileysLogger, type SocketFactory, type WhatsAppSocket } from './socket.js';

/** Where the connection is, for the operator (terminal, admin page) and the send gate. */
export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'qr'; qr: string }
  | { state: 'pairing_code'; code: string }
  | { state: 'open' }
  | { state: 'reconnecting'; inMs: number; reason: number | undefined }
  | { state: 'logged_out' }
  | { state: 'closed' };

/** What a connection needs: storage, how to build sockets, and where its news goes. */
export interface ConnectionOptions {
  db: Kysely<Database>;
  log: Logger;
  makeSocket?: SocketFactory | undefined;
  /** Pair with a code for this number (digits, with country code) instead of a QR code. */
  pairingNumber?: string | undefined;
  reconnect: { baseMs: number; maxMs: number };
  /** Hands an inbound message on; resolves once it is safely queued. */
  deliver(message: InboundMessage): Promise<void>;
  onStatus(status: ConnectionStatus): void;
  /** WhatsApp unlinked the device; the auth state is cleared already. */
  onLoggedOut(): void;
}

/** One send that hangs (a half-dead socket) must not hold the queue; it is retried instead. */
const SEND_TIMEOUT_MS = 30_000;
/** Sent messages kept for WhatsApp's retry requests (a phone that could not decrypt asks again). */
const SENT_CACHE_SIZE = 500;
/** Numbers checked to be on WhatsApp, kept so each is asked about once per process. */
const VERIFIED_CACHE_SIZE = 20_000;
/** How often and how long a message is offered to the queue before it is given up (Redis away). */
const DELIVERY_ATTEMPTS = 6;
const DELIVERY_BACKOFF_MS = 500;

/**
 * One process's link to WhatsApp through Baileys: the socket with its auth state in PostgreSQL,
 * pairing (QR code or pairing code), reconnecting with capped exponential backoff after every
 * close except "logged out", inbound messages and votes, and sending. It knows nothing of the
 * lease; the adapter starts it only while this process holds it.
 */
export class WhatsAppConnection {
  readonly #opts: ConnectionOptions;
  readonly #log: Logger;
  readonly #auth: PgAuthStore;
  readonly #contacts: WhatsAppContacts;
  readonly #polls: PollStore;
  readonly #sent = new Map<string, proto.IMessage>();
  readonly #verified = new Set<string>();
  #stored: StoredAuthState | undefined;
  /** The socket's key store: the stored keys behind an in-memory cache. */
  #keys: SignalKeyStore | undefined;
  #sock: WhatsAppSocket | undefined;
  #open = false;
  #stopped = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Inbound batches are handled one after the other, so a resident's messages keep their order. */
  #inbound: Promise<void> = Promise.resolve();
  #credsSaving: Promise<void> = Promise.resolve();

  constructor(opts: ConnectionOptions) {
    this.#opts = opts;
    this.#log = opts.log;
    this.#auth = new PgAuthStore(opts.db);
    this.#contacts = new WhatsAppContacts(opts.db, opts.log);
    this.#polls = new PollStore(opts.db);
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
    if (this.#stopped || !this.#stored) return;
    const { state } = this.#stored;
    const logger = baileysLogger(this.#log);
    const make = this.#opts.makeSocket ?? (makeWASocket as unknown as SocketFactory);
    this.#opts.onStatus({ state: 'connecting' });
    const keys = makeCacheableSignalKeyStore(state.keys, logger);
    this.#keys = keys;
    const sock = make({
      auth: { creds: state.creds, keys },
      logger,
      // The phone keeps its notifications, and we look less like an always-on client.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      getMessage: async (key) => (key.id ? this.#sent.get(key.id) : undefined),
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
    });
  }

  #onConnectionUpdate(sock: WhatsAppSocket, update: Partial<ConnectionState>): void {
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
    if (reason === DisconnectReason.loggedOut) {
      void this.#loggedOut();
      return;
    }
    // After pairing WhatsApp closes the socket once on purpose: come back at once. While waiting to
    // be paired the QR codes run out about every minute: show new ones without growing waits.
    const restart = reason === DisconnectReason.restartRequired;
    const paired = this.#stored?.state.creds.registered === true;
    const delay = restart ? 0 : paired ? this.#backoff() : this.#opts.reconnect.baseMs;
    this.#log[restart ? 'info' : 'warn']({ reason, inMs: delay }, 'WhatsApp connection closed; reconnecting');
    this.#opts.onStatus({ state: 'reconnecting', inMs: delay, reason });
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  #backoff(): number {
    const { baseMs, maxMs } = this.#opts.reconnect;
    const ceiling = Math.min(maxMs, baseMs * 2 ** this.#attempt);
    this.#attempt += 1;
    // Half fixed, half random: several installations behind one address do not knock in step.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
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

  #enqueue(upsert: BaileysEventMap['messages.upsert']): void {
    const messages = upsert.messages;
    const type = upsert.type;
    this.#inbound = this.#inbound.then(async () => {
      for (const raw of messages) await this.#receive(raw, type);
    });
  }

  async #receive(raw: unknown, type: 'notify' | 'append'): Promise<void> {
    let outcome: WhatsAppOutcome;
    try {
      outcome = normaliseMessage(raw, type, new Date());
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
    const contact = await this.#contacts.resolve(outcome.sender);
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
        await new Promise((r) => setTimeout(r, DELIVERY_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }

  /** Sends one message; throws the contract's send errors. */
  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    if (!isSendableAddress(address))
      throw new PermanentSendError('invalid_address', 'not a WhatsApp person id');
    const sock = this.#sock;
    if (!sock || !this.#open)
      throw new RetryableSendError('WhatsApp is not connected', DISCONNECTED_PAUSE_MS);
    try {
      await this.#verify(sock, address);
      const { content, messageId } = await this.#render(sock, address, message);
      const sent = await withTimeout(sock.sendMessage(address, content, messageId ? { messageId } : {}));
      const id = sent?.key.id ?? messageId;
      if (id && sent?.message) this.#remember(id, sent.message);
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
  ): Promise<{ content: AnyMessageContent; messageId?: string }> {
    if (message.kind === 'text') return { content: { text: fitText(message.text, MAX_TEXT_LENGTH) } };
    const rendered = renderAsk(message);
    if (rendered.kind === 'text') return { content: { text: rendered.text } };
    const messageId = generateMessageIDV2(sock.user?.id);
    const secret = randomBytes(32);
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
    const found = await withTimeout(sock.onWhatsApp(address));
    // No answer is not "no": send, and ask again next time.
    if (found === undefined) return;
    if (!found.some((r) => r.exists)) {
      throw new PermanentSendError('invalid_address', 'this number is not on WhatsApp');
    }
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.clear();
    this.#verified.add(address);
  }

  #remember(id: string, message: proto.IMessage): void {
    this.#sent.set(id, message);
    if (this.#sent.size > SENT_CACHE_SIZE) this.#sent.delete(this.#sent.keys().next().value!);
  }
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('WhatsApp send timed out')), SEND_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
