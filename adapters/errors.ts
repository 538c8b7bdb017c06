/**
 * Send errors every adapter throws, so the outbound worker can decide without knowing the platform:
 * retryable ones are tried again with backoff, permanent ones never loop.
 */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
  /** Wait the platform asked for (e.g. Telegram's 429 retry_after), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Why a message can never be delivered. `blocked` marks the resident stopped. */
export type PermanentReason = 'blocked' | 'invalid_address' | 'bad_request' | 'bad_config';

export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  readonly reason: PermanentReason;
  constructor(reason: PermanentReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Not a failure: the platform cannot take this message yet (a daily limit is used up, bulk is paused
 * after a warning). The outbound worker puts the job back as delayed until `until` (ms since the
 * epoch) without counting an attempt; `reason` goes on the outbound row meanwhile, for the reports.
 */
export class DeferredSendError extends Error {
  override readonly name = 'DeferredSendError';
  readonly until: number;
  constructor(until: number, reason: string) {
    super(reason);
    this.until = until;
  }
}

/**
 * A file a resident sent is larger than the caller allows (`FetchMediaOptions.maxBytes`); found from
 * the platform's size before the download, or while reading it. Fetching again does not help.
 */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`media larger than ${maxBytes} bytes`);
  }
}

/** The platform no longer has the file, or the reference is not one of ours: fetching again does not help. */
export class MediaGoneError extends Error {
  override readonly name = 'MediaGoneError';
}
