import { type Kysely, sql } from 'kysely';

/**
 * The first schema: identity store (residents, conversations, outbound messages, message log, ideas),
 * the inbound ledger, staff, audit log, and the pseudonymous monitor store (answers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Identity store: the only place that knows how to reach a person.
  await db.schema
    .createTable('residents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('area', 'text')
    .addColumn('age_group', 'text')
    .addColumn('consent_version', 'text')
    .addColumn('consent_at', 'timestamptz')
    .addColumn('consent_refused_at', 'timestamptz')
    .addColumn('news_opt_out', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('stopped_at', 'timestamptz')
    .addColumn('join_source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('residents_channel_address_key', ['channel', 'address'])
    .execute();
  await db.schema.createIndex('residents_audience_idx').on('residents').columns(['status', 'area']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('resident_id', 'uuid', (c) => c.primaryKey().references('residents.id').onDelete('cascade'))
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Inbound ledger: one row per platform message ever handled. The key is a keyed hash of the
  // platform id (WhatsApp ids contain phone numbers), so the ledger holds no personal data and
  // keeps deduplicating after a resident is erased.
  await db.schema
    .createTable('inbound_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('platform_key', 'text', (c) => c.notNull())
    .addColumn('resident_id', 'uuid', (c) => c.references('residents.id').onDelete('set null'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('inbound_ledger_channel_platform_key_key', ['channel', 'platform_key'])
    .execute();
  await db.schema
    .createIndex('inbound_ledger_received_idx')
    .on('inbound_ledger')
    .column('received_at')
    .execute();

  await db.schema
    .createTable('outbound_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('resident_id', 'uuid', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('inbound_id', 'bigint', (c) => c.references('inbound_ledger.id').onDelete('set null'))
    .addColumn('broadcast_id', 'uuid')
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('platform_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('outbound_messages_status_idx')
    .on('outbound_messages')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('outbound_messages_inbound_idx')
    .on('outbound_messages')
    .column('inbound_id')
    .execute();
  await db.schema
    .createIndex('outbound_messages_resident_idx')
    .on('outbound_messages')
    .column('resident_id')
    .execute();
  await db.schema
    .createIndex('outbound_messages_broadcast_resident_key')
    .on('outbound_messages')
    .columns(['broadcast_id', 'resident_id'])
    .unique()
    .where(sql.ref('broadcast_id'), 'is not', null)
    .execute();

  // Raw texts, for debugging only; purged after MESSAGE_LOG_RETENTION_DAYS.
  await db.schema
    .createTable('message_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('resident_id', 'uuid', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('message_log_created_idx').on('message_log').column('created_at').execute();
  await db.schema.createIndex('message_log_resident_idx').on('message_log').column('resident_id').execute();

  // Ideas keep the resident link so the wijkteam can answer back through the bot.
  await db.schema
    .createTable('ideas')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('resident_id', 'uuid', (c) => c.references('residents.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('theme', 'text', (c) => c.notNull())
    .addColumn('area', 'text')
    .addColumn('language', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('nieuw'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ideas_resident_idx').on('ideas').column('resident_id').execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('staff_channel_user_key', ['channel', 'user_id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Monitor store: pseudonymous. No column can hold an address, a chat id or a name; the
  // respondent is an HMAC whose key is not in the database.
  await db.schema
    .createTable('answers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('respondent', 'text', (c) => c.notNull())
    .addColumn('wave_id', 'uuid')
    .addColumn('wave_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('poll', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('indicator', 'text')
    .addColumn('answer_code', 'text')
    .addColumn('answer_number', 'double precision')
    .addColumn('text', 'text')
    .addColumn('area', 'text')
    .addColumn('age_group', 'text')
    .addColumn('language', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('answered_on', 'date', (c) => c.notNull())
    .addUniqueConstraint('answers_once_key', ['respondent', 'wave_key', 'poll', 'question'])
    .execute();
  await db.schema.createIndex('answers_poll_idx').on('answers').columns(['poll', 'answered_on']).execute();
  await db.schema.createIndex('answers_wave_idx').on('answers').column('wave_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'answers',
    'audit_log',
    'staff',
    'ideas',
    'message_log',
    'outbound_messages',
    'inbound_ledger',
    'conversations',
    'residents',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
