import type { InboundPayload } from '../../src/domain/messages.js';
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
  audienceCount,
  audienceText,
  type Back,
  confirmAnswer,
  finish,
  rsvpAnswer,
  STAFF_LANG,
  withDraft,
} from './asks.js';
import type { DeskState, Draft } from './state.js';
import type { DeskAudience } from './types.js';

// `/flash` and `/poll` from the chat: step by step, a preview as residents will see it, and an
// explicit "ja". The draft has its id from the moment it is composed; confirming creates the flash or
// wave with that id, once, however often the staff member confirms.

type FlashDraft = Extract<Draft, { kind: 'flash' }>;
type PollDraft = Extract<Draft, { kind: 'poll' }>;

const MAX_FLASH_TEXT = 2000;

function textOf(input: InboundPayload): string | undefined {
  if (input.kind !== 'text') return undefined;
  const text = input.text.trim();
  return text.length > 0 && text.length <= MAX_FLASH_TEXT ? text : undefined;
}

function skips(input: InboundPayload): boolean {
  if (input.kind !== 'text' || input.text.length > 20) return false;
  return ['sla over', 'skip', 'nee', 'geen', 'no', 'none'].includes(normalise(input.text));
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

/** The preview: the flash as residents will see it, who gets it, and the confirm. */
function flashPreview(ctx: FlowContext, draft: FlashDraft): string {
  const lang = STAFF_LANG;
  const text = { nl: draft.nl!, ...(draft.en && { en: draft.en }) };
  const rsvp = draft.rsvp ?? false;
  const audience = audienceOfDraft(draft);
  const parts = [say(ctx, lang, 'desk-flash-preview'), asText(flashMessage(ctx, 'nl', text, rsvp))];
  if (draft.en)
    parts.push(say(ctx, lang, 'desk-preview-english'), asText(flashMessage(ctx, 'en', text, rsvp)));
  const count = audienceCount(ctx.desk?.audience?.news, audience);
  parts.push(
    count === undefined
      ? say(ctx, lang, 'desk-audience', { audience: audienceText(ctx, audience) })
      : say(ctx, lang, 'desk-audience-count', { audience: audienceText(ctx, audience), count }),
  );
  return parts.join('\n\n');
}

/** Who a flash draft goes to. */
function audienceOfDraft(draft: FlashDraft): DeskAudience {
  if (draft.answeredWave) return { answeredWave: draft.answeredWave };
  if (draft.ideaTheme) return { ideaTheme: draft.ideaTheme };
  return draft.areas ? { areas: draft.areas } : {};
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
      const answer = confirmAnswer(ctx, input);
      if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
      if (answer !== 'ja' || !draft.nl) return withDraft(back, draft, askConfirm(ctx, 'send', true));
      return withDraft(
        back,
        { ...draft, step: 'done' },
        [reply(say(ctx, lang, 'desk-flash-sent', { id: draft.id }))],
        [
          {
            type: 'desk',
            action: {
              kind: 'flash.send',
              flashId: draft.id,
              text: { nl: draft.nl, ...(draft.en && { en: draft.en }) },
              audience: audienceOfDraft(draft),
              rsvp: draft.rsvp ?? false,
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
  const count = audienceCount(ctx.desk?.audience?.polls, audience);
  return [
    say(ctx, lang, 'desk-poll-preview', { poll: poll.title.nl }),
    asText(waveInvitation(ctx, 'nl', poll)),
    count === undefined
      ? say(ctx, lang, 'desk-audience', { audience: audienceText(ctx, audience) })
      : say(ctx, lang, 'desk-audience-count', { audience: audienceText(ctx, audience), count }),
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
