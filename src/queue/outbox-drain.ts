import type { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import type { ChannelAdapter, OutboundImage, SendGate } from '../../adapters/channel.js';
import { DeferredSendError, PermanentSendError, RetryableSendError } from '../../adapters/errors.js';
import { storedOutboundMessage } from '../db/outbound-body.js';
import type { Database } from '../db/schema.js';
import { backoff, sleep } from '../domain/backoff.js';
import type { ChannelName } from '../domain/messages.js';
import { forLanguage } from '../domain/rtl.js';
import { patchColumns } from '../engine/profile.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Pacing } from './pacing.js';
import { OUTBOUND_JOB_OPTIONS } from './queues.js';
import { recordSent } from './sent.js';

/**
 * When a claim made now runs out, to the millisecond: the value read back equals the value stored,
 * so it marks the sender that holds the row.
 */
function claimEnd(seconds: number) {
  return sql<Date>`date_trunc('milliseconds', now() + make_interval(secs => ${seconds}))`;
}

/** Rows a sender takes from the outbox at a time: replies first, then bulk messages. */
const CLAIM = 20;
/** The longest a sender waits for a signal before it looks at the outbox anyway. */
const POLL_MS = 1_000;
/** Attempts and backoff of a reply, as for a queued job. */
const ATTEMPTS = OUTBOUND_JOB_OPTIONS.attempts ?? 8;
const RETRY_BASE_MS = 2_000;

/** The Redis list that wakes a channel's sender: at most one element, pushed after a batch commits. */
export function outboxSignalKey(prefix: string, channel: ChannelName): string {
  return `${prefix}:outbox:${channel}`;
}

/**
 * Wakes the senders of these channels: one push per channel, trimmed to one element, so a signal
 * sent while a sender is busy is found when it next waits and a channel without a sender keeps one.
 */
export async function wakeSenders(
  connection: Redis,
  prefix: string,
  channels: Iterable<ChannelName>,
): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (const channel of channels) {
    const key = outboxSignalKey(prefix, channel);
    // Issued in the same turn: they leave in one write (src/queue/redis.ts).
    writes.push(connection.lpush(key, '1'), connection.ltrim(key, 0, 0));
  }
  await Promise.all(writes);
}

interface Claimed {
  id: string;
  kind: string;
  resident_id: string;
  body: unknown;
  sealed_body: Buffer | null;
  created_at: Date;
  attempts: number;
  address: string;
  language: string;
  /** The claim's end, to the millisecond: this sender's mark on the row (see `#sendAll`). */
  claimed_until: Date;
}

export interface OutboxDrainOptions {
  connection: Redis;
  prefix: string;
  adapter: ChannelAdapter;
  db: Kysely<Database>;
  pacing: Pacing;
  log: Logger;
  metrics: Metrics;
  lockMs: number;
  /** Rows sent at the same time (never two to one resident at once); 1 by default. */
  concurrency?: number;
  gate?: SendGate;
  /** A flash's picture by id (the outbound worker's cache). */
  image: (id: string) => Promise<OutboundImage | undefined>;
  /** The platform asked the whole channel to wait (a 429): pauses the channel's queue as well. */
  pauseChannel: (ms: number) => Promise<void>;
}

/**
 * A channel's sender for the outbox: the replies the engine stores and the messages a fan-out stores
 * (flashes, invitations, reminders). It takes `queued` rows whose `drain_after` has come from
 * `outbound_messages` instead of one queue job each, replies before bulk messages, claims them for
 * `lockMs` (renewed while it sends; a dead sender's claim runs out and another sender takes over),
 * and sends them with the channel's pacing (bulk messages also with quiet hours and bulk slots). A
 * resident's replies go in the order the bot wrote them: a row is taken only when no earlier reply to
 * the same resident is still waiting, and two rows to one resident never go at the same time. A
 * batch's commit (or a fan-out's page) pushes one signal (`wakeSenders`); without one, the sender
 * still looks every second.
 */
