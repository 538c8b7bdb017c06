import { LANGUAGES, type Language, type Localized, languageInfo } from '../../src/domain/language.js';
import { CHANNELS, type InboundPayload, type OutboundMessageInput } from '../../src/domain/messages.js';
import { AUDIENCE_AGE_GROUPS } from '../../src/domain/resident.js';
import { reply, say, THEMES } from '../asks.js';
import { flashMessage, waveInvitation } from '../broadcast.js';
import { normalise } from '../parse/normalise.js';
import type { Poll } from '../polls/schema.js';
import type { FlowContext, FlowResult } from '../types.js';
import {
  areaAnswer,
  askArea,
  askConfirm,
  askRsvp,
  asText,
  audienceLine,
  type Back,
  confirmAnswer,
  finish,
  narrowed,
  narrowingOf,
  refined,
  refinementOf,
  rsvpAnswer,
  STAFF_LANG,
  timeZoneOf,
  withDraft,
} from './asks.js';
import type { DeskState, Draft } from './state.js';
import type { DeskAudience } from './types.js';
import { momentParts, parseWhen, quietHoursOf, sendMoment } from './when.js';

// `/flash` and `/poll` from the chat: step by step, a preview as residents will see it, and an
// explicit "ja". A flash asks its Dutch and English text; at the preview "ar …" adds (or "en …"
// replaces) the text in any resident language. The draft has its id from the moment it is composed; confirming creates the flash or
// wave with that id, once, however often the staff member confirms.

type FlashDraft = Extract<Draft, { kind: 'flash' }>;
type PollDraft = Extract<Draft, { kind: 'poll' }>;

const MAX_FLASH_TEXT = 2000;

/** A typed text of the right length, trimmed. */
export function textOf(input: InboundPayload): string | undefined {
  if (input.kind !== 'text') return undefined;
  const text = input.text.trim();
  return text.length > 0 && text.length <= MAX_FLASH_TEXT ? text : undefined;
}

/** "sla over" and its kin. */
export function skips(input: InboundPayload): boolean {
  if (input.kind !== 'text' || input.text.length > 20) return false;
  return ['sla over', 'skip', 'nee', 'geen', 'no', 'none'].includes(normalise(input.text));
}

/** The texts of a flash or announcement draft: Dutch and English, and the other languages in `more`. */
interface DraftTexts {
  nl?: string | undefined;
  en?: string | undefined;
  more?: Partial<Record<Language, string>> | undefined;
}

/** A draft's text per language; undefined without Dutch. */
export function draftTexts(draft: DraftTexts): Localized | undefined {
  if (!draft.nl) return undefined;
  return { ...draft.more, nl: draft.nl, ...(draft.en && { en: draft.en }) };
}

/** The draft with one language's text set (or replaced). */
export function withText<T extends DraftTexts>(draft: T, language: Language, text: string): T {
  if (language === 'nl') return { ...draft, nl: text };
  if (language === 'en') return { ...draft, en: text };
  return { ...draft, more: { ...draft.more, [language]: text } };
}

/**
 * A text in one resident language typed at a preview: the language code, then the text ("ar …",
 * "pl: …"); Dutch and English too, to change them. Undefined for anything else.
 */
export function languageTextOf(input: InboundPayload): { language: Language; text: string } | undefined {
  if (input.kind !== 'text') return undefined;
  const match = /^\s*([a-z]{2,3})\s*:?\s+(\S[\s\S]*)$/i.exec(input.text);
  const language = match?.[1]?.toLowerCase();
  if (!match || !language || !(LANGUAGES as readonly string[]).includes(language)) return undefined;
  const text = textOf({ kind: 'text', text: match[2]! });
  return text ? { language, text } : undefined;
}

/**
 * Under the Dutch message of a preview: the message in every other language that has a text of its
 * own, each after its name (English always when `english`: its template differs even without a text).
 */
