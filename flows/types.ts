import type { Language } from '../src/domain/language.js';
import type { InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import type { AgeGroup, Area, ResidentProfile, ResidentStatus } from '../src/domain/resident.js';
import type { Texts } from './i18n/texts.js';
import type { Poll } from './polls/schema.js';

/** A service point residents can go to for help (HULP), per area. HULP shows only the fields present. */
export interface ServicePoint {
  name: string;
  address?: string;
  openingHours?: { nl: string; en?: string };
  phone?: string;
}

/** How much is stored about the resident besides the profile; shown by GEGEVENS. */
export interface StoredDataCounts {
  answers: number;
  ideas: number;
  messages: number;
}

/** Settings flows need; supplied by the engine from configuration. */
export interface FlowConfig {
  privacyUrl: string;
  /** Version of the consent text residents agree to; stored with their consent. */
  consentVersion: string;
  onboardingPoll: boolean;
  servicePoints: Partial<Record<Area, ServicePoint>>;
}

/** Everything a flow step may read. The engine supplies time; flows never read a clock. */
export interface FlowContext {
  now: Date;
  resident: ResidentProfile;
  /** True on the first message the identity store has seen from this address. */
  isNewResident: boolean;
  config: FlowConfig;
  texts: Texts;
  polls: ReadonlyMap<string, Poll>;
  /**
   * Counts of what is stored about the resident. The engine fills it when the message is the GEGEVENS
   * keyword (`parseKeyword(text) === 'my_data'`); without it GEGEVENS leaves the counts out.
   */
  storedData?: StoredDataCounts;
  /** The platform's language hint for this message (e.g. Telegram's `language_code`), if any. */
  languageHint?: string;
}

/** A change to the identity store's row of this resident. */
export interface ResidentPatch {
  language?: Language;
  area?: Area | null;
  ageGroup?: AgeGroup | null;
  consentVersion?: string | null;
  consentAt?: string | null;
  consentRefusedAt?: string | null;
  newsOptOut?: boolean;
  status?: ResidentStatus;
  joinSource?: string | null;
}

/**
 * What a step wants done besides replying. The engine applies effects in the same transaction as
 * the new state and the replies; free texts are scrubbed by the engine before they are stored.
 */
export type Effect =
  | { type: 'resident.update'; patch: ResidentPatch }
  | {
      type: 'answer.record';
      poll: string;
      question: string;
      indicator?: string;
      waveId?: string;
      answerCode?: string;
      answerNumber?: number;
      text?: string;
    }
  | { type: 'idea.store'; text: string; theme: string }
  /** Erase everything linked to this resident (VERWIJDER). Replies are sent to the address first. */
  | { type: 'resident.erase' };

/** The conversation's memory between messages, stored as JSON. Flows own its shape. */
export type ConversationState = { flow: string } & Record<string, unknown>;

export interface FlowResult {
  state: ConversationState;
  replies: OutboundMessageInput[];
  effects: Effect[];
}

/** One step of the conversation: pure, no I/O, no clock, no randomness. */
export type FlowStep = (
  state: ConversationState | null,
  input: InboundPayload,
  ctx: FlowContext,
) => FlowResult;
