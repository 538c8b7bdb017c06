import type { Language, Localized } from '../../src/domain/language.js';
import type { ChannelName, OutboundMessageInput } from '../../src/domain/messages.js';
import type { OfficeHours } from '../../src/domain/office-hours.js';
import type { AgeGroup, Area } from '../../src/domain/resident.js';
import type { WaveResults } from '../../src/domain/wave-results.js';
import type { Theme } from '../asks.js';

// The wijkteam desk as the flows see it: who the staff member is, the data the
// engine loaded for a command, and the actions a step asks the engine to carry out. Nothing here can
// hold a resident's address, name or chat id: staff only ever see request and idea numbers.

/** Staff roles: wijkteam (flashes, polls, ideas, help requests), analyst (results), admin (all). */
export const STAFF_ROLES = ['wijkteam', 'analyst', 'admin'] as const;
/** One of the staff roles. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The sender is on the staff list; set by the engine only for slash commands and desk dialogs. */
export interface StaffContext {
  id: number;
  role: StaffRole;
  /** First name, used to sign messages to residents. */
  name: string | null;
}

/** Idea statuses set by the wijkteam. */
export const IDEA_STATUSES = ['nieuw', 'bekeken', 'gepland', 'gedaan', 'niet_haalbaar'] as const;
/** One idea status. */
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/** A help request as staff (and its own resident) may see it. */
export interface HelpRequestView {
  id: string;
  status: 'open' | 'taken' | 'closed';
  area: Area | null;
  subject: string | null;
  createdAt: string;
  dueAt: string;
  flaggedAt: string | null;
  takenBy: { id: number; name: string | null } | null;
  /** The resident's language, to write to them in. */
  language: Language;
  /** False when the resident said STOP: nothing may be sent to them. */
  reachable: boolean;
  /** The conversation so far, oldest first (only when one request was asked for). */
  messages?: { author: 'resident' | 'staff'; staffName: string | null; text: string; at: string }[];
}

/** An idea as staff see it: never who sent it. */
export interface IdeaView {
  id: string;
  text: string;
  theme: string;
  area: string | null;
  status: string;
  createdAt: string;
  language: Language;
  /** False when the author said STOP: they get no reply. */
  reachable: boolean;
  replies: number;
}

/** Residents a broadcast would reach now, per area (`other` is elders, geen and unknown). */
export interface AudienceCounts {
  nazareth: number;
  pottenberg: number;
  other: number;
}

/** Residents a broadcast would reach now in one area bucket, language and channel. */
export interface AudienceGroup {
  area: 'nazareth' | 'pottenberg' | 'other';
  language: Language;
  channel: ChannelName;
  news: number;
  polls: number;
}

/** The figures `/results` shows. */
export interface DeskResults {
  residents: { area: string; n: number }[];
  help: { opened: number; answeredWithinDay: number; open: number; flagged: number; days: number };
  ideas: { status: string; n: number }[];
  joins: { source: string; n: number }[];
  waves: { id: string; poll: string; status: string; opensAt: string; invited: number; finished: number }[];
}

/**
 * A flash, session or wave that `/annuleer <id>` or `/sluit-peiling <id>` names, as staff see it: what
 * it is, where it stands, and how many residents it concerns (never who).
 */
export interface CorrectionTarget {
  kind: 'flash' | 'session' | 'wave';
  id: string;
  /**
   * flash: scheduled, sending, sent or cancelled; session: scheduled, past or cancelled; wave:
   * scheduled, open, closed or cancelled.
   */
  status: string;
  /** The flash's Dutch text, the session's place, or the wave's poll id. */
  label: string;
  /** When the flash goes, the session starts, or the wave closes. */
  at: string;
  /** Flash: residents who have it already; session: who said they would come; wave: participants. */
  count: number;
}

