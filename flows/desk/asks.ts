import { LANGUAGES, type Language } from '../../src/domain/language.js';
import {
  CHANNELS,
  type ChannelName,
  type InboundPayload,
  type OutboundMessageInput,
} from '../../src/domain/messages.js';
import { type AgeGroup, type Area, AUDIENCE_AGE_GROUPS } from '../../src/domain/resident.js';
import { askMessages, readAnswer, reply, say, singleCode } from '../asks.js';
import type { Texts } from '../i18n/texts.js';
import { normalise } from '../parse/normalise.js';
import type { Question } from '../polls/schema.js';
import type { ConversationState, Effect, FlowContext, FlowResult } from '../types.js';
import type { DeskState, Draft } from './state.js';
import type { AudienceCounts, DeskAudience } from './types.js';

// Shared pieces of the staff dialogs. Staff texts are Dutch: the wijkteam works in Dutch, and the
// English file carries the same ids so the language check holds.

/** The language of staff-facing texts. */
export const STAFF_LANG: Language = 'nl';

/** The resident state a staff dialog interrupted; the dialog returns to it. */
export type Back = ConversationState | null;

/** How much of a resident's text a staff list shows. */
export const LIST_TEXT = 200;

/** The city's time zone, for the dates staff read. */
export const timeZoneOf = (ctx: FlowContext) => ctx.config.desk?.timeZone ?? 'Europe/Amsterdam';

/** Refs of the staff asks, so a button press is matched to its question. */
const DESK_REF = {
  confirm: 'desk-ok',
  area: 'desk-buurt',
  rsvp: 'desk-rsvp',
  poll: 'desk-poll',
} as const;

type AreaChoice = 'nazareth' | 'pottenberg' | 'beide' | 'iedereen';
const cache = new WeakMap<Texts, Map<string, Question>>();

function cached(ctx: { texts: Texts }, key: string, build: () => Question): Question {
  let byKey = cache.get(ctx.texts);
  if (!byKey) {
    byKey = new Map();
    cache.set(ctx.texts, byKey);
  }
  let question = byKey.get(key);
  if (!question) {
    question = build();
    byKey.set(key, question);
  }
  return question;
}

function confirmQuestion(ctx: { texts: Texts }): Question {
  const lang = STAFF_LANG;
  return cached(ctx, 'confirm', () => ({
    id: 'bevestig',
    type: 'yesno',
    text: { nl: 'bevestig' },
    options: [
      { code: 'ja', label: { nl: say(ctx, lang, 'desk-confirm-yes') } },
      { code: 'nee', label: { nl: say(ctx, lang, 'desk-confirm-no') } },
    ],
  }));
}

function rsvpQuestion(ctx: { texts: Texts }): Question {
  const lang = STAFF_LANG;
  return cached(ctx, 'rsvp', () => ({
    id: 'rsvp',
    type: 'yesno',
    text: { nl: 'rsvp' },
    options: [
      { code: 'ja', label: { nl: say(ctx, lang, 'desk-rsvp-yes') } },
      { code: 'nee', label: { nl: say(ctx, lang, 'desk-rsvp-no') } },
    ],
  }));
}

function areaQuestion(ctx: { texts: Texts }): Question {
  const lang = STAFF_LANG;
  return cached(ctx, 'area', () => ({
    id: 'buurt',
    type: 'choice',
    text: { nl: 'buurt' },
    options: [
      { code: 'nazareth', label: { nl: say(ctx, lang, 'area-nazareth') } },
      { code: 'pottenberg', label: { nl: say(ctx, lang, 'area-pottenberg') } },
      { code: 'beide', label: { nl: say(ctx, lang, 'desk-area-both') } },
      { code: 'iedereen', label: { nl: say(ctx, lang, 'desk-area-all') } },
    ],
  }));
}

