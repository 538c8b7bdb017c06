import { type Insertable, sql } from 'kysely';
import { prepared } from '../db/connect.js';
import { sealedOutbound } from '../db/outbound-body.js';
import type { AnswersTable, OutboundMessagesTable } from '../db/schema.js';
import { LOG_BODY } from '../db/sealed-columns.js';
import type { InboundMessage, InboundPayload, OutboundMessage } from '../domain/messages.js';
import { seal } from '../privacy/sealed.js';
import type { OutboundJob } from '../queue/payloads.js';
import type { Tx } from './scene.js';

const MAX_LOGGED = 10_000;

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

/** A handled message whose replies get their outbound ids from the batch's final statement. */
export interface PendingReplies {
  pending: {
    ledgerId: string;
    residentId: string;
    message: InboundMessage;
    replies: OutboundMessage[];
    deliveries: OutboundJob[];
  };
}

/**
 * A reply as handed to the `Outbox`: a stored one waits in the outbox (`drained`); untracked (no
 * outbound id) for a farewell, which goes as a queue job.
 */
export function replyJob(
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
    ...(outboundId !== null && { drained: true as const }),
  };
}

/**
 * What a batch writes after its flows: answers, states, message log and replies, in one statement
 * (one round trip for the whole batch, not four per message).
 */
export class BatchWrites {
  answers: Insertable<AnswersTable>[] = [];
  readonly states: { resident_id: string; state: string; updated_at: Date }[] = [];
  readonly log: { resident_id: string; direction: 'in' | 'out'; body: Buffer }[] = [];
  readonly outbound: Insertable<OutboundMessagesTable>[] = [];

  /** An erased resident's answers of this batch are not written at all. */
  dropAnswers(respondent: string): void {
    this.answers = this.answers.filter((a) => a.respondent !== respondent);
  }

  /** A handled message's new state, its message log lines (sealed) and its replies. */
  recordStep(
    step: { residentId: string; message: InboundMessage; ledgerId: string; now: Date },
    state: unknown,
    replies: readonly OutboundMessage[],
  ): void {
    const { residentId, message, ledgerId, now } = step;
    this.states.push({ resident_id: residentId, state: JSON.stringify(state), updated_at: now });
    this.log.push(
      {
        resident_id: residentId,
        direction: 'in',
        body: seal(describeInbound(message.payload).slice(0, MAX_LOGGED), LOG_BODY),
      },
      ...replies.map((m) => ({
        resident_id: residentId,
        direction: 'out' as const,
        body: seal(describeOutbound(m).slice(0, MAX_LOGGED), LOG_BODY),
      })),
    );
    this.outbound.push(
      ...replies.map((m, seq) => ({
        resident_id: residentId,
        channel: message.channel,
        kind: 'reply',
        // Sealed: a reply can hold the resident's own words (their GEGEVENS copy, their idea).
        sealed_body: sealedOutbound(m).sealed_body,
        inbound_id: ledgerId,
        seq,
        created_at: now,
        // In the outbox: the channel's sender takes it from here (src/queue/outbox-drain.ts).
        drain_after: now,
      })),
    );
  }

  /**
   * Writes everything in one statement of a fixed text (each column an array, unnested), which
   * PostgreSQL parses once per connection; returns the outbound ids by `<ledger id>:<seq>`.
   */
  async execute(tx: Tx): Promise<Map<string, string>> {
    const { answers, states, log, outbound } = this;
    // Every message handled (not a duplicate, not an erasure) leaves a state and a log line.
    if (states.length === 0) return new Map();
    const col = <T, K extends keyof T>(rows: readonly T[], key: K) => rows.map((r) => r[key] ?? null);
    const { rows } = await sql<{
      id: string;
      inbound_id: string;
      seq: number;
    }>`${prepared('engine_batch_writes')}
      with saved_state as (
        insert into conversations (resident_id, state, updated_at)
        select * from unnest(${col(states, 'resident_id')}::uuid[], ${col(states, 'state')}::jsonb[],
          ${col(states, 'updated_at')}::timestamptz[])
        on conflict (resident_id) do update set state = excluded.state, updated_at = excluded.updated_at
        returning resident_id
      ), logged as (
        insert into message_log (resident_id, direction, body)
        select * from unnest(${col(log, 'resident_id')}::uuid[], ${col(log, 'direction')}::text[],
          ${col(log, 'body')}::bytea[])
        returning id
      ), answered as (
        insert into answers (respondent, wave_id, wave_key, poll, poll_version, question, indicator,
          answer_code, answer_number, text, area, age_group, language, channel, answered_on)
        select * from unnest(${col(answers, 'respondent')}::text[], ${col(answers, 'wave_id')}::uuid[],
          ${answers.map((a) => a.wave_key ?? '')}::text[], ${col(answers, 'poll')}::text[],
          ${answers.map((a) => a.poll_version ?? 1)}::int[], ${col(answers, 'question')}::text[],
          ${col(answers, 'indicator')}::text[], ${col(answers, 'answer_code')}::text[],
          ${col(answers, 'answer_number')}::float8[], ${col(answers, 'text')}::text[],
          ${col(answers, 'area')}::text[], ${col(answers, 'age_group')}::text[],
          ${col(answers, 'language')}::text[], ${col(answers, 'channel')}::text[],
          ${col(answers, 'answered_on')}::date[])
        on conflict on constraint answers_once_key do nothing
        returning id
      )
      insert into outbound_messages (resident_id, channel, kind, sealed_body, inbound_id, seq, created_at,
        drain_after)
      select * from unnest(${col(outbound, 'resident_id')}::uuid[], ${col(outbound, 'channel')}::text[],
        ${col(outbound, 'kind')}::text[], ${col(outbound, 'sealed_body')}::bytea[],
        ${col(outbound, 'inbound_id')}::bigint[], ${col(outbound, 'seq')}::int[],
        ${col(outbound, 'created_at')}::timestamptz[], ${col(outbound, 'drain_after')}::timestamptz[])
      returning id, inbound_id, seq`.execute(tx);
    return new Map(rows.map((r) => [`${r.inbound_id}:${r.seq}`, r.id]));
  }
}
