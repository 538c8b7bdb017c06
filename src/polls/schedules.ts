import type { Queue } from 'bullmq';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { RenderContext } from '../../flows/broadcast.js';
import { type Poll, PollSchema } from '../../flows/polls/schema.js';
import { type Audience, AudienceSchema, audienceOf } from '../broadcast/audience.js';
import { BroadcastRequestError } from '../broadcast/broadcasts.js';
import { queueFanOut } from '../broadcast/fanout.js';
import { storeWave, WAVE_DEFAULTS } from '../broadcast/waves.js';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../desk/audit.js';
import type { Logger } from '../log.js';
import {
  describeRule,
  latestOccurrence,
  nextFreeOccurrence,
  nextOccurrence,
  type ScheduleRule,
  ScheduleRuleSchema,
} from './rule.js';

const DAY = 86_400_000;

/** A schedule as the wijkteam sets it. */
export const ScheduleInputSchema = z.object({
  poll: z.string().min(1),
  rule: ScheduleRuleSchema,
  /** Areas (and languages, channels) as for any wave; everyone when empty. */
  audience: AudienceSchema.omit({ joinedBefore: true }).default({}),
  /** Only residents who joined at least this many days before the wave opens. */
  minDaysJoined: z.number().int().min(0).max(3650).default(0),
  remindAfterMs: z.number().int().positive().nullable().default(WAVE_DEFAULTS.remindAfterMs),
  closeAfterMs: z.number().int().positive().default(WAVE_DEFAULTS.closeAfterMs),
});
export type ScheduleInput = z.input<typeof ScheduleInputSchema>;

/** A stored schedule, with its next occurrence. */
export interface Schedule {
  id: string;
  poll: string;
  rule: ScheduleRule;
  audience: Audience;
  minDaysJoined: number;
  remindAfterMs: number | null;
  closeAfterMs: number;
  /** The next occurrence that will open (skipped ones left out). */
  next: string;
  createdAt: string;
}

type Db = Kysely<Database>;

/**
 * Sets a poll's schedule (one per poll; setting it again replaces the rule and settings, and keeps
 * what was opened or skipped). Occurrences before this moment never open.
 */
export async function setSchedule(
  db: Db,
  input: ScheduleInput,
  opts: { actor: string; now: Date; timeZone: string },
): Promise<Schedule> {
  const s = ScheduleInputSchema.parse(input);
  if (s.remindAfterMs !== null && s.remindAfterMs >= s.closeAfterMs) {
    throw new BroadcastRequestError('the reminder must come before the wave closes');
  }
  const known = await db.selectFrom('polls').select('code').where('code', '=', s.poll).executeTakeFirst();
  if (!known) throw new BroadcastRequestError(`unknown poll "${s.poll}"`);
  const values = {
    poll: s.poll,
    rule: JSON.stringify(s.rule),
    audience: JSON.stringify(s.audience),
    min_days_joined: s.minDaysJoined,
    remind_after_ms: s.remindAfterMs,
    close_after_ms: s.closeAfterMs,
    created_by: opts.actor,
    created_at: opts.now,
  };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('poll_schedules')
      .values(values)
      .onConflict((oc) => oc.column('poll').doUpdateSet({ ...values, poll: undefined }))
      .execute();
    await recordAudit(tx, opts.actor, 'poll.schedule.set', { ...s }, opts.now);
  });
  const [schedule] = await listSchedules(db, opts, s.poll);
  return schedule!;
}

/** Every schedule (or one poll's), with its next occurrence. */
export async function listSchedules(
  db: Db,
  opts: { now: Date; timeZone: string },
  poll?: string,
): Promise<Schedule[]> {
  let query = db.selectFrom('poll_schedules').selectAll().orderBy('poll');
  if (poll !== undefined) query = query.where('poll', '=', poll);
  const rows = await query.execute();
  const runs = await db
    .selectFrom('poll_schedule_runs')
    .select(['schedule_id', 'occurrence'])
    .where('occurrence', '>', opts.now)
    .execute();
  return rows.map((r) => {
    const rule = ScheduleRuleSchema.parse(r.rule);
    const taken = new Set(runs.filter((x) => x.schedule_id === r.id).map((x) => x.occurrence.getTime()));
    const next = nextFreeOccurrence(rule, opts.now, opts.timeZone, taken);
    return {
      id: r.id,
      poll: r.poll,
      rule,
      audience: audienceOf(r.audience),
      minDaysJoined: r.min_days_joined,
      remindAfterMs: r.remind_after_ms === null ? null : Number(r.remind_after_ms),
      closeAfterMs: Number(r.close_after_ms),
      next: next.toISOString(),
      createdAt: r.created_at.toISOString(),
    };
  });
}

/** Removes a poll's schedule; its waves so far stay. False when it had none. */
export async function removeSchedule(
  db: Db,
  poll: string,
  opts: { actor: string; now: Date },
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('poll_schedules').where('poll', '=', poll).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return false;
    await recordAudit(tx, opts.actor, 'poll.schedule.remove', { poll }, opts.now);
    return true;
  });
}

/**
 * Skips the next occurrence of a poll's schedule (or the one at `occurrence`, which must be one of
 * the rule's): it will not open. Returns the skipped occurrence.
 */
