import { type Language, type Localized, localize } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import {
  askFixed,
  askMessages,
  fixedQuestion,
  REF,
  readAnswer,
  reply,
  say,
  singleCode,
  type Theme,
} from './asks.js';
import type { Texts } from './i18n/texts.js';
import { returnTo } from './onboarding.js';
import { parseAnswer } from './parse/answer.js';
import { pollStep, questionRef, startPoll } from './poll.js';
import type { Poll, Question } from './polls/schema.js';
import { type Resume, type RsvpPickState, resumeOf, type SessionQuestionState, type State } from './state.js';
import type { FlashContext, FlowContext, FlowResult } from './types.js';
import { openWave } from './wave-status.js';

// What residents get from broadcasts (waves, flashes, straatpraat sessions), and
// what they answer to them. The messages are rendered once per language when a broadcast is made;
// the answers arrive like any other message and are read here, with the engine telling the flows
// about the resident's latest wave, the RSVPs still open and the next session (ctx.wave, ctx.rsvps,
// ctx.session).

/** The language files, which is all rendering a broadcast needs. */
export interface RenderContext {
  texts: Texts;
}

/**
 * How long a plain flash takes a JA (a session takes one until it starts). The database function
 * `broadcast_context` (migration 0013) looks back as far.
 */
export const FLASH_RSVP_DAYS = 7;
/** How long after an invitation a late answer to a closed wave still gets the kind line. */
const LATE_ANSWER_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** A flash as residents see it: the wijkteam's text (Dutch when missing), then the RSVP line. */
export function flashMessage(
  ctx: RenderContext,
  lang: Language,
  text: Localized,
  rsvp: boolean,
): OutboundMessageInput {
  const body = localize(text, lang);
  return reply(rsvp ? `${body}\n\n${say(ctx, lang, 'flash-rsvp-ask')}` : body);
}

/** A straatpraat session: when, where, who comes from the municipality. */
export interface SessionDetails {
  at: Date;
  where: string;
  who: string;
  /** Extra words from the wijkteam, per language. */
  text?: Localized;
  /** The city's time zone, for showing the time. */
  timeZone: string;
}

/** "zaterdag 14 maart 10:00" in the resident's language and the city's time zone. */
export function formatSessionTime(at: Date, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(at);
}

function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone }).format(at);
}

/** The announcement of a session, with the RSVP line and how to send a question in advance. */
export function sessionAnnouncement(
  ctx: RenderContext,
  lang: Language,
  session: SessionDetails,
): OutboundMessageInput {
  const blocks = [
    say(ctx, lang, 'session-announce', {
      when: formatSessionTime(session.at, lang, session.timeZone),
      where: session.where,
      who: session.who,
    }),
  ];
  if (session.text) blocks.push(localize(session.text, lang));
  blocks.push(`${say(ctx, lang, 'flash-rsvp-ask')}\n${say(ctx, lang, 'session-question-offer')}`);
  return reply(blocks.join('\n\n'));
}

/** The reminder on the day, for those who said they come. */
export function sessionReminder(
  ctx: RenderContext,
  lang: Language,
  session: SessionDetails,
): OutboundMessageInput {
  return reply(
    say(ctx, lang, 'session-reminder', {
      time: clockTime(session.at, session.timeZone),
      where: session.where,
    }),
  );
}

/** The one line for residents who said they would come, when a session is called off. */
export function sessionCancelled(
  ctx: RenderContext,
  lang: Language,
  session: Pick<SessionDetails, 'at' | 'timeZone'>,
): OutboundMessageInput {
  return reply(
    say(ctx, lang, 'session-cancelled', { when: formatSessionTime(session.at, lang, session.timeZone) }),
  );
}

/**
 * A wave's results as the draft of a "you said, we did" flash: per question its most chosen answer
 * and its share, or that there were too few answers. The wijkteam edits it before it goes.
 */
export interface ResultsForDraft {
  poll: Localized;
  questions: { text: Localized; top: { label: Localized; share: number } | null }[];
}

/** The draft text of a wave's results, in one language. */
export function waveResultsDraft(ctx: RenderContext, lang: Language, results: ResultsForDraft): string {
  const lines = results.questions.map((q) =>
    q.top
      ? say(ctx, lang, 'results-line', {
          question: localize(q.text, lang),
          share: q.top.share,
          answer: localize(q.top.label, lang),
        })
      : say(ctx, lang, 'results-too-few', { question: localize(q.text, lang) }),
  );
  return [
    say(ctx, lang, 'results-intro', { poll: localize(results.poll, lang) }),
    ...lines,
    say(ctx, lang, 'results-outro'),
  ].join('\n');
}

