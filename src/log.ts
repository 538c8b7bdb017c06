import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Field names that may carry personal data. Whatever the level, pino replaces them with
 * `[redacted]`, so a careless `log.info({ address })` cannot leak a phone number or chat id.
 * Debugging raw texts belongs in the message log table, which is purged after 30 days.
 */
export const REDACTED_FIELDS = [
  'address',
  'chatId',
  'chat_id',
  'phone',
  'jid',
  'lid',
  'text',
  'body',
  'message',
  'payload',
  'platformId',
  'userId',
  'token',
  'authorization',
] as const;

const redactPaths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/**
 * Creates the one logger of the process: structured JSON on stderr (stdout belongs to the CLI and
 * the console simulator).
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { app: 'straatpraat' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      // 'message' is a redacted field; keep pino's own message key distinct from it.
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * The 'error' listener for a Redis connection or a pg pool: logs what went wrong as a code and the
 * driver's first line (connection trouble such as `connect ECONNREFUSED 127.0.0.1:6379` names no
 * resident), at most once a minute per distinct reason, so a store that is down for an hour leaves
 * a line a minute rather than one per reconnect attempt. Without a listener the error would end the
 * process; the driver reconnects by itself and the work that needed it fails and is retried.
 */
export function logStoreErrors(log: Logger, what: string, everyMs = 60_000): (error: Error) => void {
  const lastLogged = new Map<string, number>();
  return (error) => {
    const code = (error as { code?: unknown }).code;
    const reason = `${typeof code === 'string' ? `${code}: ` : ''}${String(error.message).split('\n')[0]}`;
    const now = Date.now();
    const last = lastLogged.get(reason);
    if (last !== undefined && now - last < everyMs) return;
    lastLogged.set(reason, now);
    log.warn({ reason }, `${what} error`);
  };
}
