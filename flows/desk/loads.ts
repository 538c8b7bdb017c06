import type { InboundPayload } from '../../src/domain/messages.js';
import type { Area } from '../../src/domain/resident.js';
import { parseKeyword } from '../parse/keywords.js';
import { normalise } from '../parse/normalise.js';
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
  | {
      kind: 'ideas';
      status?: IdeaStatus;
      area?: Area;
      /** The next page: the ideas after this one (newest first). */
      after?: { id: string; createdAt: string };
    }
  | { kind: 'idea'; id: string }
  | { kind: 'audience' }
  | { kind: 'results' }
  /** One wave's results; `includeRunning` for analysts and admins (the wijkteam sees closed waves only). */
  | { kind: 'waveResults'; wave: string; includeRunning: boolean }
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

/** How many ideas one `/ideas` message shows; "volgende" shows the next ones. */
export const IDEAS_PAGE = 10;

const NEXT_WORDS = new Set(['volgende', 'meer', 'next', 'more', 'verder']);

/** True for "volgende" (the next page of ideas). */
export function isNextPage(input: InboundPayload): boolean {
  return input.kind === 'text' && input.text.length <= 20 && NEXT_WORDS.has(normalise(input.text));
}

/** What `/ideas` was asked for: a status, an area, the next page; undefined when not understood. */
export interface IdeasQuery {
  status?: IdeaStatus;
  area?: Area;
  next: boolean;
}

/** Reads `/ideas` arguments: "nieuw", "nazareth", "gepland pottenberg", "niet haalbaar", "volgende". */
export function ideasQueryOf(args: string): IdeasQuery | undefined {
  const words = normalise(args)
    .split(' ')
    .filter((w) => w.length > 0);
  const query: IdeasQuery = { next: false };
  const rest: string[] = [];
  for (const word of words) {
    if (word === 'nazareth' || word === 'pottenberg') {
      if (query.area && query.area !== word) return undefined;
      query.area = word;
    } else if (NEXT_WORDS.has(word)) query.next = true;
    else rest.push(word);
  }
  if (rest.length > 0) {
    const status = ideaStatusOf(rest.join(' '));
    if (!status) return undefined;
    query.status = status;
  }
  return query;
}

function ideasPageLoad(page: {
  status?: IdeaStatus | undefined;
  area?: Area | undefined;
  after: { id: string; createdAt: string };
}): DeskLoad {
  return {
    kind: 'ideas',
    ...(page.status && { status: page.status }),
    ...(page.area && { area: page.area }),
    after: page.after,
  };
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
          const query = ideasQueryOf(command.args);
          if (!query) return [];
          if (query.next) {
            const page = parseDeskState(state)?.draft;
            return page?.kind === 'ideas' ? [ideasPageLoad(page)] : [];
          }
          return [
            {
              kind: 'ideas',
              ...(query.status && { status: query.status }),
              ...(query.area && { area: query.area }),
            },
          ];
        }
        case 'idea':
          return numbered ? [{ kind: 'idea', id: numbered.id }] : [];
        case 'results': {
          if (command.args.trim() === '') return [{ kind: 'results' }];
          const wave = waveArgument(command.args);
          // Something that is no wave number only gets the usage line: nothing to load.
          return wave ? [{ kind: 'waveResults', wave, includeRunning: staff.role !== 'wijkteam' }] : [];
        }
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
          return draft.step === 'rsvp' || draft.step === 'confirm' ? [{ kind: 'audience' }] : [];
        case 'session':
          return draft.step === 'area' || draft.step === 'confirm' ? [{ kind: 'audience' }] : [];
        case 'poll':
          return draft.step === 'area' ? [{ kind: 'audience' }] : [];
        case 'ideas':
          return isNextPage(input) ? [ideasPageLoad(draft)] : [];
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
