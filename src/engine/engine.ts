import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { ConversationState, FlowContext, FlowStep } from '../../flows/types.js';
import type { Database } from '../db/schema.js';
import type { InboundMessage } from '../domain/messages.js';
import { OutboundMessageSchema } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import type { ErasedResident } from '../queue/erasure.js';
import type { OutboundJob } from '../queue/payloads.js';
import { applyEffects, touchesOthers } from './effects/index.js';
import { linkLedger, lockAndEnter, pendingReplies, storable } from './ledger.js';
import { type LockedResident, lockResident, residentKey } from './residents.js';
import { type AfterCommit, flowContext, type Scene, type Tx } from './scene.js';
import { BatchWrites, type PendingReplies, replyJob } from './writes.js';

export { answerWeek } from './effects/answer-record.js';

/** The polls as the database has them, kept up to date (src/polls/live.ts). */
export interface LivePollSource {
  /** The latest version of every poll. */
  current(): FlowContext['polls'];
  /** Reloads when another process added a poll or version (cheap; checked at most now and then). */
  sync(tx: Tx): Promise<void>;
  /** One version of a poll, if known. */
  version(poll: string, version: number): ReturnType<FlowContext['polls']['get']>;
  /** The polls with the wave's poll at the version the wave pinned. */
  forWave(tx: Tx, waveId: string): Promise<FlowContext['polls']>;
}

/** What the engine needs besides the database; all fixed at start. */
export interface EngineOptions {
  db: Kysely<Database>;
  pseudonyms: Pseudonymizer;
  flow: FlowStep;
  context: Pick<FlowContext, 'config' | 'texts' | 'polls'>;
  /**
   * The polls from the database, kept up to date (checked once per batch at most every second); when
   * given they replace `context.polls`, and a resident in an open wave sees the version it pinned.
   */
  livePolls?: LivePollSource;
  /** Time zone of the day stored with answers. */
  timeZone?: string;
  /** Quiet hours, which hold messages staff start to residents (an answer, an idea's status). */
  quietHours?: QuietHours;
  clock?: () => Date;
  /**
   * Where flashes and waves confirmed by staff in a chat are fanned out, right after commit; without it
   * the scheduler's tick picks them up.
   */
  broadcastQueue?: Queue;
  /** Where photos and voice messages kept with ideas are fetched, right after commit. */
  mediaQueue?: Queue;
}

/** The result of handling one inbound message. */
export interface HandleOutcome {
  /** The message was handled before: nothing changed, `outbound` holds replies still to be queued. */
  duplicate: boolean;
  outbound: OutboundJob[];
  /** The resident was erased (VERWIJDER): after commit, their jobs go from every queue. */
  erased?: ErasedResident;
}

/**
 * Runs one flow step per inbound message inside one transaction: ledger entry, resident lock,
 * flow, effects, new state, message log and outbound rows commit together or not at all. A
 * message whose ledger entry exists already has no second effect. Each effect type has its own
 * handler (`./effects/`), which works on the message's scene (`./scene.ts`).
 */
