import { z } from 'zod';
import { LanguageSchema } from '../../src/domain/language.js';
import type { InboundPayload } from '../../src/domain/messages.js';
import { ChannelNameSchema } from '../../src/domain/messages.js';
import { AgeGroupSchema, AreaSchema } from '../../src/domain/resident.js';
import { THEMES } from '../asks.js';
import { IDEA_STATUSES, type StaffRole } from './types.js';

// A staff member's dialog (compose a flash, confirm a reply …) is stored as the conversation state like
// any resident flow, with the resident state it interrupted kept in `back`. Drafts live only here:
// nothing reaches the database, let alone a resident, before the staff member confirms.

const DraftText = z.string().trim().min(1).max(2000);
const MoreTexts = z.partialRecord(LanguageSchema, DraftText).optional();
const RowId = z.string().regex(/^\d{1,18}$/);
const misses = z.number().int().min(0).max(10);
const Areas = z.array(AreaSchema).min(1).max(4).optional();
const Languages = z.array(LanguageSchema).min(1).max(10).optional();
const Channels = z.array(ChannelNameSchema).min(1).max(10).optional();
const Topics = z.array(z.string().min(1).max(30)).min(1).max(20).optional();
const AgeGroups = z.array(AgeGroupSchema).min(1).max(6).optional();
const Moment = z.iso.datetime();
const Place = z.string().trim().min(1).max(200);

/** What a staff member is composing or confirming. */
export const DraftSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('flash'),
    id: z.uuid(),
    step: z.enum(['text_nl', 'text_en', 'area', 'rsvp', 'confirm', 'done']),
    nl: DraftText.optional(),
    en: DraftText.optional(),
    /** Texts in the other resident languages ("ar <tekst>" at the preview). */
    more: MoreTexts,
    areas: Areas,
    languages: Languages,
    channels: Channels,
    /** News topics it is about (codes of the topics file). */
    topics: Topics,
    ageGroups: AgeGroups,
    rsvp: z.boolean().optional(),
    /** When it goes out (ISO 8601); missing means now. */
    sendAt: Moment.optional(),
    /** `/flash peiling <wave id>`: only who took part in that wave. */
    answeredWave: z.uuid().optional(),
    /** `/flash thema <theme>`: only authors of ideas on that theme marked gedaan. */
    ideaTheme: z.enum(THEMES).optional(),
  }),
  z.object({
    kind: z.literal('session'),
    id: z.uuid(),
    step: z.enum(['at', 'where', 'who', 'text_nl', 'text_en', 'area', 'confirm', 'done']),
    /** When the session starts (ISO 8601). */
    at: Moment.optional(),
    where: Place.optional(),
    who: Place.optional(),
    nl: DraftText.optional(),
    en: DraftText.optional(),
    /** More words in the other resident languages ("ar <tekst>" at the preview). */
    more: MoreTexts,
    areas: Areas,
    languages: Languages,
    channels: Channels,
  }),
  z.object({
    kind: z.literal('ideas'),
    step: z.literal('page'),
    status: z.enum(IDEA_STATUSES).optional(),
    area: AreaSchema.optional(),
    /** The last idea shown: the next page starts after it. */
    after: z.object({ id: RowId, createdAt: Moment }),
    /** How many were shown on earlier pages. */
    shown: z.number().int().min(0),
  }),
  z.object({
    kind: z.literal('poll'),
    id: z.uuid(),
    step: z.enum(['poll', 'area', 'confirm', 'done']),
    poll: z.string().min(1).max(100).optional(),
    areas: Areas,
  }),
  z.object({
    kind: z.literal('help_reply'),
    requestId: RowId,
    text: DraftText,
    step: z.enum(['confirm', 'done']),
  }),
  z.object({
    kind: z.literal('idea_reply'),
    ideaId: RowId,
    text: DraftText,
    step: z.enum(['confirm', 'done']),
  }),
  z.object({
    kind: z.literal('correction'),
    action: z.enum(['cancel', 'close']),
    target: z.enum(['flash', 'session', 'wave']),
    id: z.uuid(),
    step: z.enum(['confirm', 'done']),
  }),
  z.object({
    kind: z.literal('idea_status'),
    ideaId: RowId,
    status: z.enum(IDEA_STATUSES),
    step: z.enum(['confirm', 'done']),
  }),
]);
/** A draft in the making. */
export type Draft = z.infer<typeof DraftSchema>;

