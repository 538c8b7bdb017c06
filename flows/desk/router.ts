import type { InboundPayload } from '../../src/domain/messages.js';
import { reply, say } from '../asks.js';
import { parseKeyword } from '../parse/keywords.js';
import type { ConversationState, FlowContext, FlowResult, FlowStep } from '../types.js';
import { type Back, confirmAnswer, finish, isCancel, STAFF_LANG } from './asks.js';
import { flashStep, pollDraftStep, startFlash, startPollDraft } from './broadcasts.js';
import { correctionConfirm, startCorrection } from './corrections.js';
import {
  answerRequest,
  closeRequest,
  helpReplyConfirm,
  helpRequestList,
  takeRequest,
} from './help-requests.js';
import { ideaCommand, ideaConfirm, ideaList, nextIdeasPage } from './ideas.js';
import { isNextPage } from './loads.js';
import { results } from './results.js';
import { sessionStep, startSession } from './sessions.js';
import { type DeskState, mayUse, parseDeskState, type StaffCommand, staffCommandOf } from './state.js';
import type { StaffContext } from './types.js';

// The wijkteam's chat commands. The engine tells the flows who is staff (ctx.staff) and loads
// what a command reads (ctx.desk, see loads.ts); everything that reaches a resident is previewed
// and waits for an explicit "ja". Staff see request and idea numbers, areas, dates and texts — never
// an address, a name or a chat id of a resident. This file dispatches; each feature has its file
// (help-requests.ts, ideas.ts, results.ts, broadcasts.ts), as src/desk/ has on the engine's side.

/**
 * Staff commands and staff dialogs; null when the message belongs to the resident conversation. A
 * command from someone who is not staff is handed to the resident conversation as ordinary text
 * (keyword commands such as `/start` stay commands).
 */
export function deskStep(
  raw: ConversationState | null,
  input: InboundPayload,
  ctx: FlowContext,
  resident: FlowStep,
): FlowResult | null {
  const inDesk = raw?.flow === 'desk';
  const desk = inDesk ? parseDeskState(raw) : null;
  const back: Back = inDesk ? ((desk?.back as Back | undefined) ?? null) : withoutPendingErase(raw);
  if (!ctx.staff) {
    if (inDesk) return resident(back, input, ctx);
    if (input.kind === 'command' && !parseKeyword(`/${input.name}`)) {
      return resident(
        raw,
        { kind: 'text', text: `/${input.name}${input.args ? ` ${input.args}` : ''}` },
        ctx,
      );
    }
    return null;
  }
  const command = staffCommandOf(input);
  if (command) return runCommand(command, back, desk, ctx);
  if (!inDesk) return null;
  if (!desk || input.kind === 'command') return resident(back, input, ctx);
  if (desk.draft.step === 'done' && confirmAnswer(ctx, input) !== 'ja') return resident(back, input, ctx);
  // After a page of ideas only "volgende" stays with the desk; anything else is the resident's again.
  if (desk.draft.kind === 'ideas' && !isNextPage(input)) return resident(back, input, ctx);
  if (isCancel(input) && desk.draft.step !== 'done') {
    return finish(back, [reply(say(ctx, STAFF_LANG, 'desk-not-sent'))]);
  }
  return continueDraft(desk, input, ctx);
}

/**
 * The resident state a command interrupts, without a pending "really delete?": a staff dialog is full
 * of "ja", and one of them must never erase the staff member's own data afterwards.
 */
function withoutPendingErase(raw: ConversationState | null): Back {
  if (raw?.flow !== 'delete') return raw;
  return raw.paused ? { flow: 'idle', paused: raw.paused } : { flow: 'idle' };
}

function continueDraft(desk: DeskState, input: InboundPayload, ctx: FlowContext): FlowResult {
  const { draft } = desk;
  switch (draft.kind) {
    case 'flash':
      return flashStep(desk, draft, input, ctx);
    case 'poll':
      return pollDraftStep(desk, draft, input, ctx);
    case 'session':
      return sessionStep(desk, draft, input, ctx);
    case 'ideas':
      return nextIdeasPage(desk, draft, ctx);
    case 'help_reply':
      return helpReplyConfirm(desk, draft, input, ctx);
    case 'idea_reply':
    case 'idea_status':
      return ideaConfirm(desk, draft, input, ctx);
    case 'correction':
      return correctionConfirm(desk, draft, input, ctx);
  }
}

function runCommand(command: StaffCommand, back: Back, desk: DeskState | null, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  const staff = ctx.staff!;
  if (!mayUse(staff.role, command.name, command.args))
    return finish(back, [reply(say(ctx, lang, 'desk-not-allowed'))]);
  switch (command.name) {
    case 'help':
      return finish(back, [reply(helpList(ctx, staff))]);
    case 'cancel':
      // `/annuleer <id>` cancels a flash, session or wave; `/annuleer` alone stops the dialog.
      if (command.args !== '') return startCorrection('cancel', command.args, back, ctx);
      return finish(back, [
        reply(
          desk && desk.draft.step !== 'done'
            ? say(ctx, lang, 'desk-not-sent')
            : say(ctx, lang, 'desk-nothing-to-cancel'),
        ),
      ]);
    case 'flash':
      return startFlash(command.args, back, ctx);
    case 'poll':
      return startPollDraft(command.args, back, ctx);
    case 'straatpraat':
      return startSession(command.args, back, ctx);
    case 'hulpvragen':
      return helpRequestList(back, ctx);
    case 'neem':
      return takeRequest(command.args, back, ctx);
    case 'antwoord':
      return answerRequest(command.args, back, ctx);
    case 'sluit':
      return closeRequest(command.args, back, ctx);
    case 'ideas':
      return ideaList(command.args, back, desk, ctx);
    case 'idea':
      return ideaCommand(command.args, back, ctx);
    case 'results':
      return results(command.args, back, ctx);
    case 'closePoll':
      return startCorrection('close', command.args, back, ctx);
  }
}

function helpList(ctx: FlowContext, staff: StaffContext): string {
  const lang = STAFF_LANG;
  if (staff.role === 'analyst') return say(ctx, lang, 'desk-help-analyst');
  return say(ctx, lang, 'desk-help-wijkteam');
}
