import { type Kysely, sql } from 'kysely';

/**
 * `desk_images`: a picture chosen in the web desk's compose form, kept between the preview and the
 * confirmation (checked and stripped of metadata already). Only its staff member sees it; it goes
 * when the flash is sent (the flash keeps its own copy in `flash_images`) and after a day at most.
 * Not personal: a flyer of the wijkteam.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('desk_images')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('desk_images_created_idx').on('desk_images').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('desk_images').ifExists().execute();
}
