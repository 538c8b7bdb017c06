import type { Queue } from 'bullmq';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { LANGUAGES } from '../domain/language.js';
import { type ChannelName, OutboundMessageSchema } from '../domain/messages.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../queue/outbox.js';
import { audienceOf, eligible, matchesAgeGroups } from './audience.js';

type Db = Kysely<Database>;

/**
 * What a broadcast sends: a rendered message per resident language, Dutch required. A resident whose
 * language has none gets the Dutch one.
 */
export const BroadcastMessagesSchema = z
  .object({ nl: OutboundMessageSchema })
  .catchall(OutboundMessageSchema.optional());
/** A rendered message per language. */
export type BroadcastMessages = z.infer<typeof BroadcastMessagesSchema>;

/**
 * `render` for Dutch and for every other resident language that `has` (every one by default): the
 * messages of a broadcast before `BroadcastMessagesSchema` checks them.
 */
export function perLanguage<T>(
  render: (language: string) => T,
  has: (language: string) => boolean = () => true,
): { nl: T } & Record<string, T> {
  const out: { nl: T } & Record<string, T> = { nl: render('nl') } as { nl: T } & Record<string, T>;
  for (const language of LANGUAGES) if (language !== 'nl' && has(language)) out[language] = render(language);
  return out;
}

/** The kinds of fan-out, each with its own audience. */
export const BROADCAST_KINDS = [
  'flash',
  'wave_invitation',
  'wave_reminder',
  'session_reminder',
  'session_summary',
  'session_cancelled',
] as const;
/** One of the kinds of fan-out. */
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];

/** The payload of a fan-out job. */
export const FanOutJobSchema = z.object({ broadcastId: z.uuid() });

/** Residents per page: one transaction and one INSERT … SELECT each. */
export const PAGE_SIZE = 1_000;

/** Residents more than the planner knows of (and than a fifth more) above which a fan-out refreshes its statistics. */
export const STALE_ROWS = 10_000;

/** The job id of a broadcast's fan-out: the same broadcast can only be on the queue once. */
export function fanOutJobId(broadcastId: string): string {
  return `fanout-${broadcastId}`;
}

/**
 * Makes sure a broadcast's fan-out job is on the queue (after `delayMs`). Adding is idempotent by job
 * id; a job that failed for good is retried, and one still waiting for a later time while the
 * broadcast is due now (its time was moved, or the clock) runs at once. So the scheduler's tick can
 * call this for every broadcast that is due and not yet sent, whatever happened to its job.
 */
export async function queueFanOut(queue: Queue, broadcastId: string, delayMs = 0): Promise<void> {
  const jobId = fanOutJobId(broadcastId);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry();
      return;
    }
    if (state === 'delayed' && delayMs <= 0) {
      await existing.promote().catch(() => {});
      return;
    }
    if (state !== 'completed') return;
    await existing.remove();
  }
  await queue.add('fanout', { broadcastId }, { jobId, delay: Math.max(0, Math.round(delayMs)) });
}

/** How a fan-out run ended. */
export type FanOutResult =
  | { outcome: 'sent'; queued: number; pages: number; ms: number }
  | { outcome: 'not_due'; sendAt: Date }
  | { outcome: 'already_sent' }
  | { outcome: 'missing' }
  | { outcome: 'stopped' }
  /** Cancelled by the wijkteam, before it started or between two pages. */
  | { outcome: 'cancelled'; queued: number };

/** Hooks into a run, for progress bars and for tests that crash a fan-out half-way. */
export interface FanOutHooks {
  /** Between pages: stop there when aborted (the job goes back to the queue and resumes later). */
  signal?: AbortSignal;
  /** After a page's messages are in the outbox, its senders woken and its progress recorded. */
  afterPage?: (progress: { pages: number; queued: number }) => void | Promise<void>;
  /**
   * After a page has committed, before its senders are woken and its progress is recorded. Throwing
   * here is a crash in the worst place: rows stored, progress not recorded.
   */
  beforeQueue?: (page: number) => void | Promise<void>;
}

export interface FanOutOptions {
  db: Db;
  outbox: Outbox;
  log: Logger;
  clock?: () => Date;
  pageSize?: number;
}

