import { type Kysely, sql } from 'kysely';

/**
 * Photos and voice messages residents send with an idea, and the pictures of flashes.
 *
 * `idea_media` (identity store): one row per photo or voice message kept with an idea. The row is
 * made when the idea is stored, with the platform's reference to the file (`ref`, sealed); the
 * media job fetches the file through the channel's adapter, strips a photo's metadata and stores
 * the bytes sealed with the data key (`bytes`), then drops the reference. It goes with its idea (and
 * so with the resident) and after the message log's retention. Never in the monitor schema.
 *
 * `flash_images`: a flash's picture (a flyer), stored once, metadata stripped. Not personal.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idea_media')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('idea_id', 'bigint', (c) => c.notNull().references('ideas.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'audio')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ref', 'bytea')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'stored', 'too_large', 'failed')`),
    )
    .addColumn('mime_type', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('bytes', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('stored_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('idea_media_idea_idx').on('idea_media').column('idea_id').execute();
  await db.schema.createIndex('idea_media_created_idx').on('idea_media').column('created_at').execute();

  await db.schema
    .createTable('flash_images')
    .addColumn('flash_id', 'uuid', (c) => c.primaryKey().references('flashes.id').onDelete('cascade'))
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('flash_images').ifExists().execute();
  await db.schema.dropTable('idea_media').ifExists().execute();
}
