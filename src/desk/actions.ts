import type { Transaction } from 'kysely';
import type { RenderContext } from '../../flows/broadcast.js';
import type { DeskAction, DeskConfig, StaffContext } from '../../flows/desk/types.js';
import type { Poll } from '../../flows/polls/schema.js';
import type { Database } from '../db/schema.js';
import type { OutboundMessageInput } from '../domain/messages.js';
import type { Area } from '../domain/resident.js';
import type { OutboundJob } from '../queue/payloads.js';
import { recordAudit as record, staffActor } from './audit.js';
import { createFlashOnce, type FanOutRequest, launchWaveOnce } from './broadcasts.js';
import { deliverTo, residentOfStaff } from './deliver.js';
import {
  addResidentMessage,
  addStaffReply,
  closeHelpRequest,
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
): Promise<boolean> {
  if (!residentId || !message) return false;
  const job = await deliverTo(tx, residentId, message, {
    inboundId: env.inboundId,
    seq: out.nextSeq,
    now: env.now,
  });
  if (!job) return false;
  out.nextSeq += 1;
  out.deliveries.push(job);
  return true;
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
    case 'help.open':
      await openHelpRequest(
        tx,
        { residentId: env.residentId, area: env.area, ...(action.subject && { subject: action.subject }) },
        env.config,
        now,
      );
      return;
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
      const delivered = await deliver(tx, stored.residentId, action.message, env, out);
      await recordAudit('help.reply', { requestId: action.requestId, delivered });
      return;
    }
    case 'help.close':
      if (await closeHelpRequest(tx, action.requestId, now)) {
        await recordAudit('help.close', { requestId: action.requestId });
      }
      return;
    case 'idea.status': {
      const idea = await setIdeaStatus(tx, action.ideaId, action.status, now);
      if (!idea) return;
      const delivered = await deliver(tx, idea.residentId, action.message, env, out);
      await recordAudit('idea.status', { ideaId: action.ideaId, status: action.status, delivered });
      return;
    }
    case 'idea.reply': {
      const idea = await addIdeaReply(tx, action.ideaId, staff.id, action.text, now);
      if (!idea) return;
      const delivered = await deliver(tx, idea.residentId, action.message, env, out);
      await recordAudit('idea.reply', { ideaId: action.ideaId, delivered });
      return;
    }
    case 'flash.send':
      out.fanOuts.push(
        ...(await createFlashOnce(
          tx,
          env.render,
          { id: action.flashId, text: action.text, audience: action.audience, rsvp: action.rsvp },
          actor,
          now,
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
    case 'audit':
      await recordAudit(action.action, action.details);
      return;
    default:
      return;
  }
}
