import type { Queue } from 'bullmq';
import type { Transaction } from 'kysely';
import { parseKeyword } from '../../flows/parse/keywords.js';
import type { FlowContext, StoredDataCounts } from '../../flows/types.js';
import type { Database, ResidentRow } from '../db/schema.js';
import { deskContext } from '../desk/preload.js';
import type { InboundMessage, InboundPayload } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import type { ResidentProfile } from '../domain/resident.js';
import type { Pseudonymizer } from '../privacy/pseudonym.js';
import type { ErasedResident } from '../queue/erasure.js';
import type { OutboundJob } from '../queue/payloads.js';
import { profileOf } from './profile.js';
import type { LockedResident } from './residents.js';
import type { BatchWrites } from './writes.js';

export type Tx = Transaction<Database>;

/** What work after commit may use; a failure is ignored (the scheduler's tick mends what it left). */
export interface AfterCommitServices {
  broadcastQueue?: Queue | undefined;
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

/** GEGEVENS needs counts from the database; only then does the engine look them up. */
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
): Promise<FlowContext> {
  const { row, isNew, state, broadcast } = locked;
  return {
    ...base,
    now,
    resident: profileOf(row),
    isNewResident: isNew,
    ...(message.hints?.languageCode && { languageHint: message.hints.languageCode }),
    ...(asksForStoredData(message.payload) && {
      storedData: await storedData(tx, row.id, pseudonyms.respondent(message.channel, message.address)),
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
}

/** What is stored about a resident besides the profile, for GEGEVENS. */
async function storedData(tx: Tx, residentId: string, respondent: string): Promise<StoredDataCounts> {
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
