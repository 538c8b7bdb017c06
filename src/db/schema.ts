import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

/** Identity store: the only table that knows how to reach a person. */
export interface ResidentsTable {
  id: Generated<string>;
  channel: string;
  address: string;
  language: string | null;
  area: string | null;
  age_group: string | null;
  consent_version: string | null;
  consent_at: Date | null;
  consent_refused_at: Date | null;
  news_opt_out: Generated<boolean>;
  status: Generated<string>;
  stopped_at: Date | null;
  join_source: string | null;
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
  body: Json<unknown>;
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
}

export interface MessageLogTable {
  id: Generated<string>;
  resident_id: string;
  direction: 'in' | 'out';
  body: string;
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

export interface StaffTable {
  id: Generated<number>;
  channel: string;
  user_id: string;
  role: string;
  name: string | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor: string;
  action: string;
  details: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** Monitor store: pseudonymous answers. There is deliberately no column for an address. */
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
  channel: string;
  answered_on: ColumnType<string, string, string>;
}

export interface Database {
  residents: ResidentsTable;
  conversations: ConversationsTable;
  inbound_ledger: InboundLedgerTable;
  outbound_messages: OutboundMessagesTable;
  message_log: MessageLogTable;
  ideas: IdeasTable;
  staff: StaffTable;
  audit_log: AuditLogTable;
  answers: AnswersTable;
}

export type ResidentRow = Selectable<ResidentsTable>;
export type NewAnswer = Insertable<AnswersTable>;
/** Tables that belong to the pseudonymous monitor store. */
export const MONITOR_TABLES = ['answers'] as const;
