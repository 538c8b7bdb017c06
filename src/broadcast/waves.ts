import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { type RenderContext, waveInvitation, waveReminder } from '../../flows/broadcast.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import { type AuditActor, type AuditVia, recordAudit } from '../desk/audit.js';
import { nextFreeOccurrence, ScheduleRuleSchema } from '../polls/rule.js';
import { type Audience, AudienceSchema, audienceOf } from './audience.js';
import {
  type BroadcastDeps,
  BroadcastRequestError,
  broadcastsOf,
  countEligible,
  type DeliveryCounts,
  deliveryCounts,
  insertBroadcast,
  noDeliveries,
  nowOf,
} from './broadcasts.js';
import { BroadcastMessagesSchema, perLanguage, queueFanOut } from './fanout.js';

const HOUR = 3_600_000;

/** A wave reminds once after a day and closes after a week, unless told otherwise. */
export const WAVE_DEFAULTS = { remindAfterMs: 24 * HOUR, closeAfterMs: 7 * 24 * HOUR } as const;

/** A poll wave as the wijkteam launches it. */
export const WaveInputSchema = z.object({
  poll: z.string().min(1),
  audience: AudienceSchema.default({}),
  /** When the wave opens and its invitations go; now when missing or past. */
  opensAt: z.date().optional(),
  /** After how long the reminder goes to those who did not finish; null for no reminder. */
  remindAfterMs: z.number().int().positive().nullable().default(WAVE_DEFAULTS.remindAfterMs),
  closeAfterMs: z.number().int().positive().default(WAVE_DEFAULTS.closeAfterMs),
});
/** A poll wave as the wijkteam launches it. */
export type WaveInput = z.input<typeof WaveInputSchema>;

/** The launched wave and its schedule. */
export interface LaunchedWave {
  id: string;
  poll: string;
  invitationId: string;
  reminderId: string | null;
  opensAt: Date;
  remindAt: Date | null;
  closesAt: Date;
  /** Residents matching the audience now. */
  audience: number;
}

/**
 * Stores a wave, its invitation and (when `remindAt` is set) its reminder broadcast and the audit
 * record, in the caller's transaction. With an `id` (a draft confirmed in the chat) it happens once:
 * when that id exists already nothing is created and the result is null.
 */
export async function storeWave(
  tx: Transaction<Database>,
  render: RenderContext,
  poll: Poll,
  wave: { audience: Audience; opensAt: Date; remindAt: Date | null; closesAt: Date },
  opts: { id?: string; actor: AuditActor; now: Date; via?: AuditVia },
): Promise<{ id: string; invitationId: string; reminderId: string | null } | null> {
  const { audience, opensAt, remindAt, closesAt } = wave;
  const row = await tx
    .insertInto('waves')
    .values({
      ...(opts.id && { id: opts.id }),
      poll: poll.id,
      // The version the wave's residents are asked, whatever versions come after.
      poll_version: poll.version ?? 1,
      audience: JSON.stringify(audience),
      opens_at: opensAt,
      closes_at: closesAt,
      remind_at: remindAt,
      created_by: opts.actor,
      created_at: opts.now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return null;
  const invitationId = await insertBroadcast(tx, {
    kind: 'wave_invitation',
    waveId: row.id,
    messages: BroadcastMessagesSchema.parse(
      perLanguage((language) => waveInvitation(render, language, poll)),
    ),
    audience,
    sendAt: opensAt,
  });
  const reminderId = remindAt
    ? await insertBroadcast(tx, {
        kind: 'wave_reminder',
        waveId: row.id,
        messages: BroadcastMessagesSchema.parse(perLanguage((language) => waveReminder(render, language))),
        sendAt: remindAt,
      })
    : null;
  await recordAudit(
    tx,
    opts.actor,
    'poll.launch',
    {
      waveId: row.id,
      poll: poll.id,
      audience,
      opensAt,
      remindAt,
      closesAt,
      ...(opts.via && { via: opts.via }),
    },
    opts.now,
  );
  return { id: row.id, invitationId, reminderId };
}

/**
 * Launches a poll to an audience: the wave, its invitation (which asks the first question) at the
 * opening time, and a reminder to those who have not finished, if it falls before the closing.
 */
export async function launchWave(
  deps: BroadcastDeps,
  input: WaveInput,
  actor: AuditActor,
): Promise<LaunchedWave> {
  const wave = WaveInputSchema.parse(input);
  const poll = deps.polls.get(wave.poll);
  if (!poll) {
    throw new BroadcastRequestError(
      `unknown poll "${wave.poll}"; known: ${[...deps.polls.keys()].join(', ')}`,
    );
  }
  const now = nowOf(deps);
  const opensAt = wave.opensAt && wave.opensAt > now ? wave.opensAt : now;
  const closesAt = new Date(opensAt.getTime() + wave.closeAfterMs);
  const remindAt =
    wave.remindAfterMs !== null && wave.remindAfterMs < wave.closeAfterMs
      ? new Date(opensAt.getTime() + wave.remindAfterMs)
      : null;
  const stored = await deps.db
    .transaction()
    .execute((tx) =>
      storeWave(
        tx,
        deps,
        poll,
        { audience: wave.audience, opensAt, remindAt, closesAt },
        { actor, now, ...(deps.via && { via: deps.via }) },
      ),
    );
  // Without an id of our own the insert cannot meet an existing row.
  const created = stored!;
  await queueFanOut(deps.queue, created.invitationId, opensAt.getTime() - now.getTime());
  if (created.reminderId && remindAt) {
    await queueFanOut(deps.queue, created.reminderId, remindAt.getTime() - now.getTime());
  }
  return {
    ...created,
    poll: poll.id,
    opensAt,
    remindAt,
    closesAt,
    audience: await countEligible(deps.db, wave.audience, false),
  };
}

/** Where a wave stands: who was invited and how far they got, and each send's delivery. */
export interface WaveReport {
  id: string;
  poll: string;
  status: string;
  opensAt: string;
  remindAt: string | null;
  closesAt: string;
  audienceFilter: Audience;
  /** Residents invited or held (every participant). */
  audience: number;
  held: number;
  invited: number;
  started: number;
  finished: number;
  /** Distinct respondents with at least one answer in the monitor store. */
  respondents: number;
  invitation: DeliveryCounts;
  reminder: DeliveryCounts | null;
}

/** The report of one wave. */
export async function waveReport(db: Kysely<Database>, waveId: string): Promise<WaveReport> {
  if (!z.uuid().safeParse(waveId).success) throw new BroadcastRequestError(`${waveId} is not a wave id`);
  const wave = await db.selectFrom('waves').selectAll().where('id', '=', waveId).executeTakeFirst();
  if (!wave) throw new BroadcastRequestError(`no wave with id ${waveId}`);
  const [statuses, respondents, sends] = await Promise.all([
    db
      .selectFrom('wave_participants')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('wave_id', '=', waveId)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('answers')
      .select((eb) => eb.fn.count<number>('respondent').distinct().as('n'))
      .where('wave_id', '=', waveId)
      .executeTakeFirstOrThrow(),
    broadcastsOf(db, { waveId }),
  ]);
  const by = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])) as Record<string, number>;
  const invitation = sends.find((b) => b.kind === 'wave_invitation');
  const reminder = sends.find((b) => b.kind === 'wave_reminder');
  return {
    id: wave.id,
    poll: wave.poll,
    status: wave.status,
    opensAt: new Date(wave.opens_at).toISOString(),
    remindAt: wave.remind_at ? new Date(wave.remind_at).toISOString() : null,
    closesAt: new Date(wave.closes_at).toISOString(),
    audienceFilter: audienceOf(wave.audience),
    audience: Object.values(by).reduce((a, b) => a + b, 0),
    held: by.held ?? 0,
    invited: by.invited ?? 0,
    started: by.started ?? 0,
    finished: by.finished ?? 0,
    respondents: Number(respondents.n),
    invitation: invitation ? await deliveryCounts(db, invitation.id) : noDeliveries(),
    reminder: reminder ? await deliveryCounts(db, reminder.id) : null,
  };
}

