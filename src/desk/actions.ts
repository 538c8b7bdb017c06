import { sql, type Transaction } from 'kysely';
import type { RenderContext } from '../../flows/broadcast.js';
import type { DeskAction, DeskConfig, StaffContext } from '../../flows/desk/types.js';
import { quietHoursOf } from '../../flows/desk/when.js';
import type { Poll } from '../../flows/polls/schema.js';
import { BroadcastRequestError } from '../broadcast/broadcasts.js';
import { cancelFlashIn, cancelSessionIn, cancelWaveIn, closeWaveIn } from '../broadcast/corrections.js';
import type { Database } from '../db/schema.js';
import type { OutboundMessageInput } from '../domain/messages.js';
import type { QuietHours } from '../domain/quiet-hours.js';
import type { Area } from '../domain/resident.js';
import type { OutboundJob } from '../queue/payloads.js';
import { recordAudit as record, staffActor } from './audit.js';
import { announceSessionOnce, createFlashOnce, type FanOutRequest, launchWaveOnce } from './broadcasts.js';
import { deliverTo, residentOfStaff } from './deliver.js';
import {
  addResidentMessage,
  addStaffReply,
  closeHelpRequest,
  noticesOfNewHelpRequests,
  openHelpRequest,
  takeHelpRequest,
} from './help-requests.js';
import { addIdeaReply, setIdeaStatus } from './ideas.js';

/** What applying a step's desk actions gives the engine to do after commit. */
export interface DeskOutcome {
  /** Messages to other people than the sender, stored as outbound rows already. */
  deliveries: OutboundJob[];
  fanOuts: FanOutRequest[];
  /** The `seq` of the next outbound row of this inbound message. */
  nextSeq: number;
}

/** The engine's side of a desk step: who sent it and what the engine was set up with. */
export interface DeskActionEnv {
  residentId: string;
  area: Area | null;
  staff?: StaffContext | undefined;
  /** The inbound message behind the action; null on the command line. */
  inboundId: string | null;
  /** Set on the command line and the web desk: recorded with each staff action. */
  via?: 'cli' | 'web';
  now: Date;
  config: DeskConfig;
  render: RenderContext;
  polls: ReadonlyMap<string, Poll>;
  /** Quiet hours, which hold a message staff start to a resident (see `heldUntil`). */
  quietHours?: QuietHours;
}

/** A resident who wrote this recently still gets a staff message in quiet hours: they are awake. */
export const RECENTLY_WROTE_MS = 3_600_000;

/**
 * When a message a staff member starts to a resident (an answer to a help request or an idea, an
 * idea's new status, a closed request) may go: in quiet hours it waits until they end, unless the
 * resident wrote in the last hour. Undefined for now.
 */
async function heldUntil(
  tx: Transaction<Database>,
  residentId: string,
  env: DeskActionEnv,
): Promise<number | undefined> {
  const hold = env.quietHours?.holdMs(env.now) ?? 0;
  if (hold <= 0) return undefined;
  const last = await tx
    .selectFrom('conversations')
    .select('updated_at')
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
  const wrote = last ? new Date(last.updated_at).getTime() : 0;
  if (env.now.getTime() - wrote < RECENTLY_WROTE_MS) return undefined;
  return env.now.getTime() + hold;
}

/** An empty outcome whose deliveries follow the sender's `replies` replies. */
export function deskOutcome(replies: number): DeskOutcome {
  return { deliveries: [], fanOuts: [], nextSeq: replies };
}

async function deliver(
  tx: Transaction<Database>,
  residentId: string | null | undefined,
  message: OutboundMessageInput | undefined,
  env: DeskActionEnv,
  out: DeskOutcome,
  opts: { toResident?: boolean } = {},
): Promise<boolean> {
  if (!residentId || !message) return false;
  const notBefore = opts.toResident ? await heldUntil(tx, residentId, env) : undefined;
  const job = await deliverTo(tx, residentId, message, {
    inboundId: env.inboundId,
    seq: out.nextSeq,
    now: env.now,
    ...(notBefore && { notBefore }),
  });
  if (!job) return false;
  out.nextSeq += 1;
  out.deliveries.push(job);
  return true;
}

/**
 * A confirmed `/annuleer <id>` or `/sluit-peiling <id>`, with the CLI's functions, audited with
 * `via: chat`. The flow checked the state just before; should it have changed in between, the
 * correction is refused here, inside a savepoint, and nothing changes. Returns the fan-out of a
 * session's "it does not go ahead" line.
 */
async function applyCorrection(
  tx: Transaction<Database>,
  action: Extract<DeskAction, { kind: 'correction' }>,
  env: DeskActionEnv,
  actor: string,
): Promise<FanOutRequest[]> {
  await sql`savepoint correction`.execute(tx);
  try {
    let fanOuts: FanOutRequest[] = [];
    if (action.action === 'close') await closeWaveIn(tx, action.id, actor, env.now, 'chat');
    else if (action.target === 'wave') await cancelWaveIn(tx, action.id, actor, env.now, 'chat');
    else if (action.target === 'flash') await cancelFlashIn(tx, action.id, actor, env.now, 'chat');
    else {
      const r = await cancelSessionIn(
        tx,
        { ...env.render, timeZone: env.config.timeZone },
        action.id,
        actor,
        env.now,
        'chat',
      );
      if (r.noticeId) fanOuts = [{ broadcastId: r.noticeId, delayMs: 0 }];
    }
    await sql`release savepoint correction`.execute(tx);
    return fanOuts;
  } catch (error) {
    await sql`rollback to savepoint correction`.execute(tx);
    if (error instanceof BroadcastRequestError) return [];
    throw error;
  }
}

