import { type Kysely, type RawBuilder, sql } from 'kysely';
import { parseDeskState } from '../../flows/desk/state.js';
import { DRAFT_FLOWS, parseState, withoutDraft } from '../../flows/state.js';
import type { Database } from '../db/schema.js';
import { purgeClosedHelpRequests } from '../desk/help-requests.js';

/** How long things are kept, in days. */
export interface RetentionPolicy {
  /** Sealed message log (MESSAGE_LOG_RETENTION_DAYS, a week at most). */
  messageLogDays: number;
  /** Identities of residents who said STOP this long ago. */
  stoppedDays: number;
  /**
   * Identities without consent (never given, refused, withdrawn, joining abandoned), silent this
   * long (UNCONSENTED_RETENTION_DAYS).
   */
  unconsentedDays: number;
  /** Drafts (an idea, a question, a help request being offered) and unanswered keyword questions. */
  draftHours: number;
  /** Ledger of handled platform messages (only needed against redeliveries). */
  ledgerDays: number;
  /** Help requests, this long after they were closed (30 days). */
  helpRequestDays?: number;
}

/** What a purge removed. */
export interface PurgeReport {
  messageLog: number;
  /** Replies sent (or given up on) longer ago than the message log's retention. */
  replies: number;
  stoppedResidents: number;
  /** Identities without consent that fell silent. */
  unconsentedResidents: number;
  inboundLedger: number;
  /** Conversations whose abandoned draft was dropped. */
  drafts: number;
  /** Closed help requests erased, conversation and all. */
  helpRequests: number;
  /** WhatsApp messages kept for phones that ask for them again, older than the message log's retention. */
  whatsappSent: number;
  /** Photos and voice messages kept with ideas, older than the message log's retention. */
  ideaMedia: number;
}

const DAY_MS = 86_400_000;
/** Rows per DELETE, so a first purge of a big table does not hold locks for long. */
const BATCH = 10_000;
/** Residents per DELETE: each cascades to everything linked to them, so fewer at a time. */
const RESIDENT_BATCH = 1_000;

/**
 * Applies the retention rules: the (sealed) message log and delivered replies older than its retention,
 * stopped identities (and everything that hangs off them in the identity store) stopped longer ago
 * than allowed, identities without consent that fell silent, the inbound ledger, and drafts left
 * unfinished. Monitor answers stay: they are pseudonymous and only VERWIJDER removes them.
 * `onProgress` hears rows removed so far out of the rows there were to remove.
 */