export async function skipOccurrence(
  db: Db,
  poll: string,
  opts: { actor: string; now: Date; timeZone: string; occurrence?: Date },
): Promise<Date> {
  const [schedule] = await listSchedules(db, opts, poll);
  if (!schedule) throw new BroadcastRequestError(`poll "${poll}" has no schedule`);
  let occurrence = new Date(schedule.next);
  if (opts.occurrence) {
    const at = opts.occurrence;
    const match = nextOccurrence(schedule.rule, new Date(at.getTime() - 1), opts.timeZone);
    if (match.getTime() !== at.getTime() || at <= opts.now) {
      throw new BroadcastRequestError(
        `${at.toISOString()} is not a coming occurrence of ${describeRule(schedule.rule)}`,
      );
    }
    occurrence = at;
  }
  const skipped = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('poll_schedule_runs')
      .values({ schedule_id: schedule.id, occurrence, skipped: true, created_at: opts.now })
      .onConflict((oc) => oc.columns(['schedule_id', 'occurrence']).doNothing())
      .returning('occurrence')
      .executeTakeFirst();
    if (row) await recordAudit(tx, opts.actor, 'poll.schedule.skip', { poll, occurrence }, opts.now);
    return row;
  });
  if (!skipped)
    throw new BroadcastRequestError(`the occurrence of ${occurrence.toISOString()} is skipped already`);
  return occurrence;
}

/** What opening recurring waves needs. */
export interface ScheduledWaveDeps {
  db: Db;
  /** The `broadcast` queue, where fan-out jobs go. */
  queue: Queue;
  render: RenderContext;
  timeZone: string;
  log: Logger;
}

/** A wave a schedule opened. */
export interface OpenedWave {
  scheduleId: string;
  poll: string;
  pollVersion: number;
  occurrence: Date;
  waveId: string;
}

/** The latest version of a poll, as stored. */
async function latestVersion(db: Kysely<Database>, poll: string): Promise<Poll | undefined> {
  const row = await db
    .selectFrom('poll_versions')
    .select(['definition', 'version'])
    .where('poll', '=', poll)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { ...PollSchema.parse(row.definition), version: row.version };
}

/**
 * Opens the waves whose occurrence has come: for each schedule, its latest occurrence at or before
 * `now` (not one from before the schedule was set, not one skipped, and only while it would still be
 * open). The occurrence is claimed with a row keyed by (schedule, occurrence) in the same transaction
 * as the wave, so however many scheduler processes tick at once, each occurrence opens exactly once.
 * The wave gets the poll's latest version, opens at the occurrence and reminds and closes as the
 * schedule says; held invitations, quiet hours and one wave at a time work as for any wave.
 */
export async function openScheduledWaves(deps: ScheduledWaveDeps, now: Date): Promise<OpenedWave[]> {
  const { db } = deps;
  const schedules = await db.selectFrom('poll_schedules').selectAll().execute();
  const opened: OpenedWave[] = [];
  for (const s of schedules) {
    const parsed = ScheduleRuleSchema.safeParse(s.rule);
    if (!parsed.success) continue;
    const occurrence = latestOccurrence(parsed.data, now, deps.timeZone);
    if (!occurrence || occurrence < s.created_at) continue;
    const closeAfterMs = Number(s.close_after_ms);
    const closesAt = new Date(occurrence.getTime() + closeAfterMs);
    if (closesAt <= now) continue;
    const remindAfterMs = s.remind_after_ms === null ? null : Number(s.remind_after_ms);
    const remindAt =
      remindAfterMs !== null && remindAfterMs < closeAfterMs
        ? new Date(occurrence.getTime() + remindAfterMs)
        : null;
    const audience: Audience = {
      ...audienceOf(s.audience),
      ...(s.min_days_joined > 0 && {
        joinedBefore: new Date(occurrence.getTime() - s.min_days_joined * DAY).toISOString(),
      }),
    };
    const created = await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .insertInto('poll_schedule_runs')
        .values({ schedule_id: s.id, occurrence, created_at: now })
        .onConflict((oc) => oc.columns(['schedule_id', 'occurrence']).doNothing())
        .returning('schedule_id')
        .executeTakeFirst();
      if (!claimed) return null;
      const poll = await latestVersion(tx, s.poll);
      if (!poll) return null;
      const stored = await storeWave(
        tx,
        deps.render,
        poll,
        { audience, opensAt: occurrence, remindAt, closesAt },
        { actor: 'schedule', now },
      );
      if (!stored) return null;
      await tx
        .updateTable('poll_schedule_runs')
        .set({ wave_id: stored.id })
        .where('schedule_id', '=', s.id)
        .where(sql<boolean>`occurrence = ${occurrence}`)
        .execute();
      return { stored, version: poll.version ?? 1 };
    });
    if (!created) continue;
    const { stored, version } = created;
    // Lost jobs are mended by the tick, which queues every due broadcast not yet sent.
    await queueFanOut(
      deps.queue,
      stored.invitationId,
      Math.max(0, occurrence.getTime() - now.getTime()),
    ).catch(() => {});
    if (stored.reminderId && remindAt) {
      await queueFanOut(deps.queue, stored.reminderId, Math.max(0, remindAt.getTime() - now.getTime())).catch(
        () => {},
      );
    }
    deps.log.info({ poll: s.poll, waveId: stored.id, occurrence }, 'recurring wave opened');
    opened.push({ scheduleId: s.id, poll: s.poll, pollVersion: version, occurrence, waveId: stored.id });
  }
  return opened;
}
