import type { Language, Localized } from '../src/domain/language.js';
import type { IdeaMediaKind, InboundPayload, OutboundMessageInput } from '../src/domain/messages.js';
import type { AgeGroup, Area, ResidentProfile, ResidentStatus } from '../src/domain/resident.js';
import type { DeskAction, DeskConfig, DeskData, StaffContext } from './desk/types.js';
import type { Texts } from './i18n/texts.js';
import type { Poll } from './polls/schema.js';

/** A service point residents can go to for help (HULP), per area. HULP shows only the fields present. */
export interface ServicePoint {
  name: string;
  address?: string;
  openingHours?: { nl: string; en?: string };
  phone?: string;
}

/** A topic news flashes can carry and residents choose with NIEUWS (config/news-topics.json). */
export interface NewsTopic {
  code: string;
  /** What residents read, per language (Dutch required). */
  label: Localized;
}

/**
 * A copy of what is stored about the resident besides the profile, for GEGEVENS (the right of access).
 * Dates are ISO 8601 instants, except `week` (YYYY-MM-DD). Lists come in the order they happened.
 */
export interface StoredData {
  /** Answers under the resident's pseudonym, with the week they were given in (the day is not kept). */
  answers: StoredAnswer[];
  /** The versions of the polls the answers were given under, by `<poll>@<version>`: their words, not today's. */
  pollVersions?: ReadonlyMap<string, Poll>;
  /** Ideas the resident sent (scrubbed), with their status and the wijkteam's replies. */
  ideas: {
    text: string;
    status: string;
    createdAt: string;
    /** A photo or voice message kept with the idea (not copied into the chat). */
    media?: IdeaMediaKind;
    replies?: { text: string; createdAt: string }[];
  }[];
  /** Help requests still kept (open, or closed less than 30 days ago): subject (scrubbed) and messages. */
  helpRequests: {
    subject: string | null;
    status: string;
    createdAt: string;
    messages?: { author: 'resident' | 'staff'; text: string; createdAt: string }[];
  }[];
  /** Poll waves the resident was invited to, and how far they got. */
  waves: { poll: string; status: string; invitedAt: string }[];
  /** Flashes and sessions the resident said they come to. */
  rsvps: StoredFlash[];
  /** Sessions the resident sent a question for; the question itself is stored without them. */
  sessionQuestions: StoredFlash[];
  /** Messages in the message log (both ways), kept for `FlowConfig.messageLogDays` at most. */
  messages: number;
}

export interface StoredAnswer {
  poll: string;
  /** The version of the poll the answer was given under. */
  pollVersion?: number;
  question: string;
  answerCode: string | null;
  answerNumber: number | null;
  text: string | null;
  week: string;
}

/** A news flash or session as GEGEVENS names it. */
export interface StoredFlash {
  kind: 'flash' | 'session';
  /** The flash's text per language. */
  texts: { nl: string; en?: string };
  /** A session's start. */
  sessionAt: string | null;
  /** For an RSVP, when the resident said they come; for a session question, when the session was announced. */
  at: string;
}

/** Settings flows need; supplied by the engine from configuration. */
export interface FlowConfig {
  privacyUrl: string;
  /** Where someone younger than 16 is sent instead (YOUTH_REFERRAL_NAME, YOUTH_REFERRAL_URL). */
  youthReferral?: { name?: string; url?: string };
  /** Version of the consent text residents agree to; stored with their consent. */
  consentVersion: string;
  onboardingPoll: boolean;
  servicePoints: Partial<Record<Area, ServicePoint>>;
  /** The news topics residents choose from with NIEUWS, in the file's order (none: NIEUWS is on or off). */
  newsTopics?: NewsTopic[];
  /** Office hours and time zone of the wijkteam desk (defaults when missing). */
  desk?: DeskConfig;
  /** How many days the message log keeps a message (MESSAGE_LOG_RETENTION_DAYS); told by GEGEVENS. */
  messageLogDays?: number;
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
   * A copy of what is stored about the resident. The engine fills it when the message is the GEGEVENS
   * keyword (`parseKeyword(text) === 'my_data'`); without it GEGEVENS shows only the profile.
   */
  storedData?: StoredData;
  /** The platform's language hint for this message (e.g. Telegram's `language_code`), if any. */
  languageHint?: string;
  /** The resident's latest poll wave (not one still held back), as the engine found it. */
  wave?: WaveContext;
  /**
   * The flashes and session announcements with an RSVP that reached the resident and are still open
   * (a session until it starts, a flash for a week), newest first; answered ones say so.
   */
  rsvps?: FlashContext[];
  /** The next straatpraat session in the resident's area whose announcement went out. */
  session?: SessionContext;
  /** The sender is staff; looked up only for slash commands and desk dialogs (flows/desk/loads.ts). */
  staff?: StaffContext;
  /** What the engine loaded for the wijkteam desk or a resident's help request (flows/desk/loads.ts). */
  desk?: DeskData;
  /** A fresh id for something this step may create (a flash or wave draft); set for staff only. */
  newId?: string;
}

/** A poll wave the resident was invited to. */
export interface WaveContext {
  id: string;
  poll: string;
  status: 'invited' | 'started' | 'finished';
  /** The wave still takes answers: opened and not yet closed. */
  open: boolean;
  /** When the invitation was made (ISO 8601). */
  invitedAt: string;
}

/** A news flash or session announcement sent to the resident. */
export interface FlashContext {
  id: string;
  kind: 'flash' | 'session';
  /** It asked "Kom je? Stuur JA." */
  rsvp: boolean;
  /** When it was sent to the resident (ISO 8601). */
  sentAt: string;
  /** A session's start (ISO 8601). */
  sessionAt?: string;
  /** The resident already said they come. */
  rsvped: boolean;
  /** The wijkteam's text per language (empty for a session without extra words). */
  texts?: Partial<Record<Language, string>>;
}

/** A coming straatpraat session. */
export interface SessionContext {
  id: string;
  /** Its start (ISO 8601). */
  at: string;
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
  /** News topics chosen with NIEUWS; null is every topic. */
  newsTopics?: string[] | null;
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
      /** The version of the poll the question was asked from (none for a poll read from a file). */
      pollVersion?: number;
      question: string;
      indicator?: string;
      waveId?: string;
      answerCode?: string;
      answerNumber?: number;
      text?: string;
    }
  /** An idea; `media` is a photo or voice message the engine fetches after commit and keeps with it. */
  | { type: 'idea.store'; text: string; theme: string; media?: { kind: IdeaMediaKind; ref: string } }
  /** The resident started or finished a poll wave. */
  | { type: 'wave.progress'; waveId: string; status: 'started' | 'finished' }
  /** The resident comes to a flash's activity or a session (counted once per flash). */
  | { type: 'flash.rsvp'; flashId: string }
  /** A question for a session, stored without the sender; the engine scrubs the text. */
  | { type: 'session.question'; flashId: string; text: string; theme: string }
  /** Erase everything linked to this resident (VERWIJDER). Replies are sent to the address first. */
  | { type: 'resident.erase' }
  /** Help requests, idea answers and staff commands (flows/desk/types.ts). */
  | { type: 'desk'; action: DeskAction };

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