export async function purge(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<PurgeReport> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const logCut = before(policy.messageLogDays);
  const rules: { table: string; where: RawBuilder<unknown>; batch: number }[] = [
    { table: 'message_log', where: sql`created_at < ${logCut}`, batch: BATCH },
    // The texts of replies are as personal as the message log (they answer what a resident wrote, a
    // staff member's answer to a help request among them), so they go after the same time. Broadcast
    // rows stay: they hold only the broadcast's text, and delivery reports count them.
    {
      table: 'outbound_messages',
      where: sql`kind = 'reply' and status in ('sent', 'failed') and created_at < ${logCut}`,
      batch: BATCH,
    },
    // Each resident cascades to everything linked to them.
    {
      table: 'residents',
      where: sql`status = 'stopped' and stopped_at < ${before(policy.stoppedDays)}`,
      batch: RESIDENT_BATCH,
    },
    // Never consented, refused, withdrew or stopped joining, and silent since: nothing to keep them
    // for. Staff members' own rows (made to relay messages to them) are not residents.
    {
      table: 'residents',
      where: sql`consent_at is null and updated_at < ${before(policy.unconsentedDays)}
        and not exists (select 1 from conversations c
          where c.resident_id = residents.id and c.updated_at >= ${before(policy.unconsentedDays)})
        and not exists (select 1 from staff s where s.channel = residents.channel
          and (s.user_id = residents.address or exists (select 1 from whatsapp_contacts w
            where w.address = residents.address and s.user_id in (w.pn, w.lid))))`,
      batch: RESIDENT_BATCH,
    },
    { table: 'inbound_ledger', where: sql`received_at < ${before(policy.ledgerDays)}`, batch: BATCH },
    // Photos and voice messages kept with ideas are as personal as the message log; the idea's text stays.
    { table: 'idea_media', where: sql`created_at < ${logCut}`, batch: BATCH },
    // Sent WhatsApp messages hold the texts too; a phone asks for one again within hours, not weeks.
    { table: 'whatsapp_sent', where: sql`created_at < ${logCut}`, batch: BATCH },
  ];
  const counts = await Promise.all(
    rules.map(async ({ table, where }) => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db);
      return rows[0]?.n ?? 0;
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  let done = 0;
  const removed: number[] = [];
  for (const { table, where, batch } of rules) {
    let n: number;
    let sum = 0;
    do {
      const result = await sql`
        delete from ${sql.table(table)}
        where id in (select id from ${sql.table(table)} where ${where} limit ${batch})`.execute(db);
      n = Number(result.numAffectedRows ?? 0);
      sum += n;
      done += n;
      onProgress?.(Math.min(done, total), total);
    } while (n === batch);
    removed.push(sum);
  }
  const [
    messageLog = 0,
    replies = 0,
    stoppedResidents = 0,
    unconsentedResidents = 0,
    inboundLedger = 0,
    ideaMedia = 0,
    whatsappSent = 0,
  ] = removed;
  const helpRequests = await purgeClosedHelpRequests(db, now, policy.helpRequestDays ?? 30);
  const drafts = await dropAbandonedDrafts(db, new Date(now.getTime() - policy.draftHours * 3_600_000));
  return {
    messageLog,
    replies,
    stoppedResidents,
    unconsentedResidents,
    inboundLedger,
    helpRequests,
    drafts,
    whatsappSent,
    ideaMedia,
  };
}

/** The state to store instead of an abandoned draft, or undefined when there is none in it. */
export function abandonedDraftState(raw: unknown): unknown {
  // A staff member's dialog goes back to the resident state it interrupted (itself maybe a draft).
  const desk = parseDeskState(raw);
  if (desk) {
    const back = parseState(desk.back);
    return back ? withoutDraft(back) : { flow: 'idle' };
  }
  const state = parseState(raw);
  return state && DRAFT_FLOWS.has(state.flow) ? withoutDraft(state) : undefined;
}

/**
 * Drops drafts left unfinished since `cut` (the text of an idea or a question, a staff member's
 * flash), putting the conversation back where the draft interrupted it. The conversation's time is
 * left as it was: it tells how long the resident has been silent.
 */
async function dropAbandonedDrafts(db: Kysely<Database>, cut: Date): Promise<number> {
  const flows = [...DRAFT_FLOWS, 'desk'];
  let after = '00000000-0000-0000-0000-000000000000';
  let dropped = 0;
  for (;;) {
    const rows = await db
      .selectFrom('conversations')
      .select(['resident_id', 'state'])
      .where('updated_at', '<', cut)
      .where(sql<boolean>`state->>'flow' = any(${flows}::text[])`)
      .where('resident_id', '>', after)
      .orderBy('resident_id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const next = abandonedDraftState(row.state);
      if (next === undefined) continue;
      await db
        .updateTable('conversations')
        .set({ state: JSON.stringify(next) })
        .where('resident_id', '=', row.resident_id)
        .where('updated_at', '<', cut)
        .execute();
      dropped++;
    }
    if (rows.length < BATCH) return dropped;
    after = rows.at(-1)!.resident_id;
  }
}

/**
 * Stopped identities go after 30 days (by then STOP has left only the address); the ledger is kept
 * as long against redeliveries.
 */
export function retentionOf(env: {
  MESSAGE_LOG_RETENTION_DAYS: number;
  UNCONSENTED_RETENTION_DAYS: number;
  DRAFT_RETENTION_HOURS: number;
}): RetentionPolicy {
  return {
    messageLogDays: env.MESSAGE_LOG_RETENTION_DAYS,
    stoppedDays: 30,
    unconsentedDays: env.UNCONSENTED_RETENTION_DAYS,
    draftHours: env.DRAFT_RETENTION_HOURS,
    ledgerDays: 30,
  };
}
