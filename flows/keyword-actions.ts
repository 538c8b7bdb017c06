import { type Language, localize } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import { type AgeGroup, type Area, UNDER_AGE_GROUP } from '../src/domain/resident.js';
import {
  ageAnswer,
  askFixed,
  fixedQuestion,
  isArea,
  REF,
  readAnswer,
  reply,
  say,
  singleCode,
} from './asks.js';
import { startOpenWave, startSessionQuestion } from './broadcast.js';
import { helpOffer } from './help-request.js';
import type { Texts } from './i18n/texts.js';
import { startIdea } from './idea.js';
import { dataReplies } from './my-data.js';
import { ALL_NEWS, askNews, NO_NEWS, newsChoice, newsTopicsOf } from './news.js';
import {
  askJoinStep,
  beginJoining,
  hasConsent,
  joinAt,
  joinLinkOf,
  languageOf,
  returnTo,
  tooYoung,
} from './onboarding.js';
import type { Keyword } from './parse/keywords.js';
import { resumePoll } from './poll.js';
import { type AgeState, type DetourState, type Resume, resumeOf, type State } from './state.js';
import type { Effect, FlowContext, FlowResult, ServicePoint } from './types.js';
import { waveClosedFor } from './wave-status.js';

/** Keywords that make sense before consent; the others continue the joining. */
export const BEFORE_CONSENT: ReadonlySet<Keyword> = new Set([
  'start',
  'stop',
  'help',
  'language',
  'my_data',
  'delete',
]);

/** A keyword found in a message, with a command's arguments (`/start nazareth`). */
export interface KeywordInput {
  keyword: Keyword;
  args?: string;
}

/** Handles a keyword; it beats whatever the resident was answering. */
export function handleKeyword(
  found: KeywordInput,
  state: State | null,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const lang = languageOf(ctx, state, input);
  const resume = resumeOf(state);

  // The keyword's reply, then back to where the resident was (the joining question again, or a line
  // that a paused poll waits); a new resident starts joining.
  const thenBack = (replies: OutboundMessageInput[], effects: Effect[] = []): FlowResult => {
    if (!state) {
      const begun = beginJoining(ctx, input);
      return { ...begun, replies: [...replies, ...begun.replies], effects };
    }
    // A stopped resident asking for their data gets no nudge to carry on.
    const remind = ctx.resident.status !== 'stopped';
    const back = returnTo(ctx, lang, resume, remind);
    return { state: back.state, replies: [...replies, ...back.replies], effects };
  };

  switch (found.keyword) {
    case 'start':
      return start(state, resume, input, found.args, ctx, lang);
    case 'stop': {
      if (ctx.resident.status === 'stopped')
        return { state: state ?? { flow: 'idle' }, replies: [], effects: [] };
      // Nothing to come back to: STOP keeps only the address and that it stopped (the engine clears
      // the profile), so a paused poll or an unfinished joining is dropped as well.
      return {
        state: { flow: 'idle' },
        replies: [reply(say(ctx, lang, 'stop-confirm'))],
        effects: [{ type: 'resident.update', patch: { status: 'stopped' } }],
      };
    }
    case 'stop_news':
      // "niets" of NIEUWS: no news at all, and no topics kept.
      return thenBack(
        [reply(say(ctx, lang, 'stop-news-confirm'))],
        [{ type: 'resident.update', patch: NO_NEWS }],
      );
    case 'news_on':
      // Undoes STOP NIEUWS, and a choice of topics ("alles" of NIEUWS); said the same way when all
      // news was on already, with nothing to change.
      return thenBack(
        [reply(say(ctx, lang, 'news-on-confirm'))],
        ctx.resident.newsOptOut || ctx.resident.newsTopics !== null
          ? [{ type: 'resident.update', patch: ALL_NEWS }]
          : [],
      );
    case 'news':
      // Without topics to choose from, NIEUWS turns news on like NIEUWS AAN.
      if (newsTopicsOf(ctx).length === 0) return handleKeyword({ keyword: 'news_on' }, state, input, ctx);
      return detour({ flow: 'news', misses: 0, ...resume }, askNews(ctx, lang));
    case 'help': {
      // The offer of a message from the wijkteam follows the help, once joined.
      const help = helpText(ctx, lang);
      return helpOffer(ctx, lang, resume, help) ?? thenBack([reply(help)]);
    }
    case 'my_data':
      return thenBack(dataReplies(ctx, lang));
    case 'idea':
      return startIdea(ctx, lang, resume);
    case 'language':
      if (!hasConsent(ctx) && !resume.refused) {
        if (!state || !resume.join) return beginJoining(ctx, input);
        return joinAt(ctx, lang, { ...resume.join, step: 'language' });
      }
      return detour(
        { flow: 'language', misses: 0, ...resume },
        askFixed(ctx, lang, 'language', 'language-ask'),
      );
    case 'area':
      return detour({ flow: 'area', misses: 0, ...resume }, askFixed(ctx, lang, 'area', 'area-ask'));
    case 'age':
      return {
        state: { flow: 'age', misses: 0, ...resume },
        replies: askFixed(ctx, lang, 'age', 'age-change-ask'),
        effects: [],
      };
    case 'delete':
      return detour({ flow: 'delete', misses: 0, ...resume }, askFixed(ctx, lang, 'delete', 'delete-ask'));
    case 'poll': {
      // A paused poll first; one of a wave that has closed gives way to the open wave, if any.
      const paused = resume.paused;
      if (paused && !waveClosedFor(ctx, paused)) return { ...resumePoll(ctx, lang, paused), effects: [] };
      const wave = startOpenWave(ctx, lang);
      if (wave) return wave;
      if (paused) return { ...resumePoll(ctx, lang, paused), effects: [] };
      return thenBack([reply(say(ctx, lang, 'poll-none'))]);
    }
    case 'question':
      return startSessionQuestion(ctx, lang, resume) ?? thenBack([reply(say(ctx, lang, 'session-none'))]);
  }
}

