import { type Kysely, sql } from 'kysely';

/**
 * The wijkteam desk: help requests and their conversation (identity store: they cascade when a
 * resident is erased, and closed ones are purged after 30 days), replies to ideas, and join counts
 * per flyer link (counts only, nothing about a person).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('resident_id', 'uuid', (c) => c.notNull().references('residents.id').onDelete('cascade'))
    .addColumn('subject', 'text')
    .addColumn('area', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'taken', 'closed')`),
    )
    .addColumn('taken_by', 'integer', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // One working day after opening, by the office hours in force then: flagged when still untaken.
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz')
    .addColumn('first_answered_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('flagged_at', 'timestamptz')
    .execute();
  // A resident has at most one request that is not closed; the partial index finds it per message.
  await db.schema
    .createIndex('help_requests_resident_open_key')
    .on('help_requests')
    .column('resident_id')
    .unique()
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
  await db.schema
    .createIndex('help_requests_status_idx')
    .on('help_requests')
    .columns(['status', 'created_at'])
    .execute();

  // Resident texts are kept as written: they are addressed to the person who helps. Identity store.
  await db.schema
    .createTable('help_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('help_requests.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('resident', 'staff')`))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('help_messages_request_idx')
    .on('help_messages')
    .columns(['request_id', 'id'])
    .execute();

  await db.schema
    .createTable('idea_replies')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('idea_id', 'bigint', (c) => c.notNull().references('ideas.id').onDelete('cascade'))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('idea_replies_idea_idx').on('idea_replies').column('idea_id').execute();

  await db.schema
    .createTable('join_counts')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('joins', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('join_counts_pkey', ['source', 'day'])
    .execute();

  await db.schema.createIndex('audit_log_created_idx').on('audit_log').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_created_idx').ifExists().execute();
  for (const t of ['join_counts', 'idea_replies', 'help_messages', 'help_requests']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
