import { LANGUAGES } from '../../src/domain/language.js';
import { CHANNELS, type InboundPayload } from '../../src/domain/messages.js';
import { dayReminderAt } from '../../src/domain/quiet-hours.js';
import { reply, say } from '../asks.js';
import { sessionAnnouncement } from '../broadcast.js';
import type { FlowContext, FlowResult } from '../types.js';
import {
  areaAnswer,
  askArea,
  askConfirm,
  asText,
  audienceLine,
  type Back,
  confirmAnswer,
  finish,
  narrowed,
  narrowingOf,
  STAFF_LANG,
  timeZoneOf,
  withDraft,
} from './asks.js';
import {
  draftAudience,
  draftTexts,
  languageTextOf,
  momentLine,
  moreLanguagesHint,
  otherLanguagesPreview,
  skips,
  textOf,
  withText,
} from './broadcasts.js';
import type { DeskState, Draft } from './state.js';
import { momentParts, parseWhen, quietHoursOf } from './when.js';

// `/straatpraat` from the chat: a straatpraat session announced step by step, as `session announce`
// does on the command line: when it starts, where, who comes, more words (Dutch, then English), the
// area; then a preview with the day reminder and an explicit "ja". At the preview "ar …" adds the words
// in another resident language. The announcement goes out now; those who say they come get the
// reminder on the day.

type SessionDraft = Extract<Draft, { kind: 'session' }>;

const MAX_PLACE = 200;

function placeOf(input: InboundPayload): string | undefined {
  if (input.kind !== 'text') return undefined;
  const text = input.text.trim();
  return text.length > 0 && text.length <= MAX_PLACE ? text : undefined;
}

/** `/straatpraat`: starts announcing a session, with its moment when given ("/straatpraat vrijdag 19:00"). */
export function startSession(args: string, back: Back, ctx: FlowContext): FlowResult {
  const lang = STAFF_LANG;
  if (!ctx.newId) return finish(back, [reply(say(ctx, lang, 'desk-try-again'))]);
  const draft: SessionDraft = { kind: 'session', id: ctx.newId, step: 'at' };
  if (args)
    return sessionStep(
      { flow: 'desk', draft, misses: 0, back: back as DeskState['back'] },
      draft,
      { kind: 'text', text: args },
      ctx,
    );
  return withDraft(back, draft, [reply(say(ctx, lang, 'desk-session-ask-at'))]);
}

/** The preview: the announcement as residents will see it, who gets it, the reminder, the confirm. */
function sessionPreview(ctx: FlowContext, draft: SessionDraft): string {
  const lang = STAFF_LANG;
  const timeZone = timeZoneOf(ctx);
  const at = new Date(draft.at!);
  const text = draftTexts(draft);
  const details = { at, where: draft.where!, who: draft.who!, timeZone, ...(text && { text }) };
  const reminder = dayReminderAt(quietHoursOf(ctx.config.desk?.quietHours, timeZone), at, ctx.now);
  const reminderWhen = momentParts(reminder, ctx.now, timeZone);
  return [
    say(ctx, lang, 'desk-session-preview'),
    asText(sessionAnnouncement(ctx, 'nl', details)),
    ...otherLanguagesPreview(ctx, text, (l) => sessionAnnouncement(ctx, l, details), { english: true }),
    audienceLine(ctx, draftAudience(draft), 'news'),
    momentLine(ctx, undefined),
    say(ctx, lang, 'desk-session-reminder', reminderWhen),
    say(ctx, lang, 'desk-session-change-hint'),
    ...moreLanguagesHint(ctx, text),
  ].join('\n\n');
}

/** The session's start as typed: a moment still ahead ("nu" is no start), or what to ask again. */
function atAnswer(ctx: FlowContext, input: InboundPayload): { at: string } | { retry: string } {
  const lang = STAFF_LANG;
  if (input.kind !== 'text') return { retry: say(ctx, lang, 'desk-session-ask-at') };
  const when = parseWhen(input.text, ctx.now, timeZoneOf(ctx));
  if (when.ok && !when.now) return { at: when.at.toISOString() };
  return {
    retry:
      !when.ok && when.reason === 'past'
        ? say(ctx, lang, 'desk-session-at-past')
        : say(ctx, lang, 'desk-session-at-retry'),
  };
}