/** Keywords that work while a changed consent statement waits for an answer: rights and help. */
export const WHILE_CONSENT_CHANGED: ReadonlySet<Keyword> = new Set(['stop', 'help', 'my_data', 'delete']);

/**
 * The consent statement changed since the resident agreed to it (a new version): before anything
 * else they are told and asked again; the detour then returns to where they were.
 */
export function askConsentAgain(state: State | null, ctx: FlowContext, lang: Language): FlowResult {
  return detour({ flow: 'consent', misses: 0, ...resumeOf(state) }, [
    reply(say(ctx, lang, 'consent-changed')),
    ...askFixed(ctx, lang, 'consent', 'consent-ask', false, { url: ctx.config.privacyUrl }),
  ]);
}

function detour(state: DetourState, replies: OutboundMessageInput[]): FlowResult {
  return { state, replies, effects: [] };
}

/** START / AANMELDEN / `/start`: join, resume joining or a paused poll, or come back after STOP. */
function start(
  state: State | null,
  resume: Resume,
  input: InboundPayload,
  args: string | undefined,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const effects: Effect[] = [];
  const stopped = ctx.resident.status === 'stopped';
  if (stopped) effects.push({ type: 'resident.update', patch: { status: 'active' } });
  const link = args === undefined ? {} : joinLinkOf(ctx, input, args);

  if (!hasConsent(ctx)) {
    if (resume.join) return { ...joinAt(ctx, lang, { ...resume.join, ...link }), effects };
    if (resume.refused || ctx.resident.consentRefusedAt !== null || ctx.resident.language !== null) {
      return { ...joinAt(ctx, lang, { step: 'consent', guess: lang, ...link }), effects };
    }
    return { ...beginJoining(ctx, input, link), effects };
  }

  const replies: OutboundMessageInput[] = stopped ? [reply(say(ctx, lang, 'start-welcome-back'))] : [];
  if (resume.join) {
    return {
      state: { flow: 'onboarding', join: resume.join, misses: 0 },
      replies: [...replies, ...askJoinStep(ctx, lang, resume.join.step)],
      effects,
    };
  }
  if (resume.paused) {
    const resumed = resumePoll(ctx, lang, resume.paused);
    return { state: resumed.state, replies: [...replies, ...resumed.replies], effects };
  }
  if (!stopped) replies.push(reply(say(ctx, lang, 'start-already')));
  return { state: state?.flow === 'idle' ? state : { flow: 'idle' }, replies, effects };
}