/** "Versturen?" with ja / nee. */
export function askConfirm(
  ctx: FlowContext,
  textId: 'send' | 'launch' | 'save' | 'cancel' | 'close',
  retry = false,
): OutboundMessageInput[] {
  const lang = STAFF_LANG;
  const text =
    textId === 'send'
      ? say(ctx, lang, 'desk-confirm-send')
      : textId === 'launch'
        ? say(ctx, lang, 'desk-confirm-launch')
        : textId === 'cancel'
          ? say(ctx, lang, 'desk-confirm-cancel')
          : textId === 'close'
            ? say(ctx, lang, 'desk-confirm-close')
            : say(ctx, lang, 'desk-confirm-save');
  return askMessages(ctx, lang, confirmQuestion(ctx), DESK_REF.confirm, text, retry);
}

/** The answer to a confirm: yes, no, or not understood. */
export function confirmAnswer(ctx: FlowContext, input: InboundPayload): 'ja' | 'nee' | undefined {
  const code = singleCode(readAnswer(confirmQuestion(ctx), input, DESK_REF.confirm));
  return code === 'ja' || code === 'nee' ? code : undefined;
}

/** "Voor welke buurt?" */
export function askArea(ctx: FlowContext, retry = false): OutboundMessageInput[] {
  const lang = STAFF_LANG;
  return askMessages(ctx, lang, areaQuestion(ctx), DESK_REF.area, say(ctx, lang, 'desk-area-ask'), retry);
}

/** The audience an area answer means; undefined when not understood. */
export function areaAnswer(ctx: FlowContext, input: InboundPayload): DeskAudience | undefined {
  const code = singleCode(readAnswer(areaQuestion(ctx), input, DESK_REF.area)) as AreaChoice | undefined;
  switch (code) {
    case 'nazareth':
    case 'pottenberg':
      return { areas: [code] };
    case 'beide':
      return { areas: ['nazareth', 'pottenberg'] };
    case 'iedereen':
      return {};
    default:
      return undefined;
  }
}

/** "Moeten bewoners zich kunnen aanmelden?" with ja / nee. */
export function askRsvp(ctx: FlowContext, retry = false): OutboundMessageInput[] {
  const lang = STAFF_LANG;
  return askMessages(
    ctx,
    lang,
    rsvpQuestion(ctx),
    DESK_REF.rsvp,
    say(ctx, lang, 'desk-flash-rsvp-ask'),
    retry,
  );
}

/** The answer to the RSVP question. */
export function rsvpAnswer(ctx: FlowContext, input: InboundPayload): boolean | undefined {
  const code = singleCode(readAnswer(rsvpQuestion(ctx), input, DESK_REF.rsvp));
  return code === 'ja' ? true : code === 'nee' ? false : undefined;
}

/** Who an audience is, in words ("Nazareth", "Iedereen, taal: en, kanaal: telegram"). */
export function audienceText(ctx: FlowContext, audience: DeskAudience): string {
  const lang = STAFF_LANG;
  const areas = audience.areas ?? [];
  const where = audience.answeredWave
    ? say(ctx, lang, 'desk-audience-wave', { id: audience.answeredWave })
    : audience.ideaTheme
      ? say(ctx, lang, 'desk-audience-theme', { theme: audience.ideaTheme })
      : areas.length === 0
        ? say(ctx, lang, 'desk-area-all')
        : areas.length === 2
          ? say(ctx, lang, 'desk-area-both')
          : areas[0] === 'pottenberg'
            ? say(ctx, lang, 'area-pottenberg')
            : say(ctx, lang, 'area-nazareth');
  const parts = [where];
  if (audience.languages)
    parts.push(say(ctx, lang, 'desk-audience-languages', { list: audience.languages.join(', ') }));
  if (audience.channels)
    parts.push(say(ctx, lang, 'desk-audience-channels', { list: audience.channels.join(', ') }));
  if (audience.topics)
    parts.push(say(ctx, lang, 'desk-audience-topics', { list: audience.topics.join(', ') }));
  if (audience.ageGroups)
    parts.push(say(ctx, lang, 'desk-audience-ages', { list: audience.ageGroups.map(ageWord).join(', ') }));
  return parts.join(', ');
}

/**
 * How many residents a flash (`news`) or a poll invitation would reach now, from what the engine
 * loaded; undefined when it loaded nothing that answers it.
 */