/** The suggested flash to residents whose ideas on a theme are done; the wijkteam edits it. */
export function doneIdeasDraft(ctx: RenderContext, lang: Language, theme: string): string {
  return say(ctx, lang, 'ideas-done-announce', {
    theme: say(ctx, lang, `theme-${theme.replace('_', '-')}`),
  });
}

/** The follow-up after a session: what was said and what happens next, in the wijkteam's words. */
export function sessionSummary(ctx: RenderContext, lang: Language, text: Localized): OutboundMessageInput {
  return reply(`${say(ctx, lang, 'session-summary-intro')}\n\n${localize(text, lang)}`);
}

/**
 * A wave's invitation: one message that already asks the poll's first question, so a resident can
 * answer straight away (typed, or with the button or vote the channel shows).
 */
export function waveInvitation(ctx: RenderContext, lang: Language, poll: Poll): OutboundMessageInput {
  const question = poll.questions[0]!;
  const lines = [say(ctx, lang, 'wave-invite')];
  if (poll.intro) lines.push(localize(poll.intro, lang));
  lines.push(localize(question.text, lang));
  if (question.type === 'text') return reply([...lines, say(ctx, lang, 'text-skip-hint')].join('\n'));
  return askMessages(ctx, lang, question, questionRef(poll.id, question.id), lines.join('\n'))[0]!;
}

/** The reminder to residents who did not finish a wave. */
export function waveReminder(ctx: RenderContext, lang: Language): OutboundMessageInput {
  return reply(say(ctx, lang, 'wave-reminder'));
}

/** PEILING with no paused poll: the open wave from its first question, or null when there is none. */
export function startOpenWave(ctx: FlowContext, lang: Language): FlowResult | null {
  const wave = openWave(ctx);
  const poll = wave && ctx.polls.get(wave.poll);
  if (!wave || !poll) return null;
  return { ...startPoll(ctx, lang, poll, wave.id), effects: [] };
}

/** Whether an RSVP is still open: a session until it starts, a flash for FLASH_RSVP_DAYS after it was sent. */
function isOpen(flash: FlashContext, now: number): boolean {
  if (!flash.rsvp) return false;
  if (flash.kind === 'session') return flash.sessionAt !== undefined && Date.parse(flash.sessionAt) > now;
  return now - Date.parse(flash.sentAt) < FLASH_RSVP_DAYS * DAY_MS;
}

/** The open RSVPs the resident got, newest first: those not yet answered, and those already answered. */
function openRsvps(ctx: FlowContext): { unanswered: FlashContext[]; answered: FlashContext[] } {
  const now = ctx.now.getTime();
  const open = [...(ctx.rsvps ?? [])]
    .filter((f) => isOpen(f, now))
    .sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt));
  return { unanswered: open.filter((f) => !f.rsvped), answered: open.filter((f) => f.rsvped) };
}

/** How many words of a flash show in the list of RSVPs to pick from. */
const TITLE_WORDS = 6;

/** A short name for a flash in the list to pick from: its first words, or a session's day and time. */
function rsvpTitle(ctx: FlowContext, lang: Language, flash: FlashContext): string {
  if (flash.kind === 'session' && flash.sessionAt) {
    return say(ctx, lang, 'rsvp-pick-session', {
      when: formatSessionTime(
        new Date(flash.sessionAt),
        lang,
        ctx.config.desk?.timeZone ?? 'Europe/Amsterdam',
      ),
    });
  }
  const text = (flash.texts?.[lang] ?? flash.texts?.nl ?? '').replace(/\s+/g, ' ').trim();
  const words = text.split(' ').filter(Boolean);
  if (words.length === 0) return say(ctx, lang, 'rsvp-pick-untitled');
  return words.length > TITLE_WORDS ? `${words.slice(0, TITLE_WORDS).join(' ')} …` : words.join(' ');
}

const RSVP_PICK_REF = 'rsvp_pick';

/** The question "which one do you come to?", its options numbered in the order the state keeps. */
function rsvpPickQuestion(ctx: FlowContext, lang: Language, ids: readonly string[]): Question {
  const byId = new Map((ctx.rsvps ?? []).map((f) => [f.id, f]));
  return {
    id: 'rsvp_pick',
    type: 'choice',
    text: { nl: 'rsvp_pick' },
    options: ids.map((id, i) => {
      const flash = byId.get(id);
      return { code: String(i + 1), label: { nl: flash ? rsvpTitle(ctx, lang, flash) : '?' } };
    }),
  };
}

