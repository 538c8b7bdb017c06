import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { WhatsAppTables } from '../../adapters/whatsapp/tables.js';
import type { WhatsAppCloudTables } from '../../adapters/whatsapp-cloud/tables.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

/** Identity store: the only table that knows how to reach a person. */
export interface ResidentsTable {
  id: Generated<string>;
  channel: string;
  address: string;
  language: string | null;
  area: string | null;
  /** Sealed (src/privacy/sealed.ts): with area and language it would single out a resident. */
  age_group: Buffer | null;
  consent_version: string | null;
  consent_at: Date | null;
  consent_refused_at: Date | null;
  news_opt_out: Generated<boolean>;
  /** News topics chosen with NIEUWS; null is every topic (the start). */
  news_topics: string[] | null;
  status: Generated<string>;
  stopped_at: Date | null;
  join_source: string | null;
  /** When the resident last gave or confirmed their age group. */
  age_confirmed_at: Date | null;
  /** When the yearly check last asked whether the age group is still right. */
  age_asked_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConversationsTable {
  resident_id: string;
  state: Json<unknown>;
  updated_at: Timestamp;
}

export interface InboundLedgerTable {
  id: Generated<string>;
  channel: string;
  platform_key: string;
  resident_id: string | null;
  received_at: Timestamp;
}

export interface OutboundMessagesTable {
  id: Generated<string>;
  resident_id: string;
  channel: string;
  /** `reply` (answer to a resident's own message) or `bulk` (flash, invitation, reminder). */
  kind: string;
  /**
   * The message as sent, in plain JSON: a broadcast's rows only (the same text for everyone). Read
   * through `outboundMessageOf` (src/db/outbound-body.ts), never directly.
   */
  body: ColumnType<unknown, string | null | undefined, string | null>;
  /**
   * Every other row's message (a reply to one resident, a staff message), sealed with the data key
   * (`outbound_messages.sealed_body`); exactly one of `body` and `sealed_body` is set.
   */
  sealed_body: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** queued, sent or failed. */
  status: Generated<string>;
  attempts: Generated<number>;
  error: string | null;
  inbound_id: string | null;
  broadcast_id: string | null;
  /** Order of the replies produced by one inbound message. */
  seq: Generated<number>;
  platform_message_id: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
  /** A staff message held for quiet hours is not sent before this. */
  not_before: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The code with which WhatsApp refused the message after it left (e.g. 463), if it did. */
  refusal: ColumnType<string | null, string | null | undefined, string | null>;
  refused_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the platform reported the message delivered to the phone, and read (WhatsApp Cloud API). */
  delivered_at: Date | null;
  read_at: Date | null;
  /**
   * A reply in the outbox: when its channel's sender may take it (src/queue/outbox-drain.ts); null for
   * a row with a queue job, and once sent.
   */
  drain_after: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A sender working on the row holds it until then. */
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface MessageLogTable {
  id: Generated<string>;
  resident_id: string;
  direction: 'in' | 'out';
  /** Sealed with the data key (src/privacy/sealed.ts). */
  body: Buffer;
  created_at: Timestamp;
}

export interface IdeasTable {
  id: Generated<string>;
  resident_id: string | null;
  text: string;
  theme: string;
  area: string | null;
  language: string | null;
  status: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Identity store: a photo or voice message kept with an idea (migration 0021). */
export interface IdeaMediaTable {
  id: Generated<string>;
  idea_id: string;
  /** image or audio. */
  kind: string;
  channel: string;
  /** The platform's reference to the file, sealed; dropped once the file is stored. */
  ref: Buffer | null;
  /** pending, stored, too_large or failed. */
  status: Generated<string>;
  mime_type: string | null;
  size_bytes: number | null;
  /** The file, sealed with the data key (a photo without its metadata). */
  bytes: Buffer | null;
  created_at: Generated<Date>;
  stored_at: Date | null;
}

/** A flash's picture, metadata stripped (migration 0021). */
export interface FlashImagesTable {
  flash_id: string;
  mime_type: string;
  size_bytes: number;
  bytes: Buffer;
  created_at: Generated<Date>;
}

/** A picture chosen in the desk's compose form, between the preview and the confirmation. */
export interface DeskImagesTable {
  id: Generated<string>;
  staff_id: number;
  mime_type: string;
  size_bytes: number;
  bytes: Buffer;
  created_at: Generated<Date>;
}

export interface StaffTable {
  id: Generated<number>;
  channel: string;
  user_id: string;
  role: string;
  name: string | null;
  /** The area a wijkteam member works in (told of its new help requests); null for every area. */
  area: Generated<string | null>;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor: string;
  action: string;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/**
 * Monitor store (schema `monitor`): pseudonymous answers. There is deliberately no column for an
 * address, and none that only the identity store could match up (no channel, the week not the day).
 */
export interface AnswersTable {
  id: Generated<string>;
  respondent: string;
  wave_id: string | null;
  wave_key: Generated<string>;
  poll: string;
  question: string;
  indicator: string | null;
  answer_code: string | null;
  answer_number: number | null;
  text: string | null;
  area: string | null;
  age_group: string | null;
  language: string | null;
  /** No longer stored (null): with area and language it singled out residents. */
  channel: string | null;
  /** The Monday of the answer's week, or the first of the month when that Monday is in the month before. */
  answered_on: ColumnType<string, string, string>;
  /** The version of the poll the answer was given under (poll_versions). */
  poll_version: Generated<number>;
}

/** API tokens: only the SHA-256 hash of a token is stored; the token itself is shown once. */
export interface ApiTokensTable {
  id: Generated<number>;
  name: string | null;
  /** analyst, wijkteam or admin. */
  role: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** After this the token is refused like an unknown one. */
  expires_at: Timestamp;
}

/**
 * A sign-in to the results page (with a token) or the web desk (as a staff member): only the hash of
 * the browser's session id is kept. Exactly one of `token_id` and `staff_id` is set.
 */
export interface HttpSessionsTable {
  id: Generated<number>;
  session_hash: string;
  token_id: number | null;
  /** The staff member of a web desk sign-in. */
  staff_id: number | null;
  /** The desk's synchroniser token: every form of a staff session sends it back. */
  csrf_token: string | null;
  /** The token's (or staff member's) role when the session began. */
  role: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Date | null;
}

/** Web desk sign-in codes and wrong tries, per channel identity entered (hashed). */
export interface DeskSignInTable {
  identity_hash: string;
  /** Set when the identity is on the staff list; the code went to them. */
  staff_id: number | null;
  /** SHA-256 of the code sent; null when nothing was sent (not staff) or it was used. */
  code_hash: string | null;
  sent_at: Date | null;
  expires_at: Date | null;
  /** Codes sent since `sends_since` (at most five per 15 minutes). */
  sends: Generated<number>;
  sends_since: Date | null;
  /** Wrong codes in a row; five lock the identity. */
  failures: Generated<number>;
  locked_until: Date | null;
  updated_at: Generated<Date>;
}

/** A poll wave: one poll launched to an audience, open from `opens_at` until `closes_at`. */
export interface WavesTable {
  id: Generated<string>;
  poll: string;
  audience: Json<Record<string, unknown>>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  remind_at: Date | null;
  /** The poll's version the wave was launched with; its answers keep it. */
  poll_version: Generated<number>;
  /** scheduled, open, closed or cancelled (called off before it opened). */
  status: Generated<string>;
  created_by: string;
  created_at: Timestamp;
}

/** Identity store: who a wave was sent to, and how far they got (held, invited, started, finished). */
export interface WaveParticipantsTable {
  wave_id: string;
  resident_id: string;
  status: string;
  invited_at: Timestamp;
  finished_at: Date | null;
  /** Set while a held invitation is being released, until its message is on the queue. */
  released_at: Date | null;
}

/** A news flash or a straatpraat session announcement. */
export interface FlashesTable {
  id: Generated<string>;
  /** flash or session. */
  kind: string;
  texts: Json<{ nl: string; en?: string }>;
  /** A session's place and who from the municipality comes. */
  session: Json<{ where: string; who: string }> | null;
  session_at: Date | null;
  audience: Json<Record<string, unknown>>;
  rsvp: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
  /** When the wijkteam called it off (`flash cancel`, `session cancel`). */
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Identity store: residents who said they come. */
export interface FlashRsvpsTable {
  flash_id: string;
  resident_id: string;
  created_at: Timestamp;
}

/** Identity store: residents who sent a question for a session (not which question). */
export interface SessionAskersTable {
  flash_id: string;
  resident_id: string;
}

/** Monitor store: questions for a session, scrubbed. There is deliberately no column that could name the sender. */
export interface SessionQuestionsTable {
  id: Generated<string>;
  flash_id: string;
  text: string;
  theme: string;
  asked_on: ColumnType<string, string, string>;
}

/** One fan-out: a message per language to an audience, with the cursor a rerun resumes from. */
export interface BroadcastsTable {
  id: Generated<string>;
  /** flash, wave_invitation, wave_reminder, session_reminder or session_summary. */
  kind: string;
  flash_id: string | null;
  wave_id: string | null;
  messages: Json<Record<string, unknown>>;
  audience: Json<Record<string, unknown>>;
  send_at: Timestamp;
  /** scheduled, sending, sent or cancelled. */
  status: Generated<string>;
  /** When it was cancelled: a fan-out under way stops at its next page. */
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The last resident (by id) whose message is on the queue. */
  cursor: string | null;
  queued: Generated<number>;
  recipients: number | null;
  created_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

/** Identity store: a resident's request to be contacted by the wijkteam. */
export interface HelpRequestsTable {
  id: Generated<string>;
  resident_id: string;
  /** The resident's one line about the subject, scrubbed and sealed; shown in the wijkteam's inbox. */
  subject: Buffer | null;
  area: string | null;
  /** open, taken or closed. */
  status: Generated<string>;
  taken_by: number | null;
  created_at: Timestamp;
  /** One working day after opening: an untaken request is flagged after this. */
  due_at: Timestamp;
  taken_at: Date | null;
  first_answered_at: Date | null;
  closed_at: Date | null;
  flagged_at: Date | null;
  /** When the wijkteam was told of the request in the chat; null until office hours allow it. */
  notified_at: Date | null;
}

/** Identity store: the conversation of a help request, both ways. */
export interface HelpMessagesTable {
  id: Generated<string>;
  request_id: string;
  /** resident or staff. */
  author: string;
  staff_id: number | null;
  /** Sealed with the data key. */
  text: Buffer;
  created_at: Timestamp;
}

/** Replies the wijkteam sent to an idea's author through the bot. */
export interface IdeaRepliesTable {
  id: Generated<string>;
  idea_id: string;
  staff_id: number | null;
  text: string;
  created_at: Timestamp;
}

/** Residents who joined through a flyer link, per link and day: counts only. */
export interface JoinCountsTable {
  /** The link: `<channel>:<area>` or `<channel>:join`. */
  source: string;
  /** The flyer's source code (`poster-trefpunt`); empty for a link without one. */
  code: Generated<string>;
  day: ColumnType<string, string, string>;
  joins: Generated<number>;
}

/**
 * The whole database. Each channel adapter declares the tables it uses (its own, and the columns of
 * ours it reads) on its side; this interface extends those, so one `Kysely<Database>` serves them all.
 */
/** A poll by its code; its definitions are in poll_versions. */
export interface PollsTable {
  code: string;
  created_at: Generated<Date>;
  created_by: string;
}

/** One version of a poll's definition (flows/polls/schema.ts), numbered per code from 1. */
export interface PollVersionsTable {
  /** Only grows: its maximum tells a process whether its catalog is out of date. */
  id: Generated<string>;
  poll: string;
  version: number;
  definition: Json<unknown>;
  /** shipped (seeded from flows/polls/*.json), cli or desk. */
  source: string;
  created_by: string;
  created_at: Generated<Date>;
}

/** A recurring wave of one poll. */
export interface PollSchedulesTable {
  id: Generated<string>;
  poll: string;
  rule: Json<unknown>;
  audience: Json<Record<string, unknown>>;
  min_days_joined: Generated<number>;
  remind_after_ms: ColumnType<string | null, number | null, number | null>;
  close_after_ms: ColumnType<string, number, number>;
  created_by: string;
  created_at: Timestamp;
}

/** An occurrence of a schedule that was opened (its wave) or skipped; once per (schedule, occurrence). */
export interface PollScheduleRunsTable {
  schedule_id: string;
  occurrence: Timestamp;
  wave_id: string | null;
  skipped: Generated<boolean>;
  created_at: Timestamp;
}

export interface Database extends WhatsAppTables, WhatsAppCloudTables {
  residents: ResidentsTable;
  conversations: ConversationsTable;
  inbound_ledger: InboundLedgerTable;
  outbound_messages: OutboundMessagesTable;
  message_log: MessageLogTable;
  ideas: IdeasTable;
  idea_media: IdeaMediaTable;
  flash_images: FlashImagesTable;
  desk_images: DeskImagesTable;
  staff: StaffTable;
  audit_log: AuditLogTable;
  answers: AnswersTable;
  api_tokens: ApiTokensTable;
  http_sessions: HttpSessionsTable;
  desk_sign_in: DeskSignInTable;
  waves: WavesTable;
  wave_participants: WaveParticipantsTable;
  flashes: FlashesTable;
  flash_rsvps: FlashRsvpsTable;
  session_askers: SessionAskersTable;
  session_questions: SessionQuestionsTable;
  broadcasts: BroadcastsTable;
  help_requests: HelpRequestsTable;
  help_messages: HelpMessagesTable;
  idea_replies: IdeaRepliesTable;
  join_counts: JoinCountsTable;
  polls: PollsTable;
  poll_versions: PollVersionsTable;
  poll_schedules: PollSchedulesTable;
  poll_schedule_runs: PollScheduleRunsTable;
}

export type ResidentRow = Selectable<ResidentsTable>;
export type NewAnswer = Insertable<AnswersTable>;
/** Tables that belong to the pseudonymous monitor store (PostgreSQL schema `monitor`). */
export const MONITOR_TABLES = ['answers', 'session_questions'] as const;