export function otherLanguagesPreview(
  ctx: FlowContext,
  text: Localized | undefined,
  message: (language: Language) => OutboundMessageInput,
  { english = false } = {},
): string[] {
  return LANGUAGES.filter((l) => l !== 'nl' && (text?.[l] || (english && l === 'en'))).flatMap((l) => [
    say(ctx, STAFF_LANG, 'desk-preview-language', { language: staffName(l) }),
    asText(message(l)),
  ]);
}

/** A language's name in the staff language ("Arabisch"). */
function staffName(language: Language): string {
  const { staff } = languageInfo(language);
  return STAFF_LANG === 'en' ? staff.en : staff.nl;
}

/** The hint under a preview that a text in another language can be added; none when all have one. */
export function moreLanguagesHint(ctx: FlowContext, text: Localized | undefined): string[] {
  const left = LANGUAGES.filter((l) => l !== 'nl' && !text?.[l]);
  return left.length === 0 ? [] : [say(ctx, STAFF_LANG, 'desk-texts-hint', { list: left.join(', ') })];
}

function noDraftId(back: Back, ctx: FlowContext): FlowResult {
  return finish(back, [reply(say(ctx, STAFF_LANG, 'desk-try-again'))]);
}

/**
 * `/flash peiling <wave id> [text]` and `/flash thema <theme> [text]`: the audience "you said, we
 * did" — who took part in a wave, or who sent an idea on a theme that is now gedaan.
 */
function narrowedAudience(args: string): { audience: Partial<FlashDraft>; rest: string } | undefined {
  const wave =
    /^(?:peiling|wave)\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b\s*([\s\S]*)$/i.exec(
      args,
    );
  if (wave) return { audience: { answeredWave: wave[1]!.toLowerCase() }, rest: wave[2]!.trim() };
  const theme = /^(?:thema|theme)\s+(\S+)\s*([\s\S]*)$/i.exec(args);
  const code = theme?.[1]?.toLowerCase().replace(/-/g, '_');
  if (theme && (THEMES as readonly string[]).includes(code ?? '')) {
    return { audience: { ideaTheme: code as FlashDraft['ideaTheme'] }, rest: theme[2]!.trim() };
  }
  return undefined;
}

/** `/flash [text]`: starts a news flash, with the Dutch text when given. */
export function startFlash(rawArgs: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  if (!ctx.newId) return noDraftId(back, ctx);
  const narrowed = narrowedAudience(rawArgs);
  const args = narrowed ? narrowed.rest : rawArgs;
  const draft: FlashDraft = { kind: 'flash', id: ctx.newId, step: 'text_nl', ...narrowed?.audience };
  if (args && args.length <= MAX_FLASH_TEXT) {
    return withDraft(back, { ...draft, nl: args, step: 'text_en' }, [
      reply(say(ctx, lang, 'desk-flash-ask-en')),
    ]);
  }
  return withDraft(back, draft, [reply(say(ctx, lang, 'desk-flash-ask-nl'))]);
}

/** Who a flash or announcement draft goes to. */
export function draftAudience(draft: DeskAudience): DeskAudience {
  // "You said, we did" goes to who answered the wave, or who sent a done idea on the theme: no area then.
  const who = draft.answeredWave
    ? { answeredWave: draft.answeredWave }
    : draft.ideaTheme
      ? { ideaTheme: draft.ideaTheme }
      : draft.areas && { areas: draft.areas };
  return {
    ...who,
    ...(draft.languages && { languages: draft.languages }),
    ...(draft.channels && { channels: draft.channels }),
    ...(draft.topics && { topics: draft.topics }),
    ...(draft.ageGroups && { ageGroups: draft.ageGroups }),
  };
}

/** When a flash asked for at `sendAt` (now when missing) reaches residents, held through quiet hours. */
function flashMoment(ctx: FlowContext, sendAt: string | undefined): { at: Date; held: boolean } {
  const quiet = quietHoursOf(ctx.config.desk?.quietHours, timeZoneOf(ctx));
  return sendMoment(sendAt ? new Date(sendAt) : ctx.now, quiet);
}

