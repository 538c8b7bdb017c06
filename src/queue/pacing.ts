import { createHash } from 'node:crypto';
import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { sleep } from '../domain/backoff.js';
import type { ChannelName } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import { outboundQueueName } from './names.js';

/**
 * How fast a channel may send: what a channel declares (`SendPolicy` in `src/channels.ts`) and the
 * outbound worker hands to `Pacing`. Every field is optional; left out means no such limit.
 */
export interface SendPacing {
  /** Channel-wide rate: at most `max` messages per `duration` ms (all processes together). */
  limiter?: { max: number; duration: number };
  /** At least this long between two messages to the same address (ms), across all processes. */
  perAddressIntervalMs?: number;
  /**
   * At least this long between two requests to the platform from one process (ms). The limiter
   * spaces the moments jobs start; a busy moment between start and request (a database round trip,
   * a long task on the event loop) could still bunch requests, which a strict platform answers
   * with 429.
   */
  sendSpacingMs?: number;
  /**
   * Requests to the platform at most this many a second, all processes together: each request
   * reserves its moment in Redis (in Redis's clock, to the microsecond), so the moments are exactly
   * 1/rate s apart however the jobs arrive. The limiter then only needs to fetch jobs a little faster.
   */
  sendsPerSecond?: number;
  /**
   * Bulk messages (flashes, invitations, reminders) at most one per `bulkIntervalMs`, plus a random
   * 0 to `bulkJitterMs`, across all processes. Replies are not held back.
   */
  bulkIntervalMs?: number;
  bulkJitterMs?: number;
}

export interface PacingOptions extends SendPacing {
  connection: Redis;
  prefix: string;
  /** The channel being paced: its Redis keys are `<prefix>:gate:<channel>:…`. */
  channel: string;
  /** Bulk jobs picked up in quiet hours (e.g. a long send that ran into the evening) wait until they end. */
  quietHours?: QuietHours;
  clock?: () => Date;
}

/**
 * Reserves the next bulk slot: returns when this job may go (now or later) and moves the next free
 * slot one step on, so every waiting job gets its own time and is woken once.
 */
const RESERVE_BULK_SLOT = `
local now = tonumber(ARGV[1])
local step = tonumber(ARGV[2])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], slot + step, 'PX', slot + step - now + 60000)
return slot`;
/**
 * Takes one send from the channel-wide rate, on the very key (and with the same counting) BullMQ's
 * limiter uses for the channel's queue, so replies from the outbox and queued jobs share one rate.
 * Returns 0 when taken, else how long (ms) the window still runs.
 */
const TAKE_RATE = `
local max = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') >= max then
  local pttl = redis.call('PTTL', KEYS[1])
  if pttl > 0 then return pttl end
  redis.call('DEL', KEYS[1])
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
/** A reserved bulk slot still counts this many intervals late (the worker was busy with replies). */
const LATE_SLOTS = 5;

/**
 * Reserves the next moment a request to the platform may go, for all processes: returns how long the
 * caller waits (µs, Redis's clock) and moves the next free moment one step (µs) on.
 */
const RESERVE_SEND_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local step = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.0f', slot + step), 'PX', math.ceil((slot + step - now) / 1000) + 1000)
return math.floor(slot - now)`;

/** How often a caller woken too late for its moment reserves a new one before it goes anyway. */
const LATE_RESERVATIONS = 3;

/** Moments at least `intervalMs` apart, handed out in order of asking. */
export class Spacing {
  #next = 0;
  constructor(private readonly intervalMs: number) {}

  /** Resolves at this caller's moment: now, or `intervalMs` after the previous caller's. */
  async wait(): Promise<void> {
    if (this.intervalMs <= 0) return;
    const now = performance.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.intervalMs;
    // Timers count whole milliseconds from the loop's clock and may fire a little early.
    while (performance.now() < at) {
      await sleep(Math.max(1, Math.ceil(at - performance.now())));
    }
  }
}

/**
 * Moments 1/rate s apart shared by every process sending to one channel: the next free moment lives
 * in Redis. A reservation is never given back, so a caller that asked is sent.
 */