export class OutboxDrain {
  readonly #opts: OutboxDrainOptions;
  readonly #stopping = new AbortController();
  readonly #waker: Redis;
  readonly #key: string;
  #loop: Promise<void> | undefined;
  /** Sends under way, over all claimed batches: at most `concurrency`. */
  #running = 0;
  readonly #freed: (() => void)[] = [];
  /** The send last started to each resident: a later row to the same resident waits for it. */
  readonly #lastTo = new Map<string, Promise<unknown>>();
  /**
   * The sends of this sender take their places in the channel's rate one after the other, in the
   * order they were claimed (replies first): several waiting at once on the limiter would get them
   * in no order at all, and a reply could wait behind bulk messages claimed after it.
   */
  #rateTurn: Promise<unknown> = Promise.resolve();

  constructor(opts: OutboxDrainOptions) {
    this.#opts = opts;
    this.#key = outboxSignalKey(opts.prefix, opts.adapter.name as ChannelName);
    // BLPOP blocks its connection: a connection of its own.
    this.#waker = opts.connection.duplicate();
    this.#waker.on('error', () => {});
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async close(): Promise<void> {
    this.#stopping.abort();
    this.#waker.disconnect();
    await this.#loop;
  }

  get #channel(): string {
    return this.#opts.adapter.name;
  }