/** One answer to a keyword's own question (TAAL, BUURT, VERWIJDER, NIEUWS). */
export function detourStep(state: DetourState, input: InboundPayload, ctx: FlowContext): FlowResult {
  const lang = languageOf(ctx, state);
  const resume = resumeOf(state);
  const retry = (which: 'language' | 'area' | 'delete', textId: string): FlowResult => ({
    state: { ...state, misses: state.misses + 1 },
    replies: askFixed(ctx, lang, which, textId, true),
    effects: [],
  });
  const done = (replyLang: Language, line: string, effects: Effect[] = []): FlowResult => {
    const back = returnTo(ctx, replyLang, resume, true);
    return { state: back.state, replies: [reply(line), ...back.replies], effects };
  };

  switch (state.flow) {
    case 'language': {
      const code = singleCode(readAnswer(fixedQuestion(ctx.texts, 'language'), input, REF.language));
      if (code === 'nl' || code === 'en') {
        return done(code, say(ctx, code, 'language-changed'), [
          { type: 'resident.update', patch: { language: code } },
        ]);
      }
      if (state.misses === 0) return retry('language', 'language-ask');
      return done(lang, say(ctx, lang, 'nothing-changed'));
    }
    case 'area': {
      const answer = readAnswer(fixedQuestion(ctx.texts, 'area'), input, REF.area);
      const code = answer.kind === 'skip' ? 'geen' : singleCode(answer);
      if (code && isArea(code)) {
        return done(lang, say(ctx, lang, 'area-changed', { area: say(ctx, lang, `area-${code}`) }), [
          { type: 'resident.update', patch: { area: code } },
        ]);
      }
      if (state.misses === 0) return retry('area', 'area-ask');
      return done(lang, say(ctx, lang, 'nothing-changed'));
    }
    case 'news': {
      const choice = newsChoice(ctx, lang, input);
      if (choice) return done(lang, choice.line, [{ type: 'resident.update', patch: choice.patch }]);
      if (state.misses === 0) {
        return { state: { ...state, misses: 1 }, replies: askNews(ctx, lang, true), effects: [] };
      }
      return done(lang, say(ctx, lang, 'nothing-changed'));
    }
    case 'consent': {
      const code = singleCode(readAnswer(fixedQuestion(ctx.texts, 'consent'), input, REF.consent));
      const now = ctx.now.toISOString();
      if (code === 'ja') {
        return done(lang, say(ctx, lang, 'consent-renewed'), [
          {
            type: 'resident.update',
            patch: { consentVersion: ctx.config.consentVersion, consentAt: now, consentRefusedAt: null },
          },
        ]);
      }
      if (code === 'nee') {
        // Taking part ends here; what was answered before stays pseudonymous (VERWIJDER erases it).
        return {
          state: { flow: 'refused' },
          replies: [reply(say(ctx, lang, 'consent-withdrawn'))],
          effects: [{ type: 'resident.update', patch: { consentAt: null, consentRefusedAt: now } }],
        };
      }
      // Consent is never assumed: asked again, as often as needed.
      return {
        state: { ...state, misses: state.misses + 1 },
        replies: askFixed(ctx, lang, 'consent', 'consent-ask', true, { url: ctx.config.privacyUrl }),
        effects: [],
      };
    }
    case 'delete': {
      const code = singleCode(readAnswer(fixedQuestion(ctx.texts, 'delete'), input, REF.delete));
      if (code === 'ja') {
        // Nothing of the resident is left to come back to; the next message starts afresh.
        return {
          state: { flow: 'idle' },
          replies: [reply(say(ctx, lang, 'delete-done'))],
          effects: [{ type: 'resident.erase' }],
        };
      }
      if (code !== 'nee' && state.misses === 0) return retry('delete', 'delete-ask');
      return done(lang, say(ctx, lang, 'delete-cancelled'));
    }
  }
}

