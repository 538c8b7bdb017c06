import type { Queue } from 'bullmq';
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
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
import type { AnswersTable, Database, OutboundMessagesTable, ResidentRow } from '../db/schema.js';
import { LOG_BODY } from '../db/sealed-columns.js';
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
import { seal } from '../privacy/sealed.js';
import type { ErasedResident } from '../queue/erasure.js';
import type { OutboundJob } from '../queue/payloads.js';
import { adoptLinkedResident } from './channel-move.js';
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
  /** The resident was erased (VERWIJDER): after commit, their jobs go from every queue. */
  erased?: ErasedResident;
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

/** How a payload is written in the debugging message log (sealed: it holds what the resident wrote). */
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
    case 'media':
      return `[${payload.media}]`;
  }
}

function describeOutbound(message: OutboundMessage): string {
  return message.kind === 'text'
    ? message.text
    : `${message.text}\n${message.options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}`;
}

/** How a resident (or a platform message) is keyed within a batch. */
const residentKey = (channel: string, address: string) => `${channel}\u0000${address}`;

/** Effects that write only the resident's own rows (and counters no flow reads). */
const OWN_ROWS_ONLY = new Set<Effect['type']>([
  'resident.update',
  'answer.record',
  'idea.store',
  'wave.progress',
  'flash.rsvp',
  'session.question',
  'resident.erase',
]);

/** A resident's row, locked, with what the flow reads besides. */
interface LockedResident {
  row: ResidentRow;
  isNew: boolean;
  state: unknown | null;
  broadcast: ReturnType<typeof broadcastContextOf>;
}

/** A handled message whose replies get their outbound ids from the batch's final statement. */
interface PendingReplies {
  pending: {
    ledgerId: string;
    residentId: string;
    message: InboundMessage;
    replies: OutboundMessage[];
    deliveries: OutboundJob[];
  };
}

/**
 * What a batch writes after its flows: answers, states, message log and replies, in one statement
 * (one round trip for the whole batch, not four per message).
 */
class BatchWrites {
  answers: Insertable<AnswersTable>[] = [];
  readonly states: { resident_id: string; state: string; updated_at: Date }[] = [];
  readonly log: { resident_id: string; direction: 'in' | 'out'; body: Buffer }[] = [];
  readonly outbound: Insertable<OutboundMessagesTable>[] = [];

  /** An erased resident's answers of this batch are not written at all. */
  dropAnswers(respondent: string): void {
    this.answers = this.answers.filter((a) => a.respondent !== respondent);
  }