export function reach(ctx: FlowContext, audience: DeskAudience, kind: 'news' | 'polls'): number | undefined {
  const loaded = ctx.desk?.audience;
  // Topics and age groups are not in the loaded counts (age groups are sealed): no number then.
  if (!loaded || audience.topics || audience.ageGroups) return undefined;
  if (!audience.languages && !audience.channels) return audienceCount(loaded[kind], audience);
  if (!loaded.groups) return undefined;
  return loaded.groups
    .filter(
      (g) =>
        (!audience.areas || (audience.areas as string[]).includes(g.area)) &&
        (!audience.languages || audience.languages.includes(g.language)) &&
        (!audience.channels || audience.channels.includes(g.channel)),
    )
    .reduce((n, g) => n + g[kind], 0);
}

/** "Voor: Nazareth. Dat zijn nu 2 bewoners." */
export function audienceLine(ctx: FlowContext, audience: DeskAudience, kind: 'news' | 'polls'): string {
  const lang = STAFF_LANG;
  const count = reach(ctx, audience, kind);
  const text = audienceText(ctx, audience);
  return count === undefined
    ? say(ctx, lang, 'desk-audience', { audience: text })
    : say(ctx, lang, 'desk-audience-count', { audience: text, count });
}

/** A change of languages or channels typed at a confirm: `null` values mean all of them again. */
export type Narrowing =
  | { field: 'languages'; values: Language[] | null }
  | { field: 'channels'; values: ChannelName[] | null };

const NARROW_WORDS: Record<string, Narrowing['field']> = {
  taal: 'languages',
  talen: 'languages',
  language: 'languages',
  languages: 'languages',
  kanaal: 'channels',
  kanalen: 'channels',
  channel: 'channels',
  channels: 'channels',
};
const ALL_WORDS = new Set(['alle', 'all', 'iedereen', 'allemaal']);

/**
 * "taal en", "talen nl, en", "kanaal telegram", "kanalen whatsapp telegram", "taal alle": which
 * languages or channels a flash or announcement goes to, as `flash send --lang/--channel` can.
 * `bad` when the word is there but a value is not a language or channel; undefined for other text.
 */
export function narrowingOf(
  input: InboundPayload,
): Narrowing | { field: Narrowing['field']; bad: true } | undefined {
  if (input.kind !== 'text' || input.text.length > 100) return undefined;
  const match = /^\s*([a-z]+)\s*:?\s+(.+)$/i.exec(input.text);
  const field = match ? NARROW_WORDS[match[1]!.toLowerCase()] : undefined;
  if (!match || !field) return undefined;
  const values = match[2]!
    .toLowerCase()
    .split(/[\s,;+]+/)
    // "whatsapp en telegram": in a list of channels "en" is the Dutch "and", not English.
    .filter((v) => v.length > 0 && (field === 'languages' || (v !== 'en' && v !== 'and')));
  if (values.length === 1 && ALL_WORDS.has(values[0]!)) return { field, values: null } as Narrowing;
  const allowed: readonly string[] = field === 'languages' ? LANGUAGES : CHANNELS;
  if (values.length === 0 || values.some((v) => !allowed.includes(v))) return { field, bad: true };
  const unique = [...new Set(values)];
  return field === 'languages'
    ? { field, values: unique as Language[] }
    : { field, values: unique as ChannelName[] };
}

/** An age group as the wijkteam types it ("65+"). */
function ageWord(group: AgeGroup): string {
  return group === '65plus' ? '65+' : group;
}

/** A change of news topics or age groups typed at a flash's confirm: `null` values mean all again. */
export type Refinement =
  | { field: 'topics'; values: string[] | null }
  | { field: 'ageGroups'; values: AgeGroup[] | null };

const REFINE_WORDS: Record<string, Refinement['field']> = {
  onderwerp: 'topics',
  onderwerpen: 'topics',
  topic: 'topics',
  topics: 'topics',
  leeftijd: 'ageGroups',
  leeftijden: 'ageGroups',
  age: 'ageGroups',
  ages: 'ageGroups',
};

/**
 * "onderwerp ouderen", "onderwerpen jongeren, activiteiten", "leeftijd 65+", "onderwerp alle": the
 * news topics (codes of the topics file) or age groups a flash is for, as `flash send --topic
 * --age-group` can. `bad` when the word is there but a value is unknown; undefined for other text.
 */
