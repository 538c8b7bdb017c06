import type { Language } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import { type Area, UNDER_AGE_GROUP } from '../src/domain/resident.js';
import {
  ageAnswer,
  areaOfJoinText,
  askFixed,
  fixedQuestion,
  isArea,
  READ_LIMIT,
  REF,
  readAnswer,
  reply,
  say,
  singleCode,
} from './asks.js';
import { guessLanguage } from './language-guess.js';
import { normalise } from './parse/normalise.js';
import { ONBOARDING_POLL_ID, pausedHint, startPoll } from './poll.js';
import type { JoinProgress, OnboardingState, Resume, State } from './state.js';
import type { Effect, FlowContext, FlowResult, ResidentPatch } from './types.js';

// Joining is welcome + four asks + one closing line: six bot messages on the happy path,
// five when a join link already named the area. The onboarding poll comes after and is not counted.

/** True once the resident said yes to the consent question. */
export function hasConsent(ctx: FlowContext): boolean {
  return ctx.resident.consentAt !== null;
}

/** The language to talk in: the resident's choice, else the guess made while joining, else Dutch. */
export function languageOf(ctx: FlowContext, state: State | null, input?: InboundPayload): Language {
  if (ctx.resident.language) return ctx.resident.language;
  if (state?.flow === 'onboarding' && state.join.guess) return state.join.guess;
  return guessLanguage(input ? textOf(input) : '', ctx.languageHint);
}

/** The words of a message, for guessing and join links; commands count with their arguments. */
export function textOf(input: InboundPayload): string {
  if (input.kind === 'text') return input.text.slice(0, READ_LIMIT);
  if (input.kind === 'command') return `${input.name} ${input.args.slice(0, READ_LIMIT)}`;
  return '';
}

/** A join link's area and source, from a first message or `/start` arguments. */
export interface JoinLink {
  linkArea?: 'nazareth' | 'pottenberg';
  joinSource?: string;
}

/** A flyer's source code in a join link: lowercase letters, digits and dashes, at most 32. */
const SOURCE_CODE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/** WhatsApp's first message with a source code at its end: "Hallo Straatpraat Nazareth #poster-trefpunt". */
const WHATSAPP_CODE = /\s#([A-Za-z0-9-]{1,32})\s*$/;

/**
 * The join link in a message: "Hallo Straatpraat Nazareth" (WhatsApp, optionally with `#code`) or a
 * start parameter (`nazareth`, `join_poster-trefpunt`). The join source is `<kind>:<area|join>`, with
 * `#<code>` when the link carries a flyer's source code.
 */