const RSVP: Question = { id: 'rsvp', type: 'yesno', text: { nl: 'rsvp' } };

/** "ja" or "nee" (in any of their forms) as an RSVP. A bare number is not: a flash shows no options. */
function rsvpAnswer(input: InboundPayload): 'yes' | 'no' | undefined {
  if (input.kind !== 'text' || /^\s*\d/.test(input.text)) return undefined;
  const code = singleCode(parseAnswer(RSVP, input.text));
  return code === 'ja' ? 'yes' : code === 'nee' ? 'no' : undefined;
}

/**
 * True when a message reads as an answer to a wave's first question. Any text answers a text
 * question; other questions need something they understand, so a "hallo" days after an invitation
 * gets the usual reply (with a PEILING hint) instead of starting the poll as a miss.
 */
function answersFirstQuestion(poll: Poll | undefined, input: InboundPayload, open: boolean): boolean {
  const question = poll?.questions[0];
  if (!poll || !question) return false;
  if (question.type === 'text') return open && input.kind === 'text';
  const answer = readAnswer(question, input, questionRef(poll.id, question.id));
  return answer.kind === 'option' || answer.kind === 'dont_know' || (open && answer.kind === 'skip');
}

/**
 * A message while idle that answers a broadcast: JA or NEE to the latest flash's RSVP, the answer to
 * a wave's invitation (which asked the first question), or a late answer to a wave that has closed.
 * When a flash and an invitation both wait, the newer one is what the resident answers. Null when
 * the message answers none of them.
 */
