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
