import type { InboundPayload } from '../../src/domain/messages.js';
import { parseKeyword } from '../parse/keywords.js';
import { leadingNumber, mayUse, parseDeskState, staffCommandOf } from './state.js';
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
  /** One wave's results; `includeRunning` for analysts and admins (the wijkteam sees closed waves only). */
  | { kind: 'waveResults'; wave: string; includeRunning: boolean }
  | { kind: 'ownHelpRequest' };

const flowOf = (state: unknown): string | undefined =>
  typeof state === 'object' && state !== null && typeof (state as { flow?: unknown }).flow === 'string'
    ? (state as { flow: string }).flow
    : undefined;

/** True when the sender might be staff acting as staff: a slash command, or a desk dialog in progress. */
export function mayBeStaff(state: unknown, input: InboundPayload): boolean {
  return input.kind === 'command' || flowOf(state) === 'desk';
}

/** An idea status as typed ("niet haalbaar", "Gepland"). */
export function ideaStatusOf(text: string): IdeaStatus | undefined {
  const code = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (IDEA_STATUSES as readonly string[]).includes(code) ? (code as IdeaStatus) : undefined;
}

/**
 * The wave `/results WAVE` names: a wave id, or its first 8 or more characters as `/results` lists
 * them (lower case); undefined for anything else.
 */
export function waveArgument(args: string): string | undefined {
  const text = args.trim().toLowerCase();
  return /^[0-9a-f]{8}[0-9a-f-]{0,28}$/.test(text) ? text : undefined;
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
      if (!mayUse(staff.role, command.name)) return [];
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
        case 'results': {
          if (command.args.trim() === '') return [{ kind: 'results' }];
          const wave = waveArgument(command.args);
          // Something that is no wave number only gets the usage line: nothing to load.
          return wave ? [{ kind: 'waveResults', wave, includeRunning: staff.role !== 'wijkteam' }] : [];
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