/** "Gaat nu uit." or "Gaat uit op vrijdag 11 december om 19:00." (with the quiet-hours note). */
export function momentLine(ctx: FlowContext, sendAt: string | undefined): string {
  const lang = STAFF_LANG;
  const moment = flashMoment(ctx, sendAt);
  if (!sendAt && !moment.held) return say(ctx, lang, 'desk-when-now');
  const { day, time } = momentParts(moment.at, ctx.now, timeZoneOf(ctx));
  const line = say(ctx, lang, 'desk-when-at', { day, time });
  if (!moment.held) return line;
  const quiet = ctx.config.desk?.quietHours ?? { start: '21:00', end: '09:00' };
  return `${line}\n${say(ctx, lang, 'desk-when-quiet', { start: quiet.start, end: quiet.end })}`;
}

/** The preview: the flash as residents will see it, who gets it, when, and the confirm. */
function flashPreview(ctx: FlowContext, draft: FlashDraft): string {
  const lang = STAFF_LANG;
  const text = draftTexts(draft) ?? { nl: '' };
  const rsvp = draft.rsvp ?? false;
  return [
    say(ctx, lang, 'desk-flash-preview'),
    asText(flashMessage(ctx, 'nl', text, rsvp)),
    ...otherLanguagesPreview(ctx, text, (l) => flashMessage(ctx, l, text, rsvp)),
    audienceLine(ctx, draftAudience(draft), 'news'),
    momentLine(ctx, draft.sendAt),
    say(ctx, lang, 'desk-flash-change-hint'),
    ...moreLanguagesHint(ctx, text),
  ].join('\n\n');
}

/**
 * A change typed at the confirm instead of ja or nee: a moment ("morgen 10:00", "nu"), languages
 * ("taal en"), channels ("kanaal telegram"), news topics ("onderwerp ouderen"), age groups
 * ("leeftijd 65+") or a text in one language ("ar …"). The new draft, a reason it cannot be used, or
 * undefined when the text is none of these.
 */
function flashChange(
  ctx: FlowContext,
  draft: FlashDraft,
  input: InboundPayload,
): { draft: FlashDraft } | { refused: string } | undefined {
  const lang = STAFF_LANG;
  const text = languageTextOf(input);
  if (text) return { draft: withText(draft, text.language, text.text) };
  const refinement = refinementOf(ctx, input);
  if (refinement && 'bad' in refinement) {
    return {
      refused:
        refinement.field === 'topics'
          ? say(ctx, lang, 'desk-topics-unknown', {
              list: (ctx.config.newsTopics ?? []).map((t) => t.code).join(', '),
            })
          : say(ctx, lang, 'desk-ages-unknown', {
              list: AUDIENCE_AGE_GROUPS.map((a) => (a === '65plus' ? '65+' : a)).join(', '),
            }),
    };
  }
  if (refinement) {
    const audience = refined(draftAudience(draft), refinement);
    const next: FlashDraft = { ...draft };
    delete next.topics;
    delete next.ageGroups;
    return { draft: { ...next, ...draftAudience(audience) } };
  }
  const narrowing = narrowingOf(input);
  if (narrowing && 'bad' in narrowing) {
    return {
      refused:
        narrowing.field === 'languages'
          ? say(ctx, lang, 'desk-languages-unknown', { list: LANGUAGES.join(', ') })
          : say(ctx, lang, 'desk-channels-unknown', { list: CHANNELS.join(', ') }),
    };
  }
  if (narrowing) {
    const audience = narrowed(draftAudience(draft), narrowing);
    const next: FlashDraft = { ...draft };
    delete next.languages;
    delete next.channels;
    return { draft: { ...next, ...draftAudience(audience) } };
  }
  if (input.kind !== 'text' || confirmAnswer(ctx, input)) return undefined;
  const when = parseWhen(input.text, ctx.now, timeZoneOf(ctx));
  if (!when.ok) return when.reason === 'past' ? { refused: say(ctx, lang, 'desk-when-past') } : undefined;
  const next: FlashDraft = { ...draft };
  delete next.sendAt;
  return { draft: when.now ? next : { ...next, sendAt: when.at.toISOString() } };
}

