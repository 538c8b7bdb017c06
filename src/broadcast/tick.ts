import type { Queue } from 'bullmq';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { OutboundMessageSchema } from '../domain/messages.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../queue/outbox.js';
import type { OutboundJob } from '../queue/payloads.js';
import { queueFanOut } from './fanout.js';

/** What one tick did. */
export interface TickReport {
  opened: number;
  closed: number;
  /** Broadcasts due and not yet sent whose fan-out was (re)queued. */
  due: number;
  /** Held wave invitations sent now that the resident's previous wave ended. */
  released: number;
}

export interface BroadcastTickOptions {
  db: Kysely<Database>;
  queue: Queue;
  outbox: Outbox;
  log: Logger;
  clock?: () => Date;
}

/** Held invitations released per statement. */
const RELEASE_BATCH = 1_000;
/** A release older than this whose messages were not confirmed queued is queued again. */
const RELEASE_GRACE_MS = 60_000;

interface ReleasedRow {
  outbound_id: string;
  resident_id: string;
  wave_id: string;
  channel: OutboundJob['channel'];
  address: string;
  body: unknown;
}

/**
 * The scheduler's frequent, idempotent pass over the database, which is the source of truth: open
 * waves whose time has come, close those past their closing time, make sure every broadcast that is
 * due and not yet sent has its fan-out on the queue (scheduled flashes, invitations, reminders, a
 * session's day reminder — including any whose job was lost), and send held wave invitations to
 * residents whose previous wave has finished or closed.
 */
export class BroadcastTick {
  readonly #opts: BroadcastTickOptions;
  readonly #clock: () => Date;

  constructor(opts: BroadcastTickOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? (() => new Date());
  }

  async run(): Promise<TickReport> {
    const { db } = this.#opts;
    const now = this.#clock();
    const opened = await db
      .updateTable('waves')
      .set({ status: 'open' })
      .where('status', '=', 'scheduled')
      .where('opens_at', '<=', now)
      .where('closes_at', '>', now)
      .executeTakeFirst();
    const closed = await db
      .updateTable('waves')
      .set({ status: 'closed' })
      .where('status', 'not in', ['closed', 'cancelled'])
      .where('closes_at', '<=', now)
      .executeTakeFirst();
    const due = await db
      .selectFrom('broadcasts')
      .select('id')
      .where('status', 'not in', ['sent', 'cancelled'])
      .where('send_at', '<=', now)
      .execute();
    for (const { id } of due) await queueFanOut(this.#opts.queue, id);
    const released = await this.#release(now);
    const report = {
      opened: Number(opened.numUpdatedRows),
      closed: Number(closed.numUpdatedRows),
      due: due.length,
      released,
    };
    if (report.opened + report.closed + report.released > 0) this.#opts.log.info(report, 'broadcast tick');
    return report;
  }

  /**
   * Sends held invitations whose resident is free again: one wave at a time per resident, the earliest
   * first. The release and its outbound rows commit together, marked `released_at` until the jobs are
   * on the queue; a crash in between is mended by the next tick.
   */
  async #release(now: Date): Promise<number> {
    const { db } = this.#opts;
    await this.#mendReleases(now);
    let total = 0;
    for (;;) {
      const rows = await db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext('straatpraat:wave-invitations'))`.execute(tx);
        const { rows } = await sql<ReleasedRow>`
          with cand as (
            select distinct on (p.resident_id) p.wave_id, p.resident_id
            from wave_participants p
            join waves w on w.id = p.wave_id
            join residents r on r.id = p.resident_id
            where p.status = 'held' and w.status <> 'closed' and w.opens_at <= ${now} and w.closes_at > ${now}
              and r.status = 'active'
              and not exists (
                select 1 from wave_participants q join waves v on v.id = q.wave_id
                where q.resident_id = p.resident_id and q.status in ('invited', 'started')
                  and v.status <> 'closed' and v.closes_at > ${now})
            order by p.resident_id, w.opens_at, w.id
            limit ${RELEASE_BATCH}
          ),
          upd as (
            update wave_participants p set status = 'invited', invited_at = ${now}, released_at = ${now}
            from cand c where p.wave_id = c.wave_id and p.resident_id = c.resident_id
            returning p.wave_id, p.resident_id
          ),
          ins as (
            insert into outbound_messages (resident_id, channel, kind, body, broadcast_id, created_at)
            select r.id, r.channel, 'bulk',
                   coalesce(b.messages -> r.language, b.messages -> 'nl'),
                   b.id, ${now}
            from upd u
            join residents r on r.id = u.resident_id
            join broadcasts b on b.wave_id = u.wave_id and b.kind = 'wave_invitation'
            on conflict do nothing
            returning id, resident_id, channel, body, broadcast_id
          )
          select ins.id as outbound_id, ins.resident_id, b.wave_id, ins.channel, r.address, ins.body
          from ins join residents r on r.id = ins.resident_id join broadcasts b on b.id = ins.broadcast_id
        `.execute(tx);
        return rows;
      });
      if (rows.length === 0) return total;
      await this.#queue(rows, now);
      total += rows.length;
      if (rows.length < RELEASE_BATCH) return total;
    }
  }

  /** Queues released invitations, then clears their mark. */
  async #queue(rows: ReleasedRow[], now: Date): Promise<void> {
    await this.#opts.outbox.enqueue(
      rows.map((r) => ({
        outboundId: r.outbound_id,
        residentId: r.resident_id,
        channel: r.channel,
        address: r.address,
        kind: 'bulk' as const,
        // A broadcast's rows keep their message in plain `body` (src/db/outbound-body.ts).
        message: OutboundMessageSchema.parse(r.body),
        queuedAt: now.getTime(),
      })),
    );
    for (const waveId of new Set(rows.map((r) => r.wave_id))) {
      await this.#opts.db
        .updateTable('wave_participants')
        .set({ released_at: null })
        .where('wave_id', '=', waveId)
        .where(
          'resident_id',
          'in',
          rows.filter((r) => r.wave_id === waveId).map((r) => r.resident_id),
        )
        .execute();
    }
  }

  /** Releases a crash interrupted between commit and queue: their rows are queued again (same job ids). */
  async #mendReleases(now: Date): Promise<void> {
    const stale = new Date(now.getTime() - RELEASE_GRACE_MS);
    for (;;) {
      const { rows } = await sql<ReleasedRow>`
        select o.id as outbound_id, o.resident_id, p.wave_id, o.channel, r.address, o.body
        from wave_participants p
        join broadcasts b on b.wave_id = p.wave_id and b.kind = 'wave_invitation'
        join outbound_messages o on o.broadcast_id = b.id and o.resident_id = p.resident_id
        join residents r on r.id = p.resident_id
        where p.released_at is not null and p.released_at < ${stale} and o.status = 'queued'
        limit ${RELEASE_BATCH}
      `.execute(this.#opts.db);
      if (rows.length > 0) await this.#queue(rows, now);
      if (rows.length < RELEASE_BATCH) break;
    }
    // What is left was delivered (or failed) already; only the mark remains.
    await this.#opts.db
      .updateTable('wave_participants')
      .set({ released_at: null })
      .where('released_at', '<', stale)
      .execute();
  }
}
