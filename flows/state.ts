import { z } from 'zod';
import { LanguageSchema } from '../src/domain/language.js';

// The state is stored as JSON between messages and outlives deployments: every shape is validated on
// the way in, and anything that does not fit (corrupt, or written by an older version) is dropped so
// the router can rebuild a sensible state from the resident's profile instead of crashing.

const misses = z.number().int().min(0).max(10);

/** Where a resident is in a poll: the question index, and whether the follow-up is pending. */
export const PollProgressSchema = z.object({
  poll: z.string().min(1).max(100),
  index: z.number().int().min(0).max(100),
  phase: z.enum(['question', 'followup']),
  misses,
  waveId: z.string().min(1).max(100).optional(),
});
/** A poll's progress as stored in the state. */
export type PollProgress = z.infer<typeof PollProgressSchema>;

/** The joining steps that wait for an answer. */
export const JOIN_STEPS = ['language', 'consent', 'area', 'age'] as const;
/** One of the joining steps. */
export type JoinStep = (typeof JOIN_STEPS)[number];

/** What joining has learned so far; the area of a join link is only stored once consent is given. */
export const JoinProgressSchema = z.object({
  step: z.enum(JOIN_STEPS),
  guess: LanguageSchema.optional(),
  linkArea: z.enum(['nazareth', 'pottenberg']).optional(),
  joinSource: z.string().min(1).max(80).optional(),
});
/** Joining's progress as stored in the state. */
export type JoinProgress = z.infer<typeof JoinProgressSchema>;

// What to go back to after a short detour (a keyword's question or an idea).
const resume = {
  join: JoinProgressSchema.optional(),
  refused: z.literal(true).optional(),
  paused: PollProgressSchema.optional(),
};
/** What a detour returns to: unfinished joining, a refusal, or a paused poll. */
export type Resume = { join?: JoinProgress; refused?: true; paused?: PollProgress };

const OnboardingStateSchema = z.object({ flow: z.literal('onboarding'), join: JoinProgressSchema, misses });
const RefusedStateSchema = z.object({ flow: z.literal('refused') });
const IdleStateSchema = z.object({ flow: z.literal('idle'), paused: PollProgressSchema.optional() });
const PollStateSchema = z.object({ flow: z.literal('poll'), progress: PollProgressSchema });
const IdeaStateSchema = z.object({
  flow: z.literal('idea'),
  step: z.enum(['text', 'theme']),
  text: z.string().optional(),
  misses,
  ...resume,
});
const LanguageStateSchema = z.object({ flow: z.literal('language'), misses, ...resume });
const AreaStateSchema = z.object({ flow: z.literal('area'), misses, ...resume });
const DeleteStateSchema = z.object({ flow: z.literal('delete'), misses, ...resume });
// NIEUWS: waiting for the topics of the news the resident wants.
const NewsStateSchema = z.object({ flow: z.literal('news'), misses, ...resume });
// LEEFTIJD, or the yearly check (`check`) whether the age group is still right; the check is skippable:
// anything that does not answer it goes on as if it was never asked.
const AgeStateSchema = z.object({
  flow: z.literal('age'),
  misses,
  check: z.literal(true).optional(),
  /** When the yearly check was asked (ISO 8601): a poll invitation sent after it goes first. */
  askedAt: z.string().max(40).optional(),
  ...resume,
});
// The consent statement changed since the resident agreed: asked again before anything else.
const ConsentStateSchema = z.object({ flow: z.literal('consent'), misses, ...resume });
const SessionQuestionStateSchema = z.object({
  flow: z.literal('session_question'),
  flashId: z.string().min(1).max(100),
  step: z.enum(['text', 'theme']),
  text: z.string().optional(),
  misses,
  ...resume,
});
// JA while two or more RSVPs are open: which one (the flash ids, in the order shown).
const RsvpPickStateSchema = z.object({
  flow: z.literal('rsvp_pick'),
  options: z.array(z.string().min(1).max(100)).min(2).max(9),
  misses,
  ...resume,
});
// HULP's offer of a personal message, then the optional subject line.
const HelpOfferStateSchema = z.object({ flow: z.literal('help_offer'), ...resume });
const HelpSubjectStateSchema = z.object({ flow: z.literal('help_subject'), ...resume });
// Free text the bot could not place: the offer of an answer from the wijkteam, with the text kept
// so that "ja" sends it along.
const UnplacedQuestionStateSchema = z.object({
  flow: z.literal('unplaced_question'),
  text: z.string().min(1).max(1000),
  ...resume,
});