export function idleBroadcastStep(
  state: State,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult | null {
  const { unanswered, answered } = openRsvps(ctx);
  const newest = [unanswered[0], answered[0]]
    .filter((f): f is FlashContext => f !== undefined)
    .sort((a, b) => Date.parse(b.sentAt) - Date.parse(a.sentAt))[0];
  const wave = ctx.wave;
  const invited = wave?.open && wave.status === 'invited' ? wave : undefined;
  if (newest && (!invited || newest.sentAt >= invited.invitedAt)) {
    const answer = rsvpAnswer(input);
    if (answer) return rsvp(state, unanswered, answer, ctx, lang);
  }
  if (invited) {
    const poll = ctx.polls.get(invited.poll);
    if (poll && answersFirstQuestion(poll, input, true)) {
      return pollStep(
        { poll: poll.id, index: 0, phase: 'question', misses: 0, waveId: invited.id },
        input,
        ctx,
        lang,
      );
    }
  }
  if (
    wave &&
    !wave.open &&
    wave.status !== 'finished' &&
    ctx.now.getTime() - Date.parse(wave.invitedAt) < LATE_ANSWER_DAYS * DAY_MS &&
    answersFirstQuestion(ctx.polls.get(wave.poll), input, false)
  ) {
    return { state, replies: [reply(say(ctx, lang, 'wave-closed'))], effects: [] };
  }
  return null;
}

/**
 * JA or NEE while RSVPs are open. JA counts for the one open RSVP not yet answered; with two or more,
 * the resident is asked which (numbered) and the number decides. A JA with none left unanswered
 * gets "you said so already".
 */
function rsvp(
  state: State,
  unanswered: readonly FlashContext[],
  answer: 'yes' | 'no',
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  if (answer === 'no') return { state, replies: [reply(say(ctx, lang, 'flash-rsvp-no'))], effects: [] };
  const only = unanswered.length === 1 ? unanswered[0] : undefined;
  if (only) return rsvpFor(state, only, ctx, lang);
  if (unanswered.length === 0) {
    return { state, replies: [reply(say(ctx, lang, 'flash-rsvp-already'))], effects: [] };
  }
  const options = unanswered.slice(0, 9).map((f) => f.id);
  return {
    state: { flow: 'rsvp_pick', options, misses: 0, ...resumeOf(state) },
    replies: askPick(ctx, lang, options),
    effects: [],
  };
}

function askPick(ctx: FlowContext, lang: Language, options: readonly string[], retry = false) {
  return askMessages(
    ctx,
    lang,
    rsvpPickQuestion(ctx, lang, options),
    RSVP_PICK_REF,
    say(ctx, lang, 'rsvp-pick-ask'),
    retry,
  );
}

/** Counts the RSVP for one flash (once) and thanks the resident. */
function rsvpFor(state: State, flash: FlashContext, ctx: FlowContext, lang: Language): FlowResult {
  if (flash.rsvped) return { state, replies: [reply(say(ctx, lang, 'flash-rsvp-already'))], effects: [] };
  const thanks =
    flash.kind === 'session' ? say(ctx, lang, 'session-rsvp-thanks') : say(ctx, lang, 'flash-rsvp-thanks');
  return { state, replies: [reply(thanks)], effects: [{ type: 'flash.rsvp', flashId: flash.id }] };
}

/**
 * The answer to "which one do you come to?": a number (or a tap) counts the RSVP for that flash.
 * Anything else is asked once more, then the question is dropped with a line saying how to start again.
 */
export function rsvpPickStep(
  state: RsvpPickState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const resume = resumeOf(state);
  const back = (): State => (resume.paused ? { flow: 'idle', paused: resume.paused } : { flow: 'idle' });
  const code = singleCode(readAnswer(rsvpPickQuestion(ctx, lang, state.options), input, RSVP_PICK_REF));
  const id = code ? state.options[Number(code) - 1] : undefined;
  if (id) {
    const flash = (ctx.rsvps ?? []).find((f) => f.id === id && isOpen(f, ctx.now.getTime()));
    if (flash) return rsvpFor(back(), flash, ctx, lang);
    return { state: back(), replies: [reply(say(ctx, lang, 'rsvp-pick-closed'))], effects: [] };
  }
  if (state.misses === 0) {
    return { state: { ...state, misses: 1 }, replies: askPick(ctx, lang, state.options, true), effects: [] };
  }
  return { state: back(), replies: [reply(say(ctx, lang, 'rsvp-pick-cancelled'))], effects: [] };
}

/**
 * VRAAG: asks for a question for the next straatpraat session in the resident's area (or, when they
 * have no area, the next one they were told about); null when none is coming.
 */
export function startSessionQuestion(ctx: FlowContext, lang: Language, resume: Resume): FlowResult | null {
  const now = ctx.now.getTime();
  const told = (ctx.rsvps ?? [])
    .filter((f) => f.kind === 'session' && f.sessionAt && Date.parse(f.sessionAt) > now)
    .map((f) => ({ id: f.id, at: f.sessionAt! }));
  const session = [...(ctx.session ? [ctx.session] : []), ...told]
    .filter((s) => Date.parse(s.at) > now)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  if (!session) return null;
  return {
    state: { flow: 'session_question', flashId: session.id, step: 'text', misses: 0, ...resume },
    replies: [reply(say(ctx, lang, 'session-question-ask'))],
    effects: [],
  };
}

const QUESTION_TEXT: Question = { id: 'vraag', type: 'text', text: { nl: 'vraag' } };

/**
 * One message while asking a session question: the question as text, then its theme (the idea themes),
 * so the wijkteam sees the questions grouped. Like an idea, the raw text waits in the state until the
 * theme is known; the engine scrubs it and stores it without the sender.
 */
export function sessionQuestionStep(
  state: SessionQuestionState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const resume: Resume = resumeOf(state);
  if (state.step === 'text' || state.text === undefined) {
    const parsed =
      input.kind === 'text' ? parseAnswer(QUESTION_TEXT, input.text) : ({ kind: 'unknown' } as const);
    if (parsed.kind === 'text') {
      return {
        state: { ...state, step: 'theme', text: parsed.text, misses: 0 },
        replies: askFixed(ctx, lang, 'theme', 'session-question-theme-ask'),
        effects: [],
      };
    }
    if (parsed.kind === 'unknown' && state.misses === 0) {
      return {
        state: { ...state, misses: 1 },
        replies: [reply(say(ctx, lang, 'session-question-retry'))],
        effects: [],
      };
    }
    const back = returnTo(ctx, lang, resume, true);
    return {
      state: back.state,
      replies: [reply(say(ctx, lang, 'session-question-cancelled')), ...back.replies],
      effects: [],
    };
  }
  const answer = readAnswer(fixedQuestion(ctx.texts, 'theme'), input, REF.theme);
  let theme = singleCode(answer) as Theme | undefined;
  if (!theme && state.misses === 0 && answer.kind !== 'skip' && answer.kind !== 'dont_know') {
    return {
      state: { ...state, misses: 1 },
      replies: askFixed(ctx, lang, 'theme', 'session-question-theme-ask', true),
      effects: [],
    };
  }
  // The question matters more than its theme: keep it under "iets anders".
  theme ??= 'anders';
  const back = returnTo(ctx, lang, resume, true);
  return {
    state: back.state,
    replies: [reply(say(ctx, lang, 'session-question-thanks')), ...back.replies],
    effects: [{ type: 'session.question', flashId: state.flashId, text: state.text, theme }],
  };
}
