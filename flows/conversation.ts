import type { Language } from '../src/domain/language.js';
import type { InboundPayload } from '../src/domain/messages.js';
import type { ResidentProfile } from '../src/domain/resident.js';
import { reply, say } from './asks.js';
import { idleBroadcastStep, rsvpPickStep, sessionQuestionStep } from './broadcast.js';
import { deskStep } from './desk/router.js';
import {
  helpOfferStep,
  helpRelayStep,
  helpSubjectStep,
  unplacedOffer,
  unplacedStep,
} from './help-request.js';
import { ideaStep } from './idea.js';
import {
  ageStep,
  askConsentAgain,
  BEFORE_CONSENT,
  detourStep,
  handleKeyword,
  type KeywordInput,
  WHILE_CONSENT_CHANGED,
} from './keyword-actions.js';
import { beginJoining, hasConsent, languageOf, onboardingStep, returnTo } from './onboarding.js';
import { parseKeyword } from './parse/keywords.js';
import { answersPending, pausedHint, pollStep } from './poll.js';
import { parseState, resumeOf, type State } from './state.js';
import type { FlowContext, FlowResult, FlowStep } from './types.js';
import { openWave } from './wave-status.js';

// The state machine, in short:
//   (none) ─any message─> onboarding: language → consent ─nee─> refused
//                                              └─ja─> area (skipped by a join link) → age → idle | poll
//   idle ─IDEE─> idea (text → theme) ─> back     idle ─TAAL/BUURT/LEEFTIJD/VERWIJDER/NIEUWS─> detour ─> back
//   idle ─(yearly check, sent by the scheduler)─> age ─> back (anything else: handled as if not asked)
//   any ─(consent given to an older statement)─> consent detour ─ja─> back, ─nee─> refused
//   idle ─free text of 4+ words (3 with "?")─> unplaced_question ─ja─> help request with that text
//   poll ─answers─> idle;  a keyword pauses it (kept as `paused`), START or PEILING resumes it.
// "back" is whatever the detour interrupted (Resume in state.ts). STOP sets the resident's status and
// keeps the state, so START continues where they were.

/**
 * The resident conversation's entry point: keywords first, then whatever flow the resident is in.
 */
export const converse: FlowStep = (raw, input, ctx) => {
  // Staff commands and dialogs go first; anyone else's command is ordinary text (flows/desk/router.ts).
  const desk = deskStep(raw, input, ctx, converse);
  if (desk) return desk;
  const state = reconcile(parseState(raw), ctx.resident);
  // WhatsApp sends an empty vote when a resident takes their vote back: nothing to do. A vote that
  // could not be decrypted is different: it falls through as a miss, and the question is asked again.
  if (input.kind === 'poll_vote' && input.values.length === 0 && !input.unreadable) {
    return { state: state ?? { flow: 'idle' }, replies: [], effects: [] };
  }
  const found = keywordOf(input);
  if (ctx.resident.status === 'stopped') return whileStopped(state, found, input, ctx);
  if (
    consentChanged(ctx) &&
    !(state && FLOWS_WHILE_CONSENT_CHANGED.has(state.flow)) &&
    !(found && WHILE_CONSENT_CHANGED.has(found.keyword))
  ) {
    return askConsentAgain(state, ctx, languageOf(ctx, state, input));
  }
  if (found && (hasConsent(ctx) || BEFORE_CONSENT.has(found.keyword))) {
    return handleKeyword(found, state, input, ctx);
  }
  return continueFlow(state, input, ctx);
};

/** What goes on while consent is asked again: that question, and the rights and help it lets through. */
const FLOWS_WHILE_CONSENT_CHANGED: ReadonlySet<State['flow']> = new Set([
  'consent',
  'delete',
  'help_offer',
  'help_subject',
]);

/** The resident agreed to an earlier version of the consent statement than the current one. */
function consentChanged(ctx: FlowContext): boolean {
  const { consentAt, consentVersion } = ctx.resident;
  return consentAt !== null && consentVersion !== ctx.config.consentVersion;
}

/** The keyword a message is, if any; `/start nazareth` keeps its argument for join links. */
function keywordOf(input: InboundPayload): KeywordInput | null {
  if (input.kind === 'command') {
    const keyword = parseKeyword(`/${input.name}`);
    return keyword ? { keyword, args: input.args } : null;
  }
  if (input.kind !== 'text') return null;
  const keyword = parseKeyword(input.text);
  if (!keyword) return null;
  const trimmed = input.text.trim();
  if (keyword === 'start' && trimmed.startsWith('/')) {
    return { keyword, args: trimmed.replace(/^\/\S*\s*/, '') };
  }
  return { keyword };
}

/**
 * Makes the stored state agree with the profile, which wins: consent given elsewhere ends joining,
 * and a state that needs consent falls back to joining (or to "refused") when there is none.
 */
