import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnyMessageContent,
  aesEncryptGCM,
  BufferJSON,
  type ConnectionState,
  DisconnectReason,
  generateMessageIDV2,
  generateWAMessage,
  hmacSign,
  type MiscMessageGenerationOptions,
  makeEventBuffer,
  proto,
  sha256,
  type UserFacingSocketConfig,
  type WAMessage,
} from '@whiskeysockets/baileys';
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
  readonly pairingRequests: string[] = [];
  /** Phone numbers WhatsApp does not know. */
  readonly notOnWhatsApp = new Set<string>();
  /** Sends fail like this while set. */
  failSends: Error | undefined;
  /** Whether a new socket finds the number linked already (as after an earlier pairing). */
  autoPair: boolean;
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

  /** What the resident at `to` sees: a text, or a poll's title with its options under it. */
  seen(to: string): string[] {
    return this.sentTo(to).map(({ message }) => {
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

  /** The connection drops (e.g. the network) with this status code. */
  async drop(statusCode: number = DisconnectReason.connectionLost): Promise<void> {
    await this.current?.end(boom('Connection Lost', statusCode));
  }
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

/** One fake connection; boots like Baileys: connecting, then a QR code or open. */
export class FakeSocket implements WhatsAppSocket {
  readonly ev = makeEventBuffer(silent);
  readonly config: UserFacingSocketConfig;
  ended = false;
  readonly #fake: FakeWhatsApp;

  constructor(fake: FakeWhatsApp, config: UserFacingSocketConfig) {
    this.#fake = fake;
    this.config = config;
    setImmediate(() => this.#boot());
  }

  get user(): WhatsAppSocket['user'] {
    const me = this.config.auth.creds.me;
    return me ? { ...me } : undefined;
  }

  #boot(): void {
    if (this.ended) return;
    this.#update({ connection: 'connecting' });
    if (!this.config.auth.creds.registered && this.#fake.autoPair) this.link();
    if (this.config.auth.creds.registered) this.#update({ connection: 'open' });
    else this.#update({ qr: this.#fake.nextQr() });
  }

  /** Links the device: credentials and a few Signal keys, as pairing stores them. */
  link(): void {
    const { creds, keys } = this.config.auth;
    const me = { ...this.#fake.me };
    Object.assign(creds, { me, registered: true });
    this.ev.emit('creds.update', { me, registered: true });
    void keys.set({
      'lid-mapping': { '31600000001': '200000000000001', '200000000000001_reverse': '31600000001' },
      'device-list': { '31600000001': ['0', '7'] },
    });
  }

  #update(update: Partial<ConnectionState>): void {
    this.ev.emit('connection.update', update);
  }

  async sendMessage(
    jid: string,
    content: AnyMessageContent,
    options: MiscMessageGenerationOptions = {},
  ): Promise<WAMessage | undefined> {
    if (this.ended) throw boom('Connection Closed', DisconnectReason.connectionClosed);
    if (this.#fake.failSends) throw this.#fake.failSends;
    // As Baileys does before it encrypts: it looks up the recipient's devices and makes sure it has a
    // Signal session with each, and stores both.
    const user = jid.split('@')[0]!.split(':')[0]!;
    await this.config.auth.keys.set({
      'device-list': { [user]: ['0'] },
      session: { [`${user}.0`]: randomBytes(32) },
    });
    const message = await generateWAMessage(jid, content, {
      userJid: this.config.auth.creds.me?.id ?? this.#fake.me.id,
      upload: async () => {
        throw new Error('the fake uploads no media');
      },
      logger: silent,
      messageId: generateMessageIDV2(this.config.auth.creds.me?.id),
      ...options,
    });
    this.#fake.sent.push({ to: jid, message });
    return message;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.#fake.pairingRequests.push(phoneNumber);
    return 'K7QW2MZP';
  }

  async onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[] | undefined> {
    return jids.map((jid) => ({ jid, exists: !this.#fake.notOnWhatsApp.has(jid) }));
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.#update({ connection: 'close', lastDisconnect: { error, date: new Date() } });
  }
}
