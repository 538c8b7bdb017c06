import type { Queue } from 'bullmq';
import type { Transaction } from 'kysely';
import { parseKeyword } from '../../flows/parse/keywords.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { FlowContext, StoredData, StoredFlash } from '../../flows/types.js';
import type { Database, ResidentRow } from '../db/schema.js';
import { HELP_SUBJECT, HELP_TEXT } from '../db/sealed-columns.js';
import { deskContext } from '../desk/preload.js';
import type { InboundMessage, InboundPayload } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import type { ResidentProfile } from '../domain/resident.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import { unseal, unsealNullable } from '../privacy/sealed.js';
import type { ErasedResident } from '../queue/erasure.js';
import type { OutboundJob } from '../queue/payloads.js';
import { profileOf } from './profile.js';
import type { LockedResident } from './residents.js';
import type { BatchWrites } from './writes.js';

export type Tx = Transaction<Database>;

/** What work after commit may use; a failure is ignored (the scheduler's tick mends what it left). */
export interface AfterCommitServices {
  broadcastQueue?: Queue | undefined;
  /** Where photos and voice messages kept with ideas are fetched (`idea_media` rows); the tick mends lost jobs. */
  mediaQueue?: Queue | undefined;
}

/** Work that may only start once the batch's transaction has committed (queueing a fan-out, say). */
export type AfterCommit = (services: AfterCommitServices) => Promise<void>;

/**
 * One inbound message as the effect handlers see it, inside the batch's transaction: the resident's
 * locked row and profile, the context the flow ran with, the batch's writes, and what is left to do
 * after commit. A handler changes the scene; the engine turns it into writes and outbound jobs.
 */
export interface Scene {
  readonly tx: Tx;
  readonly message: InboundMessage;
  /** The message's ledger entry: outbound rows caused by it point here. */
  readonly ledgerId: string;
  readonly now: Date;
  /** Today (YYYY-MM-DD) in the engine's time zone. */
  readonly day: string;
  readonly timeZone: string;
  /** Quiet hours, which hold messages staff start to residents. */
  readonly quietHours?: QuietHours;
  readonly row: ResidentRow;
  /** The resident's profile as the effects so far left it (the flow saw `ctx.resident`). */
  profile: ResidentProfile;
  readonly ctx: FlowContext;
  /** Rows written with the rest of the batch, in its final statement. */
  readonly writes: BatchWrites;
  /** The resident's pseudonym in the monitor store (answers). */
  respondent(): string;
  /** Messages to other people than the sender, stored as outbound rows already; queued after commit. */
  readonly deliveries: OutboundJob[];
  /** The `seq` of the next outbound row of this inbound message (the sender's replies come first). */
  nextSeq: number;
  readonly afterCommit: AfterCommit[];
  /** Set when the resident was erased: no further effect runs, the queues forget them after commit. */
  erased?: ErasedResident;
}

/** GEGEVENS needs a copy from the database; only then does the engine look them up. */
function asksForStoredData(payload: InboundPayload): boolean {
  if (payload.kind === 'text') return parseKeyword(payload.text) === 'my_data';
  return payload.kind === 'command' && parseKeyword(payload.name) === 'my_data';
}

/** What the flow reads for one message: the fixed context, the resident, and what is loaded for it. */
export async function flowContext(
  tx: Tx,
  base: Pick<FlowContext, 'config' | 'texts' | 'polls'>,
  message: InboundMessage,
  locked: LockedResident,
  now: Date,
  pseudonyms: Pseudonymizer,
  /** Earlier versions of polls, for GEGEVENS to word old answers as they were asked. */
  versionOf?: (poll: string, version: number) => Poll | undefined,
): Promise<FlowContext> {
  const { row, isNew, state, broadcast } = locked;
  return {
    ...base,
    now,
    resident: profileOf(row),
    isNewResident: isNew,
    ...(message.hints?.languageCode && { languageHint: message.hints.languageCode }),
    ...(asksForStoredData(message.payload) && {
      storedData: await storedData(
        tx,
        row.id,
        pseudonyms.respondent(message.channel, message.address),
        versionOf,
      ),
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
      polls: base.polls,
      ...(versionOf && { pollVersion: versionOf }),
      ...(base.config.desk?.minCell !== undefined && { minCell: base.config.desk.minCell }),
    })),
  };
}

/**
 * A copy of what is stored about a resident besides the profile, for GEGEVENS: their answers (found
 * by their pseudonym, which only the engine can compute), the poll waves they were invited to, ideas, help
 * requests (closed ones until
 * they are purged), RSVPs, the sessions they sent a question for (the identity store keeps only
 * that they asked), and how many messages the message log holds.
 */