/**
 * Applies one desk action inside the engine's transaction. Staff actions are recorded in the audit log
 * in the same transaction; the audit details name requests and ideas by number, never a resident.
 */
export async function applyDeskAction(
  tx: Transaction<Database>,
  action: DeskAction,
  env: DeskActionEnv,
  out: DeskOutcome,
): Promise<void> {
  const { now } = env;
  switch (action.kind) {
    case 'help.open': {
      const opened = await openHelpRequest(
        tx,
        { residentId: env.residentId, area: env.area, ...(action.subject && { subject: action.subject }) },
        env.config,
        now,
      );
      // The wijkteam hears of it at once in office hours; otherwise the scheduler tells them when they start.
      if (opened.created) {
        const notices = await noticesOfNewHelpRequests(tx, env.render.texts, env.config, now, [opened.id]);
        for (const notice of notices) {
          await deliver(tx, notice.residentId, { kind: 'text', text: notice.text }, env, out);
        }
      }
      return;
    }
    case 'help.resident_message': {
      const added = await addResidentMessage(tx, action.requestId, env.residentId, action.text, now);
      if (added?.takenBy && action.relay) {
        await deliver(tx, await residentOfStaff(tx, added.takenBy), action.relay, env, out);
      }
      return;
    }
    default:
      break;
  }
  // Everything below is a staff action: only a listed staff member's step can ask for it.
  const staff = env.staff;
  if (!staff) return;
  const actor = staffActor(staff.id);
  const recordAudit = (name: string, details: Record<string, unknown>) =>
    record(tx, actor, name, { ...details, ...(env.via && { via: env.via }) }, now);
  switch (action.kind) {
    case 'help.take':
      if (await takeHelpRequest(tx, action.requestId, staff.id, now)) {
        await recordAudit('help.take', { requestId: action.requestId });
      }
      return;
    case 'help.reply': {
      const stored = await addStaffReply(tx, action.requestId, staff.id, action.text, now);
      if (!stored) return;
      const delivered = await deliver(tx, stored.residentId, action.message, env, out, { toResident: true });
      await recordAudit('help.reply', { requestId: action.requestId, delivered });
      return;
    }
    case 'help.close': {
      const closed = await closeHelpRequest(tx, action.requestId, now);
      if (!closed) return;
      const delivered = await deliver(tx, closed.residentId, action.message, env, out, { toResident: true });
      await recordAudit('help.close', { requestId: action.requestId, delivered });
      return;
    }
    case 'idea.status': {
      const idea = await setIdeaStatus(tx, action.ideaId, action.status, now);
      if (!idea) return;
      const delivered = await deliver(tx, idea.residentId, action.message, env, out, { toResident: true });
      await recordAudit('idea.status', { ideaId: action.ideaId, status: action.status, delivered });
      return;
    }
    case 'idea.reply': {
      const idea = await addIdeaReply(tx, action.ideaId, staff.id, action.text, now);
      if (!idea) return;
      const delivered = await deliver(tx, idea.residentId, action.message, env, out, { toResident: true });
      await recordAudit('idea.reply', { ideaId: action.ideaId, delivered });
      return;
    }
    case 'flash.send':
      out.fanOuts.push(
        ...(await createFlashOnce(
          tx,
          env.render,
          {
            id: action.flashId,
            text: action.text,
            audience: action.audience,
            rsvp: action.rsvp,
            ...(action.sendAt && { sendAt: new Date(action.sendAt) }),
          },
          actor,
          now,
        )),
      );
      return;
    case 'session.announce':
      out.fanOuts.push(
        ...(await announceSessionOnce(
          tx,
          env.render,
          {
            id: action.sessionId,
            at: new Date(action.at),
            where: action.where,
            who: action.who,
            audience: action.audience,
            ...(action.text && { text: action.text }),
          },
          {
            actor,
            now,
            quietHours: quietHoursOf(env.config.quietHours, env.config.timeZone),
            timeZone: env.config.timeZone,
          },
        )),
      );
      return;
    case 'poll.launch': {
      const poll = env.polls.get(action.poll);
      if (!poll) return;
      out.fanOuts.push(
        ...(await launchWaveOnce(
          tx,
          env.render,
          poll,
          { id: action.waveId, audience: action.audience },
          actor,
          now,
        )),
      );
      return;
    }
    case 'correction':
      out.fanOuts.push(...(await applyCorrection(tx, action, env, actor)));
      return;
    case 'audit':
      await recordAudit(action.action, action.details);
      return;
    default:
      return;
  }
}