/** After the texts: the area, unless the audience is a wave's or a theme's already. */
function afterTexts(back: Back, draft: FlashDraft, ctx: FlowContext): FlowResult {
  if (draft.answeredWave || draft.ideaTheme) return withDraft(back, { ...draft, step: 'rsvp' }, askRsvp(ctx));
  return withDraft(back, { ...draft, step: 'area' }, askArea(ctx));
}

/** One answer while composing a flash. */
export function flashStep(
  desk: DeskState,
  draft: FlashDraft,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  switch (draft.step) {
    case 'text_nl': {
      const text = textOf(input);
      if (!text) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-flash-ask-nl'))]);
      return withDraft(back, { ...draft, nl: text, step: 'text_en' }, [
        reply(say(ctx, lang, 'desk-flash-ask-en')),
      ]);
    }
    case 'text_en': {
      if (skips(input)) return afterTexts(back, draft, ctx);
      const text = textOf(input);
      if (!text) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-flash-ask-en'))]);
      return afterTexts(back, { ...draft, en: text }, ctx);
    }
    case 'area': {
      const audience = areaAnswer(ctx, input);
      if (!audience) return withDraft(back, draft, askArea(ctx, true));
      const next: FlashDraft = { ...draft, step: 'rsvp' };
      if (audience.areas) next.areas = audience.areas;
      else delete next.areas;
      return withDraft(back, next, askRsvp(ctx));
    }
    case 'rsvp': {
      const rsvp = rsvpAnswer(ctx, input);
      if (rsvp === undefined) return withDraft(back, draft, askRsvp(ctx, true));
      const next: FlashDraft = { ...draft, rsvp, step: 'confirm' };
      return withDraft(back, next, [reply(flashPreview(ctx, next)), ...askConfirm(ctx, 'send')]);
    }
    case 'confirm': {
      const change = flashChange(ctx, draft, input);
      if (change && 'refused' in change) {
        return withDraft(back, draft, [reply(change.refused), ...askConfirm(ctx, 'send')]);
      }
      if (change) {
        return withDraft(back, change.draft, [
          reply(flashPreview(ctx, change.draft)),
          ...askConfirm(ctx, 'send'),
        ]);
      }
      const answer = confirmAnswer(ctx, input);
      if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
      if (answer !== 'ja' || !draft.nl) return withDraft(back, draft, askConfirm(ctx, 'send', true));
      // A time that passed while the preview waited is not sent "now" unasked.
      if (draft.sendAt && new Date(draft.sendAt).getTime() <= ctx.now.getTime()) {
        return withDraft(back, draft, [
          reply(say(ctx, lang, 'desk-when-passed')),
          ...askConfirm(ctx, 'send'),
        ]);
      }
      const moment = flashMoment(ctx, draft.sendAt);
      const { day, time } = momentParts(moment.at, ctx.now, timeZoneOf(ctx));
      return withDraft(
        back,
        { ...draft, step: 'done' },
        [
          reply(
            draft.sendAt
              ? say(ctx, lang, 'desk-flash-scheduled', { id: draft.id, day, time })
              : say(ctx, lang, 'desk-flash-sent', { id: draft.id }),
          ),
        ],
        [
          {
            type: 'desk',
            action: {
              kind: 'flash.send',
              flashId: draft.id,
              text: draftTexts(draft)!,
              audience: draftAudience(draft),
              rsvp: draft.rsvp ?? false,
              ...(draft.sendAt && { sendAt: moment.at.toISOString() }),
            },
          },
        ],
      );
    }
    case 'done':
      return finish(back, [reply(say(ctx, lang, 'desk-flash-already', { id: draft.id }))]);
  }
}