/** What the engine loaded for a desk step (only what `deskLoads` asked for). */
export interface DeskData {
  helpRequests?: HelpRequestView[];
  /** The request a command named; null when there is none with that number. */
  helpRequest?: HelpRequestView | null;
  /** One page of ideas, newest first. */
  ideas?: IdeaView[];
  /** There are more ideas after this page. */
  ideasMore?: boolean;
  idea?: IdeaView | null;
  audience?: { news: AudienceCounts; polls: AudienceCounts; groups?: AudienceGroup[] };
  results?: DeskResults;
  /** The wave `/results WAVE` named, suppressed like the aggregates; null when there is no such wave (or the prefix fits several). */
  waveResults?: WaveResults | null;
  /** The sender's own request that is not closed (a resident's free text goes to it). */
  ownHelpRequest?: HelpRequestView | null;
  /** What `/annuleer <id>` or `/sluit-peiling <id>` names; null when there is nothing with that id. */
  correction?: CorrectionTarget | null;
}

/** Settings of the desk; the flows fall back to the defaults without them. */
export interface DeskConfig {
  officeHours: OfficeHours;
  timeZone: string;
  /** Quiet hours ("21:00"–"09:00"): a flash scheduled inside them waits until they end. */
  quietHours?: { start: string; end: string };
  /** SUPPRESSION_MIN_CELL, for the wave results `/results WAVE` shows (10 when missing). */
  minCell?: number;
}

/** Who a flash or wave from the chat goes to; a missing list means everyone. */
export interface DeskAudience {
  areas?: Area[];
  languages?: Language[];
  channels?: ChannelName[];
  /** News topics (codes of the topics file): residents who chose one of them, or chose none. */
  topics?: string[];
  ageGroups?: AgeGroup[];
  /** "You said, we did": only who took part in this wave (`/flash peiling <id>`). */
  answeredWave?: string;
  /** Only who sent an idea on this theme that is marked gedaan (`/flash thema <theme>`). */
  ideaTheme?: Theme;
}

/**
 * What a desk step asks the engine to do inside its transaction. Messages to someone else are
 * rendered by the flow and delivered by the engine to the resident behind the request or idea,
 * whose address the flow never sees.
 */
export type DeskAction =
  /** A resident asks to be contacted; the subject is scrubbed by the engine. */
  | { kind: 'help.open'; subject?: string }
  /** A resident's message on their open request; `relay` goes to the staff member who took it. */
  | { kind: 'help.resident_message'; requestId: string; text: string; relay?: OutboundMessageInput }
  | { kind: 'help.take'; requestId: string }
  /** A staff message to the resident of a request (taking it when it is still open). */
  | { kind: 'help.reply'; requestId: string; text: string; message: OutboundMessageInput }
  | {
      kind: 'help.close';
      requestId: string /** The line to the resident that it is closed. */;
      message?: OutboundMessageInput;
    }
  | { kind: 'idea.status'; ideaId: string; status: IdeaStatus; message?: OutboundMessageInput }
  | { kind: 'idea.reply'; ideaId: string; text: string; message: OutboundMessageInput }
  /**
   * A confirmed flash: created with this id at most once, however often it is confirmed. `sendAt`
   * (ISO 8601) schedules it; without it, it goes now.
   */
  | {
      kind: 'flash.send';
      flashId: string;
      text: Localized;
      audience: DeskAudience;
      rsvp: boolean;
      sendAt?: string;
    }
  /** A confirmed straatpraat session announcement, created with this id at most once. */
  | {
      kind: 'session.announce';
      sessionId: string;
      /** When the session starts (ISO 8601). */
      at: string;
      where: string;
      who: string;
      text?: Localized;
      audience: DeskAudience;
    }
  /** A confirmed poll wave, created with this id at most once. */
  | { kind: 'poll.launch'; waveId: string; poll: string; audience: DeskAudience }
  /** A confirmed correction: cancel a flash, session or wave before it goes, or close a wave now. */
  | { kind: 'correction'; action: 'cancel' | 'close'; target: CorrectionTarget['kind']; id: string }
  /** A staff action that changes nothing but is recorded (reading the inbox, results). */
  | { kind: 'audit'; action: string; details: Record<string, unknown> };