function reconcile(state: State | null, profile: ResidentProfile): State | null {
  const consented = profile.consentAt !== null;
  if (!state) {
    if (consented) return { flow: 'idle' };
    return profile.consentRefusedAt !== null ? { flow: 'refused' } : null;
  }
  if (consented) {
    if (state.flow === 'refused') return { flow: 'idle' };
    if (state.flow === 'onboarding' && (state.join.step === 'language' || state.join.step === 'consent')) {
      return { flow: 'idle' };
    }
    return state;
  }
  switch (state.flow) {
    case 'idle':
    case 'poll':
    case 'idea':
    case 'area':
    case 'news':
    case 'age':
    case 'session_question':
    case 'rsvp_pick':
    case 'help_offer':
    case 'help_subject':
    case 'unplaced_question':
      return profile.consentRefusedAt !== null ? { flow: 'refused' } : null;
    case 'onboarding':
      return state.join.step === 'area' || state.join.step === 'age'
        ? { ...state, join: { ...state.join, step: 'consent' } }
        : state;
    default:
      return state;
  }
}

/** After STOP: only START, and the privacy rights GEGEVENS and VERWIJDER, do anything. */
function whileStopped(
  state: State | null,
  found: KeywordInput | null,
  input: InboundPayload,
  ctx: FlowContext,
): FlowResult {
  const kept = state ?? { flow: 'idle' as const };
  if (found?.keyword === 'stop') return { state: kept, replies: [], effects: [] };
  if (found && (found.keyword === 'start' || found.keyword === 'delete' || found.keyword === 'my_data')) {
    return handleKeyword(found, state, input, ctx);
  }
  if (!found && state?.flow === 'delete') return detourStep(state, input, ctx);
  const lang = languageOf(ctx, state, input);
  // A pending "really delete?" is dropped, so a much later "ja" cannot erase by surprise.
  const after = state?.flow === 'delete' ? returnTo(ctx, lang, resumeOf(state), false).state : kept;
  return { state: after, replies: [reply(say(ctx, lang, 'stopped-hint'))], effects: [] };
}

function continueFlow(state: State | null, input: InboundPayload, ctx: FlowContext): FlowResult {
  if (!state) return beginJoining(ctx, input);
  const lang = languageOf(ctx, state, input);
  if (input.kind === 'media' && state.flow !== 'refused') return mediaReply(state, ctx, lang);
  switch (state.flow) {
    case 'onboarding':
      return onboardingStep(state, input, ctx);
    case 'refused':
      return { state, replies: [reply(say(ctx, lang, 'refused-hint'))], effects: [] };
    case 'poll':
      return pollStep(state.progress, input, ctx, lang);
    case 'idea':
      return ideaStep(state, input, ctx, lang);
    case 'language':
    case 'area':
    case 'delete':
    case 'news':
    case 'consent':
      return detourStep(state, input, ctx);
    case 'age':
      // The yearly check is skippable: a message that does not answer it goes where it would have.
      return (
        ageStep(state, input, ctx) ??
        continueFlow(returnTo(ctx, lang, resumeOf(state), false).state, input, ctx)
      );
    case 'session_question':
      return sessionQuestionStep(state, input, ctx, lang);
    case 'rsvp_pick':
      return rsvpPickStep(state, input, ctx, lang);
    case 'help_offer':
      // Not an answer to the offer: handled where the resident was before HULP.
      return (
        helpOfferStep(state, input, ctx, lang) ??
        continueFlow(returnTo(ctx, lang, resumeOf(state), false).state, input, ctx)
      );
    case 'help_subject':
      return helpSubjectStep(state, input, ctx, lang);
    case 'unplaced_question':
      // Not a yes or no to the offer: handled as if it had not been made.
      return (
        unplacedStep(state, input, ctx, lang) ??
        continueFlow(returnTo(ctx, lang, resumeOf(state), false).state, input, ctx)
      );
    case 'idle': {
      // A tap on the question of a paused poll, still on screen, simply answers it.
      if (state.paused && answersPending(ctx, state.paused, input)) {
        return pollStep(state.paused, input, ctx, lang);
      }
      const answered = idleBroadcastStep(state, input, ctx, lang);
      if (answered) return answered;
      const relayed = helpRelayStep(state, input, ctx, lang);
      if (relayed) return relayed;
      // A question the bot cannot place gets the offer of a person; short noise gets the menu.
      // A paused poll's hint comes first: the offer is the last thing asked, so "ja" answers it.
      const offered = unplacedOffer(state, input, ctx, lang);
      if (offered && (state.paused || openWave(ctx))) {
        return { ...offered, replies: [pausedHint(ctx, lang), ...offered.replies] };
      }
      if (offered) return offered;
      const replies = [reply(say(ctx, lang, 'idle-menu'))];
      if (state.paused || openWave(ctx)) replies.push(pausedHint(ctx, lang));
      return { state, replies, effects: [] };
    }
  }
}

/**
 * A photo, voice message, video, file, location, contact card or sticker: we cannot look at it or
 * listen to it, and say so. Nothing is stored and nothing moves on: an open question stays open, and
 * does not count the media as a wrong answer. Only the kind ever reached us, never the content.
 */
function mediaReply(state: State, ctx: FlowContext, lang: Language): FlowResult {
  if (state.flow !== 'idle')
    return { state, replies: [reply(say(ctx, lang, 'media-in-question'))], effects: [] };
  const replies = [reply(say(ctx, lang, 'media-at-menu'))];
  if (state.paused || openWave(ctx)) replies.push(pausedHint(ctx, lang));
  return { state, replies, effects: [] };
}