export function joinLinkOf(ctx: FlowContext, input: InboundPayload, startArgs?: string): JoinLink {
  if (startArgs !== undefined) {
    // Telegram start parameters are [A-Za-z0-9_-]{1,64}; anything else is not from our links.
    const param = /^[A-Za-z0-9_-]{1,64}$/.exec(startArgs.trim())?.[0]?.toLowerCase();
    if (!param) return {};
    const [head = '', rest] = splitOnce(param, '_');
    const code = rest !== undefined && SOURCE_CODE.test(rest) ? rest : undefined;
    const link = code ? head : param.slice(0, 40);
    const area = areaOfJoinText(link, false);
    return {
      ...(area && { linkArea: area }),
      joinSource: `${ctx.resident.channel}:${link}${code ? `#${code}` : ''}`,
    };
  }
  if (input.kind !== 'text' || input.text.length > 200) return {};
  const tagged = WHATSAPP_CODE.exec(input.text);
  const code = tagged && SOURCE_CODE.test(tagged[1]!.toLowerCase()) ? tagged[1]!.toLowerCase() : undefined;
  const text = tagged ? input.text.slice(0, tagged.index) : input.text;
  const tag = code ? `#${code}` : '';
  const area = areaOfJoinText(text, true);
  if (area) return { linkArea: area, joinSource: `link:${area}${tag}` };
  // The flyer's link without an area fills in just "Hallo Straatpraat"; it counts as a join by link.
  return text.length <= 40 && normalise(text) === 'hallo straatpraat'
    ? { joinSource: `link:join${tag}` }
    : {};
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The ask of a joining step. */
export function askJoinStep(
  ctx: FlowContext,
  lang: Language,
  step: JoinProgress['step'],
  retry = false,
): OutboundMessageInput[] {
  switch (step) {
    case 'language':
      return askFixed(ctx, lang, 'language', 'language-ask', retry);
    case 'consent':
      return askFixed(ctx, lang, 'consent', 'consent-ask', retry, { url: ctx.config.privacyUrl });
    case 'area':
      return askFixed(ctx, lang, 'area', 'area-ask', retry);
    case 'age':
      return askFixed(ctx, lang, 'age', 'age-ask', retry);
  }
}

/**
 * The first message of a new resident: welcome, then the language question with a guess. A join link
 * in the message itself is remembered unless the caller read one already (`/start` arguments).
 */
export function beginJoining(ctx: FlowContext, input: InboundPayload, given?: JoinLink): FlowResult {
  const link = given ?? joinLinkOf(ctx, input);
  const guess = guessLanguage(textOf(input), ctx.languageHint);
  const lang = ctx.resident.language ?? guess;
  const join: JoinProgress = { step: 'language', guess: lang, ...link };
  return {
    state: { flow: 'onboarding', join, misses: 0 },
    replies: [reply(say(ctx, lang, 'welcome')), ...askJoinStep(ctx, lang, 'language')],
    effects: [],
  };
}

/** Goes to a joining step and asks it. */
export function joinAt(ctx: FlowContext, lang: Language, join: JoinProgress): FlowResult {
  return {
    state: { flow: 'onboarding', join, misses: 0 },
    replies: askJoinStep(ctx, lang, join.step),
    effects: [],
  };
}

/**
 * The state to return to after a detour (a keyword, an idea), with what to say: the pending joining
 * question again, or that a paused poll is waiting.
 */
export function returnTo(
  ctx: FlowContext,
  lang: Language,
  resume: Resume,
  remind: boolean,
): { state: State; replies: OutboundMessageInput[] } {
  if (resume.join) {
    return {
      state: { flow: 'onboarding', join: resume.join, misses: 0 },
      replies: remind ? askJoinStep(ctx, lang, resume.join.step) : [],
    };
  }
  if (resume.refused) return { state: { flow: 'refused' }, replies: [] };
  return {
    state: resume.paused ? { flow: 'idle', paused: resume.paused } : { flow: 'idle' },
    replies: remind && resume.paused ? [pausedHint(ctx, lang)] : [],
  };
}

/** One message while joining. */
export function onboardingStep(state: OnboardingState, input: InboundPayload, ctx: FlowContext): FlowResult {
  const lang = languageOf(ctx, state);
  const { join } = state;

  // The join link sent again half-way (a second scan of the flyer): remember its area, ask again.
  const link = joinLinkOf(ctx, input);
  if (link.linkArea && !hasConsent(ctx)) return joinAt(ctx, lang, { ...join, ...link });

  switch (join.step) {
    case 'language':
      return languageAnswer(state, input, ctx);
    case 'consent':
      return consentAnswer(state, input, ctx, lang);
    case 'area': {
      const answer = readAnswer(fixedQuestion(ctx.texts, 'area'), input, REF.area);
      const code = answer.kind === 'skip' ? 'geen' : singleCode(answer);
      if (code && isArea(code)) return next(ctx, lang, join, 'age', [areaPatch(code)]);
      return missed(state, ctx, lang, () => next(ctx, lang, join, 'age', []));
    }
    case 'age': {
      const code = ageAnswer(ctx, input);
      if (code === UNDER_AGE_GROUP) return tooYoung(ctx, lang);
      if (code) return finish(ctx, lang, [{ type: 'resident.update', patch: { ageGroup: code } }]);
      return missed(state, ctx, lang, () => finish(ctx, lang, []));
    }
  }
}

/**
 * Someone younger than 16 (typed, or "Jonger dan 16"): a child needs a parent's consent, so they are
 * told kindly where young people can go, and everything about them is erased at once, as VERWIJDER
 * does. Nothing more is sent to them; a later message starts afresh.
 */
export function tooYoung(ctx: FlowContext, lang: Language): FlowResult {
  const { name, url } = ctx.config.youthReferral ?? {};
  const lines = [
    say(ctx, lang, 'age-too-young'),
    name ? say(ctx, lang, 'age-youth-place', { name }) : say(ctx, lang, 'age-youth-none'),
  ];
  if (url) lines.push(say(ctx, lang, 'age-youth-url', { url }));
  lines.push(say(ctx, lang, 'age-too-young-erased'));
  return {
    state: { flow: 'idle' },
    replies: [reply(lines.join('\n'))],
    effects: [{ type: 'resident.erase' }],
  };
}

function areaPatch(area: Area): Effect {
  return { type: 'resident.update', patch: { area } };
}

function languageAnswer(state: OnboardingState, input: InboundPayload, ctx: FlowContext): FlowResult {
  const { join } = state;
  const guess = join.guess ?? 'nl';
  const answer = readAnswer(fixedQuestion(ctx.texts, 'language'), input, REF.language);
  let chosen = singleCode(answer) as Language | undefined;
  // "ja" / "yes" / "ok" confirms the guess the question was asked in.
  if (
    !chosen &&
    input.kind === 'text' &&
    singleCode(readAnswer(fixedQuestion(ctx.texts, 'consent'), input, '')) === 'ja'
  ) {
    chosen = guess;
  }
  if (!chosen) {
    // A second miss keeps the guess rather than asking a third time: language can change later (TAAL).
    if (state.misses === 0) return retryStep(state, ctx, guess);
    chosen = guess;
  }
  const effects: Effect[] = [{ type: 'resident.update', patch: { language: chosen } }];
  if (hasConsent(ctx)) return { ...returnTo(ctx, chosen, {}, false), effects };
  const nextJoin: JoinProgress = { ...join, step: 'consent', guess: chosen };
  return { ...joinAt(ctx, chosen, nextJoin), effects };
}

function consentAnswer(
  state: OnboardingState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const { join } = state;
  const code = singleCode(readAnswer(fixedQuestion(ctx.texts, 'consent'), input, REF.consent));
  const now = ctx.now.toISOString();
  if (code === 'ja') {
    const patch: ResidentPatch = {
      consentVersion: ctx.config.consentVersion,
      consentAt: now,
      consentRefusedAt: null,
      ...(ctx.resident.language === null && { language: lang }),
      ...(join.linkArea && { area: join.linkArea }),
      ...(join.joinSource && { joinSource: join.joinSource }),
    };
    const effects: Effect[] = [{ type: 'resident.update', patch }];
    return next(ctx, lang, join, join.linkArea ? 'age' : 'area', effects);
  }
  if (code === 'nee') {
    // Only the refusal and the language are kept, so a later message can be answered in it.
    const patch: ResidentPatch = {
      consentRefusedAt: now,
      ...(ctx.resident.language === null && { language: lang }),
    };
    return {
      state: { flow: 'refused' },
      replies: [reply(say(ctx, lang, 'consent-refused'))],
      effects: [{ type: 'resident.update', patch }],
    };
  }
  // Consent is never assumed: ask again, as often as needed.
  return retryStep(state, ctx, lang);
}

function next(
  ctx: FlowContext,
  lang: Language,
  join: JoinProgress,
  step: 'area' | 'age',
  effects: Effect[],
): FlowResult {
  return { ...joinAt(ctx, lang, { ...join, step }), effects };
}

function retryStep(state: OnboardingState, ctx: FlowContext, lang: Language): FlowResult {
  return {
    // Only "none yet" versus "some" matters; the cap keeps the stored state valid however often.
    state: { ...state, misses: Math.min(state.misses + 1, 9) },
    replies: askJoinStep(ctx, lang, state.join.step, true),
    effects: [],
  };
}

/** An optional question not understood: ask once more, then go on without it. */
function missed(
  state: OnboardingState,
  ctx: FlowContext,
  lang: Language,
  goOn: () => FlowResult,
): FlowResult {
  return state.misses === 0 ? retryStep(state, ctx, lang) : goOn();
}

/** The closing line, then the onboarding poll when it is switched on. */
function finish(ctx: FlowContext, lang: Language, effects: Effect[]): FlowResult {
  const done = reply(say(ctx, lang, 'join-done'));
  const poll = ctx.config.onboardingPoll ? ctx.polls.get(ONBOARDING_POLL_ID) : undefined;
  if (!poll) return { state: { flow: 'idle' }, replies: [done], effects };
  const started = startPoll(ctx, lang, poll);
  return { state: started.state, replies: [done, ...started.replies], effects };
}
