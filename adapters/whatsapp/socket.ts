import type { UserFacingSocketConfig, WASocket } from '@whiskeysockets/baileys';
import type { Logger } from '../../src/log.js';

/**
 * The part of a Baileys socket the adapter uses. Baileys' own `makeWASocket` returns more; tests
 * give a fake with only this, built on Baileys' event buffer.
 */
export type WhatsAppSocket = Pick<
  WASocket,
  'ev' | 'sendMessage' | 'requestPairingCode' | 'onWhatsApp' | 'end'
> & {
  readonly user: WASocket['user'];
  /** Baileys' store of which LID belongs to which phone number (filled as WhatsApp tells it). */
  readonly signalRepository: {
    readonly lidMapping: Pick<WASocket['signalRepository']['lidMapping'], 'getPNForLID'>;
  };
};

/** Makes a socket from Baileys' configuration; the default is Baileys' `makeWASocket`. */
export type SocketFactory = (config: UserFacingSocketConfig) => WhatsAppSocket;

let testFactory: SocketFactory | undefined;

/**
 * Test hook: WhatsApp adapters started after this call (also those the app builds from the
 * environment) use `factory` instead of Baileys; `undefined` restores Baileys. Only for tests,
 * which fake WhatsApp's servers at the socket.
 */
export function useSocketFactoryForTests(factory: SocketFactory | undefined): void {
  testFactory = factory;
}

/** The factory set by `useSocketFactoryForTests`, if any. */
export function socketFactoryForTests(): SocketFactory | undefined {
  return testFactory;
}

/** Baileys' logger interface (pino-like). */
export interface BaileysLogger {
  level: string;
  child(obj: Record<string, unknown>): BaileysLogger;
  trace(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/** Long digit runs are phone numbers or LIDs; Baileys puts them into its messages. */
const scrub = (text: string) => text.replace(/\d{6,}/g, '[id]');

/**
 * Our logger for Baileys. Baileys logs message keys, JIDs and whole protocol nodes in its objects,
 * so only the message line and an error's message go through, with long numbers scrubbed, and one
 * level quieter than Baileys says (its info is chatty): operators see its warnings and errors.
 */
export function baileysLogger(log: Logger): BaileysLogger {
  const forward =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (obj: unknown, msg?: string): void => {
      if (!log.isLevelEnabled(level)) return;
      const line = typeof obj === 'string' ? obj : (msg ?? '');
      const error =
        (obj as { err?: unknown; error?: unknown } | null)?.err ?? (obj as { error?: unknown })?.error;
      const reason = error instanceof Error ? scrub(error.message) : undefined;
      log[level]({ source: 'baileys', ...(reason ? { reason } : {}) }, scrub(line));
    };
  const logger: BaileysLogger = {
    get level() {
      return log.level;
    },
    set level(_: string) {},
    child: () => logger,
    trace: forward('trace'),
    debug: forward('trace'),
    info: forward('debug'),
    warn: forward('warn'),
    error: forward('error'),
  };
  return logger;
}