/**
 * The age question of LEEFTIJD, or of the yearly check (`check`). A group, even the same one, is
 * stored and counts as confirmed; skipping changes nothing; "Jonger dan 16" ends taking part. Not an
 * answer: LEEFTIJD asks once more; the yearly check returns null, so the message is handled as if it
 * was never asked.
 */
export function ageStep(state: AgeState, input: InboundPayload, ctx: FlowContext): FlowResult | null {
  const lang = languageOf(ctx, state);
  // A poll invitation that came after the check asks the question on screen now: a typed answer is for it.
  if (state.check && ctx.wave?.open && ctx.wave.status === 'invited' && state.askedAt) {
    if (ctx.wave.invitedAt > state.askedAt) return null;
  }
  const code = ageAnswer(ctx, input);
  const back = (line: string, effects: Effect[] = []): FlowResult => {
    const after = returnTo(ctx, lang, resumeOf(state), true);
    return { state: after.state, replies: [reply(line), ...after.replies], effects };
  };
  if (code === UNDER_AGE_GROUP) return tooYoung(ctx, lang);
  if (code === 'geen') return back(say(ctx, lang, 'nothing-changed'));
  if (code) {
    const patch = { type: 'resident.update', patch: { ageGroup: code } } as const;
    const same = ctx.resident.ageGroup === code;
    const line = same
      ? say(ctx, lang, 'age-confirmed')
      : say(ctx, lang, 'age-changed', { age: say(ctx, lang, `age-${code}`) });
    return back(line, [patch]);
  }
  if (state.check) return null;
  if (state.misses === 0) {
    return {
      state: { ...state, misses: 1 },
      replies: askFixed(ctx, lang, 'age', 'age-change-ask', true),
      effects: [],
    };
  }
  return back(say(ctx, lang, 'nothing-changed'));
}

/** The yearly check's question: the resident's age group now, and whether it is still right. */
export function ageCheckAsk(
  ctx: { texts: Texts; resident: { channel: string; ageGroup: AgeGroup | null } },
  lang: Language,
): OutboundMessageInput[] {
  const current = ctx.resident.ageGroup;
  const age = current ? say(ctx, lang, `age-${current}`) : say(ctx, lang, 'data-empty');
  return askFixed(ctx, lang, 'age', 'age-check-ask', false, { age });
}

/** HULP: the service point of the resident's area (both when unknown), then the keywords. */
export function helpText(ctx: FlowContext, lang: Language): string {
  const points = servicePointsFor(ctx.config.servicePoints, ctx.resident.area);
  const blocks = [say(ctx, lang, 'help-intro')];
  for (const point of points) {
    const lines = [point.name];
    if (point.address) lines.push(say(ctx, lang, 'help-address', { address: point.address }));
    if (point.openingHours)
      lines.push(say(ctx, lang, 'help-hours', { hours: localize(point.openingHours, lang) }));
    if (point.phone) lines.push(say(ctx, lang, 'help-phone', { phone: point.phone }));
    blocks.push(lines.join('\n'));
  }
  if (points.length === 0) blocks.push(say(ctx, lang, 'help-none'));
  blocks.push(say(ctx, lang, 'keywords-list'));
  return blocks.join('\n\n');
}

function servicePointsFor(points: Partial<Record<Area, ServicePoint>>, area: Area | null): ServicePoint[] {
  const own = area ? points[area] : undefined;
  if (own) return [own];
  return (['nazareth', 'pottenberg'] as const).flatMap((a) => (points[a] ? [points[a]] : []));
}