async function storedData(
  tx: Tx,
  residentId: string,
  respondent: string,
  versionOf?: (poll: string, version: number) => Poll | undefined,
): Promise<StoredData> {
  const [answers, waves, ideas, ideaReplies, helpRequests, helpMessages, rsvps, asked, messages] =
    await Promise.all([
      tx
        .selectFrom('answers')
        .select(['poll', 'poll_version', 'question', 'answer_code', 'answer_number', 'text', 'answered_on'])
        .where('respondent', '=', respondent)
        .orderBy('answered_on')
        .orderBy('id')
        .execute(),
      tx
        .selectFrom('wave_participants as p')
        .innerJoin('waves as w', 'w.id', 'p.wave_id')
        .select(['w.poll', 'p.status', 'p.invited_at'])
        .where('p.resident_id', '=', residentId)
        .orderBy('p.invited_at')
        .orderBy('w.id')
        .execute(),
      tx
        .selectFrom('ideas')
        .select((eb) => [
          'id',
          'text',
          'status',
          'created_at',
          // A photo or voice message kept with the idea (its kind; the file is not copied into a chat).
          eb
            .selectFrom('idea_media as m')
            .select('m.kind')
            .whereRef('m.idea_id', '=', 'ideas.id')
            .where('m.status', 'in', ['pending', 'stored'])
            .orderBy('m.id')
            .limit(1)
            .as('media'),
        ])
        .where('resident_id', '=', residentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      tx
        .selectFrom('idea_replies as x')
        .innerJoin('ideas as i', 'i.id', 'x.idea_id')
        .select(['x.idea_id', 'x.text', 'x.created_at'])
        .where('i.resident_id', '=', residentId)
        .orderBy('x.created_at')
        .orderBy('x.id')
        .execute(),
      tx
        .selectFrom('help_requests')
        .select(['id', 'subject', 'status', 'created_at'])
        .where('resident_id', '=', residentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      tx
        .selectFrom('help_messages as m')
        .innerJoin('help_requests as h', 'h.id', 'm.request_id')
        .select(['m.request_id', 'm.author', 'm.text', 'm.created_at'])
        .where('h.resident_id', '=', residentId)
        .orderBy('m.created_at')
        .orderBy('m.id')
        .execute(),
      tx
        .selectFrom('flash_rsvps as r')
        .innerJoin('flashes as f', 'f.id', 'r.flash_id')
        .select(['f.kind', 'f.texts', 'f.session_at', 'r.created_at as at'])
        .where('r.resident_id', '=', residentId)
        .orderBy('r.created_at')
        .orderBy('f.id')
        .execute(),
      tx
        .selectFrom('session_askers as a')
        .innerJoin('flashes as f', 'f.id', 'a.flash_id')
        .select(['f.kind', 'f.texts', 'f.session_at', 'f.created_at as at'])
        .where('a.resident_id', '=', residentId)
        .orderBy('f.created_at')
        .orderBy('f.id')
        .execute(),
      tx
        .selectFrom('message_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resident_id', '=', residentId)
        .executeTakeFirst(),
    ]);
  const flash = (f: (typeof rsvps)[number]): StoredFlash => ({
    kind: f.kind === 'session' ? 'session' : 'flash',
    texts: f.texts,
    sessionAt: f.session_at?.toISOString() ?? null,
    at: f.at.toISOString(),
  });
  const pollVersions = new Map<string, Poll>();
  for (const a of answers) {
    const poll = versionOf?.(a.poll, a.poll_version);
    if (poll) pollVersions.set(`${a.poll}@${a.poll_version}`, poll);
  }
  return {
    ...(pollVersions.size > 0 && { pollVersions }),
    answers: answers.map((a) => ({
      poll: a.poll,
      pollVersion: a.poll_version,
      question: a.question,
      answerCode: a.answer_code,
      answerNumber: a.answer_number === null ? null : Number(a.answer_number),
      text: a.text,
      week: String(a.answered_on).slice(0, 10),
    })),
    waves: waves.map((w) => ({ poll: w.poll, status: w.status, invitedAt: w.invited_at.toISOString() })),
    ideas: ideas.map((i) => {
      const replies = ideaReplies
        .filter((r) => r.idea_id === i.id)
        .map((r) => ({ text: r.text, createdAt: r.created_at.toISOString() }));
      return {
        text: i.text,
        status: i.status,
        createdAt: i.created_at.toISOString(),
        ...(i.media && { media: i.media === 'audio' ? ('audio' as const) : ('image' as const) }),
        ...(replies.length > 0 && { replies }),
      };
    }),
    helpRequests: helpRequests.map((h) => {
      const said = helpMessages
        .filter((m) => m.request_id === h.id)
        .map((m) => ({
          author: m.author === 'staff' ? ('staff' as const) : ('resident' as const),
          text: unseal(m.text, HELP_TEXT),
          createdAt: m.created_at.toISOString(),
        }));
      return {
        subject: unsealNullable(h.subject, HELP_SUBJECT),
        status: h.status,
        createdAt: h.created_at.toISOString(),
        ...(said.length > 0 && { messages: said }),
      };
    }),
    rsvps: rsvps.map(flash),
    sessionQuestions: asked.map(flash),
    messages: Number(messages?.n ?? 0),
  };
}