export function refinementOf(
  ctx: FlowContext,
  input: InboundPayload,
): Refinement | { field: Refinement['field']; bad: true } | undefined {
  if (input.kind !== 'text' || input.text.length > 200) return undefined;
  const match = /^\s*([a-z]+)\s*:?\s+(.+)$/i.exec(input.text);
  const field = match ? REFINE_WORDS[match[1]!.toLowerCase()] : undefined;
  if (!match || !field) return undefined;
  const values = match[2]!
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter((v) => v.length > 0 && v !== 'en' && v !== 'and')
    .map((v) => (field === 'ageGroups' && v === '65+' ? '65plus' : v));
  if (values.length === 1 && ALL_WORDS.has(values[0]!)) return { field, values: null } as Refinement;
  const allowed: readonly string[] =
    field === 'topics' ? (ctx.config.newsTopics ?? []).map((t) => t.code) : AUDIENCE_AGE_GROUPS;
  if (values.length === 0 || values.some((v) => !allowed.includes(v))) return { field, bad: true };
  const unique = [...new Set(values)];
  return field === 'topics' ? { field, values: unique } : { field, values: unique as AgeGroup[] };
}

/** The audience with a narrowing applied. */
export function narrowed(audience: DeskAudience, change: Narrowing): DeskAudience {
  const next: DeskAudience = { ...audience };
  if (change.field === 'languages') {
    if (change.values) next.languages = change.values;
    else delete next.languages;
  } else if (change.values) next.channels = change.values;
  else delete next.channels;
  return next;
}

/** The audience with a refinement applied. */
export function refined(audience: DeskAudience, change: Refinement): DeskAudience {
  const next: DeskAudience = { ...audience };
  if (change.field === 'topics') {
    if (change.values) next.topics = change.values;
    else delete next.topics;
  } else if (change.values) next.ageGroups = change.values;
  else delete next.ageGroups;
  return next;
}

/** How many residents an audience reaches now, from the counts the engine loaded. */
export function audienceCount(
  counts: AudienceCounts | undefined,
  audience: DeskAudience,
): number | undefined {
  // Counts are per area; a wave's or a theme's audience is counted when the flash is sent.
  if (!counts || audience.answeredWave || audience.ideaTheme) return undefined;
  const areas: Area[] | undefined = audience.areas;
  if (!areas) return counts.nazareth + counts.pottenberg + counts.other;
  return areas.reduce(
    (n, a) => n + (a === 'nazareth' ? counts.nazareth : a === 'pottenberg' ? counts.pottenberg : 0),
    0,
  );
}

/** Words that stop a dialog at any step. */
export function isCancel(input: InboundPayload): boolean {
  if (input.kind !== 'text' || input.text.length > 40) return false;
  return ['annuleer', 'annuleren', 'stop', 'cancel', 'laat maar', 'stoppen'].includes(normalise(input.text));
}

/** Ends a staff dialog: back to the resident state it interrupted. */
export function finish(
  back: ConversationState | null,
  replies: OutboundMessageInput[],
  effects: Effect[] = [],
): FlowResult {
  return { state: back ?? { flow: 'idle' }, replies, effects };
}

/** Goes on with a draft. */
export function withDraft(
  back: ConversationState | null,
  draft: Draft,
  replies: OutboundMessageInput[],
  effects: Effect[] = [],
  misses = 0,
): FlowResult {
  const state: DeskState = { flow: 'desk', draft, misses, back: back as DeskState['back'] };
  return { state, replies, effects };
}

/** A staff-facing line. */
export function line(text: string): OutboundMessageInput {
  return reply(text);
}

/** What an outbound message shows, as plain text (asks with their numbered options), for previews. */
export function asText(message: OutboundMessageInput): string {
  if (message.kind === 'text') return message.text;
  return [message.text, ...message.options.map((o, i) => `${i + 1}. ${o.label}`)].join('\n');
}

/** A timestamp as staff read it: "3 mrt 10:15", in the city's time zone. */
export function shortDate(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('nl-NL', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(date);
}
