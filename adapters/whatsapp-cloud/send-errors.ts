import { PermanentSendError, RetryableSendError } from '../errors.js';
import { GraphError, GraphUnreachableError } from './graph.js';

/** Meta's error codes the channel acts on (Cloud API error codes reference). */
export const CODES = Object.freeze({
  /** The access token expired or was revoked. */
  TOKEN: 190,
  /** The number sends more than its throughput allows. */
  THROUGHPUT: 130429,
  /** Too many messages to one person in a short time (about one per 6 s). */
  PAIR_RATE: 131056,
  /** Spam rate limit: too many of our messages were blocked or reported. */
  SPAM_RATE: 131048,
  /** More than 24 hours since the person's last message: only a template may go. */
  WINDOW_CLOSED: 131047,
  /** Message undeliverable (not on WhatsApp, old app, did not accept the terms). */
  UNDELIVERABLE: 131026,
  /** A business-scoped user id cannot be used for this recipient or message. */
  USER_ID_REFUSED: 131062,
});

/** How long the whole queue waits after a throughput error, and after a pair-rate error (ms). */
export const THROUGHPUT_PAUSE_MS = 5_000;
export const PAIR_RATE_PAUSE_MS = 6_000;

/** Codes that mean "Meta is busy or broken right now": tried again with backoff. */
const TRANSIENT = new Set([1, 2, 4, 80007, 131000, 131016, 133004]);

/** Whether an error means the access token is no longer accepted. */
export function isTokenError(error: unknown): boolean {
  return (
    error instanceof GraphError &&
    (error.code === CODES.TOKEN || (error.status === 401 && error.code === undefined))
  );
}

/**
 * Maps a failed send to the errors the outbound worker understands. Errors the adapter handles
 * itself (131047, 131048, 190) never get here. Meta's titles carry no personal data.
 */
export function toSendError(error: unknown): Error {
  if (error instanceof GraphUnreachableError) return new RetryableSendError(error.message);
  if (!(error instanceof GraphError))
    return error instanceof Error ? error : new RetryableSendError(String(error));
  if (error.code === CODES.THROUGHPUT) return new RetryableSendError(error.message, THROUGHPUT_PAUSE_MS);
  if (error.code === CODES.PAIR_RATE) return new RetryableSendError(error.message, PAIR_RATE_PAUSE_MS);
  if (error.status >= 500 || error.code === undefined || TRANSIENT.has(error.code)) {
    return new RetryableSendError(error.message);
  }
  if (error.code === CODES.UNDELIVERABLE || error.code === CODES.USER_ID_REFUSED) {
    return new PermanentSendError('invalid_address', error.message);
  }
  return new PermanentSendError('bad_request', error.message);
}