/** Every conversation state the resident flows write. */
export const StateSchema = z.discriminatedUnion('flow', [
  OnboardingStateSchema,
  RefusedStateSchema,
  IdleStateSchema,
  PollStateSchema,
  IdeaStateSchema,
  LanguageStateSchema,
  AreaStateSchema,
  DeleteStateSchema,
  NewsStateSchema,
  AgeStateSchema,
  ConsentStateSchema,
  SessionQuestionStateSchema,
  RsvpPickStateSchema,
  HelpOfferStateSchema,
  HelpSubjectStateSchema,
  UnplacedQuestionStateSchema,
]);
/** The conversation state of a resident, one shape per flow. */
export type State = z.infer<typeof StateSchema>;
/** Joining, waiting for the answer to `join.step`. */
export type OnboardingState = z.infer<typeof OnboardingStateSchema>;
/** IDEE: waiting for the idea's text, then its theme. */
export type IdeaState = z.infer<typeof IdeaStateSchema>;
/** VRAAG: waiting for a question for a straatpraat session, then its theme. */
export type SessionQuestionState = z.infer<typeof SessionQuestionStateSchema>;
/** JA with several open RSVPs: waiting for the number of the one the resident comes to. */
export type RsvpPickState = z.infer<typeof RsvpPickStateSchema>;
/** HULP: waiting for yes or no to the offer of a message from the wijkteam. */
export type HelpOfferState = z.infer<typeof HelpOfferStateSchema>;
/** Free text the bot could not place: waiting for yes or no to an answer from the wijkteam. */
export type UnplacedQuestionState = z.infer<typeof UnplacedQuestionStateSchema>;
/** HULP: waiting for the optional line about the subject of a help request. */
export type HelpSubjectState = z.infer<typeof HelpSubjectStateSchema>;
/** LEEFTIJD's question, or the yearly check of the age group. */
export type AgeState = z.infer<typeof AgeStateSchema>;
/** States of a keyword's own question (TAAL, BUURT, VERWIJDER, NIEUWS), and consent asked again. */
export type DetourState =
  | z.infer<typeof LanguageStateSchema>
  | z.infer<typeof AreaStateSchema>
  | z.infer<typeof DeleteStateSchema>
  | z.infer<typeof NewsStateSchema>
  | z.infer<typeof ConsentStateSchema>;

/** The stored state if it is one we understand, else null. */
export function parseState(raw: unknown): State | null {
  const parsed = StateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** What an interrupted state should come back to. */
export function resumeOf(state: State | null): Resume {
  if (!state) return {};
  switch (state.flow) {
    case 'onboarding':
      return { join: state.join };
    case 'refused':
      return { refused: true };
    case 'idle':
      return state.paused ? { paused: state.paused } : {};
    case 'poll':
      return { paused: state.progress };
    case 'idea':
    case 'language':
    case 'area':
    case 'delete':
    case 'news':
    case 'age':
    case 'consent':
    case 'session_question':
    case 'rsvp_pick':
    case 'help_offer':
    case 'help_subject':
    case 'unplaced_question':
      return {
        ...(state.join && { join: state.join }),
        ...(state.refused && { refused: true as const }),
        ...(state.paused && { paused: state.paused }),
      };
  }
}

/**
 * Flows that hold a draft (an idea, a question for a session, a help request being offered) or wait
 * for the answer to a keyword's question. Left unanswered for long, the retention purge puts the
 * resident back where they were (see `withoutDraft`), so no half-written text stays behind.
 */
export const DRAFT_FLOWS: ReadonlySet<string> = new Set([
  'idea',
  'session_question',
  'rsvp_pick',
  'help_offer',
  'help_subject',
  'unplaced_question',
  'language',
  'area',
  'delete',
  'news',
  'age',
  'consent',
]);

/** The state a draft interrupted, without the draft: unfinished joining, a refusal, a paused poll or idle. */
export function withoutDraft(state: State): State {
  if (!DRAFT_FLOWS.has(state.flow)) return state;
  const resume = resumeOf(state);
  if (resume.join) return { flow: 'onboarding', join: resume.join, misses: 0 };
  if (resume.refused) return { flow: 'refused' };
  return resume.paused ? { flow: 'idle', paused: resume.paused } : { flow: 'idle' };
}
