import type { Language } from '../src/domain/language.js';
import {
  IDEA_MEDIA_KINDS,
  IDEA_MEDIA_MAX_BYTES,
  type IdeaMediaKind,
  type InboundPayload,
} from '../src/domain/messages.js';
import { askFixed, fixedQuestion, REF, readAnswer, reply, say, singleCode, type Theme } from './asks.js';
import { returnTo } from './onboarding.js';
import { parseAnswer } from './parse/answer.js';
import type { Question } from './polls/schema.js';
import { type IdeaState, type Resume, resumeOf } from './state.js';
import type { FlowContext, FlowResult } from './types.js';

// An idea is its text, then a theme. The raw text travels in the state until the theme is
// known; the engine scrubs and caps it when it stores the idea.

const IDEA_TEXT: Question = { id: 'idee', type: 'text', text: { nl: 'idee' } };

/** IDEE: asks for the idea, remembering what to go back to afterwards. */
export function startIdea(ctx: FlowContext, lang: Language, resume: Resume): FlowResult {
  return {
    state: { flow: 'idea', step: 'text', misses: 0, ...resume },
    replies: [reply(say(ctx, lang, 'idea-ask'))],
    effects: [],
  };
}

/** One message in the idea flow. */
export function ideaStep(
  state: IdeaState,
  input: InboundPayload,
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const resume: Resume = resumeOf(state);
  const media = ideaMediaOf(input);
  if (media) return mediaStep(state, media, ctx, lang);

  if (state.step === 'text' || state.text === undefined) {
    const parsed =
      input.kind === 'text' ? parseAnswer(IDEA_TEXT, input.text) : ({ kind: 'unknown' } as const);
    // With a photo or voice message kept, words are welcome but not needed.
    if (state.media && parsed.kind !== 'text') {
      return {
        state: { ...state, step: 'theme', text: '', misses: 0 },
        replies: askFixed(ctx, lang, 'theme', 'idea-theme-ask'),
        effects: [],
      };
    }
    if (parsed.kind === 'text') {
      // A photo with the idea as its caption: both are kept.
      const attached = input.kind === 'text' && !state.media ? input.attachment : undefined;
      if (attached) {
        const tooLarge = attached.size !== undefined && attached.size > IDEA_MEDIA_MAX_BYTES;
        const mb = Math.round(IDEA_MEDIA_MAX_BYTES / (1024 * 1024));
        return {
          state: {
            ...state,
            step: 'theme',
            text: parsed.text,
            misses: 0,
            ...(!tooLarge && { media: { kind: attached.media, ref: attached.ref } }),
          },
          replies: [
            tooLarge
              ? reply(say(ctx, lang, 'idea-media-too-large', { mb }))
              : keptReply(ctx, lang, attached.media),
            ...askFixed(ctx, lang, 'theme', 'idea-theme-ask'),
          ],
          effects: [],
        };
      }
      return {
        state: { ...state, step: 'theme', text: parsed.text, misses: 0 },
        replies: askFixed(ctx, lang, 'theme', 'idea-theme-ask'),
        effects: [],
      };
    }
    if (parsed.kind === 'unknown' && state.misses === 0) {
      return { state: { ...state, misses: 1 }, replies: [reply(say(ctx, lang, 'idea-retry'))], effects: [] };
    }
    // "nee", "laat maar" or a second empty reply: no idea after all.
    const back = returnTo(ctx, lang, resume, true);
    return {
      state: back.state,
      replies: [reply(say(ctx, lang, 'idea-cancelled')), ...back.replies],
      effects: [],
    };
  }

  const answer = readAnswer(fixedQuestion(ctx.texts, 'theme'), input, REF.theme);
  let theme = singleCode(answer) as Theme | undefined;
  if (!theme && (answer.kind === 'skip' || answer.kind === 'dont_know')) theme = 'anders';
  if (!theme) {
    if (state.misses === 0) {
      return {
        state: { ...state, misses: 1 },
        replies: askFixed(ctx, lang, 'theme', 'idea-theme-ask', true),
        effects: [],
      };
    }
    // The idea itself matters more than its theme: keep it under "iets anders".
    theme = 'anders';
  }
  const back = returnTo(ctx, lang, resume, true);
  return {
    state: back.state,
    replies: [reply(say(ctx, lang, 'idea-thanks')), ...back.replies],
    effects: [{ type: 'idea.store', text: state.text, theme, ...(state.media && { media: state.media }) }],
  };
}

/** "Thank you, I am keeping your photo (voice message) with your idea." */
function keptReply(ctx: FlowContext, lang: Language, kind: IdeaMediaKind) {
  return reply(
    kind === 'audio' ? say(ctx, lang, 'idea-media-kept-audio') : say(ctx, lang, 'idea-media-kept-image'),
  );
}

/** A photo or voice message the idea can keep: one the adapter can fetch. */
export function ideaMediaOf(
  input: InboundPayload,
): { kind: IdeaMediaKind; ref: string; size?: number } | undefined {
  if (input.kind !== 'media' || !input.ref) return undefined;
  const kind = IDEA_MEDIA_KINDS.find((k) => k === input.media);
  if (!kind) return undefined;
  return { kind, ref: input.ref, ...(input.size !== undefined && { size: input.size }) };
}

/**
 * A photo or voice message in the idea dialog: kept with the idea (one per idea), then the dialog
 * goes on where it was. Too large a file is refused kindly and the question stays open.
 */
function mediaStep(
  state: IdeaState,
  media: { kind: IdeaMediaKind; ref: string; size?: number },
  ctx: FlowContext,
  lang: Language,
): FlowResult {
  const current =
    state.step === 'text'
      ? [reply(say(ctx, lang, 'idea-ask'))]
      : askFixed(ctx, lang, 'theme', 'idea-theme-ask');
  if (media.size !== undefined && media.size > IDEA_MEDIA_MAX_BYTES) {
    const mb = Math.round(IDEA_MEDIA_MAX_BYTES / (1024 * 1024));
    const replies = [reply(say(ctx, lang, 'idea-media-too-large', { mb }))];
    return { state, replies: state.step === 'text' ? replies : [...replies, ...current], effects: [] };
  }
  if (state.media) {
    return { state, replies: [reply(say(ctx, lang, 'idea-media-one')), ...current], effects: [] };
  }
  const kept = { ...state, media: { kind: media.kind, ref: media.ref } };
  const thanks = keptReply(ctx, lang, media.kind);
  if (state.step === 'text' || state.text === undefined) {
    return {
      state: { ...kept, misses: 0 },
      replies: [thanks, reply(say(ctx, lang, 'idea-media-add-text'))],
      effects: [],
    };
  }
  return { state: kept, replies: [thanks, ...current], effects: [] };
}