/** One answer while announcing a session. */
export function sessionStep(
  desk: DeskState,
  draft: SessionDraft,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  switch (draft.step) {
    case 'at': {
      const answer = atAnswer(ctx, input);
      if ('retry' in answer) return withDraft(back, draft, [reply(answer.retry)]);
      return withDraft(back, { ...draft, at: answer.at, step: 'where' }, [
        reply(say(ctx, lang, 'desk-session-ask-where')),
      ]);
    }
    case 'where': {
      const where = placeOf(input);
      if (!where) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-session-ask-where'))]);
      return withDraft(back, { ...draft, where, step: 'who' }, [
        reply(say(ctx, lang, 'desk-session-ask-who')),
      ]);
    }
    case 'who': {
      const who = placeOf(input);
      if (!who) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-session-ask-who'))]);
      return withDraft(back, { ...draft, who, step: 'text_nl' }, [
        reply(say(ctx, lang, 'desk-session-ask-nl')),
      ]);
    }
    case 'text_nl': {
      if (skips(input)) return withDraft(back, { ...draft, step: 'area' }, askArea(ctx));
      const nl = textOf(input);
      if (!nl) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-session-ask-nl'))]);
      return withDraft(back, { ...draft, nl, step: 'text_en' }, [reply(say(ctx, lang, 'desk-flash-ask-en'))]);
    }
    case 'text_en': {
      if (skips(input)) return withDraft(back, { ...draft, step: 'area' }, askArea(ctx));
      const en = textOf(input);
      if (!en) return withDraft(back, draft, [reply(say(ctx, lang, 'desk-flash-ask-en'))]);
      return withDraft(back, { ...draft, en, step: 'area' }, askArea(ctx));
    }
    case 'area': {
      const audience = areaAnswer(ctx, input);
      if (!audience) return withDraft(back, draft, askArea(ctx, true));
      const next: SessionDraft = { ...draft, step: 'confirm' };
      if (audience.areas) next.areas = audience.areas;
      else delete next.areas;
      return withDraft(back, next, [reply(sessionPreview(ctx, next)), ...askConfirm(ctx, 'send')]);
    }
    case 'confirm':
      return sessionConfirm(desk, draft, input, ctx);
    case 'done':
      return finish(back, [reply(say(ctx, lang, 'desk-session-already', { id: draft.id }))]);
  }
}

function sessionConfirm(
  desk: DeskState,
  draft: SessionDraft,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = STAFF_LANG;
  const { back } = desk;
  const text = languageTextOf(input);
  if (text && text.language !== 'nl' && !draft.nl) {
    return withDraft(back, draft, [reply(say(ctx, lang, 'desk-texts-need-nl')), ...askConfirm(ctx, 'send')]);
  }
  if (text) {
    const changed = withText(draft, text.language, text.text);
    return withDraft(back, changed, [reply(sessionPreview(ctx, changed)), ...askConfirm(ctx, 'send')]);
  }
  const narrowing = narrowingOf(input);
  if (narrowing && 'bad' in narrowing) {
    const refused =
      narrowing.field === 'languages'
        ? say(ctx, lang, 'desk-languages-unknown', { list: LANGUAGES.join(', ') })
        : say(ctx, lang, 'desk-channels-unknown', { list: CHANNELS.join(', ') });
    return withDraft(back, draft, [reply(refused), ...askConfirm(ctx, 'send')]);
  }
  if (narrowing) {
    const next: SessionDraft = { ...draft };
    delete next.languages;
    delete next.channels;
    const changed = { ...next, ...draftAudience(narrowed(draftAudience(draft), narrowing)) };
    return withDraft(back, changed, [reply(sessionPreview(ctx, changed)), ...askConfirm(ctx, 'send')]);
  }
  const answer = confirmAnswer(ctx, input);
  if (answer === 'nee') return finish(back, [reply(say(ctx, lang, 'desk-not-sent'))]);
  if (answer !== 'ja' || !draft.at || !draft.where || !draft.who) {
    return withDraft(back, draft, askConfirm(ctx, 'send', true));
  }
  if (new Date(draft.at).getTime() <= ctx.now.getTime()) {
    return finish(back, [reply(say(ctx, lang, 'desk-session-at-past'))]);
  }
  return withDraft(
    back,
    { ...draft, step: 'done' },
    [reply(say(ctx, lang, 'desk-session-sent', { id: draft.id }))],
    [
      {
        type: 'desk',
        action: {
          kind: 'session.announce',
          sessionId: draft.id,
          at: draft.at,
          where: draft.where,
          who: draft.who,
          ...(draft.nl && { text: draftTexts(draft)! }),
          audience: draftAudience(draft),
        },
      },
    ],
  );
}