export class Engine {
  readonly #opts: EngineOptions;
  readonly #dayFormat: Intl.DateTimeFormat;
  readonly #clock: () => Date;
  readonly #timeZone: string;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? (() => new Date());
    this.#timeZone = opts.timeZone ?? 'Europe/Amsterdam';
    this.#dayFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: this.#timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  async handle(received: InboundMessage): Promise<HandleOutcome> {
    const [outcome] = await this.handleBatch([received]);
    return outcome!;
  }

  /**
   * Handles several messages in one transaction, in order, with the same statements as one message:
   * one ledger insert, one resident lock and one final write for the whole batch. A resident who
   * comes back within the batch starts a new transaction, so each message sees the one before.
   */
  async handleBatch(received: readonly InboundMessage[]): Promise<HandleOutcome[]> {
    const outcomes: HandleOutcome[] = [];
    let run: InboundMessage[] = [];
    const seen = new Set<string>();
    for (const message of received) {
      const key = residentKey(message.channel, message.address);
      if (seen.has(key)) {
        outcomes.push(...(await this.#handleRun(run)));
        run = [];
        seen.clear();
      }
      run.push(message);
      seen.add(key);
    }
    if (run.length > 0) outcomes.push(...(await this.#handleRun(run)));
    return outcomes;
  }

  /** Messages of different residents, in one transaction. */
  async #handleRun(received: readonly InboundMessage[]): Promise<HandleOutcome[]> {
    const { db, pseudonyms } = this.#opts;
    const steps = received.map((m) => {
      const message = storable(m);
      return { message, platformKey: pseudonyms.platformKey(message.channel, message.platformId) };
    });
    let afterCommit: AfterCommit[] = [];
    const outcomes = await db.transaction().execute(async (tx): Promise<HandleOutcome[]> => {
      afterCommit = [];
      const now = this.#clock();
      await this.#opts.livePolls?.sync(tx);
      // Known residents locked and read, and the messages entered in the ledger, in one statement;
      // a message whose ledger entry exists already is a duplicate.
      const { known, ledgerIds } = await lockAndEnter(tx, steps, now);

      const writes = new BatchWrites();
      const results: (HandleOutcome | PendingReplies)[] = [];
      // Effects whose handler may touch another resident's rows (the desk): after one, later
      // messages read their resident again instead of using what was read for the whole batch.
      let stale = false;
      for (const { message, platformKey } of steps) {
        const ledgerId = ledgerIds.get(residentKey(message.channel, platformKey));
        if (ledgerId === undefined) {
          results.push({ duplicate: true, outbound: await pendingReplies(tx, message, platformKey) });
          continue;
        }
        const wasKnown = known.get(residentKey(message.channel, message.address));
        const locked = (!stale && wasKnown) || (await lockResident(tx, message, now, pseudonyms));
        // A resident created just now gets their ledger entry linked here.
        if (!wasKnown) await linkLedger(tx, ledgerId, locked.row.id);
        const step = await this.#step(tx, message, locked, ledgerId, now, writes);
        stale ||= step.touchesOthers;
        afterCommit.push(...step.afterCommit);
        results.push(step.result);
      }
      const ids = await writes.execute(tx);
      return results.map((r) => {
        if (!('pending' in r)) return r;
        const { ledgerId, residentId, message, replies, deliveries } = r.pending;
        return {
          duplicate: false,
          outbound: [
            ...replies.map((m, seq) => replyJob(ids.get(`${ledgerId}:${seq}`)!, residentId, message, m, now)),
            ...deliveries,
          ],
        };
      });
    });
    // Lost fan-out jobs are mended by the scheduler's tick, which re-queues every due broadcast not yet sent.
    const services = { broadcastQueue: this.#opts.broadcastQueue, mediaQueue: this.#opts.mediaQueue };
    for (const work of afterCommit) await work(services).catch(() => {});
    return outcomes;
  }

  /**
   * One message's flow step: context, flow, effects (each by its handler, on the message's scene);
   * what it writes besides its effects goes into the batch's final statement.
   */
  async #step(
    tx: Tx,
    message: InboundMessage,
    locked: LockedResident,
    ledgerId: string,
    now: Date,
    writes: BatchWrites,
  ): Promise<{ result: HandleOutcome | PendingReplies; afterCommit: AfterCommit[]; touchesOthers: boolean }> {
    const { pseudonyms } = this.#opts;
    const { row, state } = locked;
    const live = this.#opts.livePolls;
    const base = live ? { ...this.#opts.context, polls: live.current() } : this.#opts.context;
    let ctx = await flowContext(
      tx,
      base,
      message,
      locked,
      now,
      pseudonyms,
      live && ((p, v) => live.version(p, v)),
    );
    if (live && ctx.wave?.open) ctx = { ...ctx, polls: await live.forWave(tx, ctx.wave.id) };
    const result = this.#opts.flow((state as ConversationState | null) ?? null, message.payload, ctx);
    const replies = result.replies.map((r) => OutboundMessageSchema.parse(r));

    const scene: Scene = {
      tx,
      message,
      ledgerId,
      now,
      day: this.#dayFormat.format(now),
      timeZone: this.#timeZone,
      ...(this.#opts.quietHours && { quietHours: this.#opts.quietHours }),
      row,
      profile: ctx.resident,
      ctx,
      writes,
      respondent: () => pseudonyms.respondent(message.channel, message.address),
      deliveries: [],
      nextSeq: replies.length,
      afterCommit: [],
    };
    const step = { afterCommit: scene.afterCommit, touchesOthers: touchesOthers(result.effects) };
    await applyEffects(scene, result.effects);
    if (scene.erased) {
      // Nothing may point at the resident any more, so the goodbye goes out untracked; once it is
      // sent, the adapter forgets the address.
      const farewells = replies.map((m) => ({
        ...replyJob(null, null, message, m, now),
        farewell: true as const,
      }));
      return { ...step, result: { duplicate: false, outbound: farewells, erased: scene.erased } };
    }
    writes.recordStep({ residentId: row.id, message, ledgerId, now }, result.state, replies);
    return {
      ...step,
      result: { pending: { ledgerId, residentId: row.id, message, replies, deliveries: scene.deliveries } },
    };
  }
}
