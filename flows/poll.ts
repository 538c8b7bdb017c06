import { type Language, localize } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import { askMessages, readAnswer, reply, say } from './asks.js';
import { type ParsedAnswer, parseAnswer } from './parse/answer.js';
import type { Poll, Question } from './polls/schema.js';
import type { PollProgress, State } from './state.js';
import type { Effect, FlowContext, FlowResult } from './types.js';
import { waveClosedFor, waveClosedReply } from './wave-status.js';

/** The poll a resident gets right after joining, when `config.onboardingPoll` is on. */
export const ONBOARDING_POLL_ID = 'veerkracht-kort';

/** Stored answer codes besides the options' own. */
export const ANSWER_CODES = { dontKnow: 'weet_niet', skipped: 'overgeslagen', invalid: 'invalid' } as const;

/** Suffix of the question id under which a follow-up's explanation is recorded. */
export const FOLLOW_UP_SUFFIX = '_uitleg';

/** The ref of a question's ask; at most 40 characters, as adapters need. */
export function questionRef(pollId: string, questionId: string): string {
  return `q:${pollId}:${questionId}`.slice(0, 40);
}

const FREE_TEXT: Question = { id: 'uitleg', type: 'text', text: { nl: 'uitleg' } };

/** What asking a question needs: the texts, and the resident's channel when known (for the hint). */
type AskContext = Parameters<typeof askMessages>[0];

/**
 * The current question of a poll as messages: an ask, or plain text with a skip line for text questions.
 * The web desk's preview and test send use it too, with the channel they show.
 */
export function askQuestion(
  ctx: AskContext,
  lang: Language,
  poll: Poll,
  index: number,
  retry = false,
): OutboundMessageInput[] {
  const question = poll.questions[index];
  if (!question) return [];
  const text = localize(question.text, lang);
  if (question.type === 'text') {
    const ask = reply(`${text}\n${say(ctx, lang, 'text-skip-hint')}`);
    return retry ? [reply(say(ctx, lang, 'retry')), ask] : [ask];
  }
  return askMessages(ctx, lang, question, questionRef(poll.id, question.id), text, retry);
}

/** The follow-up prompt ("Wil je iets uitleggen?") of a question, with how to skip it. */
export function askFollowUp(ctx: AskContext, lang: Language, question: Question): OutboundMessageInput[] {
  if (!question.followUp) return [];
  return [reply(`${localize(question.followUp.text, lang)}\n${say(ctx, lang, 'text-skip-hint')}`)];
}

/** Starts a poll: its intro line, then the first question. */
export function startPoll(
  ctx: FlowContext,
  lang: Language,
  poll: Poll,
  waveId?: string,
): { state: State; replies: OutboundMessageInput[] } {
  const progress: PollProgress = { poll: poll.id, index: 0, phase: 'question', misses: 0 };
  if (waveId) progress.waveId = waveId;
  const intro = poll.intro ? [reply(localize(poll.intro, lang))] : [];
  return { state: { flow: 'poll', progress }, replies: [...intro, ...askQuestion(ctx, lang, poll, 0)] };
}

/** Asks the pending question or follow-up again, e.g. after PEILING or START. */
export function resumePoll(
  ctx: FlowContext,
  lang: Language,
  progress: PollProgress,
): { state: State; replies: OutboundMessageInput[] } {
  if (waveClosedFor(ctx, progress)) return waveClosedReply(ctx, lang);
  const poll = ctx.polls.get(progress.poll);
  const question = poll?.questions[progress.index];
  if (!poll || !question) return { state: { flow: 'idle' }, replies: [reply(say(ctx, lang, 'poll-none'))] };
  const fresh: PollProgress = { ...progress, misses: 0 };
  const replies =
    progress.phase === 'followup'
      ? askFollowUp(ctx, lang, question)
      : askQuestion(ctx, lang, poll, progress.index);
  return { state: { flow: 'poll', progress: fresh }, replies };
}

/** True when a button press or vote belongs to the question a paused poll is waiting for. */
export function answersPending(ctx: FlowContext, progress: PollProgress, input: InboundPayload): boolean {
  if (progress.phase !== 'question' || (input.kind !== 'choice' && input.kind !== 'poll_vote')) return false;
  const question = ctx.polls.get(progress.poll)?.questions[progress.index];
  return question !== undefined && input.ref === questionRef(progress.poll, question.id);
}

/**
 * One message in a running poll: record the answer (or ask again), then the follow-up or next question.
 * A wave's poll also reports the resident's progress, and a wave that has closed takes no answer.
 */