interface BroadcastRow {
  id: string;
  kind: BroadcastKind;
  flash_id: string | null;
  wave_id: string | null;
  messages: unknown;
  audience: unknown;
  cursor: string | null;
  queued: number;
  /**
   * Nothing but this run inserts this broadcast's rows (a flash started by this run): its pages need
   * not look for rows an earlier version stored without putting them in the outbox.
   */
  firstRun?: boolean;
}

interface PageRow {
  outbound_id: string | null;
  /** Only on the page's summary row: the page's last resident. */
  resident_id: string | null;
  channel: string | null;
  /** Only on the page's summary row: how many residents the page had. */
  n: number | null;
  /** Inserted by this run (not left over from an earlier one). */
  fresh: boolean;
}

/** A message of a page stored by an earlier version, without `drain_after`: it still needs its job. */
interface PageJob {
  outboundId: string;
  channel: ChannelName;
}

// Serialises everything that decides whether a wave invitation is sent now or held, so two waves
// launched together cannot both reach a resident at once.
const WAVE_INVITATION_LOCK = sql`select pg_advisory_xact_lock(hashtext('straatpraat:wave-invitations'))`;

/**
 * Sends one broadcast to its audience, a page of residents (by id) at a time. Each page is one
 * set-based statement: it selects the page and inserts an outbound row per resident with the
 * broadcast's id (the unique index on broadcast + resident makes a second insert a no-op). The rows
 * are the queue: they wait in the outbox (`drain_after` set) and the channel's sender takes them after
 * any replies, so a committed page is queued. After the commit the page's senders are woken and the
 * cursor moves past the page. A run that dies anywhere is simply run again: it resumes at the cursor,
 * and nobody gets a second copy.
 */
export class FanOut {
  readonly #db: Db;
  readonly #outbox: Outbox;
  readonly #log: Logger;
  readonly #clock: () => Date;
  readonly #pageSize: number;

  constructor(opts: FanOutOptions) {
    this.#db = opts.db;
    this.#outbox = opts.outbox;
    this.#log = opts.log;
    this.#clock = opts.clock ?? (() => new Date());
    this.#pageSize = opts.pageSize ?? PAGE_SIZE;
  }

  async run(broadcastId: string, hooks: FanOutHooks = {}): Promise<FanOutResult> {
    const started = Date.now();
    const now = this.#clock();
    const claimed = (await this.#db
      .updateTable('broadcasts')
      .set((eb) => ({ status: 'sending', started_at: eb.fn.coalesce('started_at', eb.val(now)) }))
      .where('id', '=', broadcastId)
      .where('status', 'not in', ['sent', 'cancelled'])
      .where('send_at', '<=', now)
      .returning([
        'id',
        'kind',
        'flash_id',
        'wave_id',
        'messages',
        'audience',
        'cursor',
        'queued',
        'started_at',
      ])
      .executeTakeFirst()) as (BroadcastRow & { started_at: Date }) | undefined;
    if (!claimed) return this.#whyNot(broadcastId);
    // A flash's first run (it started just now): no earlier run left rows to look for.
    claimed.firstRun = claimed.kind === 'flash' && new Date(claimed.started_at).getTime() === now.getTime();

    const messages = BroadcastMessagesSchema.parse(claimed.messages);
    let cursor = claimed.cursor;
    let queued = claimed.queued;
    let pages = 0;
    if (await this.#prepare(claimed, now)) {
      if (cursor === null) await this.#freshStatistics();
      // The next page's SQL runs while this page's progress is recorded. The cursor only moves past
      // a page once it has committed, so a crash at any point leaves nothing unqueued behind it.
      let inFlight: Promise<void> = Promise.resolve();
      for (;;) {
        if (hooks.signal?.aborted) {
          await inFlight;
          return { outcome: 'stopped' };
        }
        const page = await this.#page(claimed, cursor, messages);
        await inFlight;
        if (page.cancelled) {
          this.#log.info({ broadcastId, kind: claimed.kind, queued }, 'broadcast cancelled: fan-out stopped');
          return { outcome: 'cancelled', queued };
        }
        if (page.last === null) break;
        await hooks.beforeQueue?.(pages);
        cursor = page.last;
        queued += page.inserted;
        pages += 1;
        const progress = { cursor, queued, pages };
        const queuedAt = this.#clock().getTime();
        inFlight = (async () => {
          this.#outbox.wake(page.channels);
          if (page.jobs.length > 0) await this.#outbox.enqueueBulk(page.jobs, queuedAt);
          await this.#db
            .updateTable('broadcasts')
            .set({ cursor: progress.cursor, queued: progress.queued })
            .where('id', '=', broadcastId)
            .execute();
          await hooks.afterPage?.({ pages: progress.pages, queued: progress.queued });
        })();
        // Awaited before the next page or the end; this only keeps Node from calling it unhandled meanwhile.
        inFlight.catch(() => {});
        if (page.size < this.#pageSize) {
          await inFlight;
          break;
        }
      }
    }
    await this.#db
      .updateTable('broadcasts')
      .set((eb) => ({
        status: 'sent',
        finished_at: this.#clock(),
        recipients: eb
          .selectFrom('outbound_messages')
          .select((s) => s.fn.countAll<number>().as('n'))
          .where('broadcast_id', '=', broadcastId),
      }))
      .where('id', '=', broadcastId)
      .where('status', '<>', 'cancelled')
      .execute();
    const ms = Date.now() - started;
    this.#log.info({ broadcastId, kind: claimed.kind, queued, pages, ms }, 'broadcast queued');
    return { outcome: 'sent', queued, pages, ms };
  }

