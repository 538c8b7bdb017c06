import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AnyMessageContent,
  addTransactionCapability,
  aesEncryptGCM,
  BufferJSON,
  type CacheStore,
  type ConnectionState,
  DEFAULT_CONNECTION_CONFIG,
  DisconnectReason,
  generateMessageIDV2,
  generateWAMessage,
  hmacSign,
  type MiscMessageGenerationOptions,
  makeEventBuffer,
  type proto as Proto,
  proto,
  sha256,
  type UserFacingSocketConfig,
  type WAMessage,
  WAMessageStatus,
  type WAVersion,
} from '@whiskeysockets/baileys';
import { LIDMappingStore } from '@whiskeysockets/baileys/lib/Signal/lid-mapping.js';
import type { SocketFactory, WhatsAppSocket } from '../../adapters/whatsapp/socket.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/whatsapp');

/** A recorded WhatsApp message (Baileys' WAMessage as JSON, bytes in BufferJSON form). */
export function whatsappFixture(name: string): WAMessage {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'), BufferJSON.reviver) as WAMessage;
}

/** A Boom-shaped error as Baileys throws and reports them (status code in `output`). */
export function boom(message: string, statusCode: number): Error {
  return Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: {} } });
}

const silent = {
  level: 'silent',
  child: () => silent,
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** One message a fake socket sent. */
export interface SentWhatsApp {
  to: string;
  message: WAMessage;
}

/** A poll a fake socket sent, as the resident's phone sees it. */
export interface SentPollView {
  id: string;
  to: string;
  name: string;
  options: string[];
  secret: Buffer;
}

/**
 * WhatsApp's servers and the residents' phones, faked at the socket: each socket the adapter makes
 * is built on Baileys' own event buffer, and sent messages are made by Baileys' own
 * `generateWAMessage` (so a poll carries its real `messageContextInfo.messageSecret`).
 */
export class FakeWhatsApp {
  /** The bot's number as a linked device sees itself. */
  readonly me = { id: '31600000001:7@s.whatsapp.net', lid: '200000000000001:7@lid', name: 'Straatpraat' };
  readonly sockets: FakeSocket[] = [];
  readonly sent: SentWhatsApp[] = [];
  /** Media uploaded to WhatsApp's media servers (encrypted by Baileys), in order. */
  readonly uploads: { mediaType: string; directPath: string; encrypted: Buffer }[] = [];
  readonly pairingRequests: string[] = [];
  /** Phone numbers WhatsApp does not know. */
  readonly notOnWhatsApp = new Set<string>();
  /** Sends fail like this while set. */
  failSends: Error | undefined;
  /** The next this many sends reach the phone, but the socket never hears back (a half-dead link). */
  hangSends = 0;
  /** Whether a new socket finds the number linked already (as after an earlier pairing). */
  autoPair: boolean;
  /** The oldest WhatsApp Web version WhatsApp still lets in; older logins get 405. */
  minimumVersion: WAVersion | undefined;
  /** While set, every new socket is closed with this before it opens (an outage). */
  outage: Error | undefined;
  /** Messages sent again because a phone asked for them (Baileys' retry receipts). */
  readonly resent: { id: string; message: Proto.IMessage }[] = [];
  #qr = 0;

  constructor(opts: { autoPair?: boolean } = {}) {
    this.autoPair = opts.autoPair ?? false;
  }

  /** The factory to give the adapter (or `useSocketFactoryForTests`). */
  readonly factory: SocketFactory = (config) => {
    const socket = new FakeSocket(this, config);
    this.sockets.push(socket);
    return socket;
  };

  /** The newest socket that is still connected. */
  get current(): FakeSocket | undefined {
    return this.sockets.findLast((s) => !s.ended);
  }

  nextQr(): string {
    this.#qr += 1;
    return `2@fake-qr-${this.#qr},${randomBytes(8).toString('base64')}`;
  }

  /** The resident's phone receives a message from WhatsApp (Baileys' `messages.upsert`). */
  deliver(message: WAMessage, type: 'notify' | 'append' = 'notify'): void {
    const socket = this.current;
    if (!socket) throw new Error('no connected socket to deliver to');
    socket.ev.emit('messages.upsert', { messages: [structuredClone(message)], type });
  }

  /** A text as a resident's phone sends it; `alt` is the other id (LID or phone JID) when WhatsApp tells it. */
  text(from: string, text: string, opts: { alt?: string; id?: string } = {}): WAMessage {
    return {
      key: {
        remoteJid: from,
        ...(opts.alt ? { remoteJidAlt: opts.alt } : {}),
        fromMe: false,
        id: opts.id ?? randomBytes(10).toString('hex').toUpperCase(),
        participant: '',
        addressingMode: from.endsWith('@lid') ? 'lid' : 'pn',
      },
      messageTimestamp: Math.floor(Date.now() / 1000),
      pushName: 'Bewoner',
      message: { conversation: text },
    };
  }

  /** Everything sent to `to`, in order. */
  sentTo(to: string): SentWhatsApp[] {
    return this.sent.filter((s) => s.to === to);
  }

  /** The polls sent to `to`, in order. */
  pollsTo(to: string): SentPollView[] {
    return this.sentTo(to).flatMap(({ message }) => {
      const m = message.message;
      const poll = m?.pollCreationMessageV3 ?? m?.pollCreationMessage ?? m?.pollCreationMessageV2;
      if (!poll) return [];
      return [
        {
          id: message.key.id!,
          to,
          name: poll.name ?? '',
          options: (poll.options ?? []).map((o) => o.optionName ?? ''),
          secret: Buffer.from(m!.messageContextInfo!.messageSecret!),
        },
      ];
    });
  }

  /**
   * What the resident at `to` sees: a text, or a poll's title with its options under it. A phone
   * shows a message id once, however often it arrives.
   */
  seen(to: string): string[] {
    const ids = new Set<string>();
    const once = this.sentTo(to).filter(({ message }) => {
      const id = message.key.id ?? '';
      if (ids.has(id)) return false;
      ids.add(id);
      return true;
    });
    return once.map(({ message }) => {
      const m = message.message;
      const poll = m?.pollCreationMessageV3 ?? m?.pollCreationMessage ?? m?.pollCreationMessageV2;
      if (poll) return [poll.name, ...(poll.options ?? []).map((o) => o.optionName)].join('\n');
      return m?.conversation ?? m?.extendedTextMessage?.text ?? '';
    });
  }

  /**
   * A vote as the resident's phone sends it: the chosen options' SHA-256 hashes in a
   * PollVoteMessage, encrypted with AES-256-GCM under a key derived (HMAC-SHA256, as HKDF) from the
   * poll's secret, its id, the creator's and the voter's JIDs — as Baileys' `decryptPollVote` reads.
   */
  vote(
    poll: SentPollView,
    from: { jid: string; alt?: string },
    chosen: string[],
    encryptWith: { creator: string; voter: string },
  ): WAMessage {
    const vote = encryptVote(poll, chosen, encryptWith.creator, encryptWith.voter);
    return {
      key: {
        remoteJid: from.jid,
        ...(from.alt ? { remoteJidAlt: from.alt } : {}),
        fromMe: false,
        id: randomBytes(10).toString('hex').toUpperCase(),
        participant: '',
        addressingMode: from.jid.endsWith('@lid') ? 'lid' : 'pn',
      },
      messageTimestamp: Math.floor(Date.now() / 1000),
      message: {
        pollUpdateMessage: {
          pollCreationMessageKey: { remoteJid: from.jid, fromMe: true, id: poll.id },
          vote,
          senderTimestampMs: Date.now(),
        },
      },
    };
  }

  /** The phone scans the QR code: the device is linked, and WhatsApp restarts the connection. */
  async pair(): Promise<void> {
    const socket = this.current;
    if (!socket) throw new Error('no socket to pair');
    socket.link();
    await socket.end(boom('Stream Errored (restart required)', DisconnectReason.restartRequired));
  }

  /** The phone types the pairing code it was shown: the device is linked, and the connection restarts. */
  async typePairingCode(): Promise<void> {
    const socket = this.current;
    if (!socket) throw new Error('no socket to pair');
    await socket.typePairingCode();
  }

  /**
   * The pairing code runs out untyped: WhatsApp sends no more QR references and Baileys ends the
   * socket with "QR refs attempts ended" (408), about 2.5 minutes after it opened.
   */
  async expirePairing(): Promise<void> {
    await this.current?.end(boom('QR refs attempts ended', DisconnectReason.timedOut));
  }

  /** The connection drops (e.g. the network) with this status code. */
  async drop(statusCode: number = DisconnectReason.connectionLost): Promise<void> {
    await this.current?.end(boom('Connection Lost', statusCode));
  }

  /**
   * WhatsApp refuses a message after it left, as Baileys reports a bad ack: `messages.update`
   * with status ERROR and the code (463 reach-out time-lock, 479 smax-invalid, ...).
   */
  refuse(to: string, id: string, code: string): void {
    const socket = this.current;
    if (!socket) throw new Error('no connected socket');
    const stub = code === '463' ? [code, 'Your account has been restricted'] : [code];
    socket.ev.emit('messages.update', [
      {
        key: { remoteJid: to, fromMe: true, id },
        update: { status: WAMessageStatus.ERROR, messageStubParameters: stub },
      },
    ]);
  }

  /**
   * The resident's phone could not decrypt message `id` and sends a retry receipt. Done as Baileys
   * does: a count per message and device in `msgRetryCounterCache` (a fresh cache per socket when
   * none is given), at most `maxMsgRetryCount` (5) times, the message from `getMessage`.
   */
  async retryRequest(from: string, id: string): Promise<'resent' | 'missing' | 'limit'> {
    const socket = this.current;
    if (!socket) throw new Error('no connected socket');
    return socket.retryRequest(from, id);
  }

  /**
   * WhatsApp tells Baileys which LID a phone number has (a USync answer, a message's addressing):
   * Baileys stores the pair in its key store, mostly without a `lid-mapping.update` event.
   */
  async mapLid(pn: string, lid: string): Promise<void> {
    const socket = this.current;
    if (!socket) throw new Error('no connected socket');
    await socket.signalRepository.lidMapping.storeLIDPNMappings([{ lid, pn }]);
  }
}

/** Whether version `a` is older than `b`. */
function olderThan(a: WAVersion, b: WAVersion): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Encrypts a vote the way a phone does (see `FakeWhatsApp.vote`). */
export function encryptVote(
  poll: { id: string; secret: Buffer },
  chosen: string[],
  creatorJid: string,
  voterJid: string,
): { encPayload: Buffer; encIv: Buffer } {
  const info = Buffer.concat([
    Buffer.from(poll.id),
    Buffer.from(creatorJid),
    Buffer.from(voterJid),
    Buffer.from('Poll Vote'),
    Buffer.from([1]),
  ]);
  const prk = hmacSign(poll.secret, new Uint8Array(32), 'sha256');
  const key = hmacSign(info, prk, 'sha256');
  const iv = randomBytes(12);
  const plain = proto.Message.PollVoteMessage.encode({
    selectedOptions: chosen.map((name) => sha256(Buffer.from(name))),
  }).finish();
  const encPayload = aesEncryptGCM(plain, key, iv, Buffer.from(`${poll.id}\u0000${voterJid}`));
  return { encPayload: Buffer.from(encPayload), encIv: iv };
}

/**
 * One fake connection; boots like Baileys and WhatsApp's server: connecting, then 405 for an old
 * version, a login for stored credentials (open when WhatsApp accepted the device, `account`; 401
 * for a pairing that never finished) or a QR code.
 */
export class FakeSocket implements WhatsAppSocket {
  readonly ev = makeEventBuffer(silent);
  readonly config: UserFacingSocketConfig;
  /** The version this socket logs in with: the configured one, else the one Baileys ships. */
  readonly version: WAVersion;
  readonly signalRepository: { lidMapping: LIDMappingStore };
  ended = false;
  /** The status code the socket was closed with, once closed. */
  closedWith: number | undefined;
  readonly #fake: FakeWhatsApp;
  /** Baileys' own retry counter when the config gives none: a fresh one per socket. */
  readonly #retries = new Map<string, number>();

  constructor(fake: FakeWhatsApp, config: UserFacingSocketConfig) {
    this.#fake = fake;
    this.config = config;
    this.version = config.version ?? DEFAULT_CONNECTION_CONFIG.version;
    const keys = addTransactionCapability(config.auth.keys, silent, {
      maxCommitRetries: 1,
      delayBetweenTriesMs: 0,
    });
    this.signalRepository = { lidMapping: new LIDMappingStore(keys, silent) };
    setImmediate(() => this.#boot());
  }

  get user(): WhatsAppSocket['user'] {
    const me = this.config.auth.creds.me;
    return me ? { ...me } : undefined;
  }

  #boot(): void {
    if (this.ended) return;
    this.#update({ connection: 'connecting' });
    const minimum = this.#fake.minimumVersion;
    if (minimum && olderThan(this.version, minimum)) {
      void this.end(boom('Connection Failure', 405));
      return;
    }
    if (this.#fake.outage) {
      void this.end(this.#fake.outage);
      return;
    }
    const { creds } = this.config.auth;
    if (!creds.me && this.#fake.autoPair) this.link();
    // Baileys logs in whenever `creds.me` is set; WhatsApp knows the device only after pair-success.
    if (creds.me && creds.account) this.#update({ connection: 'open' });
    else if (creds.me) void this.end(boom('Connection Failure', DisconnectReason.loggedOut));
    else this.#update({ qr: this.#fake.nextQr() });
  }

  /**
   * Links the device as Baileys' pair-success does: `me`, the signed `account` and the platform in
   * the credentials (never `registered`, which only pairing by code sets), and a few Signal keys.
   */
  link(): void {
    const { creds, keys } = this.config.auth;
    const me = { ...this.#fake.me };
    const account = {
      details: randomBytes(40),
      accountSignatureKey: randomBytes(32),
      accountSignature: randomBytes(64),
      deviceSignature: randomBytes(64),
    };
    const update = { me, account, platform: 'android' };
    Object.assign(creds, update);
    this.ev.emit('creds.update', update);
    void keys.set({
      'lid-mapping': { '31600000001': '200000000000001', '200000000000001_reverse': '31600000001' },
      'device-list': { '31600000001': ['0', '7'] },
    });
  }

  #update(update: Partial<ConnectionState>): void {
    this.ev.emit('connection.update', update);
  }

  /** The phone types the pairing code: Baileys marks the device registered, then pairing succeeds. */
  async typePairingCode(): Promise<void> {
    const { creds } = this.config.auth;
    const update = { registered: true, advSecretKey: randomBytes(32).toString('base64') };
    Object.assign(creds, update);
    this.ev.emit('creds.update', update);
    this.link();
    await this.end(boom('Stream Errored (restart required)', DisconnectReason.restartRequired));
  }

  async retryRequest(from: string, id: string): Promise<'resent' | 'missing' | 'limit'> {
    const max = this.config.maxMsgRetryCount ?? DEFAULT_CONNECTION_CONFIG.maxMsgRetryCount;
    const cache: Pick<CacheStore, 'get' | 'set'> = this.config.msgRetryCounterCache ?? {
      get: <T>(key: string) => this.#retries.get(key) as T | undefined,
      set: (key: string, value: unknown) => void this.#retries.set(key, value as number),
    };
    const key = `${id}:${from}`;
    const count = (await cache.get<number>(key)) ?? 0;
    if (count >= max) return 'limit';
    await cache.set(key, count + 1);
    const message = await this.config.getMessage?.({ remoteJid: from, fromMe: true, id });
    if (!message) return 'missing';
    this.#fake.resent.push({ id, message });
    return 'resent';
  }

  async sendMessage(
    jid: string,
    content: AnyMessageContent,
    options: MiscMessageGenerationOptions = {},
  ): Promise<WAMessage | undefined> {
    if (this.ended) throw boom('Connection Closed', DisconnectReason.connectionClosed);
    if (this.#fake.failSends) throw this.#fake.failSends;
    const hangs = this.#fake.hangSends > 0;
    if (hangs) this.#fake.hangSends -= 1;
    // As Baileys does before it encrypts: it looks up the recipient's devices and makes sure it has a
    // Signal session with each, and stores both.
    const user = jid.split('@')[0]!.split(':')[0]!;
    await this.config.auth.keys.set({
      'device-list': { [user]: ['0'] },
      session: { [`${user}.0`]: randomBytes(32) },
    });
    const message = await generateWAMessage(jid, content, {
      userJid: this.config.auth.creds.me?.id ?? this.#fake.me.id,
      // WhatsApp's media servers: Baileys encrypts the file and uploads it; the message carries its
      // location and key. The fake keeps the encrypted bytes, as the media server would.
      upload: async (encFilePath, { mediaType }) => {
        const n = this.#fake.uploads.length + 1;
        const directPath = `/v/t62.7118-24/${n}_${randomBytes(6).toString('hex')}.enc`;
        this.#fake.uploads.push({ mediaType, directPath, encrypted: await readFile(encFilePath) });
        return { mediaUrl: `https://mmg.whatsapp.net${directPath}?ccb=11-4`, directPath };
      },
      logger: silent,
      messageId: generateMessageIDV2(this.config.auth.creds.me?.id),
      ...options,
    });
    this.#fake.sent.push({ to: jid, message });
    if (hangs) return new Promise<never>(() => {});
    return message;
  }

  /** As Baileys: the code and our number go into the credentials (and are saved) at once. */
  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.#fake.pairingRequests.push(phoneNumber);
    const { creds } = this.config.auth;
    creds.pairingCode = 'K7QW2MZP';
    creds.me = { id: `${phoneNumber}@s.whatsapp.net`, name: '~' };
    this.ev.emit('creds.update', creds);
    return creds.pairingCode;
  }

  async onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined> {
    return jids.map((jid) => ({ jid, exists: !this.#fake.notOnWhatsApp.has(jid) }));
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.closedWith = (error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;
    this.#update({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
}