export function pollStep(
  progress: PollProgress,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  if (progress.waveId === undefined) return answerStep(progress, input, ctx, lang);
  if (waveClosedFor(ctx, progress)) return { ...waveClosedReply(ctx, lang), effects: [] };
  const result = answerStep(progress, input, ctx, lang);
  const answered = result.effects.some((e) => e.type === 'answer.record');
  // A skipped follow-up records nothing, yet it moves on like an answer does.
  const finished = result.state.flow !== 'poll' && (answered || progress.phase === 'followup');
  const first = answered && progress.index === 0 && progress.phase === 'question';
  if (!finished && !first) return result;
  const status = finished ? ('finished' as const) : ('started' as const);
  return {
    ...result,
    effects: [...result.effects, { type: 'wave.progress', waveId: progress.waveId, status }],
  };
}

function answerStep(
  progress: PollProgress,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const poll = ctx.polls.get(progress.poll);
  const question = poll?.questions[progress.index];
  if (!poll || !question) {
    // The poll was withdrawn while the resident was answering it.
    return { state: { flow: 'idle' }, replies: [reply(say(ctx, lang, 'poll-none'))], effects: [] };
  }
  const base = {
    type: 'answer.record' as const,
    poll: poll.id,
    ...(poll.version !== undefined && { pollVersion: poll.version }),
    ...(progress.waveId && { waveId: progress.waveId }),
  };

  if (progress.phase === 'followup') {
    const parsed = input.kind === 'text' ? parseAnswer(FREE_TEXT, input.text) : ({ kind: 'skip' } as const);
    const effects: Effect[] =
      parsed.kind === 'text'
        ? [{ ...base, question: `${question.id}${FOLLOW_UP_SUFFIX}`, text: parsed.text }]
        : [];
    return advance(ctx, lang, poll, progress, effects);
  }

  const parsed = readAnswer(question, input, questionRef(poll.id, question.id));
  let record = recordOf(parsed);
  if (!record) {
    if (progress.misses === 0) {
      return {
        state: { flow: 'poll', progress: { ...progress, misses: 1 } },
        replies: askQuestion(ctx, lang, poll, progress.index, true),
        effects: [],
      };
    }
    record = { answerCode: ANSWER_CODES.invalid };
  }
  const effect: Effect = {
    ...base,
    question: question.id,
    ...(question.indicator && { indicator: question.indicator }),
    ...record,
  };
  const understood = parsed.kind === 'option' || parsed.kind === 'dont_know';
  if (understood && question.followUp) {
    return {
      state: { flow: 'poll', progress: { ...progress, phase: 'followup', misses: 0 } },
      replies: askFollowUp(ctx, lang, question),
      effects: [effect],
    };
  }
  return advance(ctx, lang, poll, progress, [effect]);
}

type Recorded = { answerCode?: string; answerNumber?: number; text?: string };

/**
 * What is stored for an answer. Several options of a `multi` question are stored as one answer whose
 * code is the option codes joined with ',' in the order the options are defined ("1,3").
 */
function recordOf(parsed: ParsedAnswer): Recorded | undefined {
  switch (parsed.kind) {
    case 'option':
      return parsed.number === undefined
        ? { answerCode: parsed.codes.join(',') }
        : { answerCode: parsed.codes.join(','), answerNumber: parsed.number };
    case 'dont_know':
      return { answerCode: ANSWER_CODES.dontKnow };
    case 'skip':
      return { answerCode: ANSWER_CODES.skipped };
    case 'text':
      return { text: parsed.text };
    case 'unknown':
      return undefined;
  }
}

function advance(
  ctx: FlowContext,
  lang: Language,
  poll: Poll,
  progress: PollProgress,
  effects: Effect[],
): FlowResult {
  const next = progress.index + 1;
  if (next >= poll.questions.length) {
    return { state: { flow: 'idle' }, replies: [reply(say(ctx, lang, 'poll-thanks'))], effects };
  }
  const nextProgress: PollProgress = { ...progress, index: next, phase: 'question', misses: 0 };
  return {
    state: { flow: 'poll', progress: nextProgress },
    replies: askQuestion(ctx, lang, poll, next),
    effects,
  };
}

/** The line that says an interrupted poll can be continued. */
export function pausedHint(ctx: FlowContext, lang: Language): OutboundMessageInput {
  return reply(say(ctx, lang, 'poll-paused'));
}