  async #whyNot(broadcastId: string): Promise<FanOutResult> {
    const row = await this.#db
      .selectFrom('broadcasts')
      .select(['status', 'send_at'])
      .where('id', '=', broadcastId)
      .executeTakeFirst();
    if (!row) return { outcome: 'missing' };
    if (row.status === 'sent') return { outcome: 'already_sent' };
    if (row.status === 'cancelled') return { outcome: 'cancelled', queued: 0 };
    return { outcome: 'not_due', sendAt: new Date(row.send_at) };
  }

  /**
   * Before the first page: a residents table that grew much since PostgreSQL last counted it (a
   * bulk import moments ago) gets fresh statistics. Without them the planner expects a handful of
   * residents and reads and sorts every one of them for each page, which makes a fan-out quadratic
   * in its audience (100,000 residents: over 100 ms a page instead of 2). Autovacuum does the same
   * within minutes; small tables are left to it.
   */
  async #freshStatistics(): Promise<void> {
    // Counted, not read from the statistics views (those lag behind by a second or more): are there
    // more residents than the planner's count plus a fifth and STALE_ROWS? Reads at most that many.
    const { rows } = await sql<{ stale: boolean }>`
      with planned as (
        select (greatest(reltuples, 0) * 1.2)::bigint + ${STALE_ROWS}::bigint as n
        from pg_class where oid = 'residents'::regclass
      )
      select (select count(*) from (select 1 from residents limit (select n from planned)) r)
             >= (select n from planned) as stale`.execute(this.#db);
    if (rows[0]?.stale) await sql`analyze residents`.execute(this.#db);
  }

  /** Per kind, before the first page: open the wave; false when there is nobody to send to any more. */
  async #prepare(b: BroadcastRow, now: Date): Promise<boolean> {
    if (b.kind === 'wave_invitation' || b.kind === 'wave_reminder') {
      if (!b.wave_id) return false;
      if (b.kind === 'wave_invitation') {
        await this.#db
          .updateTable('waves')
          .set({ status: 'open' })
          .where('id', '=', b.wave_id)
          .where('status', '=', 'scheduled')
          .execute();
      }
      const wave = await this.#db
        .selectFrom('waves')
        .select(['status', 'closes_at'])
        .where('id', '=', b.wave_id)
        .executeTakeFirst();
      // A wave that closed before its invitation or reminder went out sends neither.
      return (
        wave !== undefined &&
        wave.status !== 'closed' &&
        wave.status !== 'cancelled' &&
        new Date(wave.closes_at) > now
      );
    }
    if (b.kind === 'session_reminder' || b.kind === 'session_summary' || b.kind === 'session_cancelled')
      return b.flash_id !== null;
    return true;
  }

  /**
   * One page in one transaction; returns its channels, the jobs an earlier version's rows still need,
   * its last resident id (null when empty) and sizes.
   */
  async #page(
    b: BroadcastRow,
    cursor: string | null,
    messages: BroadcastMessages,
  ): Promise<{
    channels: Set<ChannelName>;
    jobs: PageJob[];
    last: string | null;
    size: number;
    inserted: number;
    cancelled?: true;
  }> {
    const now = this.#clock();
    const drainAfter = this.#outbox.bulkDrainAfter();
    const page = await this.#db.transaction().execute(async (tx) => {
      if (b.kind === 'wave_invitation') await WAVE_INVITATION_LOCK.execute(tx);
      // The broadcast's row is held (key share) while the page inserts: a cancel (which locks it FOR
      // UPDATE) waits for the page to commit, then withdraws its rows too; a page after the cancel
      // inserts nothing. Key share does not hold up the cursor's update of the page before.
      const own = await tx
        .selectFrom('broadcasts')
        .select('status')
        .where('id', '=', b.id)
        .forKeyShare()
        .executeTakeFirst();
      if (!own || own.status === 'cancelled') return null;
      const scanned = await this.#ageScan(tx, b, cursor);
      if (scanned && scanned.ids.length === 0) return { rows: [], scanned };
      return {
        rows: (await this.#pageStatement(tx, b, cursor, messages, now, drainAfter, scanned?.ids)).rows,
        scanned,
      };
    });
    const channels = new Set<ChannelName>();
    if (page === null) return { channels, jobs: [], last: null, size: 0, inserted: 0, cancelled: true };
    const { rows, scanned } = page;
    const summary = rows.find((r) => r.n !== null);
    // With age groups the page is the scanned residents, of whom only some get a message.
    if (scanned && scanned.last === null) return { channels, jobs: [], last: null, size: 0, inserted: 0 };
    if (!summary && !scanned) return { channels, jobs: [], last: null, size: 0, inserted: 0 };
    const jobs: PageJob[] = [];
    let inserted = 0;
    for (const r of rows) {
      if (r.n !== null || !r.outbound_id) continue;
      if (r.fresh) {
        inserted += 1;
        channels.add(r.channel as ChannelName);
      } else {
        // The job holds only the row id: the sender reads address and text from the row.
        jobs.push({ outboundId: r.outbound_id, channel: r.channel as ChannelName });
      }
    }
    if (scanned) return { channels, jobs, last: scanned.last, size: scanned.size, inserted };
    return { channels, jobs, last: summary!.resident_id, size: Number(summary!.n), inserted };
  }

  /**
   * For an audience with age groups: the next page of otherwise eligible residents, and of those the
   * ones whose sealed age group (opened here, in the app) matches. Null without age groups.
   */
  async #ageScan(
    tx: Transaction<Database>,
    b: BroadcastRow,
    cursor: string | null,
  ): Promise<{ ids: string[]; last: string | null; size: number } | null> {
    const audience = audienceOf(b.audience);
    if (!audience.ageGroups || (b.kind !== 'flash' && b.kind !== 'wave_invitation')) return null;
    const { rows } = await sql<{ id: string; age_group: Buffer | null }>`
      select r.id, r.age_group from residents r
      where ${eligible(audience, b.kind === 'flash')} ${cursor ? sql`and r.id > ${cursor}::uuid` : sql``}
      order by r.id limit ${this.#pageSize}`.execute(tx);
    return {
      ids: rows.filter((r) => matchesAgeGroups(audience, r.age_group)).map((r) => r.id),
      last: rows.at(-1)?.id ?? null,
      size: rows.length,
    };
  }

  #pageStatement(
    tx: Transaction<Database>,
    b: BroadcastRow,
    cursor: string | null,
    messages: BroadcastMessages,
    now: Date,
    drainAfter: Date,
    only?: string[],
  ) {
    const page = candidates(b, cursor, this.#pageSize, only);
    const bodies = JSON.stringify(messages);
    // Only residents whose wave invitation is not held get a message now.
    const invitation =
      b.kind === 'wave_invitation'
        ? sql`,
          busy as (
            select distinct q.resident_id from wave_participants q join waves v on v.id = q.wave_id
            where q.resident_id in (select id from page) and q.wave_id <> ${b.wave_id}
              and q.status in ('held', 'invited', 'started') and v.status <> 'closed' and v.closes_at > ${now}
          ),
          part as (
            insert into wave_participants (wave_id, resident_id, status, invited_at)
            select ${b.wave_id}, p.id,
                   case when exists (select 1 from busy where busy.resident_id = p.id) then 'held' else 'invited' end,
                   ${now}
            from page p
            on conflict do nothing
            returning resident_id, status
          )`
        : sql``;
    const recipients =
      b.kind === 'wave_invitation'
        ? sql`page p join part on part.resident_id = p.id and part.status = 'invited'`
        : sql`page p`;
    return sql<PageRow>`
      with page as materialized (${page})${invitation},
      ins as (
        insert into outbound_messages (resident_id, channel, kind, body, broadcast_id, created_at, drain_after)
        select p.id, p.channel, 'bulk',
               coalesce(${bodies}::jsonb -> p.language, ${bodies}::jsonb -> 'nl'),
               ${b.id}, ${now}, ${drainAfter}
        from ${recipients}
        on conflict do nothing
        returning id, channel
      )
      select i.id as outbound_id, null::uuid as resident_id, i.channel, null::int as n, true as fresh
        from ins i
      ${
        b.firstRun
          ? sql``
          : sql`union all
      select o.id, null, p.channel, null, false
        from page p cross join lateral (
          -- A row an earlier version stored without putting it in the outbox still needs its job.
          -- One index probe per resident of the page (LIMIT keeps it a nested loop): the table grows
          -- by a page at a time during a fan-out, faster than its statistics, and any other plan
          -- would read all of this broadcast's rows again for every page.
          select o.id from outbound_messages o
          where o.broadcast_id = ${b.id} and o.resident_id = p.id and o.status = 'queued'
            and o.drain_after is null
          limit 1
        ) o`
      }
      union all
      select null, l.id, null, (select count(*)::int from page), false
        from (select id from page order by id desc limit 1) l
    `.execute(tx);
  }
}

