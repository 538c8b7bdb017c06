import { PermanentSendError, RetryableSendError } from '../errors.js';

/** How long the whole WhatsApp queue waits after WhatsApp says we send too much (ms). */
export const RATE_LIMIT_PAUSE_MS = 60_000;
/** How long the queue waits while the connection is down or being replaced (ms). */
export const DISCONNECTED_PAUSE_MS = 5_000;

/** Baileys throws Boom errors; only their status code matters here. */
function statusOf(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | null)?.output;
  const code = output?.statusCode ?? (error as { data?: { code?: unknown } } | null)?.data?.code;
  return typeof code === 'number'
    ? code
    : typeof code === 'string' && /^\d+$/.test(code)
      ? Number(code)
      : undefined;
}

/**
 * Maps what Baileys throws while sending to the contract's errors. Connection trouble (closed,
 * lost, timed out, replaced, restarting, logged out and waiting to be paired again) and WhatsApp's
 * rate limit are retryable, with a pause for the whole queue; a request WhatsApp refuses as
 * malformed is permanent. Anything unknown stays a plain error, which the worker retries.
 */
export function toSendError(error: unknown): Error {
  if (error instanceof RetryableSendError || error instanceof PermanentSendError) return error;
  // Baileys' messages can name JIDs; the text ends up in logs and the outbound table.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\d{6,}/g, '[id]');
  const status = statusOf(error);
  if (status === 429 || /rate-overlimit/i.test(message)) {
    return new RetryableSendError('WhatsApp rate limit', RATE_LIMIT_PAUSE_MS);
  }
  if (
    status === 401 ||
    status === 408 ||
    status === 428 ||
    status === 440 ||
    status === 503 ||
    status === 515 ||
    /connection (closed|lost)|timed? ?out/i.test(message)
  ) {
    return new RetryableSendError(`WhatsApp connection: ${message.slice(0, 100)}`, DISCONNECTED_PAUSE_MS);
  }
  if (status === 400 || status === 406) {
    return new PermanentSendError('bad_request', `WhatsApp refused the message (${status})`);
  }
  return new Error(`WhatsApp: ${message.slice(0, 200)}`);
}
