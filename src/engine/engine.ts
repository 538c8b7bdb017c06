import type { Queue } from 'bullmq';
import type { Kysely, Transaction } from 'kysely';
import { parseKeyword } from '../../flows/parse/keywords.js';
import type {
  ConversationState,
  Effect,
  FlowContext,
  FlowStep,
  StoredDataCounts,
} from '../../flows/types.js';
import { queueFanOut } from '../broadcast/fanout.js';
import {
  applyBroadcastEffect,
  broadcastContextOf,
  broadcastContextSql,
} from '../broadcast/resident-context.js';
import type { Database, ResidentRow } from '../db/schema.js';
import { applyDeskAction, type DeskOutcome, deskOutcome } from '../desk/actions.js';
import type { FanOutRequest } from '../desk/broadcasts.js';
import { countJoin } from '../desk/join-links.js';
import { deskContext } from '../desk/preload.js';
import type { InboundMessage, InboundPayload, OutboundMessage } from '../domain/messages.js';
import { OutboundMessageSchema } from '../domain/messages.js';
import { defaultOfficeHours } from '../domain/office-hours.js';
import type { ResidentProfile } from '../domain/resident.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import { scrub } from '../privacy/scrub.js';
import type { OutboundJob } from '../queue/payloads.js';
import { applyPatch, patchColumns, profileOf } from './profile.js';

type Tx = Transaction<Database>;

/** What the engine needs besides the database; all fixed at start. */
export interface EngineOptions {
  db: Kysely<Database>;
  pseudonyms: Pseudonymizer;
  flow: FlowStep;
  context: Pick<FlowContext, 'config' | 'texts' | 'polls'>;
  /** Time zone of the day stored with answers. */
  timeZone?: string;
  clock?: () => Date;
  /**
   * Where flashes and waves confirmed by staff in a chat are fanned out, right after commit; without it
   * the scheduler's tick picks them up.
   */
  broadcastQueue?: Queue;
}

/** The result of handling one inbound message. */
export interface HandleOutcome {
  /** The message was handled before: nothing changed, `outbound` holds replies still to be queued. */
  duplicate: boolean;
  outbound: OutboundJob[];
}

const MAX_LOGGED = 10_000;

// Half of a surrogate pair: what a cut-off emoji or a binary payload leaves behind.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** PostgreSQL text and jsonb hold neither NUL nor half a surrogate pair; a resident's text may. */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

function storable(message: InboundMessage): InboundMessage {
  const { payload } = message;
  if (payload.kind === 'text')
    return { ...message, payload: { ...payload, text: storableText(payload.text) } };
  if (payload.kind === 'command')
    return { ...message, payload: { ...payload, args: storableText(payload.args) } };
  return message;
}

/** GEGEVENS needs counts from the database; only then does the engine look them up. */
function asksForStoredData(payload: InboundPayload): boolean {
  if (payload.kind === 'text') return parseKeyword(payload.text) === 'my_data';
  return payload.kind === 'command' && parseKeyword(payload.name) === 'my_data';
}

/** How a payload is written in the debugging message log. */
function describeInbound(payload: InboundPayload): string {
  switch (payload.kind) {
    case 'text':
      return payload.text;
    case 'choice':
      return `[button ${payload.ref}=${payload.value}]`;
    case 'poll_vote':
      return `[vote ${payload.ref}=${payload.values.join(',')}]`;
    case 'command':
      return `/${payload.name}${payload.args ? ` ${payload.args}` : ''}`;
  }
}