export class SharedSpacing {
  readonly #stepMicros: number;
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number,
  ) {
    this.#stepMicros = Math.round(1_000_000 / perSecond);
  }

  /**
   * Resolves at this caller's reserved moment, true when it was woken late. A caller woken well
   * after its moment (an event loop that stood still) would go together with the callers reserved
   * after it, a burst a sliding limit answers with 429: it reserves a new moment instead (a few
   * times at most).
   */
  async wait(): Promise<boolean> {
    // Up to this late the request still keeps its distance within the sliding window (rate and room).
    const lateMs = Math.min(15, (this.#stepMicros * 3) / 8000);
    let late = false;
    for (let attempt = 0; attempt < LATE_RESERVATIONS; attempt++) {
      const micros = Number(await this.redis.eval(RESERVE_SEND_SLOT, 1, this.key, this.#stepMicros));
      if (micros <= 0) return late;
      const at = performance.now() + micros / 1000;
      while (performance.now() < at) {
        await sleep(Math.max(1, Math.floor(at - performance.now())));
      }
      if (performance.now() - at <= lateMs) return late;
      late = true;
    }
    return late;
  }
}

/**
 * All pacing of one channel's outbound queue in one place: the channel-wide rate (BullMQ's limiter),
 * quiet hours for bulk, bulk slots and the per-address distance (in Redis, shared by all processes),
 * and the spacing of requests to the platform within this process. Pacing of a platform's own rules
 * that only its adapter knows (e.g. the Cloud API's daily limit) stays in that adapter.
 */
export class Pacing {
  readonly #opts: PacingOptions;
  readonly #spacing: Spacing;
  readonly #shared: SharedSpacing | undefined;

  constructor(opts: PacingOptions) {
    this.#opts = opts;
    this.#spacing = new Spacing(opts.sendSpacingMs ?? 0);
    this.#shared = opts.sendsPerSecond
      ? new SharedSpacing(opts.connection, `${opts.prefix}:gate:${opts.channel}:send`, opts.sendsPerSecond)
      : undefined;
  }

  /** The BullMQ worker option that keeps the channel-wide rate. */
  get workerOptions(): Pick<WorkerOptions, 'limiter'> {
    return this.#opts.limiter ? { limiter: this.#opts.limiter } : {};
  }

  /**
   * When this job may be sent: 0 for now (and the address's slot is claimed), else the time (ms since
   * the epoch) to move it back to delayed until. Checks, in order: quiet hours and the bulk slot (bulk
   * only), then the distance to the previous message to the same address.
   */
  async holdUntil(job: { id: string | undefined; kind: 'reply' | 'bulk' }, address: string): Promise<number> {
    if (job.kind === 'bulk') {
      const night = this.quietUntil();
      if (night > 0) return night;
      const slot = await this.#bulkSlot(job.id);
      if (slot > 0) return slot;
    }
    const wait = await this.#perAddressWait(address);
    return wait > 0 ? Date.now() + wait : 0;
  }

  /** In quiet hours, when they end (ms since the epoch, real time); 0 outside them. Bulk waits for it. */
  quietUntil(): number {
    const night = this.#opts.quietHours?.holdMs(this.#opts.clock?.() ?? new Date()) ?? 0;
    return night > 0 ? Date.now() + night : 0;
  }

  /**
   * Resolves once a send outside BullMQ (a reply from the outbox) has its place in the channel-wide
   * rate; a 429's pause (BullMQ's `rateLimit`, on the same key) holds it too.
   */
  async takeRate(signal?: AbortSignal): Promise<void> {
    const limiter = this.#opts.limiter;
    if (!limiter) return;
    const key = `${this.#opts.prefix}:${outboundQueueName(this.#opts.channel as ChannelName)}:limiter`;
    for (;;) {
      const wait = Number(await this.#opts.connection.eval(TAKE_RATE, 1, key, limiter.max, limiter.duration));
      if (wait <= 0) return;
      await sleep(wait, signal);
      signal?.throwIfAborted();
    }
  }

  /**
   * Resolves when this process may make its next request to the platform: true when the wait took
   * longer than planned (the event loop stood still), so the caller checks it still holds its job.
   */
  async beforeRequest(): Promise<boolean> {
    await this.#spacing.wait();
    return (await this.#shared?.wait()) ?? false;
  }

  /** When this bulk job may be sent: 0 for now, else the time (ms since epoch) to wait for. */
  async #bulkSlot(jobId: string | undefined): Promise<number> {
    const interval = this.#opts.bulkIntervalMs;
    if (!interval) return 0;
    const redis = this.#opts.connection;
    const base = `${this.#opts.prefix}:gate:${this.#opts.channel}:bulk`;
    const mine = `${base}:${jobId}`;
    const now = Date.now();
    let slot = Number(await redis.get(mine)) || 0;
    if (slot > now) return slot;
    // A slot long past (the gate was closed meanwhile) is not used: those would all go at once.
    if (!slot || now - slot > interval * LATE_SLOTS) {
      // Jitter is I/O-side randomness: it makes the sending pattern less machine-like.
      const step = interval + Math.floor(Math.random() * ((this.#opts.bulkJitterMs ?? 0) + 1));
      slot = Number(await redis.eval(RESERVE_BULK_SLOT, 1, base, now, step));
      await redis.set(mine, slot, 'PX', Math.max(0, slot - now) + interval * LATE_SLOTS + 60_000);
      if (slot > now) return slot;
    }
    // The slot is due, but the previous message may have gone out late: keep the distance anyway.
    const free = await redis.set(`${base}:last`, '1', 'PX', interval, 'NX');
    if (free !== 'OK') return now + Math.max(1, await redis.pttl(`${base}:last`));
    await redis.del(mine);
    return 0;
  }

  /** How long to wait before this address may get another message; 0 claims the slot now. */
  async #perAddressWait(address: string): Promise<number> {
    const interval = this.#opts.perAddressIntervalMs;
    if (!interval) return 0;
    // The key holds a hash, not the address: Redis keys show up in dashboards and dumps.
    const key = `${this.#opts.prefix}:gate:${this.#opts.channel}:${createHash('sha256').update(address).digest('base64url').slice(0, 22)}`;
    const claimed = await this.#opts.connection.set(key, '1', 'PX', interval, 'NX');
    if (claimed === 'OK') return 0;
    const ttl = await this.#opts.connection.pttl(key);
    return Math.max(1, ttl);
  }
}