  /** Writes everything; returns the outbound ids by `<ledger id>:<seq>`. */
  async execute(tx: Tx): Promise<Map<string, string>> {
    const { answers, states, log, outbound } = this;
    // Every message handled (not a duplicate, not an erasure) leaves a state and a log line.
    if (states.length === 0) return new Map();
    const base = tx
      .with('saved_state', (qb) =>
        qb
          .insertInto('conversations')
          .values(states)
          .onConflict((oc) =>
            oc.column('resident_id').doUpdateSet((eb) => ({
              state: eb.ref('excluded.state'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .returning('resident_id'),
      )
      .with('logged', (qb) => qb.insertInto('message_log').values(log).returning('id'));
    // The answers' CTE is not referenced afterwards, so the query keeps the same type without it.
    const query =
      answers.length === 0
        ? base
        : (base.with('answered', (qb) =>
            qb
              .insertInto('answers')
              .values(answers)
              .onConflict((oc) => oc.constraint('answers_once_key').doNothing())
              .returning('id'),
          ) as unknown as typeof base);
    if (outbound.length === 0) {
      await query.selectFrom('saved_state').select('resident_id').execute();
      return new Map();
    }
    const ids = await query
      .insertInto('outbound_messages')
      .values(outbound)
      .returning(['id', 'inbound_id', 'seq'])
      .execute();
    return new Map(ids.map((r) => [`${r.inbound_id}:${r.seq}`, r.id]));
  }
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
    let fanOuts: FanOutRequest[] = [];
    const outcomes = await db.transaction().execute(async (tx): Promise<HandleOutcome[]> => {
      fanOuts = [];
      const now = this.#clock();
      // Known residents locked and read in one query, their messages entered in the ledger in one
      // more; a message whose ledger entry exists already is a duplicate.
      const known = await this.#lockResidents(
        tx,
        steps.map((s) => s.message),
        now,
      );
      const entered = await tx
        .insertInto('inbound_ledger')
        .values(
          steps.map(({ message, platformKey }) => ({
            channel: message.channel,
            platform_key: platformKey,
            resident_id: known.get(residentKey(message.channel, message.address))?.row.id ?? null,
          })),
        )
        .onConflict((oc) => oc.columns(['channel', 'platform_key']).doNothing())
        .returning(['id', 'channel', 'platform_key'])
        .execute();
      const ledgerIds = new Map(entered.map((e) => [residentKey(e.channel, e.platform_key), e.id]));

      const writes = new BatchWrites();
      const results: (HandleOutcome | PendingReplies)[] = [];
      // Effects other than these may touch another resident's rows (the desk): after one, later
      // messages read their resident again instead of using what was read for the whole batch.
      let stale = false;
      for (const { message, platformKey } of steps) {
        const ledgerId = ledgerIds.get(residentKey(message.channel, platformKey));
        if (ledgerId === undefined) {
          results.push({ duplicate: true, outbound: await this.#pendingFor(tx, message, platformKey) });
          continue;
        }
        const wasKnown = known.get(residentKey(message.channel, message.address));
        const locked = (!stale && wasKnown) || (await this.#lockResident(tx, message, now));
        // A resident created just now gets their ledger entry linked here.
        if (!wasKnown) {
          await tx
            .updateTable('inbound_ledger')
            .set({ resident_id: locked.row.id })
            .where('id', '=', ledgerId)
            .execute();
        }
        const step = await this.#step(tx, message, locked, ledgerId, now, writes);
        stale ||= step.touchesOthers;
        fanOuts.push(...step.fanOuts);
        results.push(step.result);
      }
      const ids = await writes.execute(tx);
      return results.map((r) => {
        if (!('pending' in r)) return r;
        return {
          duplicate: false,
          outbound: [
            ...r.pending.replies.map((m, seq) =>
              this.#job(
                ids.get(`${r.pending.ledgerId}:${seq}`)!,
                r.pending.residentId,
                r.pending.message,
                m,
                now,
              ),
            ),
            ...r.pending.deliveries,
          ],
        };
      });
    });
    // Lost jobs are mended by the scheduler's tick, which re-queues every due broadcast not yet sent.
    const queue = this.#opts.broadcastQueue;
    if (queue) {
      for (const f of fanOuts) await queueFanOut(queue, f.broadcastId, f.delayMs).catch(() => {});
    }
    return outcomes;
  }

  /**
   * One message's flow step: context, flow, effects; what it writes besides its effects goes into
   * the batch's final statement.
   */
  async #step(
    tx: Tx,
    message: InboundMessage,
    locked: LockedResident,
    ledgerId: string,
    now: Date,
    writes: BatchWrites,
  ): Promise<{ result: HandleOutcome | PendingReplies; fanOuts: FanOutRequest[]; touchesOthers: boolean }> {
    const { row, isNew, state, broadcast } = locked;
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
        state,
        payload: message.payload,
        now,
      })),
    };
    const result = this.#opts.flow((state as ConversationState | null) ?? null, message.payload, ctx);
    const replies = result.replies.map((r) => OutboundMessageSchema.parse(r));
    const touchesOthers = result.effects.some((e) => !OWN_ROWS_ONLY.has(e.type));

    const desk = deskOutcome(replies.length);
    const erased = await this.#applyEffects(
      tx,
      row,
      ctx,
      result.effects,
      message,
      now,
      ledgerId,
      desk,
      writes,
    );
    if (erased) {
      // Nothing may point at the resident any more, so the goodbye goes out untracked; once it is
      // sent, the adapter forgets the address.
      return {
        result: {
          duplicate: false,
          outbound: replies.map((m) => ({
            ...this.#job(null, null, message, m, now),
            farewell: true as const,
          })),
          erased,
        },
        fanOuts: desk.fanOuts,
        touchesOthers,
      };
    }
    writes.states.push({ resident_id: row.id, state: JSON.stringify(result.state), updated_at: now });
    writes.log.push(
      {
        resident_id: row.id,
        direction: 'in',
        body: seal(describeInbound(message.payload).slice(0, MAX_LOGGED), LOG_BODY),
      },
      ...replies.map((m) => ({
        resident_id: row.id,
        direction: 'out' as const,
        body: seal(describeOutbound(m).slice(0, MAX_LOGGED), LOG_BODY),
      })),
    );
    writes.outbound.push(
      ...replies.map((m, seq) => ({
        resident_id: row.id,
        channel: message.channel,
        kind: 'reply',
        body: JSON.stringify(m),
        inbound_id: ledgerId,
        seq,
        created_at: now,
      })),
    );
    return {
      result: {
        pending: { ledgerId, residentId: row.id, message, replies, deliveries: desk.deliveries },
      },
      fanOuts: desk.fanOuts,
      touchesOthers,
    };
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
   * Locks the rows of the residents who wrote (in id order, so two transactions cannot wait for each
   * other) and reads their conversation state and broadcast context, in one query. NO KEY UPDATE:
   * a fan-out inserting rows that refer to a resident is not held up by a conversation.
   */
  async #lockResidents(
    tx: Tx,
    messages: readonly InboundMessage[],
    now: Date,
  ): Promise<Map<string, LockedResident>> {
    const rows = await tx
      .selectFrom('residents as r')
      .leftJoin('conversations as c', 'c.resident_id', 'r.id')
      .selectAll('r')
      .select('c.state as conversation_state')
      .select(broadcastContextSql('r.id', now).as('broadcast_context'))
      .where(
        sql<boolean>`(r.channel, r.address) in (select * from unnest(${messages.map((m) => m.channel)}::text[], ${messages.map((m) => m.address)}::text[]))`,
      )
      .orderBy('r.id')
      .forNoKeyUpdate('r')
      .execute();
    const locked = new Map<string, LockedResident>();
    for (const { conversation_state, broadcast_context, ...row } of rows) {
      locked.set(residentKey(row.channel, row.address), {
        row,
        isNew: false,
        state: conversation_state ?? null,
        broadcast: broadcastContextOf(broadcast_context),
      });
    }
    return locked;
  }

  /**
   * Locks one resident's row and reads their conversation state; a resident seen for the first time
   * is created (two deliveries racing for a new resident end up here one after the other, thanks to
   * the unique key).
   */
  async #lockResident(tx: Tx, message: InboundMessage, now: Date): Promise<LockedResident> {
    const existing = (await this.#lockResidents(tx, [message], now)).get(
      residentKey(message.channel, message.address),
    );
    if (existing) return existing;
    const moved = await adoptLinkedResident(tx, message, this.#opts.pseudonyms);
    if (moved)
      return (await this.#lockResidents(tx, [message], now)).get(
        residentKey(message.channel, message.address),
      )!;
    const inserted = await tx
      .insertInto('residents')
      .values({ channel: message.channel, address: message.address })
      .onConflict((oc) => oc.columns(['channel', 'address']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted, isNew: true, state: null, broadcast: {} };
    return this.#lockResident(tx, message, now);
  }

  /** Applies effects in order; returns what the queues must forget when the resident was erased. */
  async #applyEffects(
    tx: Tx,
    row: ResidentRow,
    ctx: FlowContext,
    effects: readonly Effect[],
    message: InboundMessage,
    now: Date,
    inboundId: string,
    desk: DeskOutcome,
    writes: BatchWrites,
  ): Promise<ErasedResident | undefined> {
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
          // Written with the rest of the batch, in its final statement.
          writes.answers.push({
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
            // No channel, and the week rather than the day: the identity store knows both of a
            // resident (their address's channel, the day they joined or were invited).
            channel: null,
            answered_on: answerWeek(this.#dayFormat.format(now)),
          });
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
        case 'resident.erase': {
          writes.dropAnswers(respondent());
          await tx.deleteFrom('answers').where('respondent', '=', respondent()).execute();
          // Sent rows' jobs were removed when they finished; the others may still be in Redis.
          const outbound = await tx
            .deleteFrom('outbound_messages')
            .where('resident_id', '=', row.id)
            .where('status', 'in', ['queued', 'failed'])
            .returning(['id', 'channel'])
            .execute();
          await tx.deleteFrom('residents').where('id', '=', row.id).execute();
          return {
            channel: message.channel,
            address: message.address,
            outbound: outbound.map((o) => ({ channel: o.channel as ErasedResident['channel'], id: o.id })),
          };
        }
      }
    }
    return undefined;
  }
}

/**
 * The day stored with an answer: the Monday of its week, or the first of the month when that Monday
 * falls in the month before (so onboarding months stay whole). `day` is YYYY-MM-DD.
 */
export function answerWeek(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const sinceMonday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return `${day.slice(0, 8)}${String(Math.max(1, d - sinceMonday)).padStart(2, '0')}`;
}