function describeOutbound(message: OutboundMessage): string {
  return message.kind === 'text'
    ? message.text
    : `${message.text}\n${message.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
}

/**
 * Runs one flow step per inbound message inside one transaction: ledger entry, resident lock,
 * flow, effects, new state, message log and outbound rows commit together or not at all. A
 * message whose ledger entry exists already has no second effect.
 */
export class Engine {
  readonly #opts: EngineOptions;
  readonly #dayFormat: Intl.DateTimeFormat;
  readonly #clock: () => Date;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? (() => new Date());
    this.#dayFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: opts.timeZone ?? 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  }

  async handle(received: InboundMessage): Promise<HandleOutcome> {
    const message = storable(received);
    const { db, pseudonyms } = this.#opts;
    const platformKey = pseudonyms.platformKey(message.channel, message.platformId);
    let fanOuts: FanOutRequest[] = [];
    const outcome = await db.transaction().execute(async (tx): Promise<HandleOutcome> => {
      const ledger = await tx
        .insertInto('inbound_ledger')
        .values({ channel: message.channel, platform_key: platformKey })
        .onConflict((oc) => oc.columns(['channel', 'platform_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!ledger) return { duplicate: true, outbound: await this.#pendingFor(tx, message, platformKey) };

      const now = this.#clock();
      const { row, isNew, state, broadcast } = await this.#lockResident(tx, message, now);
      const stateRow = state === null ? undefined : { state };
      const ctx: FlowContext = {
        ...this.#opts.context,
        now,
        resident: profileOf(row),
        isNewResident: isNew,
        ...(message.hints?.languageCode && { languageHint: message.hints.languageCode }),
        ...(asksForStoredData(message.payload) && {
          storedData: await this.#storedData(tx, row.id, message),
        }),
        // Read with the row lock; a resident seen for the first time cannot have had a broadcast yet.
        ...broadcast,
        // Staff and help requests; no query at all for an ordinary resident message.
        ...(await deskContext(tx, {
          channel: message.channel,
          address: message.address,
          residentId: row.id,
          isNew,
          state: stateRow?.state ?? null,
          payload: message.payload,
          now,
        })),
      };
      const result = this.#opts.flow(
        (stateRow?.state as ConversationState | undefined) ?? null,
        message.payload,
        ctx,
      );
      const replies = result.replies.map((r) => OutboundMessageSchema.parse(r));

      const desk = deskOutcome(replies.length);
      const erased = await this.#applyEffects(tx, row, ctx, result.effects, message, now, ledger.id, desk);
      fanOuts = desk.fanOuts;
      if (erased) {
        // Nothing may point at the resident any more, so the goodbye goes out untracked.
        return {
          duplicate: false,
          outbound: replies.map((m) => this.#job(null, null, message, m, now)),
        };
      }
      // State, ledger link, message log and replies in one statement: one round trip, not four.
      const stateJson = JSON.stringify(result.state);
      const writes = tx
        .with('saved_state', (qb) =>
          qb
            .insertInto('conversations')
            .values({ resident_id: row.id, state: stateJson, updated_at: now })
            .onConflict((oc) => oc.column('resident_id').doUpdateSet({ state: stateJson, updated_at: now }))
            .returning('resident_id'),
        )
        .with('linked', (qb) =>
          qb
            .updateTable('inbound_ledger')
            .set({ resident_id: row.id })
            .where('id', '=', ledger.id)
            .returning('id'),
        )
        .with('logged', (qb) =>
          qb
            .insertInto('message_log')
            .values([
              {
                resident_id: row.id,
                direction: 'in',
                body: describeInbound(message.payload).slice(0, MAX_LOGGED),
              },
              ...replies.map((m) => ({
                resident_id: row.id,
                direction: 'out' as const,
                body: describeOutbound(m).slice(0, MAX_LOGGED),
              })),
            ])
            .returning('id'),
        );
      if (replies.length === 0) {
        await writes.selectFrom('saved_state').select('resident_id').execute();
        return { duplicate: false, outbound: desk.deliveries };
      }
      const ids = await writes
        .insertInto('outbound_messages')
        .values(
          replies.map((m, seq) => ({
            resident_id: row.id,
            channel: message.channel,
            kind: 'reply',
            body: JSON.stringify(m),
            inbound_id: ledger.id,
            seq,
            created_at: now,
          })),
        )
        .returning(['id', 'seq'])
        .execute();
      ids.sort((a, b) => a.seq - b.seq);
      return {
        duplicate: false,
        outbound: [
          ...ids.map(({ id }, i) => this.#job(id, row.id, message, replies[i]!, now)),
          ...desk.deliveries,
        ],
      };
    });
    // Lost jobs are mended by the scheduler's tick, which re-queues every due broadcast not yet sent.
    const queue = this.#opts.broadcastQueue;
    if (queue) {
      for (const f of fanOuts) await queueFanOut(queue, f.broadcastId, f.delayMs).catch(() => {});
    }
    return outcome;
  }

  #job(
    outboundId: string | null,
    residentId: string | null,
    message: InboundMessage,
    body: OutboundMessage,
    now: Date,
  ): OutboundJob {
    return {
      outboundId,
      residentId,
      channel: message.channel,
      address: message.address,
      kind: 'reply',
      message: body,
      queuedAt: now.getTime(),
    };
  }

  /** What is stored about a resident besides the profile, for GEGEVENS. */
  async #storedData(tx: Tx, residentId: string, message: InboundMessage): Promise<StoredDataCounts> {
    const respondent = this.#opts.pseudonyms.respondent(message.channel, message.address);
    const count = (n: { n: number | string } | undefined) => Number(n?.n ?? 0);
    const [answers, ideas, messages, helpRequests] = await Promise.all([
      tx
        .selectFrom('answers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('respondent', '=', respondent)
        .executeTakeFirst(),
      tx
        .selectFrom('ideas')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resident_id', '=', residentId)
        .executeTakeFirst(),
      tx
        .selectFrom('message_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resident_id', '=', residentId)
        .executeTakeFirst(),
      tx
        .selectFrom('help_requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resident_id', '=', residentId)
        .executeTakeFirst(),
    ]);
    return {
      answers: count(answers),
      ideas: count(ideas),
      messages: count(messages),
      helpRequests: count(helpRequests),
    };
  }

  /** Replies of an already handled message that may not have reached the queue before a crash. */
  async #pendingFor(tx: Tx, message: InboundMessage, platformKey: string): Promise<OutboundJob[]> {
    const rows = await tx
      .selectFrom('outbound_messages as o')
      .innerJoin('inbound_ledger as l', 'l.id', 'o.inbound_id')
      .innerJoin('residents as r', 'r.id', 'o.resident_id')
      .select(['o.id', 'o.resident_id', 'o.channel', 'o.body', 'o.created_at', 'r.address'])
      .where('l.channel', '=', message.channel)
      .where('l.platform_key', '=', platformKey)
      .where('o.status', '=', 'queued')
      .orderBy('o.seq')
      .execute();
    return rows.map((r) => ({
      outboundId: r.id,
      residentId: r.resident_id,
      // A staff member's reply to a resident may go out on another channel than it came in on.
      channel: r.channel as OutboundJob['channel'],
      address: r.address,
      kind: 'reply' as const,
      message: OutboundMessageSchema.parse(r.body),
      queuedAt: new Date(r.created_at).getTime(),
    }));
  }

  /**
   * Locks the resident's row and reads their conversation state in one query; a resident seen for
   * the first time is created (two deliveries racing for a new resident end up here one after the
   * other, thanks to the unique key).
   */
  async #lockResident(
    tx: Tx,
    message: InboundMessage,
    now: Date,
  ): Promise<{
    row: ResidentRow;
    isNew: boolean;
    state: unknown | null;
    broadcast: ReturnType<typeof broadcastContextOf>;
  }> {
    const existing = await tx
      .selectFrom('residents as r')
      .leftJoin('conversations as c', 'c.resident_id', 'r.id')
      .selectAll('r')
      .select('c.state as conversation_state')
      .select(broadcastContextSql('r.id', now).as('broadcast_context'))
      .where('r.channel', '=', message.channel)
      .where('r.address', '=', message.address)
      .forUpdate('r')
      .executeTakeFirst();
    if (existing) {
      const { conversation_state, broadcast_context, ...row } = existing;
      return {
        row,
        isNew: false,
        state: conversation_state ?? null,
        broadcast: broadcastContextOf(broadcast_context),
      };
    }
    const inserted = await tx
      .insertInto('residents')
      .values({ channel: message.channel, address: message.address })
      .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, isNew: true, state: null, broadcast: {} };
    return this.#lockResident(tx, message, now);
  }

  /** Applies effects in order; returns true when the resident was erased. */
  async #applyEffects(
    tx: Tx,
    row: ResidentRow,
    ctx: FlowContext,
    effects: readonly Effect[],
    message: InboundMessage,
    now: Date,
    inboundId: string,
    desk: DeskOutcome,
  ): Promise<boolean> {
    let profile: ResidentProfile = ctx.resident;
    const respondent = () => this.#opts.pseudonyms.respondent(message.channel, message.address);
    for (const effect of effects) {
      switch (effect.type) {
        case 'resident.update':
          profile = applyPatch(profile, effect.patch);
          await tx
            .updateTable('residents')
            .set(patchColumns(effect.patch, now))
            .where('id', '=', row.id)
            .execute();
          // Joining through a flyer link (consent given with a join source) counts for that link.
          if (effect.patch.joinSource && effect.patch.consentAt) {
            await countJoin(tx, message.channel, effect.patch.joinSource, this.#dayFormat.format(now));
          }
          break;
        case 'answer.record':
          await tx
            .insertInto('answers')
            .values({
              respondent: respondent(),
              wave_id: effect.waveId ?? null,
              wave_key: effect.waveId ?? '',
              poll: effect.poll,
              question: effect.question,
              indicator: effect.indicator ?? null,
              answer_code: effect.answerCode ?? null,
              answer_number: effect.answerNumber ?? null,
              text: effect.text === undefined ? null : scrub(effect.text),
              area: profile.area,
              age_group: profile.ageGroup,
              language: profile.language,
              channel: message.channel,
              answered_on: this.#dayFormat.format(now),
            })
            .onConflict((oc) => oc.constraint('answers_once_key').doNothing())
            .execute();
          break;
        case 'idea.store':
          await tx
            .insertInto('ideas')
            .values({
              resident_id: row.id,
              text: scrub(effect.text),
              theme: effect.theme,
              area: profile.area,
              language: profile.language,
              created_at: now,
              updated_at: now,
            })
            .execute();
          break;
        case 'wave.progress':
        case 'flash.rsvp':
        case 'session.question':
          await applyBroadcastEffect(tx, row.id, effect, now, this.#dayFormat.format(now));
          break;
        case 'desk':
          await applyDeskAction(
            tx,
            effect.action,
            {
              residentId: row.id,
              area: profile.area,
              staff: ctx.staff,
              inboundId,
              now,
              config: ctx.config.desk ?? {
                officeHours: defaultOfficeHours(),
                timeZone: this.#opts.timeZone ?? 'Europe/Amsterdam',
              },
              render: ctx,
              polls: ctx.polls,
            },
            desk,
          );
          break;
        case 'resident.erase':
          await tx.deleteFrom('answers').where('respondent', '=', respondent()).execute();
          await tx.deleteFrom('residents').where('id', '=', row.id).execute();
          return true;
      }
    }
    return false;
  }
}