/** The state of a staff dialog. */
export const DeskStateSchema = z.object({
  flow: z.literal('desk'),
  draft: DraftSchema,
  misses,
  /** The resident conversation state the command interrupted, restored afterwards. */
  back: z.looseObject({ flow: z.string() }).nullable(),
});
/** The state of a staff dialog. */
export type DeskState = z.infer<typeof DeskStateSchema>;

/** The stored state as a desk dialog, or null when it is not one (or no longer valid). */
export function parseDeskState(raw: unknown): DeskState | null {
  const parsed = DeskStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The staff chat commands (and aliases), by what they do. */
const COMMANDS = {
  help: ['help', 'commands', 'commandos'],
  flash: ['flash', 'flits', 'nieuwsflits'],
  straatpraat: ['straatpraat', 'sessie', 'session'],
  poll: ['poll', 'peiling'],
  ideas: ['ideas', 'ideeen'],
  idea: ['idea', 'idee'],
  hulpvragen: ['hulpvragen', 'inbox'],
  neem: ['neem', 'take'],
  antwoord: ['antwoord', 'reply'],
  sluit: ['sluit', 'close'],
  results: ['results', 'resultaten', 'cijfers'],
  cancel: ['annuleer', 'cancel'],
  closePoll: ['sluit-peiling', 'sluit_peiling', 'sluitpeiling', 'close-poll', 'close_poll'],
} as const;
/** A staff command. */
export type StaffCommandName = keyof typeof COMMANDS;

const BY_NAME = new Map<string, StaffCommandName>(
  (Object.entries(COMMANDS) as [StaffCommandName, readonly string[]][]).flatMap(([command, names]) =>
    names.map((n) => [n, command] as const),
  ),
);

/** A staff command with its arguments. */
export interface StaffCommand {
  name: StaffCommandName;
  args: string;
}

/**
 * A command with a dash in its name (`/sluit-peiling 12`): the channels read only letters, digits and
 * `_` as a command name, so such a message arrives as text.
 */
function dashedCommandOf(input: InboundPayload): { name: string; args: string } | null {
  if (input.kind !== 'text') return null;
  const match = /^\/([a-z][a-z0-9_]*-[a-z0-9_-]*)(?:\s+([\s\S]*))?$/i.exec(input.text.trim());
  return match ? { name: match[1]!, args: match[2] ?? '' } : null;
}

/** True when a message looks like a command (also one with a dash that arrives as text). */
export function looksLikeCommand(input: InboundPayload): boolean {
  return input.kind === 'command' || dashedCommandOf(input) !== null;
}

/** The staff command a message is (`/neem 12`, `/neem@straatpraat_bot 12`, `/sluit-peiling 12`), or null. */
export function staffCommandOf(input: InboundPayload): StaffCommand | null {
  const command = input.kind === 'command' ? input : dashedCommandOf(input);
  if (!command) return null;
  const name = BY_NAME.get(command.name.replace(/@.*$/, '').toLowerCase());
  return name ? { name, args: command.args.trim() } : null;
}

/** What each role may do: analysts read results only; admins do everything. */
export function mayUse(role: StaffRole, command: StaffCommandName, args = ''): boolean {
  if (role === 'analyst')
    return command === 'help' || command === 'results' || (command === 'cancel' && args.trim() === '');
  return true;
}

/** The id `/annuleer <id>` or `/sluit-peiling <id>` names (a flash, session or wave id), if any. */
export function correctionIdOf(args: string): string | undefined {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(args.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

/** The request or idea number at the start of a command's arguments ("12 tekst…"). */
export function leadingNumber(args: string): { id: string; rest: string } | undefined {
  const match = /^#?(\d{1,18})\b\s*([\s\S]*)$/.exec(args.trim());
  return match ? { id: match[1]!.replace(/^0+(?=\d)/, ''), rest: match[2]!.trim() } : undefined;
}
