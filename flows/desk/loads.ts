import type { InboundPayload } from '../../src/domain/messages.js';
import { parseKeyword } from '../parse/keywords.js';
import {
  correctionIdOf,
  leadingNumber,
  looksLikeCommand,
  mayUse,
  parseDeskState,
  staffCommandOf,
} from './state.js';
import { IDEA_STATUSES, type IdeaStatus, type StaffContext } from './types.js';

// Flows are pure, so the engine loads what a desk step will read before running it. These functions
// decide what that is from the message and the stored state alone, so that an ordinary resident
// message costs no query at all: the staff lookup happens only for a slash command or inside a desk
// dialog, and a resident's open help request is looked up only for idle free text, HULP, or the
// help request's own question.

/** Something the engine loads into `ctx.desk` before a step. */
export type DeskLoad =
  | { kind: 'helpRequests' }
  | { kind: 'helpRequest'; id: string; messages: boolean }
  | { kind: 'ideas'; status?: IdeaStatus }
  | { kind: 'idea'; id: string }
  | { kind: 'audience' }
  | { kind: 'results' }
  | { kind: 'ownHelpRequest' }
  | { kind: 'correction'; id: string };

const flowOf = (state: unknown): string | undefined =>
  typeof state === 'object' && state !== null && typeof (state as { flow?: unknown }).flow === 'string'
    ? (state as { flow: string }).flow
    : undefined;

/** True when the sender might be staff acting as staff: a slash command, or a desk dialog in progress. */
export function mayBeStaff(state: unknown, input: InboundPayload): boolean {
  return looksLikeCommand(input) || flowOf(state) === 'desk';
}

/** An idea status as typed ("niet haalbaar", "Gepland"). */
export function ideaStatusOf(text: string): IdeaStatus | undefined {
  const code = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (IDEA_STATUSES as readonly string[]).includes(code) ? (code as IdeaStatus) : undefined;
}

/** What the engine must load before this step runs. */
export function deskLoads(
  state: unknown,
  input: InboundPayload,
  staff: StaffContext | undefined,
): DeskLoad[] {
  if (staff) {
    const command = staffCommandOf(input);
    if (command) {
      if (!mayUse(staff.role, command.name, command.args)) return [];
      const numbered = leadingNumber(command.args);
      switch (command.name) {
        case 'hulpvragen':
          return [{ kind: 'helpRequests' }];
        case 'neem':
        case 'antwoord':
        case 'sluit':
          return numbered
            ? [{ kind: 'helpRequest', id: numbered.id, messages: command.name === 'neem' }]
            : [];
        case 'ideas': {
          const status = ideaStatusOf(command.args);
          return [{ kind: 'ideas', ...(status && { status }) }];
        }
        case 'idea':
          return numbered ? [{ kind: 'idea', id: numbered.id }] : [];
        case 'results':
          return [{ kind: 'results' }];
        case 'cancel':
        case 'closePoll': {
          const id = correctionIdOf(command.args);
          return id ? [{ kind: 'correction', id }] : [];
        }
        default:
          return [];
      }
    }
    const desk = parseDeskState(state);
    if (desk) {
      const { draft } = desk;
      switch (draft.kind) {
        case 'flash':
          return draft.step === 'rsvp' ? [{ kind: 'audience' }] : [];
        case 'poll':
          return draft.step === 'area' ? [{ kind: 'audience' }] : [];
        case 'help_reply':
          return [{ kind: 'helpRequest', id: draft.requestId, messages: false }];
        case 'idea_reply':
        case 'idea_status':
          return [{ kind: 'idea', id: draft.ideaId }];
        case 'correction':
          return [{ kind: 'correction', id: draft.id }];
      }
    }
  }
  const flow = flowOf(state);
  if (input.kind === 'text' && input.text.length <= 100 && parseKeyword(input.text) === 'help') {
    return [{ kind: 'ownHelpRequest' }];
  }
  if (input.kind === 'command' && parseKeyword(`/${input.name}`) === 'help')
    return [{ kind: 'ownHelpRequest' }];
  if (flow === 'help_subject') return [{ kind: 'ownHelpRequest' }];
  if (flow === 'idle' && input.kind === 'text' && input.text.trim() !== '' && !parseKeyword(input.text)) {
    return [{ kind: 'ownHelpRequest' }];
  }
  return [];
}