/** The shipped polls in a fixed order, with the option codes an ask can carry. */
function pollChoices(ctx: FlowContext): { code: string; poll: Poll }[] {
  return [...ctx.polls.values()].map((poll, i) => ({ code: `p${i + 1}`, poll }));
}

function askPoll(ctx: FlowContext, retry = false): FlowResult['replies'] {
  const lang = STAFF_LANG;
  const list = pollChoices(ctx).map(({ poll }, i) => `${i + 1}. ${poll.title.nl} (${poll.id})`);
  const hint = retry ? [reply(say(ctx, lang, 'desk-poll-retry'))] : [];
  return [...hint, reply(`${say(ctx, lang, 'desk-poll-ask')}\n${list.join('\n')}`)];
}

function pollAnswer(ctx: FlowContext, input: InboundPayload): Poll | undefined {
  const choices = pollChoices(ctx);
  const text = input.kind === 'text' ? normalise(input.text) : input.kind === 'command' ? '' : undefined;
  if (!text) return undefined;
  const byNumber = /^\d{1,2}$/.test(text) ? choices[Number(text) - 1] : undefined;
  if (byNumber) return byNumber.poll;
  return choices.find(({ poll }) => normalise(poll.id) === text || normalise(poll.title.nl) === text)?.poll;
}

/** `/poll [id]`: starts a poll wave, with the poll when named. */
export function startPollDraft(args: string, back: Back, ctx: FlowContext): FlowResult {
  if (!ctx.newId) return noDraftId(back, ctx);
  const draft: PollDraft = { kind: 'poll', id: ctx.newId, step: 'poll' };
  const named = args ? pollAnswer(ctx, { kind: 'text', text: args }) : undefined;
  if (named) return withDraft(back, { ...draft, poll: named.id, step: 'area' }, askArea(ctx));
  return withDraft(back, draft, askPoll(ctx));
}

function pollPreview(ctx: FlowContext, poll: Poll, audience: DeskAudience): string {
  const lang = STAFF_LANG;
  return [
    say(ctx, lang, 'desk-poll-preview', { poll: poll.title.nl }),
    asText(waveInvitation(ctx, 'nl', poll)),
    audienceLine(ctx, audience, 'polls'),
    say(ctx, lang, 'desk-poll-schedule'),
  ].join('\n\n');
}

/** One answer while preparing a poll wave. */
export function pollDraftStep(
  desk: DeskState,
  draft: PollDraft,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  const poll = draft.poll ? ctx.polls.get(draft.poll) : undefined;
  switch (draft.step) {
    case 'poll': {
      const chosen = pollAnswer(ctx, input);
      if (!chosen) return withDraft(back, draft, askPoll(ctx, true));
      return withDraft(back, { ...draft, poll: chosen.id, step: 'area' }, askArea(ctx));
    }
    case 'area': {
      const audience = areaAnswer(ctx, input);
      if (!audience) return withDraft(back, draft, askArea(ctx, true));
      if (!poll) return finish(back, [reply(say(ctx, lang, 'desk-try-again'))]);
      const next: PollDraft = { ...draft, step: 'confirm' };
      if (audience.areas) next.areas = audience.areas;
      else delete next.areas;
      return withDraft(back, next, [reply(pollPreview(ctx, poll, audience)), ...askConfirm(ctx, 'launch')]);
    }
    case 'confirm': {
      const answer = confirmAnswer(ctx, input);
      if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
      if (answer !== 'ja' || !poll) return withDraft(back, draft, askConfirm(ctx, 'launch', true));
      return withDraft(
        back,
        { ...draft, step: 'done' },
        [reply(say(ctx, lang, 'desk-poll-launched', { id: draft.id }))],
        [
          {
            type: 'desk',
            action: {
              kind: 'poll.launch',
              waveId: draft.id,
              poll: poll.id,
              audience: draft.areas ? { areas: draft.areas } : {},
            },
          },
        ],
      );
    }
    case 'done':
      return finish(back, [reply(say(ctx, lang, 'desk-poll-already', { id: draft.id }))]);
  }
}
