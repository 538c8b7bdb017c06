import type { Queue } from 'bullmq';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Texts } from '../../flows/i18n/texts.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import type { AuditVia } from '../desk/audit.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import { type Audience, eligible, matchesAgeGroups } from './audience.js';
import type { BroadcastKind, BroadcastMessages } from './fanout.js';

/**
 * What creating a broadcast needs. The CLI and (later) the staff chat commands build one of these and
 * call the same functions, so both behave alike.
 */
export interface BroadcastDeps {
  db: Kysely<Database>;
  /** The `broadcast` queue, where fan-out jobs go. */
  queue: Queue;
  texts: Texts;
  polls: ReadonlyMap<string, Poll>;
  /** The city's time zone: local times on the command line, session times in messages. */
  timeZone: string;
  quietHours: QuietHours;
  clock?: () => Date;
  /** Where the request comes from, recorded with its audit entry (none: the command line). */
  via?: AuditVia;
}

/** Thrown for a request that cannot be carried out as asked; the message says why, in one line. */
export class BroadcastRequestError extends Error {
  override readonly name = 'BroadcastRequestError';
}

/** What was asked for (a flash, a session, a wave) does not exist; the CLI exits 1. */
export class BroadcastNotFoundError extends BroadcastRequestError {}

/** What was asked for cannot be done in the state it is in (already sent, still open, …); exit 1. */
export class BroadcastStateError extends BroadcastRequestError {}

/** A broadcast's delivery so far: rows by status (`recipients` is all of them). */
export interface DeliveryCounts {
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  /** Reported delivered to the phone, and read, by platforms that say so (WhatsApp Cloud API). */
  delivered: number;
  read: number;
  /** Failed because the resident was outside WhatsApp's 24-hour window and the kind has no template. */
  noTemplate: number;
  /** Still queued because Meta's daily messaging limit is used up: they go out over the next days. */
  waitingForDailyLimit: number;
  /** Withdrawn before they were sent: the broadcast was cancelled. */
  cancelled: number;
}

/** Delivery counts of a broadcast that has no rows (yet). */
export function noDeliveries(): DeliveryCounts {
  return {
    recipients: 0,
    queued: 0,
    sent: 0,
    failed: 0,
    delivered: 0,
    read: 0,
    noTemplate: 0,
    waitingForDailyLimit: 0,
    cancelled: 0,
  };
}

/** The current time of `deps`. */
export function nowOf(deps: { clock?: () => Date }): Date {
  return deps.clock ? deps.clock() : new Date();
}

/** Stores a broadcast inside the caller's transaction; returns its id. */
export async function insertBroadcast(
  tx: Transaction<Database>,
  b: {
    kind: BroadcastKind;
    flashId?: string;
    waveId?: string;
    messages: BroadcastMessages;
    audience?: Audience;
    sendAt: Date;
  },
): Promise<string> {
  const row = await tx
    .insertInto('broadcasts')
    .values({
      kind: b.kind,
      flash_id: b.flashId ?? null,
      wave_id: b.waveId ?? null,
      messages: JSON.stringify(b.messages),
      audience: JSON.stringify(b.audience ?? {}),
      send_at: b.sendAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** How many residents match an audience right now (before a broadcast goes out). */
export async function countEligible(
  db: Kysely<Database>,
  audience: Audience,
  news: boolean,
): Promise<number> {
  if (audience.ageGroups) {
    // Age groups are sealed: each candidate's is opened here.
    const { rows } = await sql<{ age_group: Buffer | null }>`
      select r.age_group from residents r where ${eligible(audience, news)}`.execute(db);
    return rows.filter((r) => matchesAgeGroups(audience, r.age_group)).length;
  }
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from residents r where ${eligible(audience, news)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Outbound rows of a broadcast by status, straight from `outbound_messages`. */
export async function deliveryCounts(db: Kysely<Database>, broadcastId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('outbound_messages')
    .select([
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`count(delivered_at)`.as('delivered'),
      sql<number>`count(read_at)`.as('read'),
      sql<number>`count(*) filter (where error like '%no-template:%')`.as('no_template'),
      sql<number>`count(*) filter (where error like 'daily-limit:%')`.as('daily_limit'),
    ])
    .where('broadcast_id', '=', broadcastId)
    .groupBy('status')
    .execute();
  const counts = noDeliveries();
  for (const r of rows) {
    const n = Number(r.n);
    counts.recipients += n;
    if (r.status === 'queued' || r.status === 'sent' || r.status === 'failed' || r.status === 'cancelled')
      counts[r.status] += n;
    counts.delivered += Number(r.delivered);
    counts.read += Number(r.read);
    if (r.status === 'failed') counts.noTemplate += Number(r.no_template);
    if (r.status === 'queued') counts.waitingForDailyLimit += Number(r.daily_limit);
  }
  return counts;
}

/** A broadcast's own state, for reports. */
export interface BroadcastState {
  id: string;
  kind: string;
  status: string;
  sendAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The broadcasts of a flash or a wave, oldest first. */
export async function broadcastsOf(
  db: Kysely<Database>,
  by: { flashId: string } | { waveId: string },
): Promise<BroadcastState[]> {
  const rows = await db
    .selectFrom('broadcasts')
    .select(['id', 'kind', 'status', 'send_at', 'started_at', 'finished_at'])
    .where('flashId' in by ? 'flash_id' : 'wave_id', '=', 'flashId' in by ? by.flashId : by.waveId)
    .orderBy('send_at')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    sendAt: new Date(r.send_at).toISOString(),
    startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
}