/**
 * The next page of a broadcast's audience, by resident id: `id, channel, address, language`. `only`
 * narrows a flash or invitation to residents whose age group matched (see `#ageScan`).
 */
function candidates(
  b: BroadcastRow,
  cursor: string | null,
  limit: number,
  only?: string[],
): RawBuilder<unknown> {
  const after = (column: RawBuilder<unknown>) => (cursor ? sql`and ${column} > ${cursor}::uuid` : sql``);
  switch (b.kind) {
    case 'flash':
    case 'wave_invitation':
      return sql`
        select r.id, r.channel, r.address, r.language from residents r
        where ${eligible(audienceOf(b.audience), b.kind === 'flash')} ${after(sql`r.id`)}
          ${only ? sql`and r.id = any(${only}::uuid[])` : sql``}
        order by r.id limit ${limit}`;
    case 'wave_reminder':
      return sql`
        select r.id, r.channel, r.address, r.language
        from wave_participants p join residents r on r.id = p.resident_id
        where p.wave_id = ${b.wave_id} and p.status in ('invited', 'started') and r.status = 'active'
          ${after(sql`p.resident_id`)}
        order by p.resident_id limit ${limit}`;
    case 'session_reminder':
    case 'session_cancelled':
      return sql`
        select r.id, r.channel, r.address, r.language
        from flash_rsvps x join residents r on r.id = x.resident_id
        where x.flash_id = ${b.flash_id} and r.status = 'active' ${after(sql`x.resident_id`)}
        order by x.resident_id limit ${limit}`;
    case 'session_summary':
      return sql`
        select r.id, r.channel, r.address, r.language
        from (select resident_id from flash_rsvps where flash_id = ${b.flash_id}
              union select resident_id from session_askers where flash_id = ${b.flash_id}) s
        join residents r on r.id = s.resident_id
        where r.status = 'active' ${after(sql`s.resident_id`)}
        order by s.resident_id limit ${limit}`;
  }
}
