import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds. Returns early (without throwing) when `signal` aborts, so a loop that
 * sleeps between tries stops at once on shutdown.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}

export interface BackoffOptions {
  /** The wait before the first retry (attempt 0). */
  baseMs: number;
  /** The longest wait; no cap when left out. */
  maxMs?: number;
  /**
   * The share of the wait (0–1) that is random: 0.5 waits between half and all of it, so several
   * clients that failed together do not retry in step. 0 (the default) waits exactly.
   */
  jitter?: number;
  /** Source of randomness for the jitter; `Math.random` unless a test gives its own. */
  random?: () => number;
}

/**
 * Capped exponential backoff: `baseMs`, twice that, four times … up to `maxMs`, for attempt 0, 1,
 * 2 …, in whole milliseconds. A negative attempt counts as 0.
 */
export function backoff(attempt: number, options: BackoffOptions): number {
  const { baseMs, maxMs = Number.POSITIVE_INFINITY, jitter = 0, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  if (jitter <= 0) return Math.round(ceiling);
  const share = Math.min(1, jitter);
  return Math.round(ceiling * (1 - share) + random() * ceiling * share);
}