/** A poll that can be launched, with its waves so far. */
export interface PollSummary {
  id: string;
  title: string;
  questions: number;
  indicators: string[];
  /** The poll's latest version (what a new wave gets); absent for a poll read from a file. */
  version?: number;
  /** The next time its schedule opens a wave, when it has one (`poll schedule`). */
  nextWave?: string;
  waves: { id: string; status: string; opensAt: string; closesAt: string }[];
}

/** The polls, each with its waves (newest first) and, with `schedules`, the next recurring wave. */
export async function listPolls(
  db: Kysely<Database>,
  polls: ReadonlyMap<string, Poll>,
  schedules?: { now: Date; timeZone: string },
): Promise<PollSummary[]> {
  const waves = await db
    .selectFrom('waves')
    .select(['id', 'poll', 'status', 'opens_at', 'closes_at'])
    .orderBy('opens_at', 'desc')
    .execute();
  const next = new Map<string, string>();
  if (schedules) {
    const rows = await db.selectFrom('poll_schedules').select(['id', 'poll', 'rule']).execute();
    const runs = await db
      .selectFrom('poll_schedule_runs')
      .select(['schedule_id', 'occurrence'])
      .where('occurrence', '>', schedules.now)
      .execute();
    for (const row of rows) {
      const rule = ScheduleRuleSchema.safeParse(row.rule);
      if (!rule.success) continue;
      const taken = new Set(runs.filter((r) => r.schedule_id === row.id).map((r) => r.occurrence.getTime()));
      next.set(
        row.poll,
        nextFreeOccurrence(rule.data, schedules.now, schedules.timeZone, taken).toISOString(),
      );
    }
  }
  return [...polls.values()].map((poll) => ({
    id: poll.id,
    title: poll.title.nl,
    questions: poll.questions.length,
    indicators: [...new Set(poll.questions.flatMap((q) => (q.indicator ? [q.indicator] : [])))],
    ...(poll.version !== undefined && { version: poll.version }),
    ...(next.has(poll.id) && { nextWave: next.get(poll.id)! }),
    waves: waves
      .filter((w) => w.poll === poll.id)
      .map((w) => ({
        id: w.id,
        status: w.status,
        opensAt: new Date(w.opens_at).toISOString(),
        closesAt: new Date(w.closes_at).toISOString(),
      })),
  }));
}
