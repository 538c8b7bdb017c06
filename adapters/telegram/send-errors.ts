import { GrammyError, HttpError } from 'grammy';
import { PermanentSendError, RetryableSendError } from '../errors.js';

/** Telegram's 429 without `retry_after` (not seen in practice): wait a second, like its per-chat limit. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * Maps a failed Bot API call to the send errors the outbound worker understands. Telegram's
 * descriptions are stable enough to match on ("Forbidden: bot was blocked by the user"), and
 * carry no personal data, so they are kept in the message.
 */
export function toSendError(error: unknown): Error {
  if (error instanceof GrammyError) {
    const code = error.error_code;
    const what = `telegram ${code}: ${error.description}`;
    if (code === 429) {
      const seconds = error.parameters?.retry_after;
      return new RetryableSendError(what, seconds !== undefined ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS);
    }
    // Blocked, deactivated account, kicked, or never started the bot: nothing will get through.
    if (code === 403) return new PermanentSendError('blocked', what);
    if (code === 400) {
      if (/chat not found|user not found|peer_id_invalid|chat_id is empty/i.test(error.description)) {
        return new PermanentSendError('invalid_address', what);
      }
      return new PermanentSendError('bad_request', what);
    }
    // A wrong or revoked token: 401 from Telegram, 404 because the URL holds the token.
    if (code === 401 || code === 404) return new PermanentSendError('bad_config', what);
    if (code >= 500) return new RetryableSendError(what);
    return new PermanentSendError('bad_request', what);
  }
  if (error instanceof HttpError) {
    // grammY's message names the method but never the URL, which holds the token.
    return new RetryableSendError(`telegram unreachable: ${error.message}`);
  }
  return error instanceof Error ? error : new RetryableSendError(String(error));
}