  async #run(): Promise<void> {
    const { log } = this.#opts;
    const signal = this.#stopping.signal;
    let failures = 0;
    const warn = (error: unknown) => {
      if (failures++ % 10 === 0)
        log.warn({ channel: this.#channel, reason: (error as Error).message }, 'outbox unavailable');
    };
    // Claimed batches still sending. The next batch is claimed once every row of the one before has
    // started, so the sends go on without a gap while a claim runs; at most two at once.
    const batches = new Set<Promise<void>>();
    while (!signal.aborted) {
      try {
        if (this.#opts.gate && !this.#opts.gate.open) {
          await Promise.allSettled(batches);
          await this.#gateOpen();
          continue;
        }
        while (batches.size >= 2) await Promise.race(batches);
        const claimed = await this.#claim();
        failures = 0;
        if (claimed.length > 0) {
          const { started, done } = this.#sendAll(claimed);
          const tracked: Promise<void> = done.catch(warn).finally(() => batches.delete(tracked));
          batches.add(tracked);
          await started;
          continue;
        }
        if (batches.size > 0) {
          await Promise.race(batches);
          continue;
        }
        await this.#waitForWork();
      } catch (error) {
        if (signal.aborted) break;
        warn(error);
        await sleep(backoff(failures, { baseMs: 100, maxMs: 5_000 }), signal);
      }
    }
    await Promise.allSettled(batches);
  }

  /** A place among the sends under way (`concurrency` in all). */
  async #slot(): Promise<void> {
    const concurrency = Math.max(1, this.#opts.concurrency ?? 1);
    while (this.#running >= concurrency) await new Promise<void>((resolve) => this.#freed.push(resolve));
    this.#running += 1;
  }

  #release(): void {
    this.#running -= 1;
    this.#freed.shift()?.();
  }

  /** Resolves when the gate opens (or the drain stops). */
  async #gateOpen(): Promise<void> {
    const gate = this.#opts.gate!;
    await new Promise<void>((resolve) => {
      const stop = gate.onChange((open) => {
        if (open) done();
      });
      const done = () => {
        stop();
        this.#stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      this.#stopping.signal.addEventListener('abort', done);
      if (gate.open) done();
    });
  }

  /** Waits for a signal, for the next row that comes due (a retry, an address's distance), or a poll. */
  async #waitForWork(): Promise<void> {
    // Per kind, each the head of its part of the outbox's index; bulk not before quiet hours end.
    const quiet = this.#opts.pacing.quietUntil();
    const next = await sql<{ at: Date | null }>`
      select least(
        (select min(drain_after) from outbound_messages
         where channel = ${this.#channel} and kind = 'reply' and status = 'queued' and drain_after is not null),
        (select greatest(min(drain_after), ${quiet > 0 ? new Date(quiet) : null}::timestamptz) from outbound_messages
         where channel = ${this.#channel} and kind = 'bulk' and status = 'queued' and drain_after is not null)
      ) as at`.execute(this.#opts.db);
    const at = next.rows[0]?.at;
    const due = at ? new Date(at).getTime() - Date.now() : POLL_MS;
    // A row due now but held by another sender, or behind an earlier reply: look again soon.
    const ms = Math.min(POLL_MS, Math.max(50, due));
    if (this.#stopping.signal.aborted) return;
    await this.#waker.blpop(this.#key, ms / 1000);
  }

  /**
   * Claims rows that are due: replies first, then bulk messages to fill the claim. A reply is taken
   * only when it is the oldest reply still waiting for its resident, and a bulk message only when no
   * reply to its resident waits before it; neither when another sender holds it. Recent replies only
   * count as earlier ones (written or due in the last ten minutes, as a failed reply queued again is),
   * so a reply whose job was lost can never block the chat for good.
   */
  async #claim(): Promise<Claimed[]> {
    const lockSeconds = this.#opts.lockMs / 1000;
    // In quiet hours bulk messages stay where they are: no claim, no place in the rate taken.
    const bulkRoom = this.#opts.pacing.quietUntil() > 0 ? 0 : CLAIM;
    const due = (kind: 'reply' | 'bulk') => sql`
        select c.id, c.drain_after, c.created_at, c.seq from outbound_messages c
        where c.channel = ${this.#channel} and c.kind = ${kind} and c.status = 'queued'
          and c.drain_after <= now()
          and (c.claimed_until is null or c.claimed_until < now())
          and not exists (
            select 1 from outbound_messages e
            where e.resident_id = c.resident_id and e.status = 'queued' and e.kind = 'reply'
              and (e.created_at, e.seq) < (c.created_at, c.seq)
              and (e.created_at > now() - interval '10 minutes'
                or e.drain_after > now() - interval '10 minutes'))
        order by c.drain_after, c.created_at, c.seq`;
    // Each part with a constant limit, so the planner walks the index and stops early; the bulk rows
    // beyond the room the replies left are only locked for this statement, not claimed.
    const result = await sql<Claimed>`
      with replies as (${due('reply')} limit ${CLAIM} for update of c skip locked),
      bulk as (${due('bulk')} limit ${bulkRoom} for update of c skip locked)
      update outbound_messages o
      set claimed_until = ${claimEnd(lockSeconds)}
      from residents r
      where r.id = o.resident_id and o.id in (
        select id from replies
        union all
        (select id from bulk order by drain_after, created_at, seq
         limit greatest(0, ${CLAIM} - (select count(*) from replies))))
      returning o.id, o.kind, o.resident_id, o.body, o.sealed_body, o.created_at, o.attempts, r.address,
        r.language, o.claimed_until`.execute(this.#opts.db);
    // Replies first, each kind in the order written.
    return result.rows.sort(
      (a, b) =>
        Number(a.kind !== 'reply') - Number(b.kind !== 'reply') ||
        new Date(a.created_at).getTime() - new Date(b.created_at).getTime(),
    );
  }

  /**
   * Sends the claimed rows, `concurrency` at a time in the order claimed (a row to a resident waits
   * for the one before it to the same resident), renewing the claim on those not sent yet. The claim's end is
   * this sender's mark: a sender that stood still longer than its claim finds a row claimed again by
   * another sender (a later end) and leaves it to that one, as a worker that lost its job's lock does.
   */
  #sendAll(claimed: Claimed[]): { started: Promise<void>; done: Promise<void> } {
    let allStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const done = this.#sendBatch(claimed, allStarted);
    void done.catch(() => {}).finally(allStarted);
    return { started, done };
  }

  async #sendBatch(claimed: Claimed[], allStarted: () => void): Promise<void> {
    const { db } = this.#opts;
    const left = new Set(claimed.map((c) => c.id));
    let mark = claimed[0]?.claimed_until;
    // Renewals and checks one after the other, so the mark is always the one in the rows.
    let queue: Promise<unknown> = Promise.resolve();
    const renew = (): Promise<Set<string>> => {
      const next = queue.then(async () => {
        if (left.size === 0 || !mark) return new Set<string>();
        // Never waits for a row lock: a row another statement holds (a cancel of its broadcast,
        // which locks every waiting row) counts as not held, so the two can never deadlock.
        const held = await sql<{ id: string; claimed_until: Date }>`
          update outbound_messages set claimed_until = ${claimEnd(this.#opts.lockMs / 1000)}
          where id in (
            select id from outbound_messages
            where id = any(${[...left]}::uuid[]) and status = 'queued' and claimed_until = ${mark}
            for update skip locked)
          returning id, claimed_until`.execute(db);
        if (held.rows[0]) mark = held.rows[0].claimed_until;
        return new Set(held.rows.map((r) => r.id));
      });
      queue = next.catch(() => {});
      return next;
    };
    const sends: Promise<unknown>[] = [];
    const timer = setInterval(
      () => void renew().catch(() => {}),
      Math.max(250, Math.floor(this.#opts.lockMs / 4)),
    );
    const holds = async (id: string) => (await renew()).has(id);
    // A few rows at a time, in order; a row waits for the one before it to the same resident.
    let stopped = false;
    const sendOne = async (row: Claimed, before: Promise<unknown> | undefined) => {
      await before;
      if (
        stopped ||
        this.#stopping.signal.aborted ||
        (this.#opts.gate !== undefined && !this.#opts.gate.open)
      ) {
        stopped = true;
        return;
      }
      const outcome = await this.#send(row, holds);
      left.delete(row.id);
      if (outcome === 'pause') stopped = true;
    };
    try {
      for (const row of claimed) {
        if (stopped) break;
        const before = this.#lastTo.get(row.resident_id);
        await this.#slot();
        if (stopped) {
          this.#release();
          break;
        }
        const sent = (async () => {
          try {
            await sendOne(row, before);
          } catch (error) {
            stopped = true;
            throw error;
          } finally {
            this.#release();
          }
        })();
        const settled = sent.catch(() => {});
        this.#lastTo.set(row.resident_id, settled);
        void settled.then(() => {
          if (this.#lastTo.get(row.resident_id) === settled) this.#lastTo.delete(row.resident_id);
        });
        sends.push(sent);
      }
      allStarted();
      await Promise.all(sends);
    } finally {
      await Promise.allSettled(sends);
      clearInterval(timer);
      await queue;
      // What was not tried goes back to the outbox as it was, unless another sender holds it now.
      if (left.size > 0 && mark) {
        // Skipping locked rows as the renewal does; a row left out keeps its claim until it runs out.
        await sql`
          update outbound_messages set claimed_until = null
          where id in (
            select id from outbound_messages
            where id = any(${[...left]}::uuid[]) and claimed_until = ${mark}
            for update skip locked)`
          .execute(db)
          .catch(() => {});
      }
    }
  }

  /** Sends one row and records what became of it; `pause` when the channel must wait. */
  async #send(row: Claimed, holds: (id: string) => Promise<boolean>): Promise<'done' | 'pause' | 'lost'> {
    const { db, adapter, metrics, pacing } = this.#opts;
    const stored = storedOutboundMessage(row);
    if (!stored) {
      await this.#settle(row.id, { status: 'failed', error: 'invalid outbound row: body' });
      return 'done';
    }
    // Right-to-left languages get a mark at the start of each line (src/domain/rtl.ts).
    const message = forLanguage(stored, row.language);
    // The channel-wide rate (and a 429's pause) first, then the distance to this address: taken the
    // other way round, a long wait for the rate after the address's slot was claimed let the next
    // message to the same chat follow this one too closely.
    try {
      const turn = this.#rateTurn.then(() => pacing.takeRate(this.#stopping.signal));
      this.#rateTurn = turn.catch(() => {});
      await turn;
    } catch {
      // Stopping: the claim runs out and another sender takes the row.
      return 'pause';
    }
    const kind = row.kind === 'bulk' ? 'bulk' : 'reply';
    // Quiet hours and the bulk slot (bulk only), then the distance to this address.
    const hold = await pacing.holdUntil({ id: row.id, kind }, row.address);
    if (hold > 0) {
      // The row must wait: back to the outbox until then; its later replies wait behind it.
      await this.#settle(row.id, { drainAfter: new Date(hold) });
      return 'done';
    }
    const stopTimer = metrics.duration.startTimer({ queue: `outbound-${adapter.name}` });
    try {
      // Checked before the wait for the request's moment, so the request leaves right at that
      // moment, and again after a wait that took too long.
      if (!(await holds(row.id))) return this.#lost(row);
      if ((await pacing.beforeRequest()) && !(await holds(row.id))) return this.#lost(row);
      const image =
        message.kind === 'text' && message.image ? await this.#opts.image(message.image.id) : undefined;
      const result = await adapter.send(row.address, message, {
        outboundId: row.id,
        residentId: row.resident_id,
        kind,
        ...(image && { image }),
      });
      metrics.sent.inc({ channel: adapter.name, kind });
      metrics.processed.inc({ queue: `outbound-${adapter.name}` });
      if (kind === 'reply')
        metrics.replyLatency.observe(
          { channel: adapter.name },
          (Date.now() - new Date(row.created_at).getTime()) / 1000,
        );
      await recordSent(db, row.id, result.platformMessageId, { fromOutbox: true });
      return 'done';
    } catch (error) {
      return await this.#failed(row, error as Error);
    } finally {
      stopTimer();
    }
  }

  /** Another sender claimed the row while this one stood still: that one sends it. */
  #lost(row: Claimed): 'lost' {
    this.#opts.log.warn(
      { channel: this.#channel, outboundId: row.id },
      'message left: its claim ran out before sending',
    );
    return 'lost';
  }

  async #failed(row: Claimed, error: Error): Promise<'done' | 'pause'> {
    const { db, adapter, metrics, log } = this.#opts;
    if (this.#stopping.signal.aborted && error.name === 'AbortError') {
      // Stopped while waiting for the rate: not sent, back to the outbox as it was.
      await this.#settle(row.id, {});
      return 'pause';
    }
    const reason = error.message.slice(0, 500);
    if (error instanceof DeferredSendError) {
      // Not a failure: the platform cannot take it yet (a daily limit); no attempt counted.
      await this.#settle(row.id, {
        drainAfter: new Date(Math.max(error.until, Date.now() + 1)),
        error: reason,
      });
      return 'done';
    }
    metrics.failed.inc({ queue: `outbound-${adapter.name}` });
    if (error instanceof PermanentSendError) {
      metrics.sendFailures.inc({ channel: adapter.name, retryable: 'false' });
      if (error.reason === 'blocked') {
        await db
          .updateTable('residents')
          .set(patchColumns({ status: 'stopped' }, new Date()))
          .where('id', '=', row.resident_id)
          .execute();
      }
      await this.#settle(row.id, { status: 'failed', attempt: true, error: `${error.reason}: ${reason}` });
      return 'done';
    }
    metrics.sendFailures.inc({ channel: adapter.name, retryable: 'true' });
    if (error instanceof RetryableSendError && error.retryAfterMs !== undefined) {
      // The platform asked the whole channel to wait: this row and the channel's queue wait.
      await this.#settle(row.id, { drainAfter: new Date(Date.now() + error.retryAfterMs), error: reason });
      await this.#opts.pauseChannel(error.retryAfterMs);
      return 'pause';
    }
    const attempts = row.attempts + 1;
    if (attempts >= ATTEMPTS) {
      log.warn({ channel: adapter.name, reason }, 'reply failed after its last attempt');
      await this.#settle(row.id, { status: 'failed', attempt: true, error: reason });
    } else {
      const wait = RETRY_BASE_MS * 2 ** (attempts - 1);
      await this.#settle(row.id, { drainAfter: new Date(Date.now() + wait), attempt: true, error: reason });
    }
    return 'done';
  }

  /** Gives a row back to the outbox (due again at `drainAfter`) or records it failed. */
  async #settle(
    id: string,
    change: { status?: 'failed'; drainAfter?: Date; attempt?: boolean; error?: string },
  ): Promise<void> {
    await this.#opts.db
      .updateTable('outbound_messages')
      .set((eb) => ({
        claimed_until: null,
        // A failed reply keeps its `drain_after`: it marks the row as the outbox's, which
        // `straatpraat queue retry` can put back (src/queue/outbox-ops.ts).
        ...(change.status && { status: change.status }),
        ...(change.drainAfter && { drain_after: change.drainAfter }),
        ...(change.attempt && { attempts: eb('attempts', '+', 1) }),
        ...(change.error !== undefined && { error: change.error }),
      }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  }
}
